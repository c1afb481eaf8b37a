import type { ReportContext } from './build.js';
import { headlineOf } from './headline.js';
import { compareText } from '../model/order.js';
import { type CheckStatus, type ForestReport, REPORT_SCHEMA_VERSION, type Report } from './schema.js';
import { tallyFields, tallyOf, verdictOf } from './verdicts.js';

/** What the tenant-wide checks said: their statuses and findings (src/tenant's TenantOutcome). */
export type TenantJudgement = Report['tenant'];

/**
 * The envelope over the forests of one tenant: the tenant's verdict is the worst of the forests' and the
 * tenant checks', by the same precedence as a forest's (a hard blocker anywhere wins over missing data).
 * Forests come ordered by name, so the report does not depend on the order they were read in.
 */
export function buildTenantReport(
  forests: readonly ForestReport[],
  tenant: TenantJudgement,
  context: Pick<ReportContext, 'toolVersion' | 'target' | 'allowPreview' | 'now'>,
): Report {
  const ordered = [...forests].sort((a, b) => compareText(a.name, b.name));
  if (ordered.length === 0) throw new Error('a tenant report needs at least one forest');
  const incompleteReasons = tenantIncompleteness(ordered, tenant);
  // One answers file serves every forest: a question open in two forests is one question to answer.
  const openQuestions = new Set(ordered.flatMap((f) => f.openQuestions.map((q) => q.id))).size;
  const counted = tenant.findings.filter((f) => f.inScope);
  const tenantTally = tallyOf(counted);
  const tally = {
    hardBlockers: tenantTally.hardBlockers + sum(ordered, (f) => f.summary.hardBlockers),
    coexistenceBlockers: tenantTally.coexistenceBlockers + sum(ordered, (f) => f.summary.coexistenceBlockers),
    warnings: tenantTally.warnings + sum(ordered, (f) => f.summary.warnings),
  };
  const complete = incompleteReasons.length === 0;
  const verdict = verdictOf(tally, !complete || openQuestions > 0);
  const checksWith = (status: CheckStatus['status']): number => tenant.checks.filter((c) => c.status === status).length;
  return {
    schemaVersion: REPORT_SCHEMA_VERSION,
    tool: { name: 'readiness', version: context.toolVersion },
    generatedAt: context.now.toISOString(),
    target: context.target,
    allowPreview: context.allowPreview,
    inputs: ordered.flatMap((f) => f.inputs),
    complete,
    incompleteReasons,
    verdict,
    headline: headlineOf(verdict, { openQuestions, complete }),
    summary: {
      forests: ordered.length,
      ...tallyFields(tally),
      info: counted.filter((f) => f.severity === 'info').length + sum(ordered, (f) => f.summary.info),
      checksPassed: checksWith('passed') + sum(ordered, (f) => f.summary.checksPassed),
      checksFailed: checksWith('failed') + sum(ordered, (f) => f.summary.checksFailed),
      checksNotEvaluated: checksWith('not-evaluated') + sum(ordered, (f) => f.summary.checksNotEvaluated),
      checksDisabled: checksWith('disabled') + sum(ordered, (f) => f.summary.checksDisabled),
      findingsOutOfScope: tenant.findings.length - counted.length + sum(ordered, (f) => f.summary.findingsOutOfScope),
      openQuestions,
    },
    tenant: { checks: [...tenant.checks], findings: [...tenant.findings] },
    forests: ordered,
  };
}

/**
 * One forest: its reasons as they are; several: each reason names its forest. Then the tenant checks not
 * evaluated; several forests and no tenant check at all is a gap too: what must be unique in the tenant was
 * not compared across them.
 */
function tenantIncompleteness(forests: readonly ForestReport[], tenant: TenantJudgement): string[] {
  const several = forests.length > 1;
  return [
    ...forests.flatMap((f) => f.incompleteReasons.map((reason) => (several ? `${f.name}: ${reason}` : reason))),
    ...tenant.checks.filter((c) => c.status === 'not-evaluated').map((c) => `check ${c.id} not evaluated: ${c.reason ?? 'its evidence was not read'}`),
    ...(several && tenant.checks.length === 0 ? [`${NO_TENANT_CHECK}: values that must be unique in the tenant may collide`] : []),
  ];
}

/**
 * Whether outputs show the tenant before the forests: several forests, or anything the tenant checks said.
 * One forest and nothing tenant-wide reads exactly as one forest always has.
 */
export function showsTenant(report: Report): boolean {
  return report.forests.length > 1 || report.tenant.findings.length > 0 || report.tenant.checks.some((c) => c.status === 'not-evaluated');
}

/** Said where tenant-wide findings would be when no tenant check ran: no finding there means nothing, not "no problem". */
export const NO_TENANT_CHECK = 'No tenant-wide check ran: nothing was compared across forests';

/** What the reports are about, as a title says it: the forest's name, or "2 forests (a, b)". */
export function tenantTitle(report: Report): string {
  if (report.forests.length === 1) return report.forests[0]?.name ?? '';
  return `${report.forests.length} forests (${report.forests.map((f) => f.name).join(', ')})`;
}

function sum(forests: readonly ForestReport[], value: (f: ForestReport) => number): number {
  return forests.reduce((total, f) => total + value(f), 0);
}
