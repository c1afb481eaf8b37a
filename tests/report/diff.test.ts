import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scan } from '../../src/checks/engine.js';
import { diffReports, IncomparableReportsError } from '../../src/report/diff.js';
import type { Finding, Report, ReportObject } from '../../src/report/schema.js';
import { renderDiffMarkdown, renderDiffTable } from '../../src/reporters/diff.js';
import { LdifSource } from '../../src/sources/ldif/source.js';
import { D, hard, PILOT_FOREST, report, scanPilotForest, warn } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'readiness-diff-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let blocked: Report;
let base: Report;
beforeAll(async () => {
  blocked = report(await scanPilotForest([hard, warn]));
  // The same forest after the team fixed the "hard" object.
  const fixedForest = join(dir, 'fixed.ldif');
  writeFileSync(fixedForest, readFileSync(PILOT_FOREST, 'utf8').replace('description: hard', 'description: fixed'));
  base = report(await scan([new LdifSource(fixedForest)], { checks: [hard, warn], target: 'cloud-sync' }));
});

const guid = (i: number): string => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;
const user = (i: number, dn: string, extra: Partial<ReportObject> = {}): ReportObject => ({
  dn,
  guid: guid(i),
  samAccountName: `u${i}`,
  objectClass: 'user',
  ...extra,
});

function finding(key: string, objects: ReportObject[], extra: Partial<Finding> = {}): Finding {
  return {
    id: key.split('/')[0] as string,
    key,
    fingerprint: `fp:${key}`,
    severity: 'warning',
    title: key,
    message: 'm',
    count: Math.max(1, objects.length),
    objects,
    scope: { kind: 'objects' },
    coexistence: false,
    inScope: true,
    remediation: 'r',
    sources: [],
    ...extra,
  };
}

const TEST_CHECKS = ['a.check', 'b.check', 'c.check', 'hygiene.upn-format'];

/** The fixed-forest report with other findings, and the test checks marked as run. */
function withFindings(findings: Finding[]): Report {
  const failed = new Set(findings.map((f) => f.id));
  const checks = TEST_CHECKS.map((id) => ({
    id,
    title: id,
    severity: 'warning' as const,
    category: 'hygiene',
    status: failed.has(id) ? ('failed' as const) : ('passed' as const),
    sources: [],
  }));
  return { ...base, checks: [...base.checks, ...checks], findings };
}

describe('readiness diff', () => {
  it('says which findings were fixed, which are new and which are still open, by fingerprint', () => {
    const older = withFindings([finding('a.check/x', [user(1, `CN=U1,OU=Sales,OU=Corp,${D}`)]), finding('b.check/y', [user(2, `CN=U2,OU=HR,OU=Corp,${D}`)])]);
    const newer = withFindings([finding('b.check/y', [user(2, `CN=U2,OU=HR,OU=Corp,${D}`)]), finding('c.check/z', [user(3, `CN=U3,OU=HR,OU=Corp,${D}`)])]);
    const diff = diffReports(older, newer);
    expect(diff.findings.map((f) => [f.key, f.status])).toEqual([
      ['b.check/y', 'open'],
      ['c.check/z', 'new'],
      ['a.check/x', 'fixed'],
    ]);
    expect(diff.summary).toMatchObject({
      findingsFixed: 1,
      findingsNew: 1,
      findingsOpen: 1,
      objectsFixed: 1,
      objectsNew: 1,
      objectsOpen: 1,
      newHardBlockers: 0,
    });
  });

  it('follows objects by objectGUID: a renamed or moved object is still open, not fixed plus new', () => {
    const older = withFindings([
      finding('hygiene.upn-format/invalid-character', [
        user(1, `CN=Ada,OU=Sales,OU=Corp,${D}`, { attribute: 'userPrincipalName', value: 'a da@pilot.test' }),
        user(2, `CN=Bob,OU=Sales,OU=Corp,${D}`),
        user(3, `CN=Cy,OU=Sales,OU=Corp,${D}`),
        user(4, `CN=Di,OU=Sales,OU=Corp,${D}`),
      ]),
    ]);
    const newer = withFindings([
      finding('hygiene.upn-format/invalid-character', [
        user(1, `CN=Ada Lovelace,OU=Sales,OU=Corp,${D}`, { attribute: 'userPrincipalName', value: 'a da@pilot.test' }),
        // A second bad value of the same object is the same object.
        user(1, `CN=Ada Lovelace,OU=Sales,OU=Corp,${D}`, { attribute: 'mail', value: 'a da@pilot.test' }),
        user(2, `CN=Bob,OU=HR,OU=Corp,${D}`),
        user(3, `CN=Cyrus,OU=HR,OU=Corp,${D}`),
        user(5, `CN=Eve,OU=Sales,OU=Corp,${D}`),
      ]),
    ]);
    const [change] = diffReports(older, newer).findings;
    expect(change?.status).toBe('open');
    const byGuid = new Map((change?.objects ?? []).map((o) => [o.samAccountName, o]));
    expect(byGuid.get('u1')).toMatchObject({
      status: 'open',
      relocation: 'renamed',
      previousDn: `CN=Ada,OU=Sales,OU=Corp,${D}`,
      dn: `CN=Ada Lovelace,OU=Sales,OU=Corp,${D}`,
    });
    expect(byGuid.get('u2')).toMatchObject({ status: 'open', relocation: 'moved' });
    expect(byGuid.get('u3')).toMatchObject({ status: 'open', relocation: 'moved-and-renamed' });
    expect(byGuid.get('u4')).toMatchObject({ status: 'fixed', dn: `CN=Di,OU=Sales,OU=Corp,${D}` });
    expect(byGuid.get('u5')).toMatchObject({ status: 'new' });
    expect(change?.objects).toHaveLength(5);
    expect(diffReports(older, newer).summary).toMatchObject({ objectsFixed: 1, objectsNew: 1, objectsOpen: 3, objectsRelocated: 3 });
  });

  it('falls back to the DN when a report has no GUID, but never merges two GUIDs under one DN', () => {
    const dn = `CN=Ada,OU=Sales,OU=Corp,${D}`;
    const older = withFindings([finding('a.check/x', [{ dn }, user(7, `CN=Gone,OU=Sales,OU=Corp,${D}`)])]);
    const newer = withFindings([finding('a.check/x', [{ dn: dn.toUpperCase() }, user(8, `CN=Gone,OU=Sales,OU=Corp,${D}`)])]);
    const objects = diffReports(older, newer).findings[0]?.objects ?? [];
    expect(objects.map((o) => [o.dn, o.status])).toEqual([
      [dn.toUpperCase(), 'open'],
      [`CN=Gone,OU=Sales,OU=Corp,${D}`, 'new'],
      [`CN=Gone,OU=Sales,OU=Corp,${D}`, 'fixed'],
    ]);
  });

  it('puts verdict changes at the top: forest, domain and OU', () => {
    const diff = diffReports(blocked, base);
    expect(diff.verdictChanges).toEqual(
      expect.arrayContaining([
        { level: 'forest', from: 'blocked', to: 'ready-with-warnings' },
        { level: 'domain', dn: D, from: 'blocked', to: 'ready-with-warnings' },
        { level: 'container', dn: `OU=Sales,OU=Corp,${D}`, from: 'blocked', to: 'ready' },
      ]),
    );
    expect(diff.verdictChanges.some((c) => c.dn === `OU=Engineering,OU=Corp,${D}`)).toBe(false);
    expect(diff.findings.find((f) => f.id === 'test.hard')).toMatchObject({ status: 'fixed', hardBlocker: true });
    expect(diff.findings.find((f) => f.id === 'test.warn')?.status).toBe('open');
    const table = renderDiffTable(diff, { color: false });
    expect(table).toContain('Verdict forest: blocked → ready-with-warnings');
    expect(table).toContain(`Verdict OU OU=Sales,OU=Corp,${D}: blocked → ready`);
    // The warning that did not change is one line, not a row of its own.
    expect(table).toContain('1 finding(s) still open and unchanged: test.warn/');
    expect(table).not.toMatch(/still open +│ warning/);
    expect(renderDiffMarkdown(diff)).toContain('# Remediation progress: blocked → ready-with-warnings');
  });

  it('counts a hard blocker the older scan did not have, whether a new finding or a new object in an open one', () => {
    const diff = diffReports(base, blocked);
    expect(diff.summary.newHardBlockers).toBe(1);
    const older = withFindings([finding('a.check/x', [user(1, `CN=U1,OU=HR,OU=Corp,${D}`)], { severity: 'blocker' })]);
    const sameObjects = withFindings([finding('a.check/x', [user(1, `CN=U1 renamed,OU=HR,OU=Corp,${D}`)], { severity: 'blocker' })]);
    const oneMore = withFindings([finding('a.check/x', [user(1, `CN=U1,OU=HR,OU=Corp,${D}`), user(2, `CN=U2,OU=HR,OU=Corp,${D}`)], { severity: 'blocker' })]);
    const coexistence = withFindings([finding('b.check/y', [user(2, `CN=U2,OU=HR,OU=Corp,${D}`)], { severity: 'blocker', coexistence: true })]);
    expect(diffReports(older, sameObjects).summary.newHardBlockers).toBe(0);
    expect(diffReports(older, oneMore).summary.newHardBlockers).toBe(1);
    expect(diffReports(older, coexistence).summary.newHardBlockers).toBe(0);
    expect(renderDiffTable(diffReports(older, oneMore), { color: false })).toContain('1 hard blocker(s) the older scan did not have.');
  });

  it('does not call a finding fixed when its check did not run in the newer scan', async () => {
    const withoutChecks = report(await scanPilotForest([]));
    const diff = diffReports(blocked, withoutChecks);
    expect(diff.findings.map((f) => f.status)).toEqual(['unknown', 'unknown']);
    expect(diff.findings[0]?.objects.every((o) => o.status === 'unknown')).toBe(true);
    expect(diff.summary.findingsFixed).toBe(0);
  });

  it('says when the newer scan is incomplete or judged for another target', () => {
    const incomplete: Report = { ...base, complete: false, verdict: 'incomplete', target: 'migration-tool' };
    expect(diffReports(blocked, incomplete).notes).toEqual([
      expect.stringContaining('the newer scan is incomplete'),
      expect.stringContaining('different targets'),
    ]);
  });

  it('refuses reports of different forests', () => {
    const rooted = (r: Report, rootDomain: string): Report => ({ ...r, inventory: { ...r.inventory, forest: { ...r.inventory.forest, rootDomain } } });
    const other = rooted(base, 'DC=fabrikam,DC=test');
    expect(() => diffReports(rooted(blocked, D), other)).toThrow(IncomparableReportsError);
    expect(() => diffReports(rooted(blocked, D), rooted(base, D.toLowerCase()))).not.toThrow();
    expect(() => diffReports(rooted(blocked, D), other)).toThrow(/different forests \(DC=pilot,DC=test and DC=fabrikam,DC=test\)/);
    const noRoot = (r: Report, dn: string): Report => ({
      ...r,
      inventory: { ...r.inventory, forest: { ...r.inventory.forest, rootDomain: undefined }, domains: r.inventory.domains.map((d) => ({ ...d, dn })) },
    });
    expect(() => diffReports(noRoot(blocked, D), noRoot(base, 'DC=fabrikam,DC=test'))).toThrow(/share no domain/);
    expect(() => diffReports(noRoot(blocked, D), noRoot(base, D.toUpperCase()))).not.toThrow();
  });
});
