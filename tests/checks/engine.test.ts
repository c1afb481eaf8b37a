import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { scan, StrictModeError } from '../../src/checks/engine.js';
import { CHECKS } from '../../src/checks/registry.js';
import { LdifSource } from '../../src/sources/ldif/source.js';

const BASE = path.join(import.meta.dirname, '..', '..', 'fixtures', 'checks', '_base');
const domain = (): LdifSource => new LdifSource(path.join(BASE, 'domain.ldif'));
const configuration = (): LdifSource => new LdifSource(path.join(BASE, 'configuration.ldif'));

describe('scan engine', () => {
  it('reports a partition read from two inputs as an error, since every count below it doubles', async () => {
    const result = await scan([domain(), configuration(), domain()], { checks: CHECKS });
    const overlaps = result.problems.filter((p) => p.message.includes('already read'));
    expect(overlaps).toEqual([
      expect.objectContaining({ severity: 'error', location: 'DC=corp,DC=example,DC=com', affectsDn: 'DC=corp,DC=example,DC=com' }),
    ]);
    expect(overlaps[0]?.message).toContain(path.join(BASE, 'domain.ldif'));
  });

  it('stops at the overlap under --strict', async () => {
    await expect(scan([configuration(), configuration()], { checks: CHECKS, strict: true })).rejects.toBeInstanceOf(StrictModeError);
  });

  it('accepts each partition once, whatever the order of the inputs', async () => {
    const result = await scan([configuration(), domain()], { checks: CHECKS });
    expect(result.problems).toEqual([]);
  });
});
