import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';

/**
 * Runs the built CLI against hostile inputs the way an administrator would, and keeps the figures the
 * issue's closing note asks for: per case the exit code, the time, the peak memory, and whether it
 * ended as a clear one-line error (no stack trace, no "internal error").
 */
export interface HostileRun {
  status: number | null;
  stdout: string;
  stderr: string;
  seconds: number;
  /** Peak resident memory of the child in MB; undefined when it died before it could say. */
  maxRssMb: number | undefined;
  /** Killed by the harness after the time limit: a hang. */
  hung: boolean;
}

export interface RunOptions {
  cwd?: string;
  env?: Record<string, string>;
  /** Written to stdin, which is then closed, unless `keepStdinOpen`. */
  input?: string | Buffer;
  keepStdinOpen?: boolean;
  /** Standard input that never ends and never has a line break (`yes x | tr -d '\n'`). */
  endlessStdin?: boolean;
  /** A file descriptor for stdout (`> /dev/full`) instead of a pipe. */
  stdoutFd?: number;
  /** Close the read end of stdout at once (`| true`). */
  closeStdout?: boolean;
  timeoutMs?: number;
  /** SIGKILL the child after this long, as a crash or an impatient operator would. */
  killAfterMs?: number;
}

// The child reports its own peak RSS on fd 3 as it exits; a preload keeps the product free of test hooks.
const RSS_PRELOAD = `data:text/javascript,${encodeURIComponent("import { writeSync } from 'node:fs'; process.on('exit', () => { try { writeSync(3, String(process.resourceUsage().maxRSS)); } catch {} });")}`;

export function runCli(bin: string, args: readonly string[], options: RunOptions = {}): Promise<HostileRun> {
  const env: Record<string, string> = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', NO_COLOR: '1', ...options.env };
  const started = performance.now();
  const child = spawn(process.execPath, ['--import', RSS_PRELOAD, bin, ...args], {
    cwd: options.cwd,
    env,
    stdio: ['pipe', options.stdoutFd ?? 'pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  let rss = '';
  if (options.closeStdout === true) child.stdout?.destroy();
  else child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  child.stdio[3]?.on('data', (chunk: Buffer) => (rss += chunk.toString()));
  child.stdin?.on('error', () => undefined); // the child may stop reading, as it should
  if (options.endlessStdin === true) {
    const chunk = Buffer.alloc(65_536, 'x');
    const feed = (): void => {
      while (child.stdin !== null && !child.stdin.destroyed && child.stdin.write(chunk));
      child.stdin?.once('drain', feed);
    };
    feed();
  } else {
    child.stdin?.write(options.input ?? '');
    if (options.keepStdinOpen !== true) child.stdin?.end();
  }
  let hung = false;
  const timer = setTimeout(() => {
    hung = true;
    child.kill('SIGKILL');
  }, options.timeoutMs ?? 30_000);
  const kill = options.killAfterMs === undefined ? undefined : setTimeout(() => child.kill('SIGKILL'), options.killAfterMs);
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (status) => {
      clearTimeout(timer);
      clearTimeout(kill);
      child.stdin?.destroy();
      const kb = Number(rss);
      resolve({
        status,
        stdout,
        stderr,
        seconds: (performance.now() - started) / 1000,
        maxRssMb: rss === '' || !Number.isFinite(kb) ? undefined : Math.round(kb / 1024),
        hung,
      });
    });
  });
}

interface CaseRecord {
  group: string;
  name: string;
  status: number | null;
  seconds: number;
  maxRssMb: number | undefined;
  clearError: boolean;
  crashed: boolean;
  hung: boolean;
  leaked: boolean;
  /** Input that was given but neither read nor reported. */
  dropped: boolean;
}

const records: CaseRecord[] = [];

/** A stack frame, an internal error or a V8 abort is a crash, whatever the exit code. */
function crashed(run: HostileRun): boolean {
  return (
    /^\s+at .+:\d+:\d+\)?$/m.test(run.stderr) ||
    run.stderr.includes('internal error') ||
    /FATAL ERROR|Aborted|Segmentation/.test(run.stderr) ||
    (run.status === null && !run.hung)
  );
}

/**
 * The case ended with the expected exit code, within the time limit, with one error line and one hint
 * line on stderr (or nothing, for a quiet end), and none of `secrets` anywhere in what it printed.
 */
export function expectOutcome(
  group: string,
  name: string,
  run: HostileRun,
  expected: { status: number; stderr?: RegExp; quiet?: boolean; secrets?: readonly string[]; maxSeconds?: number; dropped?: boolean },
): void {
  const lines = run.stderr.split('\n').filter((line) => line !== '' && !line.startsWith('readiness: warning'));
  const clearError = expected.quiet === true ? run.stderr === '' : lines.length >= 1 && lines.length <= 2 && (lines[0] ?? '').startsWith('readiness: error: ');
  const printed = `${run.stdout}\n${run.stderr}`.toLowerCase();
  const leaked = (expected.secrets ?? []).some((secret) => printed.includes(secret.toLowerCase()));
  const dropped = expected.dropped === true;
  records.push({
    group,
    name,
    status: run.status,
    seconds: run.seconds,
    maxRssMb: run.maxRssMb,
    clearError,
    crashed: crashed(run),
    hung: run.hung,
    leaked,
    dropped,
  });
  expect(dropped, `${name}: input dropped silently`).toBe(false);
  expect(run.hung, `${name}: hung`).toBe(false);
  expect(crashed(run), `${name}: crashed:\n${run.stderr}`).toBe(false);
  expect(leaked, `${name}: printed a secret`).toBe(false);
  expect(run.status, `${name}: exit code; stderr:\n${run.stderr}`).toBe(expected.status);
  expect(clearError, `${name}: not one clear error line:\n${run.stderr}`).toBe(true);
  if (expected.stderr !== undefined) expect(run.stderr).toMatch(expected.stderr);
  expect(run.seconds, `${name}: took ${run.seconds.toFixed(1)} s`).toBeLessThan(expected.maxSeconds ?? 15);
}

/** The figures of every case run so far: printed, and written to $READINESS_HOSTILE_SUMMARY when set. */
export function summarise(suite: string): void {
  const groups = [...new Set(records.map((r) => r.group))].map((group) => {
    const cases = records.filter((r) => r.group === group);
    const rss = cases.map((r) => r.maxRssMb).filter((mb): mb is number => mb !== undefined);
    return {
      group,
      cases: cases.length,
      clearErrors: cases.filter((r) => r.clearError).length,
      crashes: cases.filter((r) => r.crashed).length,
      hangs: cases.filter((r) => r.hung).length,
      leaks: cases.filter((r) => r.leaked).length,
      silentDrops: cases.filter((r) => r.dropped).length,
      maxRssMb: rss.length === 0 ? undefined : Math.max(...rss),
      maxSeconds: Number(Math.max(...cases.map((r) => r.seconds)).toFixed(1)),
    };
  });
  console.log(`hostile suite ${suite}:\n${groups.map((g) => JSON.stringify(g)).join('\n')}`);
  const folder = process.env.READINESS_HOSTILE_SUMMARY;
  if (folder !== undefined && folder !== '') writeFileSync(join(folder, `${suite}.json`), `${JSON.stringify({ suite, groups, cases: records }, null, 2)}\n`);
}

export function scratchFolder(): string {
  return mkdtempSync(join(tmpdir(), 'readiness-hostile-'));
}
