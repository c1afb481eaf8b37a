import type { Entry } from '../model/entry.js';
import type { Inventory } from '../inventory/inventory.js';

export type Severity = 'blocker' | 'warning' | 'info';

/** A document a check rests on, with the date of the version that was read (its ms.date). */
export interface SourceRef {
  title: string;
  url: string;
  /** YYYY-MM-DD */
  date: string;
}

/** Input a check cannot do without; when it is missing the engine reports the check as not evaluated. */
export type Requirement = 'configuration-partition' | 'schema-partition' | 'domain-partition';

export interface CheckMeta {
  /** Stable id: tickets and configs refer to it. Never rename. */
  id: string;
  title: string;
  /** Severity of the check's usual finding; a finding may carry its own. */
  severity: Severity;
  category: string;
  tags?: string[];
  /** Why this matters for a move to Cloud Sync. */
  rationale: string;
  remediation: string;
  sources: SourceRef[];
  requires?: Requirement[];
  /** Numeric settings a config file may override, with their defaults. */
  options?: Record<string, number>;
}

export interface ObjectRef {
  dn: string;
  /** A short per-object fact, e.g. "52,300 members". */
  detail?: string;
}

/** What a finding is about, so verdicts can be given per forest, domain and OU. */
export type Scope = { kind: 'forest' } | { kind: 'domain'; dn: string } | { kind: 'objects' };

export interface FindingInput {
  /** Defaults to the check's severity. */
  severity?: Severity;
  /** Defaults to the check's title. */
  title?: string;
  /** What was found, in a sentence with the numbers. */
  message: string;
  objects?: ObjectRef[];
  /** Defaults to the number of objects. */
  count?: number;
  /** Defaults to "objects" when objects are given, else "forest". */
  scope?: Scope;
}

export type CheckResult =
  | { status: 'passed'; note?: string }
  | { status: 'failed'; findings: FindingInput[] }
  | { status: 'not-evaluated'; reason: string };

export interface CheckContext {
  /** The value of one of the check's options, after the config file's overrides. */
  option(name: string): number;
}

/**
 * One check's work for one scan: optionally look at every entry as it streams past (keep only what
 * you need), then judge with the finished inventory.
 */
export interface CheckRun {
  visit?(entry: Entry): void;
  finish(inventory: Inventory): CheckResult;
}

export interface Check {
  meta: CheckMeta;
  create(context: CheckContext): CheckRun;
}

export function defineCheck(check: Check): Check {
  return check;
}

/** Learn pages are cited by their URL; the date is the ms.date of the version the rule was checked against. */
export function learn(path: string, title: string, date: string): SourceRef {
  return { title, url: `https://learn.microsoft.com/entra/${path}`, date };
}
