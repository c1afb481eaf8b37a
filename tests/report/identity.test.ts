import { describe, expect, it } from 'vitest';
import { D, raising, report, scanPilotForest } from './helpers.js';

const hr = (n: number): { dn: string } => ({ dn: `CN=HR ${n},OU=HR,OU=Corp,${D}` });

describe('finding identity', () => {
  it('fingerprints are unique within a report, even for findings of one kind in one place', async () => {
    const check = raising('test.many', [
      { kind: 'policy', message: 'a', scope: { kind: 'domain', dn: D } },
      { kind: 'policy', message: 'b', scope: { kind: 'domain', dn: D } },
      { kind: 'value', title: 'first title', message: 'c', objects: [hr(0)] },
      { kind: 'value', title: 'second title', message: 'd', objects: [hr(0)] },
      { kind: 'value', title: 'same', message: 'e', objects: [hr(1)] },
      { kind: 'value', title: 'same', message: 'f', objects: [hr(2)] },
    ]);
    const r = report(await scanPilotForest([check]));
    expect(r.findings.map((f) => f.key)).toEqual([
      'test.many/policy',
      'test.many/policy',
      'test.many/value',
      'test.many/value',
      'test.many/value',
      'test.many/value',
    ]);
    expect(new Set(r.findings.map((f) => f.fingerprint)).size).toBe(6);
  });

  it('a fingerprint follows key, scope and domain, not counts, wording or the order objects were read in', async () => {
    const once = report(await scanPilotForest([raising('test.one', [{ kind: 'value', message: '2 objects', objects: [hr(0), hr(1)] }])]));
    const again = report(await scanPilotForest([raising('test.one', [{ kind: 'value', message: 'two objects, reworded', objects: [hr(1), hr(0)] }])]));
    expect(again.findings[0]?.fingerprint).toBe(once.findings[0]?.fingerprint);
    expect(again.findings[0]?.objects.map((o) => o.dn)).toEqual([hr(0).dn, hr(1).dn]);
    const otherKind = report(await scanPilotForest([raising('test.one', [{ kind: 'other', message: '2 objects', objects: [hr(0), hr(1)] }])]));
    expect(otherKind.findings[0]?.fingerprint).not.toBe(once.findings[0]?.fingerprint);
  });

  it('findings are ordered by severity, key and scope, whatever order the checks raised them in', async () => {
    const check = raising('test.order', [
      { kind: 'b', message: 'x', objects: [hr(2)] },
      { kind: 'a', severity: 'info', message: 'x', objects: [hr(0)] },
      { kind: 'b', message: 'x', objects: [hr(1)] },
      { kind: 'a', severity: 'blocker', message: 'x', scope: { kind: 'forest' } },
    ]);
    const r = report(await scanPilotForest([check]));
    expect(r.findings.map((f) => [f.severity, f.key, f.objects[0]?.dn ?? f.scope.kind])).toEqual([
      ['blocker', 'test.order/a', 'forest'],
      ['warning', 'test.order/b', hr(1).dn],
      ['warning', 'test.order/b', hr(2).dn],
      ['info', 'test.order/a', hr(0).dn],
    ]);
  });
});
