import { spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { ObjectList } from '../../src/checks/support/object-list.js';
import { main } from '../../src/cli/main.js';
import { type ReadLimits, readReport } from '../../src/cli/report-file.js';
import { type Report, reportSchema } from '../../src/report/schema.js';
import { renderJson } from '../../src/reporters/json.js';

const ROOT = join(import.meta.dirname, '..', '..');
const SAMPLE = join(ROOT, 'fixtures', 'sample');
const TWO = join(ROOT, 'fixtures', 'forests', 'two-forests-ldifde');
const scratch = mkdtempSync(join(tmpdir(), 'readiness-report-file-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
});

const path = (name: string): string => join(scratch, name);

async function cli(args: readonly string[]): Promise<void> {
  vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
  await main([...args, '--quiet']);
  vi.restoreAllMocks();
}

/** The reader under test, and what it must equal: the report as JSON.parse and the schema read it whole. */
const wholeRead = (file: string): Report => reportSchema.parse(JSON.parse(readFileSync(file, 'utf8').replace(/^\uFEFF/, '')));

async function failureOf(file: string, limits?: ReadLimits): Promise<{ message: string; hint: string | undefined }> {
  const error = (await readReport(file, limits).then(
    () => undefined,
    (e: unknown) => e,
  )) as { message: string; hint?: string } | undefined;
  if (error === undefined) throw new Error(`${file} was read`);
  return { message: error.message, hint: error.hint };
}

describe('reading a JSON report back (diff, merge)', () => {
  // The sample forest (one report, findings with objects), and a merge of two forests made with value hashes
  // (tenant findings whose objects name their forest, digests with holders and value hashes).
  const reports: string[] = [];
  beforeAll(async () => {
    await cli(['scan', '--ldif', join(SAMPLE, 'ldifde'), '--answers', join(SAMPLE, 'answers.yaml'), '--output', path('sample.json')]);
    vi.stubEnv('READINESS_VALUE_HASH_KEY', 'a key both teams were given, 32+ bytes long');
    for (const forest of ['contoso', 'fabrikam']) {
      const files = readdirSync(TWO).filter((f) => f.startsWith(forest));
      await cli(['scan', '--ldif', ...files.map((f) => join(TWO, f)), '--value-hashes', '--output', path(`${forest}.json`)]);
    }
    vi.unstubAllEnvs();
    await cli(['merge', path('contoso.json'), path('fabrikam.json'), '--output', path('merged.json')]);
    reports.push(path('sample.json'), path('contoso.json'), path('merged.json'));
  }, 60_000);

  it('reads what the whole-file reader reads, and the report written again is the same bytes', async () => {
    const merged = wholeRead(path('merged.json'));
    expect(merged.tenant.findings.some((f) => f.objects.some((o) => o.forest !== undefined))).toBe(true);
    expect(merged.forests.some((f) => (f.tenantDigest?.valueHashes?.values.length ?? 0) > 0)).toBe(true);
    for (const file of reports) {
      const streamed = await readReport(file);
      expect(JSON.stringify(streamed), file).toBe(JSON.stringify(wholeRead(file)));
      expect(renderJson(streamed), file).toBe(readFileSync(file, 'utf8'));
    }
  });

  it('keeps the long lists off the heap: findings objects and value hashes are read-only views', async () => {
    const report = await readReport(path('merged.json'));
    const listed = [...report.forests.flatMap((f) => f.findings), ...report.tenant.findings].filter((f) => f.objects.length > 0);
    expect(listed.length).toBeGreaterThan(0);
    for (const finding of listed) expect(ObjectList.behind(finding.objects), finding.key).toBeDefined();
    const hashes = report.forests[0]?.tenantDigest?.valueHashes;
    expect(() => (hashes?.values as string[]).push('x')).toThrow(/read-only/);
  });

  it('reads a report reformatted by another tool: a byte order mark, white space before it, no indentation, keys in another order', async () => {
    for (const file of reports) {
      const { schemaVersion, ...rest } = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
      writeFileSync(path('reformatted.json'), `\uFEFF \r\n\t${JSON.stringify({ ...rest, schemaVersion })}`);
      expect(JSON.stringify(await readReport(path('reformatted.json'))), file).toBe(JSON.stringify(wholeRead(file)));
    }
  });

  it('reads a gzip-compressed report as the report itself, and says so when the compressed file is cut or corrupt', async () => {
    for (const file of reports) {
      writeFileSync(path('report.json.gz'), gzipSync(readFileSync(file)));
      expect(JSON.stringify(await readReport(path('report.json.gz'))), file).toBe(JSON.stringify(wholeRead(file)));
    }
    const compressed = gzipSync(readFileSync(path('merged.json')));
    writeFileSync(path('cut.json.gz'), compressed.subarray(0, compressed.length >> 1));
    expect(await failureOf(path('cut.json.gz'))).toEqual({
      message: `${path('cut.json.gz')}: the gzip data ends unexpectedly`,
      hint: 'copy the compressed report again, whole',
    });
    writeFileSync(path('corrupt.json.gz'), Buffer.concat([compressed.subarray(0, 10), Buffer.alloc(100, 0x55)]));
    expect((await failureOf(path('corrupt.json.gz'))).message).toBe(`${path('corrupt.json.gz')}: the gzip data is corrupt`);
  });

  it('names the item of a long list that is not what a report holds, with its place in the report', async () => {
    const text = readFileSync(path('merged.json'), 'utf8');
    const report = JSON.parse(text) as Report;
    const finding = report.forests[0]?.findings.findIndex((f) => f.objects.length > 1) ?? -1;
    const forest = report.forests[0] as unknown as { findings: { objects: unknown[] }[]; tenantDigest: { valueHashes: { values: string[] } } };
    (forest.findings[finding] as { objects: unknown[] }).objects[1] = { dn: 42 };
    writeFileSync(path('bad-object.json'), JSON.stringify(report));
    expect(await failureOf(path('bad-object.json'))).toEqual({
      message: `${path('bad-object.json')}: not a valid readiness report (forests.0.findings.${finding}.objects.1.dn: Invalid input: expected string, received number)`,
      hint: 'pass the JSON report unedited, as readiness scan wrote it',
    });
    const again = JSON.parse(text) as typeof report;
    const digest = (again.forests[0] as unknown as typeof forest).tenantDigest.valueHashes;
    digest.values[0] = 'not a hash line';
    writeFileSync(path('bad-hash.json'), JSON.stringify(again));
    expect((await failureOf(path('bad-hash.json'))).message).toMatch(/not a valid readiness report \(forests\.0\.tenantDigest\.valueHashes\.values\.0: /);
  });

  it('refuses a file that nests without end or holds more than a report ever does outside its long lists, in one line', async () => {
    // The byte counts from the file's start, byte order mark and white space before the JSON included.
    writeFileSync(path('nested.json'), `\uFEFF\n{"schemaVersion": 3, "x": ${'['.repeat(100_000)}`);
    expect(await failureOf(path('nested.json'))).toEqual({
      message: `${path('nested.json')}: not a readiness report: nested more than 64 levels deep at byte 93`,
      hint: 'pass the JSON report unedited, as readiness scan wrote it',
    });
    // Valid JSON a report could hold, but far more of it than any report's other parts: refused before memory runs out.
    // Written in pieces, so that no large string is left for the garbage collector while the budget is measured.
    const bloated = openSync(path('bloated.json'), 'w');
    writeSync(bloated, '{"schemaVersion": 3, "problems": [');
    for (let i = 0; i < 1_500_000; i += 10_000) {
      const items = Array.from({ length: 10_000 }, (_, j) => `{"input": "file ${i + j}", "message": "a problem"}`);
      writeSync(bloated, `${i === 0 ? '' : ','}${items.join(',')}`);
    }
    writeSync(bloated, ']}');
    closeSync(bloated);
    const budget = { maxDepth: 64, maxHeapBytes: process.memoryUsage().heapUsed + 48 * 1024 * 1024 };
    const { message } = await failureOf(path('bloated.json'), budget);
    expect(message).toMatch(
      /bloated\.json: not a readiness report: by byte \d+ its parts other than the findings' objects and value hashes take more than \d+ MiB of memory$/,
    );
    // The same budget reads a real report.
    expect((await readReport(path('merged.json'), budget)).forests).toHaveLength(2);
  });

  it('says the schema version first, wherever the version is in the file and whatever else is wrong', async () => {
    const report = JSON.parse(readFileSync(path('sample.json'), 'utf8')) as Record<string, unknown>;
    const { schemaVersion: _, ...rest } = report;
    writeFileSync(path('old.json'), JSON.stringify({ ...rest, forests: [{ findings: [{ objects: [{ dn: 1 }] }] }], schemaVersion: 1 }));
    expect((await failureOf(path('old.json'))).message).toMatch(/old\.json: report schema version 1, but this readiness reads version 3$/);
  });

  it('reads and compares reports with 300,000 listed objects in a 96 MB heap, where JSON.parse alone needs more', () => {
    const report = JSON.parse(readFileSync(path('sample.json'), 'utf8')) as Report;
    const finding = report.forests[0]?.findings.find((f) => f.objects.length > 0);
    if (finding === undefined) throw new Error('the sample has no finding with objects');
    const many = Array.from({ length: 300_000 }, (_, i) => ({
      dn: `CN=User ${i},OU=Staff,DC=corp,DC=example,DC=com`,
      detail: 'UPN suffix corp.local',
      guid: `${i.toString(16).padStart(8, '0')}-0000-4000-8000-000000000000`,
      samAccountName: `user${i}`,
      objectClass: 'user',
    }));
    const file = path('large.json');
    writeFileSync(file, JSON.stringify({ ...report, forests: [{ ...report.forests[0], findings: [{ ...finding, objects: many, count: many.length }] }] }));
    const script = [
      `import { readReport } from ${JSON.stringify(join(ROOT, 'src', 'cli', 'report-file.ts'))};`,
      `const report = await readReport(${JSON.stringify(file)});`,
      'const objects = report.forests[0].findings[0].objects;',
      'console.log(objects.length, objects[299999].samAccountName);',
    ].join('\n');
    const limited = ['--max-old-space-size=96', '--import', 'tsx'];
    const streamed = spawnSync(process.execPath, [...limited, '--input-type=module', '-e', script], { cwd: ROOT, encoding: 'utf8' });
    expect(streamed.stderr).toBe('');
    expect(streamed.stdout.trim()).toBe('300000 user299999');
    const whole = spawnSync(process.execPath, [...limited, '-e', `JSON.parse(require('node:fs').readFileSync(${JSON.stringify(file)}, 'utf8'))`], {
      cwd: ROOT,
      encoding: 'utf8',
    });
    expect(whole.status, 'JSON.parse of the same file in the same heap').not.toBe(0);
    // The comparison of two such reports, written as JSON, in the same heap: its changes are kept off the heap too.
    const diffed = path('large-diff.json');
    const diff = [
      `import { main } from ${JSON.stringify(join(ROOT, 'src', 'cli', 'main.ts'))};`,
      `process.exitCode = await main(['diff', ${JSON.stringify(file)}, ${JSON.stringify(file)}, '--format', 'json', '--output', ${JSON.stringify(diffed)}]);`,
    ].join('\n');
    const compared = spawnSync(process.execPath, [...limited, '--input-type=module', '-e', diff], { cwd: ROOT, encoding: 'utf8' });
    expect(compared.stderr).toBe('');
    const summary = (JSON.parse(readFileSync(diffed, 'utf8')) as { summary: Record<string, number> }).summary;
    expect(summary).toMatchObject({ objectsOpen: 300_000, objectsNew: 0, objectsFixed: 0 });
  }, 120_000);
});
