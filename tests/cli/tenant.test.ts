import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { main } from '../../src/cli/main.js';
import { type Report, reportSchema } from '../../src/report/schema.js';
import { VALUE_HASH_KEY_ENV } from '../../src/tenant/value-hash-key.js';

const TWO = join(import.meta.dirname, '..', '..', 'fixtures', 'forests', 'two-forests-ldifde');
const scratch = mkdtempSync(join(tmpdir(), 'readiness-tenant-cli-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
});

async function scan(extra: readonly string[]): Promise<{ code: number; stderr: string; report: Report | undefined; text: string }> {
  const path = join(scratch, `${Math.random().toString(36).slice(2)}.json`);
  let stderr = '';
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stderr += String(chunk);
    return true;
  });
  const code = await main(['scan', '--ldif', TWO, '--output', path, '--quiet', ...extra]);
  let text = '';
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return { code, stderr, report: undefined, text };
  }
  return { code, stderr, report: reportSchema.parse(JSON.parse(text)), text };
}

describe('readiness scan: tenant-wide checks', () => {
  it('compares the forests: the cross-forest duplicate and the account/resource pair are tenant blockers, each forest keeps its digest', async () => {
    const { code, report } = await scan([]);
    expect(code).toBe(1);
    expect(report?.tenant.findings.filter((f) => f.severity === 'blocker').map((f) => f.key)).toEqual([
      'tenant.account-resource-pairs/linked-accounts',
      'tenant.cross-forest-duplicates/shared-across-forests',
    ]);
    expect(report?.tenant.findings.flatMap((f) => f.objects.map((o) => o.forest))).not.toContain(undefined);
    for (const forest of report?.forests ?? []) {
      expect(forest.tenantDigest?.forest).toBe(forest.name);
      expect(forest.tenantDigest?.valueHashes).toBeUndefined();
    }
  });

  it('adds keyed hashes of the values with --value-hashes, never the values, and a key check', async () => {
    vi.stubEnv(VALUE_HASH_KEY_ENV, 'a key shared by both teams');
    const { code, report } = await scan(['--value-hashes']);
    expect(code).toBe(1);
    const digests = (report?.forests ?? []).map((f) => f.tenantDigest);
    expect(new Set(digests.map((d) => d?.valueHashes?.keyCheck)).size).toBe(1);
    expect(JSON.stringify(digests)).not.toContain('ada@contoso.com');
    expect(digests.every((d) => (d?.valueHashes?.values.length ?? 0) > 0)).toBe(true);
  });

  it('refuses a short key, and a key file without --value-hashes, before reading anything (exit 2)', async () => {
    vi.stubEnv(VALUE_HASH_KEY_ENV, 'too short');
    const short = await scan(['--value-hashes']);
    expect(short.code).toBe(2);
    expect(short.stderr).toContain('READINESS_VALUE_HASH_KEY is 9 bytes long; use at least 16');
    expect(short.stderr).not.toContain('too short');
    const stray = await scan(['--value-hash-key-file', join(scratch, 'key')]);
    expect(stray.code).toBe(2);
    expect(stray.stderr).toContain('--value-hash-key-file is only read with --value-hashes');
  });
});
