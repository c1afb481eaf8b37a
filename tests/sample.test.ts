import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scan } from '../src/checks/engine.js';
import { CHECKS } from '../src/checks/registry.js';
import { buildReport } from '../src/report/build.js';
import { renderJson } from '../src/reporters/json.js';
import type { ForestReport, Report } from '../src/report/schema.js';
import { oneForest } from './report/helpers.js';
import { LdifSource } from '../src/sources/ldif/source.js';
import { generateSample } from '../scripts/generate-sample.js';
import { loadAnswers } from '../src/config/answers.js';

const SAMPLE = path.join(import.meta.dirname, '..', 'fixtures', 'sample');
const DIALECTS = { ldifde: '.ldf', ldapsearch: '.ldif' } as const;

async function files(folder: string, extension: string): Promise<string[]> {
  return (await readdir(folder))
    .filter((f) => f.endsWith(extension))
    .sort()
    .map((f) => path.join(folder, f));
}

async function reportFor(dialect: keyof typeof DIALECTS): Promise<ForestReport> {
  const sources = (await files(path.join(SAMPLE, dialect), DIALECTS[dialect])).map((f) => new LdifSource(f));
  const result = await scan(sources, { checks: CHECKS });
  return buildReport(result, { toolVersion: 'test', target: 'cloud-sync', allowPreview: false, now: new Date(0) });
}

/** What must not depend on the export tool: everything but the input file names. */
function dialectFree(report: ForestReport): Omit<ForestReport, 'inputs' | 'generatedAt'> {
  const { inputs: _inputs, generatedAt: _generatedAt, ...rest } = report;
  return rest;
}

describe('bundled sample forest', () => {
  let ldifde: ForestReport;
  let ldapsearch: ForestReport;
  beforeAll(async () => {
    [ldifde, ldapsearch] = await Promise.all([reportFor('ldifde'), reportFor('ldapsearch')]);
  });

  it('reads both dialects without a single input problem', () => {
    expect(ldifde.problems).toEqual([]);
    expect(ldapsearch.problems).toEqual([]);
  });

  it('gives the same inventory, checks and findings from ldifde and ldapsearch exports', () => {
    expect(dialectFree(ldapsearch)).toEqual(dialectFree(ldifde));
  });

  it('holds the forest the README promises', () => {
    const { inventory } = ldifde;
    expect(inventory.domains.map((d) => d.dnsName)).toEqual(['corp.contoso.test', 'emea.corp.contoso.test']);
    expect(inventory.forest.schemaVersion).toBe(88);
    expect(inventory.forest.upnSuffixes).toContain('contoso.local');
    const users = inventory.domains.reduce((n, d) => n + d.users, 0);
    expect(users).toBeGreaterThan(300);
    // The ranged group: both range windows merged, so its size is exact, not "may be truncated".
    expect(inventory.groups.large).toEqual([expect.objectContaining({ members: 1535, completeness: 'exact' })]);
    expect(inventory.trusts.map((t) => t.partner)).toEqual(expect.arrayContaining(['fabrikam.test', 'emea.corp.contoso.test']));
    const failed = new Set(ldifde.findings.map((f) => f.id));
    for (const id of ['devices.hybrid-join', 'auth.seamless-sso']) expect(failed).toContain(id);
  });
});

describe('the same forest in another file order', () => {
  /** The JSON report without the two fields that name the run: everything else must not move. */
  async function jsonFor(order: (files: string[]) => string[]): Promise<string> {
    const answers = loadAnswers(path.join(SAMPLE, 'answers.yaml'), CHECKS);
    const sources = order(await files(path.join(SAMPLE, 'ldifde'), '.ldf')).map((f) => new LdifSource(f));
    const report = buildReport(await scan(sources, { checks: CHECKS, answers }), {
      toolVersion: 'test',
      target: 'cloud-sync',
      allowPreview: false,
      now: new Date(0),
      answers,
    });
    return renderJson({ ...oneForest({ ...report, inputs: [] }), inputs: [] });
  }

  it('gives a byte-identical report apart from generatedAt and inputs, findings and fingerprints included', async () => {
    const sorted = await jsonFor((f) => f);
    // configuration, domain-emea, domain, schema: reversed, and the child domain before everything else.
    for (const order of [(f: string[]) => [...f].reverse(), (f: string[]) => [f[1], f[3], f[0], f[2]] as string[]]) {
      expect(await jsonFor(order)).toBe(sorted);
    }
    const report = (JSON.parse(sorted) as Report).forests[0] as ForestReport;
    expect(new Set(report.findings.map((f) => f.fingerprint)).size).toBe(report.findings.length);
  });
});

describe('sample generator', () => {
  let folder: string;
  beforeAll(async () => {
    folder = await mkdtemp(path.join(tmpdir(), 'readiness-sample-'));
  });
  afterAll(async () => {
    await rm(folder, { recursive: true, force: true });
  });

  it('regenerates the committed files byte for byte', async () => {
    const written = await generateSample(folder);
    expect(written.length).toBe(8);
    for (const file of written) {
      const committed = path.join(SAMPLE, path.relative(folder, file));
      expect((await readFile(file)).equals(await readFile(committed)), `${committed} differs from a fresh generation`).toBe(true);
    }
  });

  it('keeps each dialect under 2 MB', async () => {
    for (const [dialect, extension] of Object.entries(DIALECTS)) {
      let bytes = 0;
      for (const file of await files(path.join(SAMPLE, dialect), extension)) bytes += (await readFile(file)).length;
      expect(bytes, dialect).toBeLessThan(2_000_000);
    }
  });

  it('with the bundled answers file, gives the README a complete verdict and a pilot plan a team could follow', async () => {
    const answers = loadAnswers(path.join(SAMPLE, 'answers.yaml'), CHECKS);
    const sources = (await files(path.join(SAMPLE, 'ldifde'), '.ldf')).map((f) => new LdifSource(f));
    const report = buildReport(await scan(sources, { checks: CHECKS, answers }), {
      toolVersion: 'test',
      target: 'cloud-sync',
      allowPreview: false,
      now: new Date(0),
      answers,
    });
    expect(report.checks.filter((c) => c.status === 'not-evaluated')).toEqual([]);
    expect(report.verdict).toBe('blocked');
    expect(report.headline).toBe('BLOCKED');
    const plan = report.pilotPlan;
    const wave = (ou: string): number | undefined => plan.candidates.find((c) => c.dn.startsWith(`${ou},`))?.wave;
    const candidates = plan.candidates.map((c) => c.dn.split(',')[0]);
    // Finance and Sales hold the duplicate proxy address; HR is the cleanest OU of ordinary users, and the
    // protected admin accounts (adminCount=1, Domain Admins) come last, never in the pilot.
    expect(candidates).not.toContain('OU=Finance');
    expect(candidates).not.toContain('OU=Sales');
    expect(candidates[0]).toBe('OU=HR');
    expect(candidates.at(-1)).toBe('OU=Admins');
    expect(wave('OU=Admins')).toBe(3);
    // The paste block is the pilot only; Partners (an inetOrgPerson whose password hash Connect keeps syncing) waits.
    expect(plan.cloudSync).toEqual([{ domain: 'corp.contoso.test', ous: ['OU=HR,OU=Users,OU=Corp,DC=corp,DC=contoso,DC=test'], syncedObjects: 30 }]);
    expect(wave('OU=Partners')).toBe(2);
    expect(plan.candidates.find((c) => c.dn.startsWith('OU=Partners,'))?.connectKeeps).toEqual([expect.stringMatching(/^phs\.inetorgperson\//)]);
    // Forest- and domain-wide findings are prerequisites listed once, not held against each OU.
    expect(plan.prerequisites.map((p) => p.domain ?? 'forest')).toEqual(expect.arrayContaining(['corp.contoso.test', 'emea.corp.contoso.test']));
    expect(report.verdicts.containers.find((c) => c.dn.startsWith('OU=HR,'))?.verdict).toBe('ready');
  });
});
