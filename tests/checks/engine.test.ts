import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { defineCheck } from '../../src/checks/check.js';
import { scan, StrictModeError } from '../../src/checks/engine.js';
import type { Entry, ObjectKind } from '../../src/model/entry.js';
import { CHECKS } from '../../src/checks/registry.js';
import { LdifSource } from '../../src/sources/ldif/source.js';

const BASE = path.join(import.meta.dirname, '..', '..', 'fixtures', 'checks', '_base');
const domain = (): LdifSource => new LdifSource(path.join(BASE, 'domain.ldif'));
const configuration = (): LdifSource => new LdifSource(path.join(BASE, 'configuration.ldif'));
/** Users, groups, a computer and an OU. */
const smallDomain = (): LdifSource => new LdifSource(path.join(import.meta.dirname, '..', '..', 'fixtures', 'ldif', 'ldapsearch-small-domain.ldif'));

describe('scan engine', () => {
  it('reports a partition read from two inputs as an error naming both places, and counts nothing twice', async () => {
    const once = await scan([domain(), configuration()], { checks: CHECKS });
    const result = await scan([domain(), configuration(), domain()], { checks: CHECKS });
    const overlaps = result.problems.filter((p) => p.message.includes('already read'));
    // The first repeat names both places; the others between the same two inputs are counted in one more error.
    expect(overlaps).toEqual([
      expect.objectContaining({ severity: 'error', location: expect.stringMatching(/^line \d+ \(DC=corp,DC=example,DC=com\)$/) }),
      expect.objectContaining({ severity: 'error', message: expect.stringMatching(/^\d+ more objects of this input were already read from /) }),
    ]);
    expect(overlaps[0]?.message).toMatch(
      new RegExp(`already read from ${path.join(BASE, 'domain.ldif').replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} \\(line \\d+\\)`),
    );
    expect(result.inventory.totals).toEqual(once.inventory.totals);
  });

  it('stops at the overlap under --strict', async () => {
    await expect(scan([configuration(), configuration()], { checks: CHECKS, strict: true })).rejects.toBeInstanceOf(StrictModeError);
  });

  it('accepts each partition once, whatever the order of the inputs', async () => {
    const result = await scan([configuration(), domain()], { checks: CHECKS });
    expect(result.problems).toEqual([]);
  });

  it('hands each visitor only the kinds of object it declares, and every entry to one that declares none', async () => {
    const seen = { groups: new Set<ObjectKind>(), all: new Set<ObjectKind>() };
    const recorder = (id: string, visits: readonly ObjectKind[] | undefined, into: Set<ObjectKind>) =>
      defineCheck({
        meta: { id, title: id, severity: 'info', category: 'test', rationale: '', remediation: '', sources: [], evidence: [], kinds: {} },
        create: () => ({
          ...(visits === undefined ? {} : { visits }),
          visit: (entry: Entry) => void into.add(entry.kind),
          finish: () => ({ status: 'passed' }),
        }),
      });
    await scan([smallDomain()], {
      checks: [recorder('groups-and-computers', ['group', 'computer'], seen.groups), recorder('everything', undefined, seen.all)],
    });
    expect([...seen.groups].sort()).toEqual(['computer', 'group']);
    expect(seen.all.has('user') && seen.all.has('group') && seen.all.has('organizational-unit')).toBe(true);
  });

  it('stops visiting a check that threw and reports it as failed itself, while the others go on', async () => {
    let visitsAfterThrowing = 0;
    let usersSeen = 0;
    const thrower = defineCheck({
      meta: { id: 'thrower', title: 't', severity: 'info', category: 'test', rationale: '', remediation: '', sources: [], evidence: [], kinds: {} },
      create: () => {
        let thrown = false;
        return {
          visits: ['user'],
          visit: () => {
            if (thrown) visitsAfterThrowing++;
            thrown = true;
            throw new Error('boom');
          },
          finish: () => ({ status: 'passed' }),
        };
      },
    });
    const counter = defineCheck({
      meta: { id: 'counter', title: 'c', severity: 'info', category: 'test', rationale: '', remediation: '', sources: [], evidence: [], kinds: {} },
      create: () => ({ visits: ['user'], visit: () => void usersSeen++, finish: () => ({ status: 'passed' }) }),
    });
    const result = await scan([smallDomain()], { checks: [thrower, counter] });
    expect(visitsAfterThrowing).toBe(0);
    expect(usersSeen).toBeGreaterThan(1);
    expect(result.outcomes.find((o) => o.meta.id === 'thrower')?.result).toMatchObject({ status: 'not-evaluated', reason: 'the check itself failed: boom' });
  });

  it('shows observers every entry the checks see, and a repeated object once', async () => {
    const seen: string[] = [];
    const result = await scan([domain(), configuration(), domain()], { checks: [], observers: [{ visit: (entry) => seen.push(entry.key) }] });
    expect(seen).toHaveLength(result.inventory.totals.entries);
    expect(new Set(seen).size).toBe(seen.length);
  });
});
