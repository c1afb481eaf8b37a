import { describe, expect, it } from 'vitest';
import { coexist, D, hard, markerCheck, report, scanPilotForest, warn } from './helpers.js';

describe('pilot plan', () => {
  it('offers the largest clean subtrees beside the blocked OU, ranked, with the scope to paste and the Connect side', async () => {
    const { pilotPlan: plan } = report(await scanPilotForest([hard, coexist, warn]));
    expect(plan.status).toBe('ready');
    // HR: clean, no warning. Engineering: a warning. Laptops: its computer stays with Connect Sync.
    // Sales and Corp are blocked; Payroll is inside HR; CN=Users is no OU; OU=Empty holds nothing.
    expect(plan.candidates.map((c) => [c.rank, c.dn, c.syncedObjects, c.connectKeeps])).toEqual([
      [1, `OU=HR,OU=Corp,${D}`, 5, []],
      [2, `OU=Engineering,OU=Corp,${D}`, 8, []],
      [3, `OU=Laptops,OU=Corp,${D}`, 1, ['test.coexist']],
    ]);
    expect(plan.candidates.every((c) => c.selected && c.hardBlockers === 0)).toBe(true);
    expect(plan.cloudSync).toEqual([{ domain: 'pilot.test', ous: plan.candidates.map((c) => c.dn), syncedObjects: 14 }]);
    expect(plan.connectSync.method).toBe('cloudNoFlow-rules');
    expect(plan.connectSync.scopingFilters.map((f) => f.value)).toEqual(plan.cloudSync[0]?.ous);
    expect(plan.connectSync.scopingFilters[0]).toEqual({ objectTypes: ['user', 'group', 'contact'], attribute: 'dn', operator: 'ENDSWITH', value: `OU=HR,OU=Corp,${D}` });
    expect(plan.connectKeeps).toEqual([{ id: 'test.coexist', title: 'test.coexist', count: 1 }]);
    expect(plan.limits).toEqual({ ousPerConfiguration: 50 });
  });

  it('under --target migration-tool applies the guided tool limits and leaves the Connect side to the tool', async () => {
    const { pilotPlan: plan } = report(await scanPilotForest([hard, warn], 'migration-tool'), { target: 'migration-tool' });
    expect(plan.limits).toEqual({ ousPerConfiguration: 50, containersPerDomain: 30, objects: 2000 });
    expect(plan.connectSync.method).toBe('migration-tool');
    expect(plan.connectSync.scopingFilters).toEqual([]);
    expect(plan.connectSync.steps.join(' ')).toContain('custom sync rules');
    // Laptops is clean here (the coexistence check is not in this run), and smallest.
    expect(plan.candidates.map((c) => c.dn)).toEqual([`OU=Laptops,OU=Corp,${D}`, `OU=HR,OU=Corp,${D}`, `OU=Engineering,OU=Corp,${D}`]);
  });

  it('says why there is no candidate when every OU with users is blocked', async () => {
    const everywhere = markerCheck('test.everywhere', 'never');
    const result = await scanPilotForest([everywhere]);
    const outcome = result.outcomes[0];
    if (outcome !== undefined) {
      outcome.result = {
        status: 'failed',
        findings: [
          { kind: 'marked', severity: 'blocker', title: 't', remediation: 'r', message: 'forest-wide', objects: [], count: 1, scope: { kind: 'forest' }, coexistence: false },
        ],
      };
    }
    const { pilotPlan: plan, verdict } = report(result);
    expect(verdict).toBe('blocked');
    expect(plan.status).toBe('no-candidates');
    expect(plan.reasons.join(' ')).toContain('hard blocker');
  });
});
