import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chooseFormat, prepareOutput, writeReport } from '../../src/cli/output.js';
import type { Report } from '../../src/report/schema.js';
import { hard, oneForest, report, scanPilotForest } from '../report/helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'readiness-output-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let sample: Report;
beforeAll(async () => {
  sample = oneForest(report(await scanPilotForest([hard])));
});

describe('format registry', () => {
  it('takes the format from the extension, in any letter case, and --format over it', () => {
    expect(chooseFormat(undefined, 'r.json')).toBe('json');
    expect(chooseFormat(undefined, 'R.MD')).toBe('md');
    expect(chooseFormat(undefined, 'r.markdown')).toBe('md');
    expect(chooseFormat(undefined, 'r.txt')).toBe('table');
    expect(chooseFormat(undefined, 'R.HTML')).toBe('html');
    expect(chooseFormat('html', 'r.txt')).toBe('html');
    expect(chooseFormat('json', 'r.html')).toBe('json');
  });

  it('refuses an extension or a format it does not know, naming the ones it does', () => {
    expect(() => chooseFormat(undefined, 'r.pdf')).toThrow(/r\.pdf: the extension does not name a report format/);
    expect(() => chooseFormat(undefined, 'report')).toThrow(/does not name a report format/);
    expect(() => chooseFormat('pdf', undefined)).toThrow(/unknown format "pdf"/);
    expect(() => chooseFormat('toString', undefined)).toThrow(/unknown format/);
  });
});

describe('--output', () => {
  it('is checked before the scan: folder missing, not a folder, the target a folder', async () => {
    await expect(prepareOutput(undefined, join(dir, 'missing', 'r.json'))).rejects.toThrow(/does not exist/);
    writeFileSync(join(dir, 'file'), '');
    await expect(prepareOutput(undefined, join(dir, 'file', 'r.json'))).rejects.toThrow(/is not a folder/);
    mkdirSync(join(dir, 'taken.json'));
    await expect(prepareOutput(undefined, join(dir, 'taken.json'))).rejects.toThrow(/is a folder/);
    await expect(prepareOutput(undefined, join(dir, 'ok.md'))).resolves.toEqual({ format: 'md', path: join(dir, 'ok.md') });
  });

  it('leaves the previous report as it was when the new one cannot be written, and no temporary file', async () => {
    const target = join(dir, 'report.json');
    writeFileSync(target, 'previous report');
    // Fault injection: the temporary file's name is taken by a folder, so writing it fails.
    const blocker = join(dir, `.report.json.${process.pid}.tmp`);
    mkdirSync(blocker);
    await expect(writeReport(sample, { format: 'json', path: target }, { quiet: true, rendered: () => undefined })).rejects.toThrow(
      /^cannot write .*report\.json: EEXIST$/,
    );
    expect(readFileSync(target, 'utf8')).toBe('previous report');
    rmSync(blocker, { recursive: true });
    await writeReport(sample, { format: 'json', path: target }, { quiet: true, rendered: () => undefined });
    expect((JSON.parse(readFileSync(target, 'utf8')) as Report).verdict).toBe(sample.verdict);
    expect(readdirSync(dir).filter((name) => name.endsWith('.tmp'))).toEqual([]);
  });
});
