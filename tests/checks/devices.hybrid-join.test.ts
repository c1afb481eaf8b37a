import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { scan, type ScanOptions } from '../../src/checks/engine.js';
import devicesHybridJoin from '../../src/checks/rules/devices-hybrid-join.js';
import { LdifSource } from '../../src/sources/ldif/source.js';

// The fixture format states severities; whether Connect may carry the blocker side by side is checked here.
const FIXTURES = join(import.meta.dirname, '..', '..', 'fixtures', 'checks');

async function coexistenceFlags(options: Omit<ScanOptions, 'checks'>): Promise<(boolean | undefined)[]> {
  const sources = [
    new LdifSource(join(FIXTURES, '_base', 'domain.ldif')),
    new LdifSource(join(FIXTURES, '_base', 'configuration.ldif')),
    new LdifSource(join(FIXTURES, 'devices.hybrid-join', 'scp-and-certificates.ldif')),
  ];
  const result = await scan(sources, { ...options, checks: [devicesHybridJoin] });
  const outcome = result.outcomes[0]?.result;
  return outcome?.status === 'failed' ? outcome.findings.map((f) => f.coexistence) : [];
}

describe('devices.hybrid-join coexistence', () => {
  it('GA only: Connect keeps the devices side by side', async () => {
    expect(await coexistenceFlags({})).toEqual([true, true]);
  });

  it('migration tool: no side-by-side way out, the tool refuses device sync', async () => {
    expect(await coexistenceFlags({ target: 'migration-tool' })).toEqual([false, false]);
  });
});
