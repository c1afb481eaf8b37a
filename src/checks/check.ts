import type { Entry, ObjectKind } from '../model/entry.js';
import type { Inventory } from '../inventory/inventory.js';
import type { ConnectConfig } from '../sources/connect-config/model.js';
import type { Evidence } from './evidence.js';

export type Severity = 'blocker' | 'warning' | 'info';

/** Blockers first: the order findings are listed in, in every report. */
export const SEVERITY_ORDER: Readonly<Record<Severity, number>> = { blocker: 0, warning: 1, info: 2 };

/** A document a check rests on, with the date of the version that was read (its ms.date). */
export interface SourceRef {
  title: string;
  url: string;
  /** YYYY-MM-DD */
  date: string;
}

/**
 * One kind of finding a check can raise (ESLint's meta.messages): the finding's key is `<check id>/<kind>`,
 * stable across runs, so tickets and `readiness diff` can follow it. Title, severity and remediation
 * default to the check's own.
 */
export interface FindingKind {
  title?: string;
  severity?: Severity;
  remediation?: string;
}

/**
 * The check's description. Generic over its option names, question ids and finding kinds, so that
 * `context.option(...)`, `context.answer(...)` and each finding's `kind` are checked by the compiler.
 */
export interface CheckMeta<Option extends string = string, QuestionId extends string = string, Kind extends string = string> {
  /** Stable id: tickets and configs refer to it. Never rename. */
  id: string;
  title: string;
  /** Severity of the check's usual finding; a kind or a finding may carry its own. */
  severity: Severity;
  category: string;
  tags?: string[];
  /** Why this matters for a move to Cloud Sync. */
  rationale: string;
  remediation: string;
  sources: SourceRef[];
  /** What must have been read for the check to judge (or, marked toPass, to pass); empty for checks that only ask questions. */
  evidence: readonly Evidence[];
  /** Numeric settings a config file may override, with their defaults. */
  options?: Readonly<Record<Option, number>>;
  /** Facts LDAP cannot show (e.g. "is pass-through authentication in use?"), asked in the answers file. */
  questions?: readonly Question<QuestionId>[];
  /** Every kind of finding the check can raise. */
  kinds: Readonly<Record<Kind, FindingKind>>;
}

export interface Question<Id extends string = string, Choice extends string = string> {
  /** Stable id used as the key in the answers file, e.g. "pass-through-authentication". */
  id: Id;
  /** The question, e.g. "Is pass-through authentication in use?". */
  text: string;
  /** The allowed answers; yes/no questions use YES_NO. */
  choices: readonly Choice[];
  /** Where the admin finds the answer (a portal page, a PowerShell command). */
  howToFind: string;
}

/** Keeps the literal types of a question's id and choices, so the compiler knows what `context.answer` returns. */
export function defineQuestion<const Id extends string, const Choice extends string>(question: Question<Id, Choice>): Question<Id, Choice> {
  return question;
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
  /**
   * For value problems with an obvious repair: the value the rule proposes (trimmed, invalid characters removed,
   * cut to the limit); "" proposes clearing the value (a duplicate). A proposal in the report: nothing is written.
   */
  suggestion?: string;
}

/** What a finding is about, so verdicts can be given per forest, domain and OU. */
export type Scope = { kind: 'forest' } | { kind: 'domain'; dn: string } | { kind: 'objects' };

export interface FindingInput<Kind extends string = string> {
  /** Which of the check's finding kinds this is. */
  kind: Kind;
  /** Defaults to the kind's severity, then the check's. */
  severity?: Severity;
  /** Defaults to the kind's title, then the check's. */
  title?: string;
  /** What was found, in a sentence with the numbers. */
  message: string;
  /** Every object involved; a check that may list a large part of the forest keeps them in an ObjectList and gives its view. */
  objects?: readonly ObjectRef[];
  /**
   * When the finding counts something other than the objects it lists (UPN suffixes, objects in a domain):
   * how many, and of what. Otherwise its count is the number of objects, or 1 for the forest or a domain as a whole.
   */
  tally?: { count: number; of: string };
  /** Defaults to "objects" when objects are given, else "forest". */
  scope?: Scope;
  /**
   * True when the blocker need not be fixed before migrating: Connect Sync can keep running side by side
   * for this one workload (devices, say) with mutually exclusive scopes.
   */
  coexistence?: boolean;
}

/** What a check's finish() returns. A check whose findings are all info passes, with those findings. */
export type CheckResult<Kind extends string = string> =
  { status: 'passed'; note?: string } | { status: 'failed'; findings: FindingInput<Kind>[] } | { status: 'not-evaluated'; reason: string };

export interface CheckContext<Option extends string = string, QuestionId extends string = string> {
  /** The value of one of the check's options, after the config file's overrides. */
  option(name: Option): number;
  /** cloud-sync: GA Cloud Sync features (default). migration-tool: the guided migration tool's limits also apply. */
  target: Target;
  /** --allow-preview: preview features (device sync, say) count as possible. */
  allowPreview: boolean;
  /** The answer (one of its choices) to one of the check's questions, or undefined while it is open: never assume one. */
  answer<Choice extends string>(question: Question<QuestionId, Choice>): Choice | undefined;
  /** The Connect Sync configuration export, when one was given (--connect-config); absent, its questions stay open. */
  connectConfig?: ConnectConfig;
}

/** The export, for a check that requires 'connect-configuration' (the engine runs those only when one was given). */
export function connectConfigOf(context: CheckContext): ConnectConfig {
  if (context.connectConfig === undefined) throw new Error('a check that requires the Connect configuration export ran without one');
  return context.connectConfig;
}

/**
 * One check's work for one scan: optionally look at every entry as it streams past (keep only what
 * you need), then judge with the finished inventory.
 */
export interface CheckRun<Kind extends string = string> {
  /** The kinds of object visit() looks at: the engine hands it no other entry. Absent: every entry. */
  visits?: readonly ObjectKind[];
  visit?(entry: Entry): void;
  finish(inventory: Inventory): CheckResult<Kind>;
}

/** What the catalog, `explain` and the config file know of a check or a tenant rule: its metadata. */
export interface Described {
  meta: CheckMeta;
}

export interface Check<Option extends string = string, QuestionId extends string = string, Kind extends string = string> {
  meta: CheckMeta<Option, QuestionId, Kind>;
  create(context: CheckContext<Option, QuestionId>): CheckRun<Kind>;
}

/**
 * Declares a check (typescript-eslint's createRule): the option names, question ids and finding kinds
 * are taken from the metadata, and the compiler holds create() to them.
 */
export function defineCheck<const Option extends string = never, const QuestionId extends string = never, const Kind extends string = never>(check: {
  meta: CheckMeta<Option, QuestionId, Kind>;
  create(context: CheckContext<NoInfer<Option>, NoInfer<QuestionId>>): CheckRun<NoInfer<Kind>>;
}): Check {
  return check;
}

/** Learn pages are cited by their URL; the date is the ms.date of the version the rule was checked against. */
export function learn(path: string, title: string, date: string): SourceRef {
  return { title, url: `https://learn.microsoft.com/entra/${path}`, date };
}
