import { describe, expect, it } from 'vitest';
import { renderMarkdown } from '../../src/reporters/markdown.js';
import { scan } from '../../src/checks/engine.js';
import { LdifSource } from '../../src/sources/ldif/source.js';
import {
  coexist,
  D,
  domainRecord,
  hard,
  ldifText,
  markerCheck,
  ouRecord,
  PILOT_FOREST,
  raising,
  report,
  scanPilotForest,
  userRecord,
  warn,
  oneForest,
} from './helpers.js';

const noKdsKey = raising('test.no-kds-key', [{ kind: 'missing', title: 'No KDS root key', message: 'no key', scope: { kind: 'forest' } }], 'blocker');

describe('pilot plan', () => {
  it('offers the largest clean subtrees beside the blocked OU, in waves: one pilot OU to paste, the rest later, privileged OUs last', async () => {
    const { pilotPlan: plan } = report(await scanPilotForest([hard, coexist, warn]));
    expect(plan.status).toBe('ready');
    // HR: clean, no warning. Engineering: a warning. Laptops: its computer stays with Connect Sync. Admins: a protected account.
    // Sales and Corp are blocked; Payroll is inside HR; CN=Users is no OU; OU=Empty holds nothing.
    expect(plan.candidates.map((c) => [c.rank, c.dn, c.syncedObjects, c.connectKeeps, c.wave])).toEqual([
      [1, `OU=HR,OU=Corp,${D}`, 5, [], 1],
      [2, `OU=Engineering,OU=Corp,${D}`, 8, [], 2],
      [3, `OU=Laptops,OU=Corp,${D}`, 1, ['test.coexist/marked'], 2],
      [4, `OU=Admins,${D}`, 1, [], 3],
    ]);
    expect(plan.candidates.every((c) => c.hardBlockers === 0)).toBe(true);
    expect(plan.candidates[3]?.why).toContain('1 privileged account');
    // The paste block is the first wave only; later waves are listed apart.
    expect(plan.cloudSync).toEqual([{ domain: 'pilot.test', ous: [`OU=HR,OU=Corp,${D}`], syncedObjects: 5 }]);
    expect(plan.laterWaves).toEqual([
      {
        wave: 2,
        title: 'ordinary OUs after the pilot',
        cloudSync: [{ domain: 'pilot.test', ous: [`OU=Engineering,OU=Corp,${D}`, `OU=Laptops,OU=Corp,${D}`], syncedObjects: 9 }],
      },
      { wave: 3, title: 'OUs holding privileged accounts, last', cloudSync: [{ domain: 'pilot.test', ous: [`OU=Admins,${D}`], syncedObjects: 1 }] },
    ]);
    expect(plan.connectSync.method).toBe('cloudNoFlow-rules');
    expect(plan.connectSync.scopingFilters).toEqual([
      { objectTypes: ['user', 'group', 'contact'], attribute: 'dn', operator: 'ENDSWITH', value: `OU=HR,OU=Corp,${D}` },
    ]);
    expect(plan.connectKeeps).toEqual([{ key: 'test.coexist/marked', title: 'test.coexist', count: 1 }]);
    expect(plan.limits).toEqual({ ousPerConfiguration: 50 });
  });

  it('a clean subtree holding privileged accounts is split: its ordinary sub-OUs move first, the subtree with the admins last', async () => {
    const forest =
      domainRecord(D) +
      ouRecord(`OU=Corp,${D}`) +
      ouRecord(`OU=Staff,OU=Corp,${D}`) +
      ouRecord(`OU=Admins,OU=Corp,${D}`) +
      userRecord(`CN=Ann,OU=Staff,OU=Corp,${D}`) +
      userRecord(`CN=Bob,OU=Staff,OU=Corp,${D}`) +
      userRecord(`CN=Root,OU=Admins,OU=Corp,${D}`, 'adminCount: 1') +
      userRecord(`CN=Kiosk,OU=Corp,${D}`);
    const { pilotPlan: plan } = report(await scan([ldifText(forest)], { checks: [warn] }));
    expect(plan.candidates.map((c) => [c.dn, c.wave, c.syncedObjects])).toEqual([
      [`OU=Staff,OU=Corp,${D}`, 1, 2],
      [`OU=Corp,${D}`, 3, 2],
    ]);
    expect(plan.cloudSync[0]?.ous).toEqual([`OU=Staff,OU=Corp,${D}`]);
  });

  it('a coexistence warning (not only a blocker) says what Connect keeps for the OU', async () => {
    const keptWarning = markerCheck('test.kept', 'coexist', { severity: 'warning', coexistence: true });
    const { pilotPlan: plan } = report(await scanPilotForest([keptWarning]));
    // Nothing blocks OU=Corp now, so it is the candidate that holds the Laptops OU.
    expect(plan.candidates.find((c) => c.dn === `OU=Corp,${D}`)?.connectKeeps).toEqual(['test.kept/marked']);
    expect(plan.connectKeeps).toEqual([{ key: 'test.kept/marked', title: 'test.kept', count: 1 }]);
  });

  it('a forest-wide hard blocker is a prerequisite listed once at the top, not a reason to drop every OU', async () => {
    const r = report(await scanPilotForest([noKdsKey, hard]));
    const plan = r.pilotPlan;
    expect(r.verdict).toBe('blocked');
    expect(plan.status).toBe('after-prerequisites');
    expect(plan.prerequisites).toEqual([
      {
        fingerprint: r.findings.find((f) => f.id === 'test.no-kds-key')?.fingerprint,
        key: 'test.no-kds-key/missing',
        title: 'No KDS root key',
        severity: 'blocker',
        mustFixFirst: true,
      },
    ]);
    expect(plan.reasons[0]).toBe('Fix this prerequisite first: No KDS root key. They hold for every OU alike, so the ranking below is by what each OU owns.');
    // Without the coexistence check Laptops is clean, and smallest.
    expect(plan.candidates.map((c) => c.dn)).toEqual([`OU=Laptops,OU=Corp,${D}`, `OU=HR,OU=Corp,${D}`, `OU=Engineering,OU=Corp,${D}`, `OU=Admins,${D}`]);
    const md = renderMarkdown(oneForest(r));
    const prerequisites = md.indexOf('### Prerequisites for every OU');
    expect(prerequisites).toBeGreaterThan(md.indexOf('## Pilot plan'));
    expect(prerequisites).toBeLessThan(md.indexOf('### Wave 1, the pilot'));
    expect(md).toContain('- **Fix first:** No KDS root key (`test.no-kds-key/missing`; the whole forest)');
  });

  it('under --target migration-tool takes the guided tool limits from the check options a config file can change', async () => {
    const eligibility = markerCheck('migration-tool.eligibility', 'nothing-has-this', {}, { options: { maxObjects: 2000, maxContainersPerDomain: 30 } });
    const plan = report(await scanPilotForest([hard, warn, eligibility], 'migration-tool'), { target: 'migration-tool' }).pilotPlan;
    expect(plan.limits).toEqual({ ousPerConfiguration: 50, containersPerDomain: 30, objects: 2000 });
    expect(plan.connectSync.method).toBe('migration-tool');
    expect(plan.connectSync.scopingFilters).toEqual([]);
    expect(plan.connectSync.steps.join(' ')).toContain('custom sync rules');
    // Laptops is clean here (the coexistence check is not in this run), and ranks by size before HR.
    expect(plan.candidates.map((c) => c.dn)).toEqual([`OU=Laptops,OU=Corp,${D}`, `OU=HR,OU=Corp,${D}`, `OU=Engineering,OU=Corp,${D}`, `OU=Admins,${D}`]);

    // The limits as a config file set them (checks.options.migration-tool.eligibility), read from the scan result.
    const settings = { options: { 'migration-tool.eligibility': { maxObjects: 6, maxContainersPerDomain: 3 } } };
    const result = await scan([new LdifSource(PILOT_FOREST)], { checks: [hard, warn, eligibility], target: 'migration-tool', settings });
    const tight = report(result, { target: 'migration-tool', settings }).pilotPlan;
    expect(tight.limits).toEqual({ ousPerConfiguration: 50, containersPerDomain: 3, objects: 6 });
    expect(tight.connectSync.steps.join(' ')).toContain('3 included containers per domain and 6 in-scope objects');
    expect(tight.candidates.map((c) => c.wave)).toEqual([1, 2, undefined, undefined]);
    expect(tight.candidates[2]?.why).toContain("over the guided tool's 6 in-scope objects");
  });

  it('says why there is no candidate when every OU with users owns a hard blocker', async () => {
    const objects = ['CN=Sales 0,OU=Sales', 'CN=Payroll 0,OU=Payroll,OU=HR', 'CN=Eng 0,OU=Engineering', 'CN=Laptop Owner,OU=Laptops'].map((rdn) => ({
      dn: `${rdn},OU=Corp,${D}`,
    }));
    const everywhere = raising(
      'test.everywhere',
      [{ kind: 'everywhere', message: 'everywhere', objects: [...objects, { dn: `CN=Admin 0,OU=Admins,${D}` }] }],
      'blocker',
    );
    const { pilotPlan: plan, verdict } = report(await scanPilotForest([everywhere]));
    expect(verdict).toBe('blocked');
    expect(plan.status).toBe('no-candidates');
    expect(plan.reasons.join(' ')).toContain('owns a hard blocker');
  });
});
