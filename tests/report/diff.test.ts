import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ObjectList } from '../../src/checks/support/object-list.js';
import { scan } from '../../src/checks/engine.js';
import { dnKey } from '../../src/model/dn.js';
import { diffReports, IncomparableReportsError, type ReportDiff } from '../../src/report/diff.js';
import type { Finding, ForestReport, ReportObject } from '../../src/report/schema.js';
import { diffJsonChunks, renderDiffMarkdown, renderDiffTable } from '../../src/reporters/diff.js';
import { LdifSource } from '../../src/sources/ldif/source.js';
import { D, hard, oneForest, PILOT_FOREST, report, scanPilotForest, warn } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'readiness-diff-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let blocked: ForestReport;
let base: ForestReport;
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
function withFindings(findings: Finding[]): ForestReport {
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

/** Two one-forest scans, as the CLI writes them. */
function diffForests(older: ForestReport, newer: ForestReport): ReportDiff {
  return diffReports(oneForest(older), oneForest(newer));
}

describe('readiness diff', () => {
  it('says which findings were fixed, which are new and which are still open, by fingerprint', () => {
    const older = withFindings([finding('a.check/x', [user(1, `CN=U1,OU=Sales,OU=Corp,${D}`)]), finding('b.check/y', [user(2, `CN=U2,OU=HR,OU=Corp,${D}`)])]);
    const newer = withFindings([finding('b.check/y', [user(2, `CN=U2,OU=HR,OU=Corp,${D}`)]), finding('c.check/z', [user(3, `CN=U3,OU=HR,OU=Corp,${D}`)])]);
    const diff = diffForests(older, newer);
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
    const [change] = diffForests(older, newer).findings;
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
    expect(diffForests(older, newer).summary).toMatchObject({ objectsFixed: 1, objectsNew: 1, objectsOpen: 3, objectsRelocated: 3 });
  });

  it('falls back to the DN when a report has no GUID, but never merges two GUIDs under one DN', () => {
    const dn = `CN=Ada,OU=Sales,OU=Corp,${D}`;
    const older = withFindings([finding('a.check/x', [{ dn }, user(7, `CN=Gone,OU=Sales,OU=Corp,${D}`)])]);
    const newer = withFindings([finding('a.check/x', [{ dn: dn.toUpperCase() }, user(8, `CN=Gone,OU=Sales,OU=Corp,${D}`)])]);
    const objects = diffForests(older, newer).findings[0]?.objects ?? [];
    expect(objects.map((o) => [o.dn, o.status])).toEqual([
      [dn.toUpperCase(), 'open'],
      [`CN=Gone,OU=Sales,OU=Corp,${D}`, 'new'],
      [`CN=Gone,OU=Sales,OU=Corp,${D}`, 'fixed'],
    ]);
  });

  it('puts verdict changes at the top: forest, domain and OU', () => {
    const diff = diffForests(blocked, base);
    expect(diff.verdictChanges).toEqual(
      expect.arrayContaining([
        { level: 'forest', forest: 'pilot.test', from: 'blocked', to: 'ready-with-warnings' },
        { level: 'domain', forest: 'pilot.test', dn: D, from: 'blocked', to: 'ready-with-warnings' },
        { level: 'container', forest: 'pilot.test', dn: `OU=Sales,OU=Corp,${D}`, from: 'blocked', to: 'ready' },
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
    const diff = diffForests(base, blocked);
    expect(diff.summary.newHardBlockers).toBe(1);
    const older = withFindings([finding('a.check/x', [user(1, `CN=U1,OU=HR,OU=Corp,${D}`)], { severity: 'blocker' })]);
    const sameObjects = withFindings([finding('a.check/x', [user(1, `CN=U1 renamed,OU=HR,OU=Corp,${D}`)], { severity: 'blocker' })]);
    const oneMore = withFindings([finding('a.check/x', [user(1, `CN=U1,OU=HR,OU=Corp,${D}`), user(2, `CN=U2,OU=HR,OU=Corp,${D}`)], { severity: 'blocker' })]);
    const coexistence = withFindings([finding('b.check/y', [user(2, `CN=U2,OU=HR,OU=Corp,${D}`)], { severity: 'blocker', coexistence: true })]);
    expect(diffForests(older, sameObjects).summary.newHardBlockers).toBe(0);
    expect(diffForests(older, oneMore).summary.newHardBlockers).toBe(1);
    expect(diffForests(older, coexistence).summary.newHardBlockers).toBe(0);
    expect(renderDiffTable(diffForests(older, oneMore), { color: false })).toContain('1 hard blocker(s) the older scan did not have.');
  });

  it('does not call a finding fixed when its check did not run in the newer scan', async () => {
    const withoutChecks = report(await scanPilotForest([]));
    const diff = diffForests(blocked, withoutChecks);
    expect(diff.findings.map((f) => f.status)).toEqual(['unknown', 'unknown']);
    expect(diff.findings[0]?.objects.every((o) => o.status === 'unknown')).toBe(true);
    expect(diff.summary.findingsFixed).toBe(0);
  });

  it('says when the newer scan is incomplete or judged for another target', () => {
    const incomplete: ForestReport = { ...base, complete: false, verdict: 'incomplete', target: 'migration-tool' };
    expect(diffForests(blocked, incomplete).notes).toEqual([
      expect.stringContaining('the newer scan is incomplete'),
      expect.stringContaining('different targets'),
    ]);
  });

  it('refuses reports of different forests: no forest name in common, and, without a root domain read, no domain in common', () => {
    const named = (r: ForestReport, name: string, rootDomain: string | undefined): ForestReport => ({
      ...r,
      name,
      inventory: { ...r.inventory, forest: { ...r.inventory.forest, name, rootDomain } },
    });
    const other = named(base, 'fabrikam.test', 'DC=fabrikam,DC=test');
    expect(() => diffForests(named(blocked, 'pilot.test', D), other)).toThrow(IncomparableReportsError);
    expect(() => diffForests(named(blocked, 'pilot.test', D), named(base, 'PILOT.test', D.toLowerCase()))).not.toThrow();
    expect(() => diffForests(named(blocked, 'pilot.test', D), other)).toThrow(/different forests \(pilot\.test and fabrikam\.test\)/);
    // The forest root was not read on one side: the name is a guess, so a domain in common makes them one forest.
    const moved = (r: ForestReport, dn: string): ForestReport => ({
      ...r,
      inventory: { ...r.inventory, domains: r.inventory.domains.map((d) => ({ ...d, dn })) },
    });
    expect(() => diffForests(named(blocked, 'pilot.test', undefined), moved(named(base, 'other.test', undefined), 'DC=fabrikam,DC=test'))).toThrow(
      /different forests/,
    );
    expect(() => diffForests(named(blocked, 'pilot.test', undefined), moved(named(base, 'other.test', undefined), D.toUpperCase()))).not.toThrow();
  });

  it('matches several forests by name: a forest in one report only is added or removed, tenant-wide findings are compared too', () => {
    const rooted = (r: ForestReport, name: string): ForestReport => ({
      ...r,
      name,
      inventory: { ...r.inventory, forest: { ...r.inventory.forest, name, rootDomain: `DC=${name.split('.')[0] ?? ''},DC=test` } },
    });
    const fabrikam = rooted({ ...base, findings: [] }, 'fabrikam.test');
    const tailspin = rooted(blocked, 'tailspin.test');
    const tenantFinding = (key: string): Finding =>
      finding(key, [user(9, `CN=U9,OU=HR,OU=Corp,${D}`, { forest: 'pilot.test' })], { scope: { kind: 'tenant' } });
    const older = oneForest(blocked);
    const twoForests = (forests: ForestReport[], findings: Finding[]): ReturnType<typeof oneForest> => ({
      ...older,
      verdict: 'blocked',
      forests,
      tenant: { checks: [{ id: 'a.check', title: 'a', severity: 'warning', category: 't', status: 'passed', sources: [] }], findings },
    });
    const diff = diffReports(twoForests([blocked, tailspin], [tenantFinding('a.check/x')]), twoForests([base, fabrikam], [tenantFinding('a.check/y')]));
    expect(diff.forests).toEqual([
      { name: 'pilot.test', status: 'compared' },
      { name: 'fabrikam.test', status: 'added' },
      { name: 'tailspin.test', status: 'removed' },
    ]);
    expect(diff.verdictChanges).toEqual(
      expect.arrayContaining([
        { level: 'forest', forest: 'fabrikam.test', from: 'absent', to: base.verdict },
        { level: 'forest', forest: 'tailspin.test', from: 'blocked', to: 'absent' },
      ]),
    );
    // Tenant-wide findings carry no forest; the removed forest's findings were not judged again, so none is fixed.
    expect(diff.findings.filter((f) => f.forest === undefined).map((f) => [f.key, f.status])).toEqual([
      ['a.check/y', 'new'],
      ['a.check/x', 'fixed'],
    ]);
    expect(diff.findings.filter((f) => f.forest === 'tailspin.test').every((f) => f.status === 'unknown')).toBe(true);
    expect(diff.notes).toEqual(expect.arrayContaining([expect.stringContaining('forest tailspin.test is only in the older report')]));
    const table = renderDiffTable(diff, { color: false });
    expect(table).toContain('Forests added: fabrikam.test; removed: tailspin.test.');
    expect(table).toContain('Verdict tailspin.test forest: blocked → absent');
    expect(renderDiffMarkdown(diff)).toContain('### new in the tenant: a.check/y');
  });

  it('matches objects as the plain in-memory rule does (by GUID, then by DN where one lacks it), whatever the lists hold', () => {
    const dnOf = fc.constantFrom('CN=A,OU=X', 'cn=a,ou=x', 'CN=A,OU=Y', 'CN=B,OU=X', 'CN=C,OU=Y').map((dn) => `${dn},${D}`);
    const object = fc.record({ dn: dnOf, guid: fc.option(fc.integer({ min: 1, max: 6 }), { nil: undefined }), value: fc.constantFrom('v1', 'v2') });
    const toRef = (o: { dn: string; guid: number | undefined; value: string }): ReportObject =>
      o.guid === undefined ? { dn: o.dn, value: o.value } : { dn: o.dn, guid: guid(o.guid).toUpperCase(), samAccountName: `u${o.guid}`, value: o.value };
    fc.assert(
      fc.property(fc.array(object, { maxLength: 12 }), fc.array(object, { maxLength: 12 }), (before, after) => {
        const older = withFindings([finding('a.check/x', before.map(toRef))]);
        const newer = withFindings([finding('a.check/x', after.map(toRef))]);
        const objects = diffForests(older, newer).findings[0]?.objects ?? [];
        expect([...objects]).toEqual(plainMatch(before.map(toRef), after.map(toRef)));
      }),
      { numRuns: 400 },
    );
  });

  it('compares objects read back off the heap (ObjectList, spilled to its temporary file) as it compares arrays, and writes the same JSON', () => {
    const many = (from: number, count: number, ou: string): ReportObject[] =>
      Array.from({ length: count }, (_, i) => user(from + i, `CN=User ${from + i},OU=${ou},OU=Corp,${D}`, { detail: 'UPN suffix corp.local' }));
    const offHeap = (objects: ReportObject[]): ReportObject[] => {
      const list = new ObjectList({ pagesInMemory: 1 });
      for (const o of objects) list.addRef(o);
      return list.view() as ReportObject[];
    };
    // 20,000 objects: several pages of records, so the older side is read back out of order from the file.
    const before = [...many(0, 12_000, 'Sales'), ...many(6_000, 6_000, 'Sales')];
    const after = [...many(4_000, 12_000, 'HR'), { dn: `CN=User 20000,OU=Sales,OU=Corp,${D}` }];
    const inMemory = diffForests(withFindings([finding('a.check/x', before)]), withFindings([finding('a.check/x', after)]));
    const readBack = diffForests(withFindings([finding('a.check/x', offHeap(before))]), withFindings([finding('a.check/x', offHeap(after))]));
    const json = [...diffJsonChunks(readBack)].join('');
    expect(json).toBe(`${JSON.stringify(inMemory, null, 2)}\n`);
    // A DN is a value someone typed: bidi overrides and C1 controls are escaped in the JSON, as in the report.
    const spoofed = `CN=Admin\u202e\u009bx,OU=Sales,OU=Corp,${D}`;
    const escaped = [...diffJsonChunks(diffForests(withFindings([]), withFindings([finding('a.check/x', [user(1, spoofed)])])))].join('');
    expect(escaped).toContain('CN=Admin\\u202e\\u009bx');
    expect((JSON.parse(escaped) as ReportDiff).findings[0]?.objects[0]?.dn).toBe(spoofed);
    expect(inMemory.summary).toMatchObject({ objectsFixed: 4_000, objectsNew: 4_001, objectsOpen: 8_000, objectsRelocated: 8_000 });
  });
});

/** The rule, written plainly over arrays in memory: what diffReports must give for any lists. */
function plainMatch(before: readonly ReportObject[], after: readonly ReportObject[]): object[] {
  const id = (o: ReportObject): string => (o.guid === undefined ? `dn:${dnKey(o.dn)}` : `guid:${o.guid.toLowerCase()}`);
  const distinct = (objects: readonly ReportObject[]): ReportObject[] => objects.filter((o, i) => objects.findIndex((p) => id(p) === id(o)) === i);
  const describe = (status: string, o: ReportObject, from?: ReportObject): object => {
    const base = {
      status,
      dn: o.dn,
      ...(o.guid === undefined ? {} : { guid: o.guid }),
      ...(o.samAccountName === undefined ? {} : { samAccountName: o.samAccountName }),
    };
    if (from === undefined || dnKey(from.dn) === dnKey(o.dn)) return base;
    const parent = (dn: string): string => dnKey(dn).split(',').slice(1).join(',');
    const leaf = (dn: string): string => dnKey(dn).split(',')[0] ?? '';
    const moved = parent(from.dn) !== parent(o.dn);
    const renamed = leaf(from.dn) !== leaf(o.dn);
    return { ...base, previousDn: from.dn, relocation: moved && renamed ? 'moved-and-renamed' : moved ? 'moved' : 'renamed' };
  };
  const olderLeft = distinct(before);
  const taken = new Set<ReportObject>();
  const changes: object[] = [];
  const later: ReportObject[] = [];
  for (const o of distinct(after)) {
    const match = o.guid === undefined ? undefined : olderLeft.find((p) => p.guid !== undefined && id(p) === id(o));
    if (match === undefined) later.push(o);
    else {
      taken.add(match);
      changes.push(describe('open', o, match));
    }
  }
  const lastByDn = new Map(olderLeft.filter((p) => !taken.has(p)).map((p) => [dnKey(p.dn), p]));
  for (const o of later) {
    const match = lastByDn.get(dnKey(o.dn));
    if (match !== undefined && (match.guid === undefined || o.guid === undefined)) {
      lastByDn.delete(dnKey(o.dn));
      taken.add(match);
      changes.push(describe('open', o, match));
    } else changes.push(describe('new', o));
  }
  for (const p of olderLeft) if (!taken.has(p)) changes.push(describe('fixed', p));
  return changes;
}
