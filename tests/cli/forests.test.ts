import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { main } from '../../src/cli/main.js';
import { type Report, reportSchema } from '../../src/report/schema.js';
import { generateForests } from '../../scripts/generate-forests.js';
import { ForestGroupingError, groupByForest } from '../../src/inventory/forest-groups.js';
import { LdifSource } from '../../src/sources/ldif/source.js';

const FORESTS = join(import.meta.dirname, '..', '..', 'fixtures', 'forests');
const TWO = join(FORESTS, 'two-forests-ldifde');
const THREE = join(FORESTS, 'three-forests-ldapsearch');
const scratch = mkdtempSync(join(tmpdir(), 'readiness-forests-cli-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
afterEach(() => vi.restoreAllMocks());

const filesOf = (folder: string): string[] =>
  readdirSync(folder)
    .sort()
    .map((f) => join(folder, f));

/** The CLI in-process: exit code, stderr, and the file it wrote with --output (the JSON report unless told). */
async function scan(
  inputs: readonly string[],
  output = 'report.json',
  extra: readonly string[] = [],
): Promise<{ code: number; stderr: string; text: string | undefined }> {
  const path = join(scratch, `${Math.random().toString(36).slice(2)}-${output}`);
  let stderr = '';
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stderr += String(chunk);
    return true;
  });
  const code = await main(['scan', '--ldif', ...inputs, '--output', path, '--quiet', ...extra]);
  let text: string | undefined;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    text = undefined;
  }
  return { code, stderr, text };
}

const reportOf = (text: string | undefined): Report => reportSchema.parse(JSON.parse(text ?? ''));
const domainsOf = (report: Report): Record<string, string[]> =>
  Object.fromEntries(report.forests.map((f) => [f.name, f.inventory.domains.map((d) => d.dnsName)]));

describe('readiness scan of several forests (offline)', () => {
  it('puts the exports of two forests in two forest reports, each with its own domains; the tenant takes the worst verdict', async () => {
    const { code, text, stderr } = await scan([TWO]);
    expect(stderr).toBe('');
    const report = reportOf(text);
    expect(report.summary.forests).toBe(2);
    expect(domainsOf(report)).toEqual({
      'corp.contoso.test': ['corp.contoso.test', 'emea.corp.contoso.test'],
      'fabrikam.test': ['fabrikam.test'],
    });
    const verdicts = Object.fromEntries(report.forests.map((f) => [f.name, f.verdict]));
    expect(verdicts).toEqual({ 'corp.contoso.test': 'incomplete', 'fabrikam.test': 'blocked' });
    expect(report.verdict).toBe('blocked');
    expect(code).toBe(1);
    // Each forest judged its own inputs only: no object counted outside its domains, no partition missing.
    for (const forest of report.forests) {
      expect(forest.problems.filter((p) => p.severity === 'error')).toEqual([]);
      expect(forest.inventory.domains.every((d) => d.partitionRead)).toBe(true);
      expect(forest.inventory.forest.partitionsRead.configuration).toBe(true);
    }
    expect(report.forests.find((f) => f.name === 'fabrikam.test')?.inputs.map((i) => i.label)).toEqual(
      ['fabrikam-configuration.ldf', 'fabrikam-domain.ldf'].map((f) => join(TWO, f)),
    );
  });

  it('exits 3 when no forest is blocked but one is incomplete', async () => {
    const contoso = filesOf(TWO).filter((f) => f.includes('contoso'));
    const tailspin = filesOf(THREE).filter((f) => f.includes('tailspin'));
    const { code, text } = await scan([...contoso, ...tailspin]);
    const report = reportOf(text);
    expect(report.forests.map((f) => f.name)).toEqual(['corp.contoso.test', 'tailspin.test']);
    expect(report.forests.map((f) => f.verdict)).toEqual(['incomplete', 'incomplete']);
    expect(report.verdict).toBe('incomplete');
    for (const forest of report.forests) for (const reason of forest.incompleteReasons) expect(report.incompleteReasons).toContain(`${forest.name}: ${reason}`);
    expect(code).toBe(3);
  });

  it('reads three forests exported with ldapsearch the same way', async () => {
    const { code, text } = await scan([THREE]);
    const report = reportOf(text);
    expect(domainsOf(report)).toEqual({
      'corp.contoso.test': ['corp.contoso.test', 'emea.corp.contoso.test'],
      'fabrikam.test': ['fabrikam.test'],
      'tailspin.test': ['tailspin.test'],
    });
    expect(report.forests.find((f) => f.name === 'tailspin.test')?.inventory.forest.schemaVersion).toBe(88);
    expect(report.verdict).toBe('blocked');
    expect(code).toBe(1);
  });

  it('writes a byte-identical report whatever the order of the inputs, apart from generatedAt and inputs', async () => {
    const files = filesOf(TWO);
    const stable = (text: string | undefined): string =>
      (text ?? '').replace(/"generatedAt": "[^"]+"/g, '"generatedAt": ""').replace(/"inputs": \[[^\]]*\]/g, '"inputs": []');
    const forward = await scan(files);
    const backward = await scan([...files].reverse());
    const shuffled = await scan([files[3], files[0], files[5], files[1], files[4], files[2]].filter((f) => f !== undefined));
    expect(stable(backward.text)).toBe(stable(forward.text));
    expect(stable(shuffled.text)).toBe(stable(forward.text));
  });

  it('refuses a domain whose forest cannot be told, naming the file, its domain and the export to add (exit 2)', async () => {
    const woodgrove = join(FORESTS, 'unknown-forest', 'woodgrove-domain.ldf');
    const { code, stderr, text } = await scan([TWO, woodgrove]);
    expect(code).toBe(2);
    expect(text).toBeUndefined();
    const lines = stderr.trimEnd().split('\n');
    expect(lines).toEqual([
      `readiness: error: ${woodgrove} holds the domain woodgrove.test, which none of the configuration partitions given names (forests: corp.contoso.test, fabrikam.test), so its forest cannot be told`,
      expect.stringMatching(
        /^readiness: hint: add the configuration partition of its forest: ldifde -f configuration\.ldf -d "CN=Configuration,.*DC=woodgrove,DC=test"/,
      ),
    ]);
    // With one forest's exports, a domain without a configuration partition is scanned as today.
    expect((await scan([woodgrove])).code).not.toBe(2);
  });

  it("takes a config scope's OUs from whichever forest holds them: only an OU in no forest is missing", async () => {
    const config = join(scratch, 'scope.yaml');
    writeFileSync(
      config,
      'scope:\n  include:\n    - OU=Staff,DC=corp,DC=contoso,DC=test\n    - OU=Staff,DC=fabrikam,DC=test\n    - OU=Nowhere,DC=fabrikam,DC=test\n',
    );
    const report = reportOf((await scan([TWO], 'report.json', ['--config', config])).text);
    const notFound = Object.fromEntries(report.forests.map((f) => [f.name, f.settings.scope?.notFound]));
    expect(notFound).toEqual({ 'corp.contoso.test': [], 'fabrikam.test': ['OU=Nowhere,DC=fabrikam,DC=test'] });
    expect(report.incompleteReasons.filter((r) => r.includes('scope.include'))).toEqual([
      'fabrikam.test: config scope.include names OU=Nowhere,DC=fabrikam,DC=test, which is not in the input: check the DN, or export the domain that holds it',
    ]);
  });

  it("renders the tenant first in Markdown and CSV names each row's forest", async () => {
    const md = (await scan([TWO], 'report.md')).text ?? '';
    expect(md.split('\n')[0]).toBe('# Cloud Sync readiness of 2 forests (corp.contoso.test, fabrikam.test): BLOCKED — and 10 questions open, data incomplete');
    expect(md).toContain('## Cloud Sync readiness of fabrikam.test: BLOCKED');
    // Tenant findings sit under a severity heading, as a forest's do, and each object names its forest.
    const tenant = md.slice(md.indexOf('## Tenant-wide findings'), md.indexOf('## Cloud Sync readiness of corp.contoso.test'));
    expect(tenant).toMatch(/\n### Hard blockers \(\d+\)\n\n#### BLOCKER: /);
    expect(tenant).toContain('- fabrikam.test: CN=Grace Hopper (mailbox),OU=Staff,DC=fabrikam,DC=test');
    const csv = (await scan([TWO], 'fixes.csv')).text ?? '';
    const rows = csv.slice(1).trimEnd().split('\r\n');
    expect(rows[0]?.split(',').slice(4, 6)).toEqual(['forest', 'domain']);
    expect(rows.some((r) => r.startsWith('exchange.resource-forest/linked-mailboxes,') && r.includes(',fabrikam.test,fabrikam.test,'))).toBe(true);
  });
});

describe('grouping inputs per forest', () => {
  it('keeps one group without a second forest root, and never sniffs standard input', async () => {
    const contoso = filesOf(TWO)
      .filter((f) => f.includes('contoso'))
      .map((f) => new LdifSource(f));
    expect(await groupByForest(contoso)).toEqual([{ forest: 'corp.contoso.test', sources: contoso }]);
    const stdin = new LdifSource(filesOf(TWO)[0] ?? '');
    const all = [...filesOf(TWO).map((f) => new LdifSource(f)), stdin];
    await expect(groupByForest(all, new Set([stdin]))).rejects.toThrow(ForestGroupingError);
    await expect(groupByForest(all, new Set([stdin]))).rejects.toThrow(/standard input is read once/);
    expect(await groupByForest([...contoso, stdin], new Set([stdin]))).toEqual([{ forest: 'corp.contoso.test', sources: [...contoso, stdin] }]);
  });
});

describe('the forests fixtures', () => {
  it('are what scripts/generate-forests.ts writes, byte for byte', async () => {
    const folder = mkdtempSync(join(scratch, 'generated-'));
    for (const file of await generateForests(folder)) {
      const committed = join(FORESTS, file.slice(folder.length + 1));
      expect(readFileSync(file, 'utf8'), committed).toBe(readFileSync(committed, 'utf8'));
    }
  });
});
