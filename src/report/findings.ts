import { createHash } from 'node:crypto';
import type { ScanResult } from '../checks/engine.js';
import { SEVERITY_ORDER, type Target } from '../checks/check.js';
import { ObjectList, sortedObjects } from '../checks/support/object-list.js';
import { dnKey, dnToDnsName } from '../model/dn.js';
import { compareText } from '../model/order.js';
import type { Finding } from './schema.js';
import type { JudgementScope } from './scope.js';
import { type DomainLocator, reachOf } from './verdicts.js';

/**
 * The findings of the checks that failed, each with its identity (key and fingerprint), in an order that
 * depends on what was found, never on the order it was read in.
 *
 * Under --target migration-tool nothing can stay on Connect Sync side by side: the guided tool refuses
 * to run while Connect handles a workload it cannot migrate (device sync, say), so every blocker is hard.
 */
export function identifyFindings(result: ScanResult, target: Target, scope: JudgementScope, domains: DomainLocator): Finding[] {
  const findings: Finding[] = [];
  for (const { meta, result: r } of result.outcomes) {
    // A check that found only information passes, with its findings; one not evaluated (evidence needed to
    // pass was not read) still reports what it did find.
    if (r.status === 'disabled') continue;
    for (const f of r.findings) {
      const finding: Finding = {
        id: meta.id,
        key: `${meta.id}/${f.kind}`,
        fingerprint: '',
        severity: f.severity,
        title: titleNamingDomain(f.title, f.scope, domains),
        message: f.message,
        count: f.count,
        ...(f.countOf === undefined ? {} : { countOf: f.countOf }),
        // The check's own objects, not copies: a finding can list every object of a forest.
        objects: sortedObjects(f.objects),
        scope: f.scope,
        coexistence: f.coexistence && target !== 'migration-tool',
        inScope: true,
        remediation: f.remediation,
        sources: meta.sources,
      };
      // A finding about the forest (its objects outside every domain, say in the configuration partition) always counts.
      finding.inScope = reachOf(finding, domains).kind === 'forest' || scope.covers(finding);
      findings.push(finding);
    }
  }
  findings.sort(compareFindings);
  assignFingerprints(findings, domains);
  return findings;
}

/** A domain-wide finding names its domain in the title, so two domains' findings of one kind read apart. */
function titleNamingDomain(title: string, scope: Finding['scope'], domains: DomainLocator): string {
  if (scope.kind !== 'domain') return title;
  const name = domains.dnsNameOf(dnKey(scope.dn)) ?? dnToDnsName(scope.dn);
  return title.toLowerCase().includes(name.toLowerCase()) ? title : `${title} (${name})`;
}

const SCOPE_ORDER: Record<Finding['scope']['kind'], number> = { tenant: 0, forest: 0, domain: 1, objects: 2 };

/** Severity (hard blockers before coexistence ones), key, scope, first object; then the words, for findings alike in all of that. */
function compareFindings(a: Finding, b: Finding): number {
  return (
    SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] ||
    Number(a.coexistence) - Number(b.coexistence) ||
    compareText(a.key, b.key) ||
    SCOPE_ORDER[a.scope.kind] - SCOPE_ORDER[b.scope.kind] ||
    compareText(scopeDnKey(a), scopeDnKey(b)) ||
    compareText(firstObjectKey(a), firstObjectKey(b)) ||
    compareText(a.title, b.title) ||
    compareText(a.message, b.message)
  );
}

function scopeDnKey(f: Finding): string {
  return f.scope.kind === 'domain' ? dnKey(f.scope.dn) : '';
}

function firstObjectKey(f: Finding): string {
  for (const key of ObjectList.keysOf(f.objects)) return key;
  return '';
}

/**
 * Fingerprint = hash of key, scope and the domains it is in: what a ticket system deduplicates on, so it
 * must not change with counts or wording. Where one check raises several findings of one kind in the same
 * place, the first of title, first object and position (in the sorted list) that tells them apart is added,
 * so two findings of one report never share a fingerprint.
 */
function assignFingerprints(findings: Finding[], domains: DomainLocator): void {
  const byBase = new Map<string, Finding[]>();
  for (const f of findings) {
    const base = [f.key, f.scope.kind, scopeDnKey(f), domainsOf(f, domains)].join('\u0000');
    const group = byBase.get(base) ?? [];
    group.push(f);
    byBase.set(base, group);
  }
  const discriminators: ((f: Finding, position: number) => string)[] = [
    (f) => f.title,
    (f) => `${f.title}\u0000${firstObjectKey(f)}`,
    (_f, position) => String(position),
  ];
  for (const [base, group] of byBase) {
    if (group.length === 1) {
      (group[0] as Finding).fingerprint = hash(base);
      continue;
    }
    const tellApart = discriminators.find((d) => new Set(group.map(d)).size === group.length) as (f: Finding, position: number) => string;
    group.forEach((f, position) => (f.fingerprint = hash(`${base}\u0000${tellApart(f, position)}`)));
  }
}

/** The DNS names of the domains an object finding's objects are in, sorted; empty for forest and domain scopes. */
function domainsOf(f: Finding, domains: DomainLocator): string {
  if (f.scope.kind !== 'objects') return '';
  const names = new Set<string>();
  for (const key of ObjectList.keysOf(f.objects)) names.add(domains.dnsNameOf(key) ?? '(no domain)');
  return [...names].sort(compareText).join(',');
}

function hash(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 16);
}
