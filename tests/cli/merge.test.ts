import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { main } from '../../src/cli/main.js';
import { type Report, reportSchema } from '../../src/report/schema.js';

const TWO = join(import.meta.dirname, '..', '..', 'fixtures', 'forests', 'two-forests-ldifde');
const scratch = mkdtempSync(join(tmpdir(), 'readiness-merge-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
});

const KEY = 'a key both teams were given, 32+ bytes long';
const filesOf = (prefix: string): string[] =>
  readdirSync(TWO)
    .filter((f) => f.startsWith(prefix))
    .sort()
    .map((f) => join(TWO, f));

/** The CLI in-process: exit code, stderr, and the JSON it wrote with --output. */
async function run(args: readonly string[]): Promise<{ code: number; stderr: string; path: string }> {
  const path = join(scratch, `${Math.random().toString(36).slice(2)}.json`);
  let stderr = '';
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stderr += String(chunk);
    return true;
  });
  const code = await main([...args, '--output', path, '--quiet']);
  vi.restoreAllMocks();
  return { code, stderr, path };
}

async function scanForest(prefix: string, key: string | undefined, extra: readonly string[] = []): Promise<string> {
  if (key !== undefined) vi.stubEnv('READINESS_VALUE_HASH_KEY', key);
  const { path, stderr } = await run(['scan', '--ldif', ...filesOf(prefix), ...(key === undefined ? [] : ['--value-hashes']), ...extra]);
  vi.unstubAllEnvs();
  expect(stderr).toBe('');
  return path;
}

const reportAt = (path: string): Report => reportSchema.parse(JSON.parse(readFileSync(path, 'utf8')));
const statusOf = (report: Report, id: string): string | undefined => report.tenant.checks.find((c) => c.id === id)?.status;

describe('readiness merge', () => {
  it('compares forests scanned apart through keyed hashes, and finds what one run over both finds', async () => {
    const contoso = await scanForest('contoso', KEY);
    const fabrikam = await scanForest('fabrikam', KEY);
    const merged = await run(['merge', contoso, fabrikam]);
    expect(merged.stderr).toBe('');
    const report = reportAt(merged.path);
    expect(report.forests.map((f) => f.name)).toEqual(['corp.contoso.test', 'fabrikam.test']);
    expect(report.merged?.map((m) => [m.file, m.forests])).toEqual([
      [contoso, ['corp.contoso.test']],
      [fabrikam, ['fabrikam.test']],
    ]);
    expect(statusOf(report, 'tenant.cross-forest-duplicates')).toBe('failed');

    const together = reportAt((await run(['scan', '--ldif', TWO])).path);
    const holders = (r: Report): string[] =>
      r.tenant.findings
        .filter((f) => f.id === 'tenant.cross-forest-duplicates')
        .flatMap((f) => f.objects.map((o) => `${o.forest ?? '?'} ${o.dn}`))
        .sort();
    expect(holders(report)).toEqual(holders(together));
    expect(holders(report).length).toBeGreaterThan(0);
    expect(report.verdict).toBe(together.verdict);
    expect(merged.code).toBe(1);
  });

  it('says the duplicate check was not evaluated when the reports carry no value hashes', async () => {
    const report = reportAt((await run(['merge', await scanForest('contoso', undefined), await scanForest('fabrikam', undefined)])).path);
    expect(statusOf(report, 'tenant.cross-forest-duplicates')).toBe('not-evaluated');
    expect(report.incompleteReasons.join('\n')).toMatch(/tenant\.cross-forest-duplicates not evaluated: .*value-hashes/);
    expect(report.complete).toBe(false);
  });

  it('says so when the teams used different keys, naming the forests', async () => {
    const report = reportAt((await run(['merge', await scanForest('contoso', KEY), await scanForest('fabrikam', `${KEY} but another`)])).path);
    expect(statusOf(report, 'tenant.cross-forest-duplicates')).toBe('not-evaluated');
    const reason = report.tenant.checks.find((c) => c.id === 'tenant.cross-forest-duplicates')?.reason ?? '';
    expect(reason).toContain('corp.contoso.test');
    expect(reason).toContain('fabrikam.test');
  });

  it('refuses one forest in two reports, and reports judged for different targets', async () => {
    const contoso = await scanForest('contoso', undefined);
    const twice = await run(['merge', contoso, contoso]);
    expect(twice.code).toBe(2);
    expect(twice.stderr).toContain(`the forest corp.contoso.test is in ${contoso} and in ${contoso}`);

    const migration = await scanForest('fabrikam', undefined, ['--target', 'migration-tool']);
    const targets = await run(['merge', contoso, migration]);
    expect(targets.code).toBe(2);
    expect(targets.stderr).toContain('--target migration-tool');
  });

  it('refuses a file that is not a readiness report, naming it', async () => {
    const notReport = join(TWO, 'fabrikam-domain.ldf');
    const result = await run(['merge', notReport]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`${notReport}: not JSON`);
  });
});
