import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reportSchema } from '../../src/report/schema.js';
import { buildCli } from '../cli/built-cli.js';
import { expectOutcome, runCli, scratchFolder, summarise } from './cli-harness.js';
import { domainHead, ONE_CHECK_CONFIG, users, writeManyExports } from './forest.js';

/**
 * The big cases of the CLI's hostile suite: READINESS_HOSTILE_SLOW=1 npx vitest run tests/hostile/cli-slow.test.ts
 * (data generated here, into a temporary folder).
 */
const slow = process.env.READINESS_HOSTILE_SLOW === '1';
const FILES = 10_000;
let bin = '';
const dir = scratchFolder();

describe.skipIf(!slow)('10,000 input files', () => {
  const exports = join(dir, 'exports');
  let usersWritten = 0;
  beforeAll(() => {
    bin = buildCli('readiness-hostile-slow-test');
    mkdirSync(exports);
    usersWritten = writeManyExports(exports, FILES, 2, (path, text) => writeFileSync(path, text));
    writeFileSync(join(dir, 'one-check.yaml'), ONE_CHECK_CONFIG);
  }, 600_000);
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
    summarise('cli-slow');
  }, 120_000);

  for (const [name, arg, cwd] of [
    ['as a folder', exports, undefined],
    ['as a quoted glob pattern', 'exports/*.ldf', dir],
  ] as const) {
    it(`reads all of them ${name}, each once, in flat memory`, async () => {
      const run = await runCli(bin, ['scan', '--ldif', arg, '--config', join(dir, 'one-check.yaml')], { cwd, timeoutMs: 300_000 });
      const report = reportSchema.parse(JSON.parse(run.stdout));
      const users = report.forests[0]?.inventory.domains.reduce((sum, domain) => sum + domain.users, 0);
      expectOutcome('inputs-10k', `10,000 files ${name}`, run, {
        status: 0,
        quiet: true,
        maxSeconds: 300,
        dropped: report.inputs.length !== FILES || users !== usersWritten,
      });
      expect(run.maxRssMb).toBeLessThan(400);
    }, 320_000);
  }
});

describe.skipIf(!slow)('a kill at any moment of a scan with --output', () => {
  const folder = scratchFolder();
  afterAll(() => rmSync(folder, { recursive: true, force: true }));

  it('leaves either the previous report or the complete new one, never a part of it', async () => {
    const killBin = buildCli('readiness-hostile-kill-test');
    const forest = join(folder, 'forest.ldf');
    writeFileSync(forest, domainHead + users('Staff', 30_000));
    const target = join(folder, 'report.json');
    const outcomes = new Set<string>();
    // Kill times spread around how long a whole run takes here, so some fall while the report is written; one
    // during start-up, and, when the machine got busier than while the whole run was timed, later ones until a
    // run finishes (without them a loaded CI machine saw only 'previous').
    const whole = (await runCli(killBin, ['scan', '--ldif', forest, '--output', target], { timeoutMs: 120_000 })).seconds * 1000;
    const around = Array.from({ length: 9 }, (_, i) => whole * (0.5 + 0.1 * i));
    const later = Array.from({ length: 6 }, (_, i) => whole * (1.5 + 0.5 * i));
    for (const delay of [whole * 0.05, ...around, ...later]) {
      if (delay > whole * 1.3 && outcomes.has('complete')) break;
      writeFileSync(target, 'previous report');
      await runCli(killBin, ['scan', '--ldif', forest, '--output', target], { killAfterMs: delay, timeoutMs: 60_000 });
      const text = readFileSync(target, 'utf8');
      const state = text === 'previous report' ? 'previous' : parses(text) ? 'complete' : 'partial';
      expect(state, `killed after ${delay} ms`).not.toBe('partial');
      outcomes.add(state);
    }
    // Killed both before and after the report was written, so the write itself was in the window.
    expect([...outcomes].sort()).toEqual(['complete', 'previous']);
  }, 300_000);
});

describe.skipIf(!slow)('a temporary folder that cannot be written', () => {
  const folder = scratchFolder();
  afterAll(() => rmSync(folder, { recursive: true, force: true }));

  it('ends the scan in one line naming the folder and TMPDIR (exit 2), and leaves the previous report', async () => {
    const tmpBin = buildCli('readiness-hostile-tmpdir-test');
    // 70,000 users on a non-routable suffix: one finding lists them all, more than the report sorts in memory at once.
    const forest = join(folder, 'forest.ldf');
    writeFileSync(forest, domainHead + users('Staff', 70_000, (i) => [`userPrincipalName: staff-${i}@corp.local`]));
    const target = join(folder, 'report.json');
    writeFileSync(target, 'previous report');
    const run = await runCli(tmpBin, ['scan', '--ldif', forest, '--output', target], { env: { TMPDIR: join(folder, 'missing') }, timeoutMs: 120_000 });
    expect(run.status).toBe(2);
    expect(run.stderr.trimEnd().split('\n')).toEqual([
      expect.stringMatching(/^readiness: error: cannot write a temporary file in .*missing \(ENOENT\): .*set TMPDIR to a folder you can write to/),
    ]);
    expect(readFileSync(target, 'utf8')).toBe('previous report');
  }, 180_000);
});

function parses(text: string): boolean {
  try {
    reportSchema.parse(JSON.parse(text));
    return true;
  } catch {
    return false;
  }
}
