import type { CheckSettings, ScanResult } from '../checks/engine.js';
import { createHash } from 'node:crypto';
import type { ObjectRef, Severity, Target } from '../checks/check.js';
import { dnKey } from '../model/dn.js';
import { pilotPlan } from './pilot-plan.js';
import { questionsOf } from './questions.js';
import { type Finding, type OpenQuestion, REPORT_SCHEMA_VERSION, type Report, type ReportObject } from './schema.js';
import { JudgementScope } from './scope.js';
import { containerVerdicts, count, DomainLocator, domainVerdicts, emptyTally, type Gaps, tallyFields, verdictOf } from './verdicts.js';

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
  configFile?: string;
  answersFile?: string;
}

const MAX_REASONS_LISTED = 20;

export function buildReport(result: ScanResult, context: ReportContext): Report {
  const scope = new JudgementScope(context.scope ?? []);
  const findings = collectFindings(result, context.target, scope);
  const counted = findings.filter((f) => f.inScope);
  const { inventory } = result;
  const scopeNotFound = (context.scope ?? []).filter((dn) => !inventory.containers.has(dnKey(dn)));
  const incompleteReasons = [
    ...incompleteness(result),
    ...scopeNotFound.map((dn) => `config scope.include names ${dn}, which is not in the input: check the DN, or export the domain that holds it`),
  ];
  const gaps: Gaps = {
    forestWide: incompleteReasons.length > 0 && !allGapsAreLocal(result),
    subtrees: result.problems.filter((p) => p.severity === 'error' && p.affectsDn !== undefined).map((p) => dnKey(p.affectsDn as string)),
  };

  const domains = new DomainLocator(inventory);
  const { verdicts: containers, findingsAt } = containerVerdicts(inventory, counted, gaps, scope);
  const openQuestions = openQuestionsOf(result, context.answers ?? {});
  const forest = emptyTally();
  for (const f of counted) count(forest, f);
  const forestVerdict = verdictOf(incompleteReasons.length > 0, forest, openQuestions.length);

  const bySeverity = (s: Severity): number => counted.filter((f) => f.severity === s).length;
  const statuses = result.outcomes.map((o) => o.result.status);
  return {
    schemaVersion: REPORT_SCHEMA_VERSION,
    tool: { name: 'readiness', version: context.toolVersion },
    generatedAt: context.now.toISOString(),
    target: context.target,
    allowPreview: context.allowPreview,
    inputs: result.inputs,
    complete: incompleteReasons.length === 0,
    incompleteReasons,
    verdict: forestVerdict,
    summary: {
      ...tallyFields(forest),
      info: bySeverity('info'),
      checksPassed: statuses.filter((s) => s === 'passed').length,
      checksFailed: statuses.filter((s) => s === 'failed').length,
      checksNotEvaluated: statuses.filter((s) => s === 'not-evaluated').length,
      checksDisabled: statuses.filter((s) => s === 'disabled').length,
      findingsOutOfScope: findings.length - counted.length,
      openQuestions: openQuestions.length,
    },
    settings: settingsOf(result, context, scopeNotFound),
    answers: answersOf(result, context.answers ?? {}),
    openQuestions,
    inventory: {
      forest: {
        ...optional('rootDomain', inventory.forest.rootDomainDn),
        ...optional('functionalLevel', inventory.forest.functionalLevel),
        ...optional('schemaVersion', inventory.schema.objectVersion),
        ...optional('hasExternalDirectoryObjectId', inventory.partitions.schema ? inventory.schema.attributes.has('msds-externaldirectoryobjectid') : undefined),
        upnSuffixes: inventory.forest.upnSuffixes,
        partitionsRead: inventory.partitions,
      },
      domains: inventory.domains.map((d) => ({
        dn: d.dn,
        dnsName: d.dnsName,
        ...optional('netbiosName', d.netbiosName),
        ...optional('functionalLevel', d.functionalLevel),
        partitionRead: d.partitionRead,
        ...d.counts,
      })),
      totals: inventory.totals,
      groups: inventory.groups,
      trusts: inventory.trusts.map((t) => ({
        dn: t.dn,
        partner: t.partner,
        ...optional('direction', t.direction),
        ...optional('type', t.type),
        ...optional('attributes', t.attributes),
      })),
    },
    verdicts: {
      forest: forestVerdict,
      domains: domainVerdicts(inventory, counted, gaps, scope),
      containers,
    },
    pilotPlan: pilotPlan({ inventory, containers, findingsAt, findings: counted, domains, target: context.target, incompleteReasons }),
    checks: result.outcomes.map(({ meta, result: r }) => ({
      id: meta.id,
      title: meta.title,
      severity: meta.severity,
      category: meta.category,
      status: r.status,
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

/**
 * Under --target migration-tool nothing can stay on Connect Sync side by side: the guided tool refuses
 * to run while Connect handles a workload it cannot migrate (device sync, say), so every blocker is hard.
 */
function collectFindings(result: ScanResult, target: Target, scope: JudgementScope): Finding[] {
  const findings: Finding[] = [];
  for (const { meta, result: r } of result.outcomes) {
    if (r.status !== 'failed' && r.status !== 'passed') continue;
    for (const f of r.findings) {
      const objects = f.objects.map(reportObject);
      const key = `${meta.id}/${f.kind}`;
      const scopeOf = f.scope;
      const finding = {
        id: meta.id,
        key,
        // Provisional identity: key, scope and title; the judgement work makes it collision-free by construction.
        fingerprint: fingerprintOf(key, scopeOf.kind === 'domain' ? `domain:${dnKey(scopeOf.dn)}` : scopeOf.kind, f.title),
        severity: f.severity,
        title: f.title,
        message: f.message,
        count: f.count,
        ...(f.countOf === undefined ? {} : { countOf: f.countOf }),
        objects,
        scope: scopeOf,
        coexistence: f.coexistence && target !== 'migration-tool',
        remediation: f.remediation,
        sources: meta.sources,
      };
      findings.push({ ...finding, inScope: scope.covers(finding) });
    }
  }
  const rank: Record<Severity, number> = { blocker: 0, warning: 1, info: 2 };
  return findings.sort((a, b) => rank[a.severity] - rank[b.severity] || Number(a.coexistence) - Number(b.coexistence) || a.id.localeCompare(b.id));
}

function reportObject(o: ObjectRef): ReportObject {
  const out: ReportObject = { dn: o.dn };
  for (const field of ['detail', 'guid', 'samAccountName', 'objectClass', 'attribute', 'value'] as const) {
    const value = o[field];
    if (value !== undefined) out[field] = value;
  }
  return out;
}

function fingerprintOf(...parts: string[]): string {
  return createHash('sha256').update(parts.join('\u0000')).digest('hex').slice(0, 16);
}

/** Every reason the data or the judgement is partial; an empty list is the only way to a clean verdict. */
function incompleteness(result: ScanResult): string[] {
  const reasons: string[] = [];
  const errors = result.problems.filter((p) => p.severity === 'error');
  for (const p of errors.slice(0, MAX_REASONS_LISTED)) {
    reasons.push(`${p.input}${p.location === undefined ? '' : `, ${p.location}`}: ${p.message}`);
  }
  const moreErrors = errors.length - Math.min(errors.length, MAX_REASONS_LISTED) + result.problemsNotKept.errors;
  if (moreErrors > 0) reasons.push(`${moreErrors} more input error(s); see problems`);
  for (const { meta, result: r } of result.outcomes) {
    if (r.status === 'not-evaluated') reasons.push(`check ${meta.id} not evaluated: ${r.reason}`);
  }
  const { unclassified } = result.inventory;
  if (unclassified.count > 0) {
    reasons.push(
      `${unclassified.count} entr${unclassified.count === 1 ? 'y has' : 'ies have'} no objectClass (first: ${unclassified.firstDn ?? '?'}) and could not be counted; export objectClass too`,
    );
  }
  return reasons;
}

/** True when every gap is tied to a known subtree, so the rest of the forest can still get a verdict. */
function allGapsAreLocal(result: ScanResult): boolean {
  const globalErrors = result.problems.some((p) => p.severity === 'error' && p.affectsDn === undefined) || result.problemsNotKept.errors > 0;
  const notEvaluated = result.outcomes.some((o) => o.result.status === 'not-evaluated');
  return !globalErrors && !notEvaluated && result.inventory.unclassified.count === 0;
}

/** Questions of the checks that ran: a switched-off check asks nothing. */
function askedQuestions(result: ScanResult): Map<string, OpenQuestion> {
  const ran = result.outcomes.filter((o) => o.result.status !== 'disabled').map((o) => o.meta);
  return new Map(questionsOf(ran).map((q) => [q.id, q]));
}

function openQuestionsOf(result: ScanResult, answers: Readonly<Record<string, string>>): OpenQuestion[] {
  return [...askedQuestions(result).values()].filter((q) => answers[q.id] === undefined);
}

function answersOf(result: ScanResult, answers: Readonly<Record<string, string>>): Report['answers'] {
  const questions = askedQuestions(result);
  return Object.entries(answers)
    .map(([id, answer]) => ({ id, answer, askedBy: questions.get(id)?.askedBy ?? [] }))
    .sort((a, b) => a.id.localeCompare(b.id));
}

function settingsOf(result: ScanResult, context: ReportContext, scopeNotFound: readonly string[]): Report['settings'] {
  const switchedOff = context.settings?.disabled ?? new Set<string>();
  const disabled = result.outcomes
    .filter((o) => o.result.status === 'disabled')
    .map(({ meta }) => ({
      id: meta.id,
      by: [meta.id, ...(meta.tags ?? []), meta.category].find((name) => switchedOff.has(name)) ?? meta.id,
    }));
  const options: Report['settings']['options'] = [];
  for (const { meta } of result.outcomes) {
    for (const [option, value] of Object.entries(context.settings?.options?.[meta.id] ?? {})) {
      const byDefault = meta.options?.[option];
      if (byDefault !== undefined && byDefault !== value) options.push({ check: meta.id, option, value, default: byDefault });
    }
  }
  return {
    ...optional('configFile', context.configFile),
    ...optional('answersFile', context.answersFile),
    disabled,
    options,
    ...(context.scope === undefined || context.scope.length === 0 ? {} : { scope: { include: [...context.scope], notFound: [...scopeNotFound] } }),
  };
}
