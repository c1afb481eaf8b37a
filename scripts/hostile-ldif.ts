/**
 * Runs every hostile LDIF case (tests/hostile/ldif-cases.ts) through the compiled CLI, one process each, and
 * prints for each: exit code, whether it ended in clear one-line errors (no stack trace), the first input
 * problem, peak RSS and wall time. Peak RSS comes from the child's own rusage (the kernel's maxrss).
 *
 *   npm run build && npx tsx scripts/hostile-ldif.ts          # fast cases
 *   npm run build && npx tsx scripts/hostile-ldif.ts --slow   # also /dev/zero, endless stdin, gzip bomb, giant group, 200 MB line
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { LDIF_CASES, SLOW_LDIF_CASES, endlessRecord } from '../tests/hostile/ldif-cases.js';

const CLI = fileURLToPath(new URL('../bin/readiness.js', import.meta.url));

export interface CliRun {
  exit: number | null;
  stderr: string;
  /** Input problems of the JSON report, when one was written. */
  problems: { severity: string; message: string }[];
  peakRssMb: number;
  seconds: number;
  /** stderr holds a stack trace or a V8 crash: the promise of a clear error is broken. */
  crashed: boolean;
}

/** Runs `readiness scan ARGS --format json -o report.json` under /usr/bin/time; `stdin` is piped in when given. */
export function runScan(args: readonly string[], dir: string, stdin?: AsyncIterable<Buffer> | Buffer): Promise<CliRun> {
  const report = join(dir, 'report.json');
  const rusage = join(dir, 'rusage.txt');
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn('/usr/bin/time', ['-o', rusage, '-f', '%M', process.execPath, CLI, 'scan', ...args, '--format', 'json', '-o', report], {
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', NO_COLOR: '1' },
      stdio: ['pipe', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.stdin.on('error', () => undefined); // the CLI stops reading an endless stdin on purpose
    if (stdin === undefined) child.stdin.end();
    else if (Buffer.isBuffer(stdin)) child.stdin.end(stdin);
    else Readable.from(stdin).pipe(child.stdin);
    child.on('error', reject);
    child.on('close', (exit) => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      let problems: CliRun['problems'] = [];
      try {
        // Report schema 3: each forest carries its own input problems.
        const written = JSON.parse(readFileSync(report, 'utf8')) as { forests: { problems: CliRun['problems'] }[] };
        problems = written.forests.flatMap((forest) => forest.problems);
      } catch {
        // no report: the error is on stderr
      }
      const peakRssMb = Number(readFileSync(rusage, 'utf8').trim().split('\n').at(-1)) / 1024;
      const crashed = /\n\s+at |FATAL ERROR|heap out of memory|internal error/i.test(stderr);
      resolve({ exit, stderr: stderr.replace(/^Command exited with non-zero status \d+\n/m, ''), problems, peakRssMb, seconds, crashed });
    });
  });
}

function row(cells: readonly (string | number)[]): string {
  return `| ${cells.join(' | ')} |`;
}

async function main(): Promise<void> {
  const slow = process.argv.includes('--slow');
  const root = mkdtempSync(join(tmpdir(), 'readiness-hostile-'));
  try {
    console.log(row(['case', 'exit', 'clear error', 'first problem', 'peak RSS MB', 's']));
    console.log(row(['---', '---:', '---', '---', '---:', '---:']));
    for (const [i, hostile] of LDIF_CASES.entries()) {
      const dir = join(root, `fast-${i}`);
      await mkdir(dir);
      const inputs = await hostile.write(dir);
      const flags = [
        ...(hostile.limits?.recordBytes === undefined ? [] : ['--max-record-mb', String(hostile.limits.recordBytes / 2 ** 20)]),
        ...(hostile.limits?.valueBytes === undefined ? [] : ['--max-value-mb', String(hostile.limits.valueBytes / 2 ** 20)]),
      ];
      const run = await runScan(['--ldif', ...inputs.files, ...flags], dir, inputs.stdin);
      const first = run.problems[0];
      const clear = !run.crashed && (hostile.problems.length === 0 || run.problems.length > 0);
      console.log(
        row([
          hostile.name,
          run.exit ?? 'signal',
          clear ? 'yes' : 'NO',
          first === undefined ? '–' : `${first.severity}: ${first.message.slice(0, 70)}`,
          run.peakRssMb.toFixed(0),
          run.seconds.toFixed(2),
        ]),
      );
    }
    if (!slow) return;
    for (const [i, hostile] of SLOW_LDIF_CASES.entries()) {
      const dir = join(root, `slow-${i}`);
      await mkdir(dir);
      const { args, stdin } = await hostile.write(dir);
      const run = await runScan(args, dir, stdin === 'endless-record' ? endlessRecord() : undefined);
      const first = run.problems[0];
      const clear =
        !run.crashed && hostile.exits.includes(run.exit ?? -1) && (hostile.message === undefined || run.problems.some((p) => hostile.message?.test(p.message)));
      console.log(
        row([
          hostile.name,
          run.exit ?? 'signal',
          clear ? 'yes' : 'NO',
          first === undefined ? '–' : `${first.severity}: ${first.message.slice(0, 70)}`,
          run.peakRssMb.toFixed(0),
          run.seconds.toFixed(2),
        ]),
      );
      rmSync(dir, { recursive: true, force: true });
    }
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) await main();
