import type { CheckSettings, ScanResult } from '../checks/engine.js';
import { plural } from '../checks/support/ad-values.js';
import type { Target } from '../checks/check.js';
import { needsConnectExport, unreadableNote } from '../checks/evidence.js';
import { migrationToolLimits } from '../checks/support/migration-tool.js';
import { dnKey } from '../model/dn.js';
import { identifyFindings } from './findings.js';
import { headlineOf } from './headline.js';
import { compareText } from '../model/order.js';
import { synchronisedByConnect } from '../checks/connect-scope.js';
import { forestName, UNKNOWN_FOREST } from '../inventory/inventory.js';
import { pilotPlan } from './pilot-plan.js';
import { questionsOf } from './questions.js';
import type { ForestReport, OpenQuestion } from './schema.js';
import { JudgementScope } from './scope.js';
import { containerVerdicts, DomainLocator, domainVerdicts, type Gaps, tallyFields, tallyOf, verdictOf } from './verdicts.js';

export interface ReportContext {
  toolVersion: string;
  target: Target;
  allowPreview: boolean;
  now: Date;
  /** The answers given to checks' questions, by question id (as passed to scan()). */
  answers?: Readonly<Record<string, string>>;
  /** The check settings passed to scan(), to say in the report what was switched off or changed. */
  settings?: CheckSettings;
  /** The OU DNs the config file limits the judgement to; empty or absent: the whole forest. */
  scope?: readonly string[];
  /** Those of `scope` that lie in another forest of the same run: not "not in the input" for this one. */
  scopeInOtherForests?: readonly string[];
  configFile?: string;
  answersFile?: string;
  /** The Connect Sync configuration export folder read (--connect-config). */
  connectConfigFolder?: string;
}

const MAX_REASONS_LISTED = 20;

/**
 * The report in named steps: identify and order the findings, say what is incomplete, judge the forest,
 * each domain and each OU, plan the pilot, then lay out the rest of what was read.
 */
export function buildReport(result: ScanResult, context: ReportContext): ForestReport {
  const scope = new JudgementScope(context.scope ?? []);
  const domains = new DomainLocator(result.inventory);
  const findings = identifyFindings(result, context.target, scope, domains);
  const counted = findings.filter((f) => f.inScope);
  const elsewhere = new Set((context.scopeInOtherForests ?? []).map(dnKey));
  const scopeNotFound = (context.scope ?? []).filter((dn) => !result.inventory.containers.has(dnKey(dn)) && !elsewhere.has(dnKey(dn)));
  const incompleteReasons = incompleteness(result, scope, scopeNotFound);
  const answers = { ...(context.answers ?? {}), ...Object.fromEntries((result.exportAnswers ?? []).map((a) => [a.question, a.answer])) };
  const openQuestions = openQuestionsOf(result, answers);
  const gaps = gapsOf(result, incompleteReasons, openQuestions, scope, domains);

  const forestTally = tallyOf(counted);
  const verdict = verdictOf(forestTally, incompleteReasons.length > 0 || openQuestions.length > 0);
  const containers = containerVerdicts(result.inventory, counted, gaps, scope, domains);
  const inventory = inventoryOf(result);
  return {
    name: inventory.forest.name ?? UNKNOWN_FOREST,
    tool: { name: 'readiness', version: context.toolVersion },
    generatedAt: context.now.toISOString(),
    target: context.target,
    allowPreview: context.allowPreview,
    inputs: result.inputs,
    complete: incompleteReasons.length === 0,
    incompleteReasons,
    verdict,
    headline: headlineOf(verdict, { openQuestions: openQuestions.length, complete: incompleteReasons.length === 0 }),
    summary: {
      ...tallyFields(forestTally),
      info: counted.filter((f) => f.severity === 'info').length,
      ...checkCounts(result),
      findingsOutOfScope: findings.length - counted.length,
      openQuestions: openQuestions.length,
    },
    settings: settingsOf(result, context, scopeNotFound),
    answers: answersOf(result, answers, context.answers ?? {}),
    openQuestions,
    inventory,
    verdicts: {
      forest: verdict,
      domains: domainVerdicts(result.inventory, counted, gaps, scope, domains),
      containers: containers.verdicts,
    },
    pilotPlan: pilotPlan({
      containers: containers.verdicts,
      findingsAt: containers.findingsAt,
      findings: counted,
      domains,
      target: context.target,
      migrationTool: migrationToolLimits(result.outcomes),
      incompleteReasons,
      ...(result.connectConfig === undefined ? {} : { connectSynchronises: synchronisedByConnect(result.connectConfig) }),
    }),
    checks: result.outcomes.map(({ meta, result: r }) => ({
      id: meta.id,
      title: meta.title,
      severity: meta.severity,
      category: meta.category,
      status: r.status,
      sources: meta.sources,
      ...(r.status === 'not-evaluated' ? { reason: r.reason } : {}),
      ...(r.status === 'passed' && r.note !== undefined ? { note: r.note } : {}),
    })),
    findings,
    problems: result.problems,
    problemsNotShown: result.problemsNotKept,
  };
}

function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}

/** Every reason the data or the judgement is partial; an empty list (and no open question) is the only way to a clean verdict. */
function incompleteness(result: ScanResult, scope: JudgementScope, scopeNotFound: readonly string[]): string[] {
  const reasons: string[] = [];
  const errors = result.problems.filter((p) => p.severity === 'error');
  for (const p of errors.slice(0, MAX_REASONS_LISTED)) {
    reasons.push(`${p.input}${p.location === undefined ? '' : `, ${p.location}`}: ${p.message}`);
  }
  const moreErrors = errors.length - Math.min(errors.length, MAX_REASONS_LISTED) + result.problemsNotKept.errors;
  if (moreErrors > 0) reasons.push(`${plural(moreErrors, 'more input error')}; see problems`);
  for (const d of result.inventory.domains) {
    if (d.partitionRead || !scope.touchesDomain(d.key)) continue;
    reasons.push(
      `domain ${d.dnsName} (${d.dn}) belongs to the forest but its partition was not in the input: export it and scan again, or limit the judgement to the other domains (config scope.include)`,
    );
  }
  for (const { meta, result: r } of result.outcomes) {
    if (r.status === 'not-evaluated') reasons.push(`check ${meta.id} not evaluated: ${r.reason}`);
  }
  if (!judgingCheckRan(result)) {
    reasons.push('no check that can find a blocker or a warning ran (each was switched off or not evaluated): a verdict rests on checks that ran');
  }
  const { unclassified, evidence } = result.inventory;
  const unreadable = unreadableNote(result.inventory);
  if (unreadable !== undefined) {
    reasons.push(`${unreadable}. That is a rights problem, not a missing export: read the directory with an account that can read these objects`);
  }
  const withoutClass = unclassified.count - evidence.unreadable.count;
  if (withoutClass > 0) {
    reasons.push(
      `${withoutClass === 1 ? '1 entry has' : `${plural(withoutClass, 'entry', 'entries')} have`} no objectClass (first: ${unclassified.firstDn ?? '?'}) and could not be counted; export objectClass too`,
    );
  }
  for (const dn of scopeNotFound) reasons.push(`config scope.include names ${dn}, which is not in the input: check the DN, or export the domain that holds it`);
  return reasons;
}

/** True when a check that can find a blocker or a warning ran to the end: what any verdict rests on. */
function judgingCheckRan(result: ScanResult): boolean {
  return result.outcomes.some(({ meta, result: r }) => meta.severity !== 'info' && (r.status === 'passed' || r.status === 'failed'));
}

/**
 * Where the holes are. An input error tied to a DN, or a domain not read, leaves the rest of the forest
 * judgeable; a check not evaluated or a question not answered could hide a blocker anywhere.
 */
function gapsOf(
  result: ScanResult,
  incompleteReasons: readonly string[],
  openQuestions: readonly OpenQuestion[],
  scope: JudgementScope,
  domains: DomainLocator,
): Gaps {
  const placedErrors = result.problems.filter((p) => p.severity === 'error' && p.affectsDn !== undefined).map((p) => dnKey(p.affectsDn as string));
  const unreadDomains = result.inventory.domains.filter((d) => !d.partitionRead && scope.touchesDomain(d.key)).map((d) => d.key);
  const unplacedErrors = result.problems.some((p) => p.severity === 'error' && p.affectsDn === undefined) || result.problemsNotKept.errors > 0;
  const notEvaluated = result.outcomes.some((o) => o.result.status === 'not-evaluated');
  // An error placed outside every domain (in the configuration partition, say) says something about the whole forest.
  const outsideDomains = placedErrors.some((key) => domains.of(key) === undefined);
  const placeless = unplacedErrors || outsideDomains || notEvaluated || result.inventory.unclassified.count > 0 || !judgingCheckRan(result);
  return {
    forestWide: (incompleteReasons.length > 0 && placeless) || openQuestions.length > 0,
    subtrees: [...placedErrors, ...unreadDomains],
  };
}

function checkCounts(result: ScanResult): Pick<ForestReport['summary'], 'checksPassed' | 'checksFailed' | 'checksNotEvaluated' | 'checksDisabled'> {
  const statuses = result.outcomes.map((o) => o.result.status);
  const countOf = (status: string): number => statuses.filter((s) => s === status).length;
  return {
    checksPassed: countOf('passed'),
    checksFailed: countOf('failed'),
    checksNotEvaluated: countOf('not-evaluated'),
    checksDisabled: countOf('disabled'),
  };
}

/** What was read, each list in an order that does not depend on the order of the input files. */
function inventoryOf(result: ScanResult): ForestReport['inventory'] {
  const { inventory } = result;
  return {
    forest: {
      ...optional('name', forestName(result.inventory)),
      ...optional('rootDomain', inventory.forest.rootDomainDn),
      ...optional('functionalLevel', inventory.forest.functionalLevel),
      ...optional('schemaVersion', inventory.schema.objectVersion),
      ...optional('hasExternalDirectoryObjectId', inventory.partitions.schema ? inventory.schema.attributes.has('msds-externaldirectoryobjectid') : undefined),
      upnSuffixes: [...inventory.forest.upnSuffixes].sort(compareText),
      partitionsRead: inventory.partitions,
    },
    domains: [...inventory.domains]
      .sort((a, b) => compareText(a.dnsName, b.dnsName))
      .map((d) => ({
        dn: d.dn,
        dnsName: d.dnsName,
        ...optional('netbiosName', d.netbiosName),
        ...optional('functionalLevel', d.functionalLevel),
        partitionRead: d.partitionRead,
        ...d.counts,
      })),
    totals: inventory.totals,
    groups: {
      total: inventory.groups.total,
      large: [...inventory.groups.large].sort((a, b) => b.members - a.members || compareText(dnKey(a.dn), dnKey(b.dn))),
    },
    trusts: [...inventory.trusts]
      .sort((a, b) => compareText(dnKey(a.dn), dnKey(b.dn)))
      .map((t) => ({
        dn: t.dn,
        partner: t.partner,
        ...optional('direction', t.direction),
        ...optional('type', t.type),
        ...optional('attributes', t.attributes),
      })),
  };
}

/** Questions of the checks that ran: a switched-off check asks nothing. */
function askedQuestions(result: ScanResult): Map<string, OpenQuestion> {
  const ran = result.outcomes.filter((o) => o.result.status !== 'disabled').map((o) => o.meta);
  return new Map(questionsOf(ran).map((q) => [q.id, q]));
}

function openQuestionsOf(result: ScanResult, answers: Readonly<Record<string, string>>): OpenQuestion[] {
  return [...askedQuestions(result).values()].filter((q) => answers[q.id] === undefined);
}

function answersOf(result: ScanResult, answers: Readonly<Record<string, string>>, fromFile: Readonly<Record<string, string>>): ForestReport['answers'] {
  const questions = askedQuestions(result);
  const fromExport = new Map((result.exportAnswers ?? []).map((a) => [a.question, a.source]));
  return Object.entries(answers)
    .map(([id, answer]) => {
      const source = fromExport.get(id);
      const fileSaid = fromFile[id];
      return {
        id,
        answer,
        askedBy: questions.get(id)?.askedBy ?? [],
        ...(source === undefined ? {} : { source }),
        ...(source !== undefined && fileSaid !== undefined && fileSaid !== answer ? { answersFileValue: fileSaid } : {}),
      };
    })
    .sort((a, b) => compareText(a.id, b.id));
}

function settingsOf(result: ScanResult, context: ReportContext, scopeNotFound: readonly string[]): ForestReport['settings'] {
  const switchedOff = context.settings?.disabled ?? new Set<string>();
  const disabled = result.outcomes
    .filter((o) => o.result.status === 'disabled')
    .map(({ meta }) => ({
      id: meta.id,
      by:
        [meta.id, ...(meta.tags ?? []), meta.category].find((name) => switchedOff.has(name)) ??
        (needsConnectExport(meta.evidence) && result.exportAnswers === undefined ? 'no --connect-config' : meta.id),
    }));
  const options: ForestReport['settings']['options'] = [];
  for (const { meta } of result.outcomes) {
    for (const [option, value] of Object.entries(context.settings?.options?.[meta.id] ?? {})) {
      const byDefault = meta.options?.[option];
      if (byDefault !== undefined && byDefault !== value) options.push({ check: meta.id, option, value, default: byDefault });
    }
  }
  return {
    ...optional('configFile', context.configFile),
    ...optional('answersFile', context.answersFile),
    ...optional('connectConfig', context.connectConfigFolder),
    disabled,
    options,
    ...(context.scope === undefined || context.scope.length === 0 ? {} : { scope: { include: [...context.scope], notFound: [...scopeNotFound] } }),
  };
}
