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
  /** Facts LDAP cannot show (e.g. "is pass-through authentication in use?"), asked in the answers file. */
  questions?: Question[];
}

export interface Question {
  /** Stable id used as the key in the answers file, e.g. "pass-through-authentication". */
  id: string;
  /** The question, e.g. "Is pass-through authentication in use?". */
  text: string;
  /** The allowed answers; yes/no questions use ["yes", "no"]. */
  choices: string[];
  /** Where the admin finds the answer (a portal page, a PowerShell command). */
  howToFind: string;
}

/** What the verdict is judged against. */
export type Target = 'cloud-sync' | 'migration-tool';

export interface ObjectRef {
  dn: string;
  /** A short per-object fact, e.g. "52,300 members". */
  detail?: string;
  /** objectGUID in its text form: matches an object across renames and moves (readiness diff). */
  guid?: string;
  samAccountName?: string;
  /** The most specific structural class (user, inetOrgPerson, group, contact, computer ...). */
  objectClass?: string;
  /** For value problems: the attribute and the offending value, as read. */
  attribute?: string;
  value?: string;
}

/** What a finding is about, so verdicts can be given per forest, domain and OU. */
export type Scope = { kind: 'forest' } | { kind: 'domain'; dn: string } | { kind: 'objects' };

export interface FindingInput {
  /**
   * Which of the check's finding kinds this is (ESLint's messageId): the finding's key is `<check id>/<kind>`,
   * stable across runs, so tickets and `readiness diff` can follow it.
   */
  kind?: string;
  /** Defaults to the check's severity. */
  severity?: Severity;
  /** Defaults to the check's title. */
  title?: string;
  /** What was found, in a sentence with the numbers. */
  message: string;
  objects?: ObjectRef[];
  /** Defaults to the number of objects, or 1 for a finding about the forest or a domain as a whole. */
  count?: number;
  /** Defaults to "objects" when objects are given, else "forest". */
  scope?: Scope;
  /**
   * True when the blocker need not be fixed before migrating: Connect Sync can keep running side by side
   * for this one workload (devices, say) with mutually exclusive scopes.
   */
  coexistence?: boolean;
}

export type CheckResult =
  | { status: 'passed'; note?: string }
  | { status: 'failed'; findings: FindingInput[] }
  | { status: 'not-evaluated'; reason: string };

export interface CheckContext {
  /** The value of one of the check's options, after the config file's overrides. */
  option(name: string): number;
  /** cloud-sync: GA Cloud Sync features (default). migration-tool: the guided migration tool's limits also apply. */
  target: Target;
  /** --allow-preview: preview features (device sync, say) count as possible. */
  allowPreview: boolean;
  /** The answer (one of the question's choices) to one of the check's questions, or undefined while it is open: never assume one. */
  answer(questionId: string): string | undefined;
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

/** How many things a finding is about: never 0, since a finding always says something is there. */
export function findingCount(finding: FindingInput): number {
  return finding.count ?? (finding.objects !== undefined && finding.objects.length > 0 ? finding.objects.length : 1);
}
