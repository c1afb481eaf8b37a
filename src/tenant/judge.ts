import { compareText } from '../model/order.js';
import { createHash } from 'node:crypto';
import { checkFailedReason } from '../checks/engine.js';
import { SEVERITY_ORDER, type Severity, type SourceRef, type Target } from '../checks/check.js';
import { sortedObjects } from '../checks/support/object-list.js';
import { compareValues } from './cross-forest.js';
import type { TenantDigest } from './digest.js';
import { TENANT_RULES } from './registry.js';
import type { Tenant, TenantFindingInput, TenantObjectRef, TenantRule, TenantRuleResult } from './rule.js';

/** A tenant rule's status, in the shape of a report's `checks` item. */
export interface TenantCheckStatus {
  id: string;
  title: string;
  severity: Severity;
  category: string;
  status: 'passed' | 'failed' | 'not-evaluated' | 'disabled';
  reason?: string;
  note?: string;
  sources: SourceRef[];
}

/** A tenant finding, in the shape of a report's `findings` item with scope { kind: 'tenant' }. */
export interface TenantFinding {
  id: string;
  key: string;
  fingerprint: string;
  severity: Severity;
  title: string;
  message: string;
  count: number;
  countOf?: string;
  objects: TenantObjectRef[];
  scope: { kind: 'tenant' };
  coexistence: boolean;
  inScope: boolean;
  remediation: string;
  sources: SourceRef[];
}

export interface TenantOutcome {
  checks: TenantCheckStatus[];
  findings: TenantFinding[];
}

export interface TenantOptions {
  target: Target;
  /** Rule ids, tags or categories switched off (the config file's `disabled`, as for checks). */
  disabled?: ReadonlySet<string>;
  rules?: readonly TenantRule[];
}

/** Judges the forests together: every tenant rule over every forest's digest. */
export function judgeTenant(forests: readonly TenantDigest[], options: TenantOptions): TenantOutcome {
  // By name, like the report's forests: what the rules say must not depend on the order the forests were read in.
  const digests = [...forests].sort((a, b) => compareText(a.forest, b.forest));
  const tenant: Tenant = { digests, target: options.target, comparison: compareValues(digests) };
  const disabled = options.disabled ?? new Set<string>();
  const unread = digests.length > 1 ? unreadObjects(digests) : undefined;
  const checks: TenantCheckStatus[] = [];
  const findings: TenantFinding[] = [];
  for (const rule of [...(options.rules ?? TENANT_RULES)].sort((a, b) => compareText(a.meta.id, b.meta.id))) {
    const { meta } = rule;
    const status = { id: meta.id, title: meta.title, severity: meta.severity, category: meta.category, sources: meta.sources };
    if ([meta.id, meta.category, ...(meta.tags ?? [])].some((name) => disabled.has(name))) {
      checks.push({ ...status, status: 'disabled' });
      continue;
    }
    const result = judged(rule, tenant);
    const raised = (result.status === 'passed' ? [] : result.status === 'failed' ? result.findings : (result.findings ?? [])).map((f) => resolved(rule, f));
    findings.push(...raised);
    if (result.status === 'not-evaluated') checks.push({ ...status, status: 'not-evaluated', reason: result.reason });
    else if (raised.some((f) => f.severity !== 'info')) checks.push({ ...status, status: 'failed' });
    else if (meta.readsObjects && unread !== undefined) checks.push({ ...status, status: 'not-evaluated', reason: unread });
    else checks.push({ ...status, status: 'passed', ...(result.status === 'passed' && result.note !== undefined ? { note: result.note } : {}) });
  }
  return { checks, findings: findings.sort(compareFindings) };
}

/** A bug in one rule must not hide the others, and must not pass for "no finding". */
function judged(rule: TenantRule, tenant: Tenant): TenantRuleResult {
  try {
    return rule.judge(tenant);
  } catch (error) {
    return { status: 'not-evaluated', reason: checkFailedReason(error) };
  }
}

/** Domains some forest did not read: a rule that found nothing cannot say there is nothing. */
function unreadObjects(digests: readonly TenantDigest[]): string | undefined {
  const gaps = digests.flatMap((d) => {
    if (!d.domains.some((domain) => domain.partitionRead)) return [`no domain partition of ${d.forest} was read`];
    const missing = d.domains.filter((domain) => !domain.partitionRead).map((domain) => domain.dnsName);
    return missing.length === 0 ? [] : [`${missing.join(', ')} (${d.forest}) not read`];
  });
  return gaps.length === 0 ? undefined : `${gaps.join('; ')}: the forests' objects were not all read`;
}

function resolved(rule: TenantRule, finding: TenantFindingInput): TenantFinding {
  const { meta } = rule;
  const kind = meta.kinds[finding.kind];
  if (kind === undefined) throw new Error(`tenant rule ${meta.id} raised a finding of kind "${finding.kind}", which its metadata does not declare`);
  const key = `${meta.id}/${finding.kind}`;
  const objects = finding.objects ?? [];
  return {
    id: meta.id,
    key,
    fingerprint: createHash('sha256')
      .update([key, 'tenant', finding.about ?? ''].join('\u0000'))
      .digest('hex')
      .slice(0, 16),
    severity: finding.severity ?? kind.severity ?? meta.severity,
    title: finding.title ?? kind.title ?? meta.title,
    message: finding.message,
    count: finding.tally?.count ?? Math.max(objects.length, 1),
    ...(finding.tally === undefined ? {} : { countOf: finding.tally.of }),
    objects: sortedObjects(objects),
    scope: { kind: 'tenant' },
    coexistence: false,
    inScope: true,
    remediation: kind.remediation ?? meta.remediation,
    sources: meta.sources,
  };
}

function compareFindings(a: TenantFinding, b: TenantFinding): number {
  return SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] || compareText(a.key, b.key) || compareText(a.fingerprint, b.fingerprint);
}
