import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { main } from '../../src/cli/main.js';
import { type ForestReport, reportSchema } from '../../src/report/schema.js';

const ROOT = join(import.meta.dirname, '..', '..');
const SAMPLE = ['domain', 'domain-emea', 'configuration', 'schema'].map((f) => join(ROOT, 'fixtures', 'sample', 'ldifde', `${f}.ldf`));
const SAMPLE_EXPORT = join(ROOT, 'fixtures', 'connect-config', 'sample-forest');
const ANSWERS = join(ROOT, 'fixtures', 'sample', 'answers.yaml');
const scratch = mkdtempSync(join(tmpdir(), 'readiness-connect-cli-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
afterEach(() => vi.restoreAllMocks());

/** The CLI in-process: exit code, what it wrote to stderr and the JSON report it wrote to a file. */
async function scan(...args: string[]): Promise<{ code: number; stderr: string; report: ForestReport | undefined }> {
  const output = join(scratch, `report-${Math.random().toString(36).slice(2)}.json`);
  let stderr = '';
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stderr += String(chunk);
    return true;
  });
  const code = await main(['scan', '--ldif', ...SAMPLE, '--output', output, ...args]);
  let report: ForestReport | undefined;
  try {
    report = reportSchema.parse(JSON.parse(readFileSync(output, 'utf8'))).forests[0];
  } catch {
    report = undefined;
  }
  return { code, stderr, report };
}

describe('readiness scan --connect-config', () => {
  it("answers the sample forest's Connect questions from its export, each naming file and setting", async () => {
    const { report } = await scan('--connect-config', SAMPLE_EXPORT);
    expect(report?.openQuestions.map((q) => q.id)).toEqual(['entra-domain-services', 'kds-root-key-exists']);
    expect(report?.settings.connectConfig).toBe(SAMPLE_EXPORT);
    const answers = Object.fromEntries((report?.answers ?? []).map((a) => [a.id, a]));
    expect(answers['connect-source-anchor']).toMatchObject({
      answer: 'mS-DS-ConsistencyGuid',
      source: { file: 'GlobalSettings/MV.xml', setting: 'Microsoft.SynchronizationOption.AnchorAttribute', value: 'mS-DS-ConsistencyGuid' },
    });
    expect(answers['connect-scope-over-2000']).toMatchObject({
      answer: 'no',
      source: { value: expect.stringMatching(/^\d+ users, groups and contacts in scope$/) },
    });
    for (const id of [
      'connect-custom-sync-rules',
      'connect-custom-upn',
      'connect-directory-extensions',
      'connect-group-filtering',
      'connect-included-containers-over-30',
      'pass-through-authentication',
    ]) {
      expect(answers[id]?.source, id).toBeDefined();
    }
  });

  it("with the team's answers file reaches the same complete verdict as the README scan, and keeps the answers the export agrees with", async () => {
    const { code, report } = await scan('--connect-config', SAMPLE_EXPORT, '--answers', ANSWERS);
    expect(report?.complete).toBe(true);
    expect(report?.verdict).toBe('blocked');
    expect(code).toBe(1);
    expect(report?.answers.filter((a) => a.answersFileValue !== undefined)).toEqual([]);
    expect(report?.answers.find((a) => a.id === 'kds-root-key-exists')).toEqual({ id: 'kds-root-key-exists', answer: 'yes', askedBy: ['gmsa.kds-root-key'] });
  });

  it('reports an answers-file value the export contradicts: the export wins, both are shown', async () => {
    const answers = join(scratch, 'contradicting.yaml');
    writeFileSync(answers, 'connect-source-anchor: objectGUID\n');
    const { report } = await scan('--connect-config', SAMPLE_EXPORT, '--answers', answers);
    expect(report?.answers.find((a) => a.id === 'connect-source-anchor')).toMatchObject({ answer: 'mS-DS-ConsistencyGuid', answersFileValue: 'objectGUID' });
    expect(report?.problems).toContainEqual(
      expect.objectContaining({
        severity: 'warning',
        message: expect.stringContaining('the answers file says connect-source-anchor: objectGUID, but the Connect export says mS-DS-ConsistencyGuid'),
      }),
    );
  });

  it('is read from a config file too, relative to it', async () => {
    writeFileSync(join(scratch, 'config.yaml'), `connectConfig: ${relative(scratch, SAMPLE_EXPORT)}\n`);
    const { report } = await scan('--config', join(scratch, 'config.yaml'));
    expect(report?.settings.connectConfig).toBe(SAMPLE_EXPORT);
    expect(report?.openQuestions.map((q) => q.id)).not.toContain('connect-source-anchor');
  });

  it('2: a folder that is not an export is one line and a hint, no report and no stack trace', async () => {
    const { code, stderr, report } = await scan('--connect-config', join(ROOT, 'fixtures', 'sample'));
    expect(code).toBe(2);
    expect(report).toBeUndefined();
    expect(stderr).toMatch(
      /^readiness: error: .*fixtures\/sample: not a Connect Sync configuration export \(no Connectors\/, GlobalSettings\/, SynchronizationRules\/ folder\)\nreadiness: hint: on the Connect Sync server run Get-ADSyncServerConfiguration -Path DIR/,
    );
    expect(stderr).not.toMatch(/\n\s+at /);
  });
});
