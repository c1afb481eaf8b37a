import type { ScanResult } from '../checks/engine.js';
import type { Severity } from '../checks/check.js';
import { addCounts, emptyCounts, type ObjectCounts } from '../inventory/inventory.js';
import { dnKey, isAtOrBelow, parentKey } from '../model/dn.js';
import { type ContainerVerdict, type Finding, REPORT_SCHEMA_VERSION, type Report, type Verdict } from './schema.js';

export interface ReportContext {
  toolVersion: string;
  target: string;
  now: Date;
}

const MAX_REASONS_LISTED = 20;

export function buildReport(result: ScanResult, context: ReportContext): Report {
  const findings = collectFindings(result);
  const incompleteReasons = incompleteness(result);
  const unreadSubtrees = result.problems.filter((p) => p.severity === 'error' && p.affectsDn !== undefined).map((p) => dnKey(p.affectsDn as string));
  const forestWideGap = incompleteReasons.length > 0 && !allGapsAreLocal(result);
  const { inventory } = result;

  const containers = containerVerdicts(result, findings, unreadSubtrees, forestWideGap);
  const domainVerdicts = inventory.domains.map((d) => {
    const node = containers.find((c) => dnKey(c.dn) === d.key);
    return { dn: d.dn, verdict: node?.verdict ?? verdictOf(!d.partitionRead || forestWideGap || hasGap(d.key, unreadSubtrees), tally(findings, (f) => appliesToDomain(f, d.key))) };
  });

  const bySeverity = (s: Severity): number => findings.filter((f) => f.severity === s).length;
  const statuses = result.outcomes.map((o) => o.result.status);
  return {
    schemaVersion: REPORT_SCHEMA_VERSION,
    tool: { name: 'readiness', version: context.toolVersion },
    generatedAt: context.now.toISOString(),
    target: context.target,
    inputs: result.inputs,
    complete: incompleteReasons.length === 0,
    incompleteReasons,
    verdict: verdictOf(incompleteReasons.length > 0, { blockers: bySeverity('blocker'), warnings: bySeverity('warning') }),
    summary: {
      blockers: bySeverity('blocker'),
      warnings: bySeverity('warning'),
      info: bySeverity('info'),
      checksPassed: statuses.filter((s) => s === 'passed').length,
      checksFailed: statuses.filter((s) => s === 'failed').length,
      checksNotEvaluated: statuses.filter((s) => s === 'not-evaluated').length,
      checksDisabled: statuses.filter((s) => s === 'disabled').length,
    },
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
      forest: verdictOf(incompleteReasons.length > 0, { blockers: bySeverity('blocker'), warnings: bySeverity('warning') }),
      domains: domainVerdicts,
      containers,
    },
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

function collectFindings(result: ScanResult): Finding[] {
  const findings: Finding[] = [];
  for (const { meta, result: r } of result.outcomes) {
    if (r.status !== 'failed') continue;
    for (const f of r.findings) {
      const objects = f.objects ?? [];
      findings.push({
        id: meta.id,
        severity: f.severity ?? meta.severity,
        title: f.title ?? meta.title,
        message: f.message,
        count: f.count ?? objects.length,
        objects: objects.map((o) => (o.detail === undefined ? { dn: o.dn } : { dn: o.dn, detail: o.detail })),
        scope: f.scope ?? (objects.length > 0 ? { kind: 'objects' } : { kind: 'forest' }),
        remediation: meta.remediation,
        sources: meta.sources,
      });
    }
  }
  const rank: Record<Severity, number> = { blocker: 0, warning: 1, info: 2 };
  return findings.sort((a, b) => rank[a.severity] - rank[b.severity] || a.id.localeCompare(b.id));
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

function hasGap(key: string, unreadSubtrees: readonly string[]): boolean {
  // A gap inside this subtree, or one that covers it from above.
  return unreadSubtrees.some((gap) => isAtOrBelow(gap, key) || isAtOrBelow(key, gap));
}

interface Tally {
  blockers: number;
  warnings: number;
}

function tally(findings: readonly Finding[], applies: (f: Finding) => boolean): Tally {
  const t = { blockers: 0, warnings: 0 };
  for (const f of findings) {
    if (!applies(f)) continue;
    if (f.severity === 'blocker') t.blockers++;
    else if (f.severity === 'warning') t.warnings++;
  }
  return t;
}

function verdictOf(incomplete: boolean, t: Tally): Verdict {
  if (incomplete) return 'incomplete';
  if (t.blockers > 0) return 'blocked';
  return t.warnings > 0 ? 'ready-with-warnings' : 'ready';
}

function appliesToDomain(f: Finding, domainKey: string): boolean {
  if (f.scope.kind === 'forest') return true;
  if (f.scope.kind === 'domain') return dnKey(f.scope.dn) === domainKey;
  return f.objects.some((o) => isAtOrBelow(dnKey(o.dn), domainKey));
}

/**
 * Verdict per OU and container, for the subtree below it: Cloud Sync is scoped by OU, so a team can
 * pick a pilot from the subtrees that are ready.
 */
function containerVerdicts(result: ScanResult, findings: readonly Finding[], unreadSubtrees: readonly string[], forestWideGap: boolean): ContainerVerdict[] {
  const { inventory } = result;
  const domainKeys = inventory.domains.map((d) => d.key);
  const inDomain = (key: string): string | undefined => domainKeys.filter((d) => isAtOrBelow(key, d)).sort((a, b) => b.length - a.length)[0];

  const subtree = new Map<string, ObjectCounts>();
  const perFinding = new Map<string, { blockers: Set<number>; warnings: Set<number> }>();
  for (const node of inventory.containers.values()) {
    if (inDomain(node.key) === undefined) continue;
    subtree.set(node.key, emptyCounts());
    perFinding.set(node.key, { blockers: new Set(), warnings: new Set() });
  }
  for (const node of inventory.containers.values()) {
    for (let key = node.key; key !== ''; key = parentKey(key)) {
      const counts = subtree.get(key);
      if (counts !== undefined) addCounts(counts, node.direct);
    }
  }

  findings.forEach((finding, index) => {
    if (finding.severity === 'info') return;
    const bucket = finding.severity === 'blocker' ? 'blockers' : 'warnings';
    const mark = (key: string): void => void perFinding.get(key)?.[bucket].add(index);
    if (finding.scope.kind === 'forest') {
      for (const key of perFinding.keys()) mark(key);
    } else if (finding.scope.kind === 'domain') {
      const domainKey = dnKey(finding.scope.dn);
      for (const key of perFinding.keys()) if (isAtOrBelow(key, domainKey)) mark(key);
    } else {
      for (const object of finding.objects) {
        for (let key = parentKey(dnKey(object.dn)); key !== ''; key = parentKey(key)) mark(key);
      }
    }
  });

  const verdicts: ContainerVerdict[] = [];
  for (const [key, counts] of subtree) {
    const node = inventory.containers.get(key);
    const marks = perFinding.get(key);
    if (node === undefined || marks === undefined) continue;
    const domain = inventory.domains.find((d) => d.key === inDomain(key));
    const incomplete = forestWideGap || hasGap(key, unreadSubtrees) || domain?.partitionRead !== true;
    verdicts.push({
      dn: node.dn,
      kind: node.kind,
      verdict: verdictOf(incomplete, { blockers: marks.blockers.size, warnings: marks.warnings.size }),
      counts,
      blockers: marks.blockers.size,
      warnings: marks.warnings.size,
    });
  }
  return verdicts.sort((a, b) => treeOrder(a.dn).localeCompare(treeOrder(b.dn)));
}

/** Sorts parents before their children and siblings alphabetically. */
function treeOrder(dn: string): string {
  return dnKey(dn).split(',').reverse().join('\u0001');
}
