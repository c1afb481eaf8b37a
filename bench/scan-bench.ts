/**
 * Scan benchmark: the shipped CLI (`readiness scan --ldif FILE --format json -o FILE`) over synthetic exports of
 * several shapes and sizes, each scan in a fresh process so that its peak RSS is its own, next to two references
 * run on the same file in the same rounds: python-ldap's LDIFParser (parse only) and `cat` (reading the bytes).
 * Rounds interleave the three, so load from other processes falls on all of them alike; medians are printed.
 *
 *   npm run bench                                                   # both shapes, 50k / 200k / 500k users, 3 rounds
 *   npx tsx bench/scan-bench.ts --with-1m                           # and 1,000,000 users
 *   npx tsx bench/scan-bench.ts --shapes upn-local --sizes 200000 --runs 1
 *   npx tsx bench/scan-bench.ts --sizes 200000 --checks none        # the pipeline alone (every check switched off)
 *   npx tsx bench/scan-bench.ts --sizes 200000 --per-check          # peak RSS with each check alone
 *   npx tsx bench/scan-bench.ts --sizes 200000 --runs 1 --no-refs --node-flags="--cpu-prof --cpu-prof-dir=/tmp/prof"
 *
 * Files are generated on first use into bench/out/ (git-ignored); bench/README.md explains every figure.
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, openSync, readSync, closeSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { SHAPES, type Shape, forestFile, isShape, writeForest } from './generate-forest.js';

const THIS_FILE = fileURLToPath(import.meta.url);
const ROOT = path.join(path.dirname(THIS_FILE), '..');
const CLI = path.join(ROOT, 'bin', 'readiness.js');
const PYTHON = '/usr/bin/python3';
const ONE_MILLION = 1_000_000;

/** Loaded into the scan's process: writes its peak RSS (kB) to fd 3 as it exits, so the parent can read it. */
const PEAK_RSS_HOOK = `data:text/javascript,${encodeURIComponent(
  "import { writeSync } from 'node:fs'; process.on('exit', () => { try { writeSync(3, String(process.resourceUsage().maxRSS)); } catch {} });",
)}`;

interface ScanRun {
  seconds: number;
  peakRssMb: number;
}

interface Row {
  shape: Shape;
  users: number;
  mb: number;
  entries: number;
  scans: ScanRun[];
  python: number[];
  cat: number[];
}

const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? Number.NaN;
};

const fmt = (n: number, digits = 0): string =>
  Number.isNaN(n) ? '-' : n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });

function run(command: string, args: readonly string[], extraFd = false): Promise<{ seconds: number; code: number | null; fd3: string }> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(command, args, { stdio: ['ignore', 'ignore', 'inherit', ...(extraFd ? (['pipe'] as const) : [])] });
    let fd3 = '';
    const pipe = child.stdio[3];
    if (pipe !== undefined && pipe !== null) pipe.on('data', (chunk: Buffer) => (fd3 += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => resolve({ seconds: (performance.now() - started) / 1000, code, fd3 }));
  });
}

/** One scan by the shipped CLI, timed from spawn to exit (node's start-up included: a user pays it too). */
async function scanOnce(file: string, report: string, config: string | undefined, nodeFlags: readonly string[]): Promise<ScanRun> {
  const args = [...nodeFlags, '--import', PEAK_RSS_HOOK, CLI, 'scan', '--ldif', file, '--format', 'json', '--output', report];
  if (config !== undefined) args.push('--config', config);
  const { seconds, code, fd3 } = await run(process.execPath, args, true);
  // 0: no blocker, 1: blockers, 3: incomplete; anything else (2: usage, crashes) is a failed bench.
  if (code !== 0 && code !== 1 && code !== 3) throw new Error(`readiness scan --ldif ${file} exited with ${code}`);
  return { seconds, peakRssMb: Number(fd3) / 1024 };
}

/** The report's entry count, read from its head so that a report of a million findings need not be parsed. */
function entriesInReport(report: string): number {
  const head = Buffer.alloc(1 << 20);
  const fd = openSync(report, 'r');
  try {
    const read = readSync(fd, head, 0, head.length, 0);
    const match = /"entries":\s*(\d+)/.exec(head.toString('utf8', 0, read));
    return match === null ? Number.NaN : Number(match[1]);
  } finally {
    closeSync(fd);
  }
}

function pythonLdapAvailable(): boolean {
  try {
    execFileSync(PYTHON, ['-c', 'import ldap, ldif'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/**
 * python-ldap's LDIFParser.parse_entry_records loop, with one change: ldapsearch's "search:"/"result:" records
 * (after every page) are skipped instead of refused, as python-ldap stops at a record without "dn:".
 */
const PYTHON_PARSE = `
import sys, time, ldif
class Counter(ldif.LDIFParser):
    def parse_entry_records(self):
        next_key_and_value = self._next_key_and_value
        try:
            k, v = self._consume_empty_lines()
            if k == 'version':
                k, v = self._consume_empty_lines()
        except EOFError:
            return
        while k is not None:
            if k != 'dn':
                while k is not None:
                    k, v = next_key_and_value()
                k, v = self._consume_empty_lines()
                continue
            dn = v.decode('utf-8')
            if not ldif.is_dn(dn):
                raise ValueError('not a DN: %r' % dn)
            entry = {}
            k, v = next_key_and_value()
            while k is not None:
                if not k.lower() in self._ignored_attr_types:
                    try:
                        entry[k].append(v)
                    except KeyError:
                        entry[k] = [v]
                try:
                    k, v = next_key_and_value()
                except EOFError:
                    k, v = None, None
            self.handle(dn, entry)
            self.records_read += 1
            k, v = self._consume_empty_lines()
    def handle(self, dn, entry):
        pass
start = time.perf_counter()
with open(sys.argv[1], 'r', encoding='utf-8') as f:
    parser = Counter(f)
    parser.parse()
print(parser.records_read, time.perf_counter() - start)
`;

/** python-ldap's own parse time (its interpreter start-up excluded, which favours it slightly). */
function pythonParse(file: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(PYTHON, ['-c', PYTHON_PARSE, file], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0 ? resolve(Number(out.trim().split(' ')[1])) : reject(new Error(`python-ldap parse of ${file} exited with ${code}`)),
    );
  });
}

async function catOnce(file: string): Promise<number> {
  const { seconds, code } = await run('cat', [file]);
  if (code !== 0) throw new Error(`cat ${file} exited with ${code}`);
  return seconds;
}

/** A config file that switches off every check but `keep` ('none': all of them). */
function configKeeping(keep: string, ids: readonly string[], dir: string): string | undefined {
  if (keep === 'all') return undefined;
  if (keep !== 'none' && !ids.includes(keep)) throw new Error(`--checks: no check "${keep}" (all, none or a check id)`);
  const file = path.join(dir, `config-${keep}.yaml`);
  const disable = ids.filter((id) => id !== keep);
  writeFileSync(file, `checks:\n  disable:\n${disable.map((id) => `    - ${id}\n`).join('')}`);
  return file;
}

function checkIds(): string[] {
  const metas = JSON.parse(execFileSync(process.execPath, [CLI, 'checks', '--json'], { encoding: 'utf8' })) as { id: string }[];
  return metas.map((m) => m.id);
}

function printHeader(python: boolean, refs: boolean): void {
  const columns = ['shape', 'users', 'file MB', 'entries', 'wall s', 'entries/s', 'MB/s', 'peak RSS MB (median, max)'];
  if (python) columns.push('python-ldap s', 'python-ldap/scan');
  if (refs) columns.push('cat s', 'scan/cat');
  console.log(columns.join('\t'));
}

function printRow(row: Row, python: boolean, refs: boolean): void {
  const wall = median(row.scans.map((s) => s.seconds));
  const rss = row.scans.map((s) => s.peakRssMb);
  const cells = [
    row.shape,
    fmt(row.users),
    fmt(row.mb, 1),
    fmt(row.entries),
    fmt(wall, 2),
    fmt(row.entries / wall),
    fmt(row.mb / wall, 1),
    `${fmt(median(rss))}, ${fmt(Math.max(...rss))}`,
  ];
  if (python) cells.push(fmt(median(row.python), 2), `${fmt(median(row.python) / wall, 2)}x`);
  if (refs) cells.push(fmt(median(row.cat), 2), `${fmt(wall / median(row.cat), 1)}x`);
  console.log(cells.join('\t'));
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      shapes: { type: 'string', default: SHAPES.join(',') },
      sizes: { type: 'string', default: '50000,200000,500000' },
      'with-1m': { type: 'boolean', default: false },
      runs: { type: 'string', default: '3' },
      checks: { type: 'string', default: 'all' },
      'per-check': { type: 'boolean', default: false },
      'no-refs': { type: 'boolean', default: false },
      'node-flags': { type: 'string', default: '' },
    },
  });
  if (!existsSync(path.join(ROOT, 'dist', 'cli', 'main.js'))) {
    console.error('dist/ is missing: run npm run build first (npm run bench does)');
    process.exit(2);
  }
  const shapes = values.shapes.split(',');
  const badShape = shapes.find((s) => !isShape(s));
  if (badShape !== undefined) {
    console.error(`--shapes: "${badShape}" is not one of ${SHAPES.join(', ')}`);
    process.exit(2);
  }
  const sizes = values.sizes.split(',').map(Number);
  if (values['with-1m'] && !sizes.includes(ONE_MILLION)) sizes.push(ONE_MILLION);
  const runs = Number(values.runs);
  const refs = !values['no-refs'];
  const python = refs && pythonLdapAvailable();
  const nodeFlags = values['node-flags'].split(' ').filter((f) => f !== '');
  const work = mkdtempSync(path.join(tmpdir(), 'readiness-bench-'));
  const ids = checkIds();
  try {
    const config = configKeeping(values.checks, ids, work);
    const report = path.join(work, 'report.json');
    console.log(
      `node ${process.version}, ${runs} interleaved round(s), checks: ${values.checks} (${ids.length} registered)` +
        `${refs && !python ? ', python-ldap not run (Debian: apt-get install python3-ldap)' : ''}`,
    );
    printHeader(python, refs);
    for (const users of sizes) {
      for (const shape of shapes as Shape[]) {
        const file = forestFile(users, shape);
        if (!existsSync(file)) await writeForest(users, file, shape);
        const row: Row = { shape, users, mb: statSync(file).size / 1e6, entries: Number.NaN, scans: [], python: [], cat: [] };
        for (let round = 0; round < runs; round++) {
          row.scans.push(await scanOnce(file, report, config, nodeFlags));
          if (round === 0) row.entries = entriesInReport(report);
          if (python) row.python.push(await pythonParse(file));
          if (refs) row.cat.push(await catOnce(file));
        }
        printRow(row, python, refs);
        if (values['per-check']) await perCheck(file, ids, work, report);
      }
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** Peak RSS with each check alone next to every check off: shows which check's index grows with the input. */
async function perCheck(file: string, ids: readonly string[], work: string, report: string): Promise<void> {
  const base = await scanOnce(file, report, configKeeping('none', ids, work), []);
  console.log(`  no checks: peak RSS ${fmt(base.peakRssMb)} MB, ${fmt(base.seconds, 2)} s`);
  for (const id of ids) {
    const s = await scanOnce(file, report, configKeeping(id, ids, work), []);
    console.log(`  ${id.padEnd(40)} peak RSS ${fmt(s.peakRssMb)} MB (+${fmt(s.peakRssMb - base.peakRssMb)}), ${fmt(s.seconds, 2)} s`);
  }
}

if (process.argv[1] !== undefined && path.resolve(process.argv[1]) === THIS_FILE) await main();
