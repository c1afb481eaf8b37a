import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { scan } from '../../src/checks/engine.js';
import forestFunctionalLevels from '../../src/checks/rules/forest-functional-levels.js';
import { LdifSource } from '../../src/sources/ldif/source.js';

// A real Samba configuration partition (5 sites, 10 DCs, ldbsearch output): levels come from
// CN=Partitions, the domain head and every nTDSDSA, not from the fixtures' simplified shapes.
const MULTISITE = join(import.meta.dirname, '..', '..', '..', 'shared', 'realdata', 'samba_ldif-utils-test-multisite.ldif');

describe.skipIf(!existsSync(MULTISITE))('forest.functional-levels on real data', () => {
  it('reads the forest, domain and all ten DC levels of a real multi-site configuration', async () => {
    const result = await scan([new LdifSource(MULTISITE)], { checks: [forestFunctionalLevels] });
    expect(result.outcomes[0]?.result).toEqual({
      status: 'passed',
      note: 'forest 6 (Windows Server 2012 R2); ad.samba.example.com 6 (Windows Server 2012 R2); DCs (nTDSDSA): 10 × 6 (Windows Server 2012 R2)',
      findings: [],
    });
  });
});
