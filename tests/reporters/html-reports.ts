import { readdirSync } from 'node:fs';
import path from 'node:path';
import type { Finding, ForestReport, Report } from '../../src/report/schema.js';
import { reportOf } from '../../scripts/sample-report.js';
import { buildTenantReport } from '../../src/report/tenant-report.js';

export { sampleReport } from '../../scripts/sample-report.js';

const FIXTURES = path.join(import.meta.dirname, '..', '..', 'fixtures');
export const HOSTILE_FOREST = path.join(FIXTURES, 'html', 'hostile-forest.ldif');

export const PAYLOADS = {
  script: '<script>window.__pwned=11</script>',
  closeScript: '</script><script>window.__pwned=12</script>',
  img: '<img src=x onerror=window.__pwned=13>',
  quotes: `"><svg onload=window.__pwned=14>' "`,
} as const;

/**
 * The hostile forest scanned with the real checks, plus one finding whose every object field carries a
 * payload (the rules fill only some fields for these objects).
 */
export async function hostileReport(): Promise<Report> {
  const report = await reportOf([HOSTILE_FOREST]);
  const finding: Finding = {
    id: 'test.hostile',
    key: 'test.hostile/finding',
    fingerprint: 'hostile0',
    severity: 'warning',
    title: `Title ${PAYLOADS.img}`,
    message: `Message ${PAYLOADS.closeScript}`,
    count: 1,
    objects: [
      {
        dn: `CN=${PAYLOADS.script},DC=evil,DC=test`,
        detail: PAYLOADS.img,
        guid: PAYLOADS.quotes,
        samAccountName: PAYLOADS.quotes,
        objectClass: 'user',
        attribute: 'displayName',
        value: PAYLOADS.closeScript,
      },
    ],
    scope: { kind: 'objects' },
    coexistence: false,
    inScope: true,
    remediation: `Remediation ${PAYLOADS.script}`,
    sources: [{ title: PAYLOADS.img, url: 'javascript:window.__pwned=15', date: '2026-01-01' }],
  };
  return withForest(report, (forest) => ({ ...forest, findings: [...forest.findings, finding] }));
}

/** The one-forest report with its forest changed. */
export function withForest(report: Report, change: (forest: ForestReport) => ForestReport): Report {
  return { ...report, forests: report.forests.map(change) };
}

/** A report with one finding of `count` objects, to see that large tables stay lazy. */
export function withLargeFinding(report: Report, count: number): Report {
  const objects = Array.from({ length: count }, (_, i) => ({
    dn: `CN=User ${String(i).padStart(6, '0')},OU=Bulk,DC=corp,DC=contoso,DC=test`,
    samAccountName: `user${i}`,
    attribute: 'proxyAddresses',
    value: i === count - 1 ? 'smtp:needle@contoso.test' : `smtp:user${i}@contoso.test`,
  }));
  const finding: Finding = {
    id: 'test.bulk',
    key: 'test.bulk/finding',
    fingerprint: 'bulk0000',
    severity: 'warning',
    title: 'Bulk finding',
    message: `${count} objects`,
    count,
    objects,
    scope: { kind: 'objects' },
    coexistence: false,
    inScope: true,
    remediation: 'fix them',
    sources: [],
  };
  return withForest(report, (forest) => ({ ...forest, findings: [finding, ...forest.findings] }));
}

/**
 * The sample forest and the pilot forest as one tenant, with a tenant-wide finding naming an object of each:
 * a page of several forests, whose ids and object tables must not collide.
 */
export async function twoForestReport(): Promise<Report> {
  const sample = await reportOf(readdirLdf(path.join(FIXTURES, 'sample', 'ldifde')));
  const pilot = await reportOf([path.join(FIXTURES, 'report', 'pilot-forest.ldif')]);
  const forests = [...sample.forests, ...pilot.forests];
  const tenantFinding: Finding = {
    id: 'tenant.test',
    key: 'tenant.test/same-mail',
    fingerprint: 'tenant00',
    severity: 'warning',
    title: 'The same mail address in two forests',
    message: 'one tenant cannot hold both',
    count: 2,
    objects: [
      { dn: 'CN=Ada,OU=Staff,DC=corp,DC=contoso,DC=test', forest: 'corp.contoso.test', attribute: 'mail', value: 'ada@contoso.com' },
      { dn: 'CN=Ada,OU=Corp,DC=pilot,DC=test', forest: 'pilot.test', attribute: 'mail', value: 'ada@contoso.com' },
    ],
    scope: { kind: 'tenant' },
    coexistence: false,
    inScope: true,
    remediation: 'give one of them another address',
    sources: [],
  };
  return buildTenantReport(
    forests,
    { checks: [], findings: [tenantFinding] },
    { toolVersion: 'test', target: 'cloud-sync', allowPreview: false, now: new Date(0) },
  );
}

function readdirLdf(folder: string): string[] {
  return readdirSync(folder)
    .filter((f) => f.endsWith('.ldf'))
    .sort()
    .map((f) => path.join(folder, f));
}
