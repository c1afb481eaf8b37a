import type { Entry, ObjectKind } from '../model/entry.js';
import type { Inventory } from '../inventory/inventory.js';
import { InventoryBuilder } from '../inventory/builder.js';
import { ObjectsSeen } from '../inventory/objects-seen.js';
import type { EntrySource, InputProblem } from '../sources/source.js';
import type { Check, CheckContext, CheckMeta, CheckResult, CheckRun, FindingInput, ObjectRef, Scope, Severity, Target } from './check.js';
import type { ConnectConfig } from '../sources/connect-config/model.js';
import { answersFromConnectConfig, crossCheckForest, type ExportAnswer } from './connect-answers.js';
import { type Evidence, missing, needsConnectExport } from './evidence.js';

/** How a not-evaluated check's reason begins when the check threw (a bug, or a machine out of disk space). */
export const CHECK_FAILED = 'the check itself failed';

/** The not-evaluated reason of a check (or tenant rule) that threw. */
export function checkFailedReason(error: unknown): string {
  return `${CHECK_FAILED}: ${error instanceof Error ? error.message : String(error)}`;
}

export interface CheckSettings {
  /** Check ids or tags switched off. */
  disabled?: ReadonlySet<string>;
  /** Option overrides: check id → option name → value. */
  options?: Readonly<Record<string, Readonly<Record<string, number>>>>;
}

export interface ScanOptions {
  checks: readonly Check[];
  target?: Target;
  allowPreview?: boolean;
  /** Answers to checks' questions, by question id. */
  answers?: Readonly<Record<string, string>>;
  settings?: CheckSettings;
  /** The Connect Sync configuration export (--connect-config): its answers win over the answers file's. */
  connectConfig?: ConnectConfig;
  /** Stop at the first input error instead of reporting it and going on. */
  strict?: boolean;
  /** Called every so many entries and when the checks start, for a progress display. */
  onProgress?: (progress: ScanProgress) => void;
  /**
   * Also shown every entry the checks see (after repeats are dropped): the tenant digest collects here. Unlike a
   * check, an observer is part of the tool, not a rule: one that throws ends the scan rather than being set aside.
   */
  observers?: readonly EntryObserver[];
}

export interface EntryObserver {
  visit(entry: Entry): void;
}

export interface ScanProgress {
  phase: 'reading' | 'checking';
  entries: number;
  /** The label of the source being read. */
  input: string;
  /** What that source reads now, when it says (a naming context). */
  reading?: string;
  /** Bytes read of all inputs together, and their total: only when every input's size is known. */
  bytes?: { read: number; total: number };
  /** Checks that run (not switched off). */
  checks: number;
}

/** A finding as the engine hands it on: its kind's title, severity and remediation filled in, its count settled. */
export interface CheckFinding {
  kind: string;
  severity: Severity;
  title: string;
  remediation: string;
  message: string;
  objects: readonly ObjectRef[];
  /** The number of objects listed, or 1 for the forest or a domain as a whole, unless `countOf` says what else it counts. */
  count: number;
  countOf?: string;
  scope: Scope;
  coexistence: boolean;
}

/**
 * A check passes when it found nothing, or only information (which it still reports); it fails on a blocker
 * or warning. Not evaluated: what it needed was not read (it may still report what it found elsewhere).
 */
export type OutcomeResult =
  | { status: 'passed'; note?: string; findings: CheckFinding[] }
  | { status: 'failed'; findings: CheckFinding[] }
  | { status: 'not-evaluated'; reason: string; findings: CheckFinding[] }
  | { status: 'disabled' };

export interface CheckOutcome {
  meta: CheckMeta;
  /** The check's options after the config file's overrides: what it judged with (the pilot plan reads limits here). */
  options: Readonly<Record<string, number>>;
  result: OutcomeResult;
}

export interface ScanResult {
  inputs: { kind: EntrySource['kind']; label: string }[];
  inventory: Inventory;
  outcomes: CheckOutcome[];
  problems: InputProblem[];
  /** Answers read from the Connect configuration export, each with its source; they override the answers file. */
  exportAnswers?: ExportAnswer[];
  /** The Connect export as this forest sees it (its own AD connectors), when one was given and reads it (for the pilot plan's Connect side). */
  connectConfig?: ConnectConfig;
  /** Problems beyond the first MAX_PROBLEMS_KEPT are counted, not kept. */
  problemsNotKept: { errors: number; warnings: number };
}

export class StrictModeError extends Error {
  constructor(readonly problem: InputProblem) {
    super(`${problem.input}${problem.location === undefined ? '' : `, ${problem.location}`}: ${problem.message}`);
    this.name = 'StrictModeError';
  }
}

const MAX_PROBLEMS_KEPT = 1000;
/** What a Connect export check says about a forest none of the export's AD connectors reads: nothing of it was read. */
const NO_CONNECTOR_FOR_FOREST: OutcomeResult = {
  status: 'not-evaluated',
  reason: "the Connect Sync configuration export (--connect-config) has no AD connector for this forest, so it says nothing of this forest's synchronisation",
  findings: [],
};
/** Often enough for a live read at a few hundred objects a second; the display decides how often it redraws. */
const PROGRESS_EVERY = 1_000;

/** One pass over every source: entries feed the inventory and every enabled check's visitor. */
export async function scan(sources: readonly EntrySource[], options: ScanOptions): Promise<ScanResult> {
  const builder = new InventoryBuilder();
  const disabled = options.settings?.disabled ?? new Set<string>();
  const active: ActiveCheck[] = [];
  const outcomes: CheckOutcome[] = [];
  // Some answers need the whole forest (Connect's in-scope count), so they are final once the stream is read: checks read answers in finish().
  let answers: Readonly<Record<string, string>> = options.answers ?? {};
  for (const check of options.checks) {
    const effective = effectiveOptions(check.meta, options.settings);
    if (isDisabled(check.meta, disabled) || (needsConnectExport(check.meta.evidence) && options.connectConfig === undefined)) {
      outcomes.push({ meta: check.meta, options: effective, result: { status: 'disabled' } });
      continue;
    }
    const run = check.create(contextFor(check.meta, effective, options, () => answers));
    active.push({ meta: check.meta, options: effective, run });
  }
  const visitors = new Visitors(active);
  const observers = options.observers ?? [];
  const crashed = new Map<CheckRun, unknown>();

  const problems: InputProblem[] = [];
  const problemsNotKept = { errors: 0, warnings: 0 };
  const record = (problem: InputProblem): void => {
    if (options.strict === true && problem.severity === 'error') throw new StrictModeError(problem);
    if (problems.length < MAX_PROBLEMS_KEPT) problems.push(problem);
    else if (problem.severity === 'error') problemsNotKept.errors++;
    else problemsNotKept.warnings++;
  };
  const repeats = new RepeatedObjects(sources.map((s) => s.label));
  let entries = 0;
  const progress = progressReporter(sources, active.length, options.onProgress);
  for (const [index, source] of sources.entries()) {
    for await (const event of source.events()) {
      if (event.type === 'entry') {
        const repeat = repeats.check(event.entry, index);
        if (repeat !== false) {
          if (repeat !== undefined) record(repeat);
          continue;
        }
        builder.add(event.entry, source.label);
        for (const observer of observers) observer.visit(event.entry);
        for (const run of visitors.of(event.entry.kind)) {
          try {
            run.visit?.(event.entry);
          } catch (error) {
            crashed.set(run, error);
            visitors.remove(run);
          }
        }
        if (++entries % PROGRESS_EVERY === 0) progress?.('reading', entries, index);
        continue;
      }
      record(event.problem);
    }
  }

  progress?.('checking', entries, sources.length - 1);
  for (const problem of repeats.summary()) record(problem);
  const inventory = builder.finish();
  for (const problem of builder.problems) record(problem);
  const forestCheck = options.connectConfig === undefined ? undefined : crossCheckForest(options.connectConfig, inventory);
  for (const problem of forestCheck?.problems ?? []) record(problem);
  const connectView = forestCheck?.view;
  const exportAnswers = connectView === undefined ? [] : answersFromConnectConfig(connectView, inventory);
  for (const conflict of contradictions(exportAnswers, answers, options.connectConfig?.folder ?? '')) record(conflict);
  answers = { ...answers, ...Object.fromEntries(exportAnswers.map((a) => [a.question, a.answer])) };
  for (const { meta, options: effective, run } of active) {
    const crash = crashed.get(run);
    let result: OutcomeResult;
    if (crash !== undefined) result = checkFailedItself(crash);
    else if (forestCheck !== undefined && connectView === undefined && needsConnectExport(meta.evidence)) result = NO_CONNECTOR_FOR_FOREST;
    else result = evaluate(meta, run, inventory);
    outcomes.push({ meta, options: effective, result });
  }
  outcomes.sort((a, b) => a.meta.id.localeCompare(b.meta.id));
  return {
    inputs: sources.map((s) => ({ kind: s.kind, label: s.label })),
    inventory,
    outcomes,
    problems,
    ...(options.connectConfig === undefined ? {} : { exportAnswers }),
    ...(connectView === undefined ? {} : { connectConfig: connectView }),
    problemsNotKept,
  };
}

interface ActiveCheck {
  meta: CheckMeta;
  options: Readonly<Record<string, number>>;
  run: CheckRun;
}

/** The checks' visitors by the kind of object they look at, so that an entry reaches only those that look at its kind. */
class Visitors {
  private runs: readonly CheckRun[];
  private readonly byKind = new Map<ObjectKind, readonly CheckRun[]>();

  constructor(active: readonly ActiveCheck[]) {
    this.runs = active.map(({ run }) => run).filter((run) => run.visit !== undefined);
  }

  of(kind: ObjectKind): readonly CheckRun[] {
    let runs = this.byKind.get(kind);
    if (runs === undefined) this.byKind.set(kind, (runs = this.runs.filter((run) => run.visits === undefined || run.visits.includes(kind))));
    return runs;
  }

  /** A visitor that threw sees no more entries (its check is reported as failed itself). */
  remove(crashed: CheckRun): void {
    this.runs = this.runs.filter((run) => run !== crashed);
    this.byKind.clear();
  }
}

/** Adds up the position of every source into one progress figure, with a byte total when all sizes are known. */
function progressReporter(
  sources: readonly EntrySource[],
  checks: number,
  onProgress: ScanOptions['onProgress'],
): ((phase: ScanProgress['phase'], entries: number, index: number) => void) | undefined {
  if (onProgress === undefined || sources.length === 0) return undefined;
  const sizes = sources.map((s) => s.position?.().bytesTotal);
  // Bytes in the sources before each one, so that ten thousand files cost no more per call than one.
  const before = [0];
  for (const [i, size] of sizes.entries()) before.push((before[i] ?? 0) + (size ?? 0));
  const total = sizes.every((size) => size !== undefined) ? before[sizes.length] : undefined;
  return (phase: ScanProgress['phase'], entries: number, index: number): void => {
    const source = sources[index] ?? sources[0];
    if (source === undefined) return;
    const position = source.position?.() ?? {};
    onProgress({
      phase,
      entries,
      input: source.label,
      checks,
      ...(position.reading === undefined ? {} : { reading: position.reading }),
      ...(total === undefined ? {} : { bytes: { read: phase === 'checking' ? total : (before[index] ?? 0) + (position.bytesRead ?? 0), total } }),
    });
  };
}

/** An answers-file value the export contradicts: the export wins, and the report says both. */
function contradictions(exportAnswers: readonly ExportAnswer[], answers: Readonly<Record<string, string>>, folder: string): InputProblem[] {
  return exportAnswers
    .filter((a) => answers[a.question] !== undefined && answers[a.question] !== a.answer)
    .map((a) => ({
      severity: 'warning',
      input: folder,
      location: `${a.source.file} (${a.source.setting})`,
      message: `the answers file says ${a.question}: ${answers[a.question]}, but the Connect export says ${a.answer} (${a.source.value}); the export's answer is used`,
      hint: `correct ${a.question} in the answers file, or remove it: the export answers it`,
    }));
}

/**
 * An object read a second time (same DN, in one input or across inputs: the ldifde and the ldapsearch copy
 * of one export, an OU exported beside its whole domain, a file beside its own .gz) would be counted twice
 * and could invent a scale or migration-tool blocker. The repeat is not read again; the first repeat between
 * two inputs is an error naming both places, the rest are counted into one error per pair of inputs.
 */
class RepeatedObjects {
  private readonly seen = new ObjectsSeen();
  private readonly pairs = new Map<string, { first: number; second: number; count: number }>();

  constructor(private readonly labels: readonly string[]) {}

  /** false for an object not read before; otherwise the problem to record, if this repeat is the first between its inputs. */
  check(entry: Entry, input: number): InputProblem | undefined | false {
    if (entry.dn === '') return false; // every export of one DC may carry its RootDSE
    const first = this.seen.add(entry.key, { input, line: entry.line ?? 0 });
    if (first === undefined) return false;
    const pairKey = `${first.input}>${input}`;
    const pair = this.pairs.get(pairKey);
    if (pair !== undefined) {
      pair.count++;
      return undefined;
    }
    this.pairs.set(pairKey, { first: first.input, second: input, count: 1 });
    const firstPlace = `${this.labels[first.input]}${first.line === 0 ? '' : ` (line ${first.line})`}`;
    return {
      severity: 'error',
      input: this.labels[input] ?? '',
      location: entry.line === undefined ? entry.dn : `line ${entry.line} (${entry.dn})`,
      message: `this object was already read from ${firstPlace}; it was not counted again`,
      hint: REPEAT_HINT,
    };
  }

  summary(): InputProblem[] {
    return [...this.pairs.values()]
      .filter((pair) => pair.count > 1)
      .map(({ first, second, count }) => ({
        severity: 'error',
        input: this.labels[second] ?? '',
        message: `${count - 1} more objects of this input were already read from ${this.labels[first]}; they were not counted again`,
        hint: REPEAT_HINT,
      }));
  }
}

const REPEAT_HINT = 'pass each export once: not both the ldifde and the ldapsearch copy, not a file beside its .gz, not an OU export beside its whole domain';

/** A check's option defaults with the config file's overrides applied. */
function effectiveOptions(meta: CheckMeta, settings: CheckSettings | undefined): Readonly<Record<string, number>> {
  return { ...meta.options, ...settings?.options?.[meta.id] };
}

function contextFor(
  meta: CheckMeta,
  effective: Readonly<Record<string, number>>,
  options: ScanOptions,
  answers: () => Readonly<Record<string, string>>,
): CheckContext {
  return {
    target: options.target ?? 'cloud-sync',
    allowPreview: options.allowPreview === true,
    ...(options.connectConfig === undefined ? {} : { connectConfig: options.connectConfig }),
    option(name) {
      const value = effective[name];
      if (value === undefined) throw new Error(`check ${meta.id} has no option "${name}"`);
      return value;
    },
    answer(question) {
      if (!(meta.questions ?? []).some((q) => q.id === question.id))
        throw new Error(`check ${meta.id} reads the answer to "${question.id}" but does not list that question`);
      const given = answers()[question.id];
      // An answer outside the question's choices is no answer: never guess what it meant.
      return question.choices.find((choice) => choice === given);
    },
  };
}

function isDisabled(meta: CheckMeta, disabled: ReadonlySet<string>): boolean {
  return disabled.has(meta.id) || (meta.tags ?? []).some((t) => disabled.has(t)) || disabled.has(meta.category);
}

/**
 * Evidence needed to judge is checked first: without it finish() is not called, since its findings could
 * rest on the absence. Evidence needed only to pass is checked after: what was found stands, a pass does not.
 */
function evaluate(meta: CheckMeta, run: CheckRun, inventory: Inventory): OutcomeResult {
  const unreadToJudge = unread(
    meta.evidence.filter((e) => e.toPass !== true),
    inventory,
  );
  if (unreadToJudge !== undefined) return { status: 'not-evaluated', reason: unreadToJudge, findings: [] };
  let result: OutcomeResult;
  try {
    result = settle(meta, run.finish(inventory));
  } catch (error) {
    return checkFailedItself(error);
  }
  if (result.status !== 'passed') return result;
  const unreadToPass = unread(
    meta.evidence.filter((e) => e.toPass === true),
    inventory,
  );
  return unreadToPass === undefined ? result : { status: 'not-evaluated', reason: unreadToPass, findings: result.findings };
}

/** The not-evaluated reason naming every piece of missing evidence, or undefined when all was read. */
function unread(evidence: readonly Evidence[], inventory: Inventory): string | undefined {
  const reasons = [...new Set(evidence.map((e) => missing(e, inventory)).filter((reason) => reason !== undefined))];
  if (reasons.length === 0) return undefined;
  const unreadable = inventory.evidence.unreadable.count;
  const rights =
    unreadable === 0
      ? ''
      : ` (${unreadable.toLocaleString('en-US')} object(s) came back without any attribute: most likely a rights problem, see the incomplete reasons)`;
  return `${reasons.join('; ')}${rights}`;
}

/** Resolves each finding against its kind; the check fails only when it found a blocker or a warning. */
function settle(meta: CheckMeta, result: CheckResult): OutcomeResult {
  if (result.status !== 'failed') return { ...result, findings: [] };
  const findings = result.findings.map((f) => resolve(meta, f));
  if (findings.some((f) => f.severity !== 'info')) return { status: 'failed', findings };
  return { status: 'passed', findings };
}

function resolve(meta: CheckMeta, finding: FindingInput): CheckFinding {
  const kind = meta.kinds[finding.kind];
  if (kind === undefined) throw new Error(`check ${meta.id} raised a finding of kind "${finding.kind}", which its metadata does not declare`);
  const objects = finding.objects ?? [];
  return {
    kind: finding.kind,
    severity: finding.severity ?? kind.severity ?? meta.severity,
    title: finding.title ?? kind.title ?? meta.title,
    remediation: kind.remediation ?? meta.remediation,
    message: finding.message,
    objects,
    count: finding.tally?.count ?? Math.max(objects.length, 1),
    ...(finding.tally === undefined ? {} : { countOf: finding.tally.of }),
    scope: finding.scope ?? (objects.length > 0 ? { kind: 'objects' } : { kind: 'forest' }),
    coexistence: finding.coexistence === true,
  };
}

/** A bug in one check must not hide the others, and must not pass for "no finding". */
function checkFailedItself(error: unknown): OutcomeResult {
  return { status: 'not-evaluated', reason: checkFailedReason(error), findings: [] };
}
