import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { scan } from '../../src/checks/engine.js';
import { CHECKS } from '../../src/checks/registry.js';
import { writeReport } from '../../src/cli/output.js';
import { loadAnswers } from '../../src/config/answers.js';
import { buildReport } from '../../src/report/build.js';
import { type Finding, type ForestReport, type Report, reportSchema } from '../../src/report/schema.js';
import { buildTenantReport } from '../../src/report/tenant-report.js';
import { jsonChunks, renderJson } from '../../src/reporters/json.js';
import { LdifSource } from '../../src/sources/ldif/source.js';
import { createDigestCollector, digestToJson } from '../../src/tenant/digest.js';

const FIXTURES = path.join(import.meta.dirname, '..', '..', 'fixtures');
const BASE = path.join(FIXTURES, 'checks', '_base');

/** The report as it was written before it was streamed: one validated copy, one string. */
function wholeJson(report: Report): string {
  const text = JSON.stringify(reportSchema.parse(report), null, 2).replace(
    /[\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
  return `${text}\n`;
}

async function filesIn(folder: string, ...extensions: string[]): Promise<string[]> {
  return (await readdir(folder))
    .filter((f) => extensions.some((e) => f.endsWith(e)))
    .sort()
    .map((f) => path.join(folder, f));
}

async function reportOf(files: string[], answersFile?: string): Promise<Report> {
  return tenantOf([await forestOf(files, answersFile)]);
}

function tenantOf(forests: ForestReport[], tenantFindings: Finding[] = []): Report {
  return buildTenantReport(
    forests,
    { checks: [], findings: tenantFindings },
    { toolVersion: 'test', target: 'cloud-sync', allowPreview: false, now: new Date(0) },
  );
}

async function forestOf(files: string[], answersFile?: string): Promise<ForestReport> {
  const answers = answersFile === undefined ? undefined : loadAnswers(answersFile, CHECKS);
  const result = await scan(
    files.map((f) => new LdifSource(f)),
    { checks: CHECKS, ...(answers === undefined ? {} : { answers }) },
  );
  return buildReport(result, {
    toolVersion: 'test',
    target: 'cloud-sync',
    allowPreview: false,
    now: new Date(0),
    ...(answers === undefined ? {} : { answers }),
  });
}

/** Every fixture forest: the sample in both dialects, the report and reader fixtures, and each check fixture over the base forest. */
async function fixtureForests(): Promise<{ name: string; files: string[]; answers?: string }[]> {
  const sample = path.join(FIXTURES, 'sample');
  const forests = [
    { name: 'sample (ldifde)', files: await filesIn(path.join(sample, 'ldifde'), '.ldf'), answers: path.join(sample, 'answers.yaml') },
    { name: 'sample (ldapsearch)', files: await filesIn(path.join(sample, 'ldapsearch'), '.ldif') },
    ...(await filesIn(path.join(FIXTURES, 'ldif'), '.ldif', '.ldf')).map((f) => ({ name: path.basename(f), files: [f] })),
    ...(await filesIn(path.join(FIXTURES, 'report'), '.ldif')).map((f) => ({ name: path.basename(f), files: [f] })),
  ];
  const base = await filesIn(BASE, '.ldif');
  for (const check of (await readdir(path.join(FIXTURES, 'checks'))).filter((d) => !d.startsWith('_') && !d.endsWith('.md')).sort()) {
    for (const file of await filesIn(path.join(FIXTURES, 'checks', check), '.ldif'))
      forests.push({ name: `${check}/${path.basename(file)}`, files: [...base, file] });
  }
  return forests;
}

describe('the JSON report written piece by piece', () => {
  const folders: string[] = [];
  afterAll(async () => Promise.all(folders.map((f) => rm(f, { recursive: true, force: true }))));

  it('is byte-identical to the whole report stringified, for the sample and every fixture', async () => {
    const forests = await fixtureForests();
    expect(forests.length).toBeGreaterThan(40);
    let objectsListed = 0;
    for (const forest of forests) {
      const report = await reportOf(forest.files, forest.answers);
      objectsListed += report.forests[0]?.findings.reduce((n, f) => n + f.objects.length, 0) ?? 0;
      expect(renderJson(report), forest.name).toBe(wholeJson(report));
    }
    expect(objectsListed).toBeGreaterThan(100);
  }, 120_000);

  it('handles an empty findings list and a finding with no objects, and escapes raw controls in values', async () => {
    const report = await forestOf([path.join(FIXTURES, 'report', 'pilot-forest.ldif')]);
    const [finding] = report.findings;
    expect(finding).toBeDefined();
    const edited = tenantOf([
      { ...report, findings: [{ ...(finding as Finding), objects: [], title: 'bidi \u202e and CSI \u009b' }, ...report.findings.slice(1)] },
    ]);
    expect(renderJson(edited)).toBe(wholeJson(edited));
    expect(renderJson(edited)).toContain('bidi \\u202e and CSI \\u009b');
    const none = tenantOf([{ ...report, findings: [] }]);
    expect(renderJson(none)).toBe(wholeJson(none));
  });

  it('streams several forests and the tenant-wide findings in the published order, and refuses a report without a forest', async () => {
    const pilot = await forestOf([path.join(FIXTURES, 'report', 'pilot-forest.ldif')]);
    const sample = await forestOf(await filesIn(path.join(FIXTURES, 'sample', 'ldifde'), '.ldf'));
    const shared = pilot.findings.find((f) => f.objects.length > 0) as Finding;
    const tenantFinding: Finding = {
      ...shared,
      id: 'tenant.test',
      key: 'tenant.test/shared',
      scope: { kind: 'tenant' },
      objects: shared.objects.map((o) => ({ ...o, forest: pilot.name })),
    };
    const report = tenantOf([sample, pilot], [tenantFinding]);
    expect(report.forests.map((f) => f.name)).toEqual(['corp.contoso.test', 'pilot.test']);
    expect(renderJson(report)).toBe(wholeJson(report));
    expect(() => renderJson({ ...report, forests: [] })).toThrow(/at least one forest/);
  });

  it('streams a forest digest with value hashes line by line, byte-identical to the whole report', async () => {
    const file = path.join(FIXTURES, 'tenant', 'contoso.ldf');
    const collector = createDigestCollector({ valueHashKey: Buffer.from('a key for the json reporter test') });
    const scanned = await scan([new LdifSource(file)], { checks: CHECKS, observers: [collector] });
    const digest = digestToJson(collector.finish(scanned.inventory));
    const forest = { ...(await forestOf([file])), tenantDigest: digest };
    const report = tenantOf([forest]);
    const pieces = [...jsonChunks(report)];
    expect(pieces.join('')).toBe(wholeJson(report));
    // Each value line is a piece of its own: the digest is never one string.
    expect(pieces).toContain(JSON.stringify(digest.valueHashes?.values[0]));
    expect(() => renderJson(tenantOf([{ ...forest, tenantDigest: { ...digest, valueHashes: { ...digest.valueHashes!, values: ['not a line'] } } }]))).toThrow();
  });

  it('writes every string of a listed object as JSON.stringify does: controls, quotes, non-ASCII, lone surrogates, every UTF-16 code unit', async () => {
    const report = await forestOf([path.join(FIXTURES, 'report', 'pilot-forest.ldif')]);
    const listing = report.findings.find((f) => f.objects.length > 0) as Finding;
    const codeUnits = Array.from({ length: 0x10000 }, (_, unit) => String.fromCharCode(unit));
    const texts = [
      '',
      'plain ASCII, with spaces ~',
      'quote " backslash \\ slash /',
      'tab\tline\nreturn\rnul\u0000 escape\u001b',
      'DEL \u007f C1 \u0085 \u009b bidi \u202e \u2066 line separator \u2028',
      'Éva Łukasz 日本 😀',
      'lone \ud800 high, lone \udfff low, swapped \udc00\ud800',
      ...codeUnits.slice(0, 128),
      ...Array.from({ length: 0x10000 / 64 }, (_, i) => codeUnits.slice(i * 64, i * 64 + 64).join('')),
    ];
    const objects: Finding['objects'] = texts.map((text, i) => ({
      value: text,
      dn: `CN=${text},DC=test`,
      ...(i % 2 === 0 ? { detail: text, guid: undefined, suggestion: text } : { samAccountName: text, attribute: 'a"b' }),
    }));
    const strange = tenantOf([{ ...report, findings: report.findings.map((f) => (f === listing ? { ...f, objects } : f)) }]);
    expect(renderJson(strange)).toBe(wholeJson(strange));
  });

  it('comes in pieces of one object each when a finding lists many objects', async () => {
    const report = await forestOf([path.join(FIXTURES, 'report', 'pilot-forest.ldif')]);
    const listing = report.findings.find((f) => f.objects.length > 0) as Finding;
    const many = Array.from({ length: 20_000 }, (_, i) => ({
      ...(listing.objects[i % listing.objects.length] as Finding['objects'][number]),
    }));
    const large = tenantOf([{ ...report, findings: report.findings.map((f) => (f === listing ? { ...f, objects: many } : f)) }]);
    const pieces = [...jsonChunks(large)];
    const total = pieces.reduce((n, p) => n + p.length, 0);
    expect(pieces.length).toBeGreaterThan(many.length);
    expect(Math.max(...pieces.map((p) => p.length))).toBeLessThan(total / 20);
    expect(pieces.join('')).toBe(wholeJson(large));
  });

  it('reaches the --output file whole, through the temporary file, and rejects a report that breaks the contract without leaving a file', async () => {
    const folder = await mkdtemp(path.join(tmpdir(), 'readiness-json-'));
    folders.push(folder);
    const report = await reportOf([path.join(FIXTURES, 'report', 'pilot-forest.ldif')]);
    const target = path.join(folder, 'report.json');
    await writeReport(report, { format: 'json', path: target }, { quiet: true, rendered: () => undefined });
    expect(await readFile(target, 'utf8')).toBe(wholeJson(report));

    const forest = report.forests[0] as ForestReport;
    const broken = { ...report, forests: [{ ...forest, findings: forest.findings.map((f) => ({ ...f, objects: [{ dn: 42 }] })) }] } as unknown as Report;
    const other = path.join(folder, 'broken.json');
    await expect(writeReport(broken, { format: 'json', path: other }, { quiet: true, rendered: () => undefined })).rejects.toThrow(/expected string/i);
    expect(await readdir(folder)).toEqual(['report.json']);
  });
});
