import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { scan, StrictModeError } from '../../src/checks/engine.js';
import { CHECKS } from '../../src/checks/registry.js';
import { LdifSource } from '../../src/sources/ldif/source.js';

const BASE = path.join(import.meta.dirname, '..', '..', 'fixtures', 'checks', '_base');
const domain = (): LdifSource => new LdifSource(path.join(BASE, 'domain.ldif'));
const configuration = (): LdifSource => new LdifSource(path.join(BASE, 'configuration.ldif'));

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
});
