/**
 * Scan benchmark: the real pipeline (LdifSource -> scan() with every registered check -> buildReport
 * -> JSON) over synthetic ldifde exports of several sizes, each run in a fresh child process so that
 * peak RSS belongs to that one scan. Prints entries/s, MB/s, wall time and peak RSS (median of N runs),
 * and, when python-ldap is installed, the time its LDIFParser needs just to parse the same file.
 *
 *   npm run bench                                   # 50k, 200k, 500k users, 3 runs each
 *   npx tsx bench/scan-bench.ts --sizes 50000 --runs 1
 *   npx tsx bench/scan-bench.ts --sizes 200000 --checks none     # inventory only: the pipeline's own memory
 *   npx tsx bench/scan-bench.ts --sizes 200000 --per-check       # peak RSS with each check alone
 *
 * Files are generated on first use into bench/out/ (git-ignored); see bench/README.md for figures.
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { forestFile, writeForest } from './generate-forest.js';

const THIS_FILE = fileURLToPath(import.meta.url);
const PYTHON = '/usr/bin/python3';

interface RunStats {
  entries: number;
  seconds: number;
  /** Peak resident set size of the whole process, in MB. */
  peakRssMb: number;
  /** RSS once the code is loaded, before the scan starts, in MB. */
  startRssMb: number;
  problems: number;
  verdict: string;
}

const DIST = path.join(path.dirname(THIS_FILE), '..', 'dist');

function shipped(module: string): Promise<unknown> {
  return import(pathToFileURL(path.join(DIST, module)).href);
}

/** In the child: one scan, then its figures as one JSON line on stdout. */
async function runChild(file: string, checkFilter: string): Promise<void> {
  // The compiled code that ships (npm run build), not the TypeScript sources transpiled on the fly:
  // the loader's helpers would cost time and memory a user's scan does not pay.
  const { scan } = (await shipped('checks/engine.js')) as typeof import('../src/checks/engine.js');
  const { CHECKS } = (await shipped('checks/registry.js')) as typeof import('../src/checks/registry.js');
  const { buildReport } = (await shipped('report/build.js')) as typeof import('../src/report/build.js');
  const { LdifSource } = (await shipped('sources/ldif/source.js')) as typeof import('../src/sources/ldif/source.js');
  const checks = checkFilter === 'all' ? CHECKS : CHECKS.filter((c) => c.meta.id === checkFilter);
  const startRssMb = process.resourceUsage().maxRSS / 1024;
  const started = performance.now();
  const result = await scan([new LdifSource(file)], { checks });
  const report = buildReport(result, { toolVersion: 'bench', target: 'cloud-sync', allowPreview: false, now: new Date() });
  const json = JSON.stringify(report);
  const seconds = (performance.now() - started) / 1000;
  const stats: RunStats = {
    entries: result.inventory.totals.entries,
    seconds,
    peakRssMb: process.resourceUsage().maxRSS / 1024,
    startRssMb,
    problems: result.problems.length,
    verdict: json.length > 0 ? report.verdict : 'none',
  };
  process.stdout.write(`${JSON.stringify(stats)}\n`);
}

function childRun(file: string, checks: string, cpuProfile: string | undefined): Promise<RunStats> {
  const args = ['--import', 'tsx', ...(cpuProfile === undefined ? [] : ['--cpu-prof', `--cpu-prof-dir=${cpuProfile}`]), THIS_FILE, '--child', file, '--checks', checks];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) reject(new Error(`scan of ${file} exited with ${code}`));
      else resolve(JSON.parse(out.trim().split('\n').pop() ?? '{}') as RunStats);
    });
  });
}

const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? Number.NaN;
};

function pythonLdapAvailable(): boolean {
  try {
    execFileSync(PYTHON, ['-c', 'import ldap, ldif'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

const PYTHON_PARSE = `
import sys, time, ldif
class Counter(ldif.LDIFParser):
    def __init__(self, f):
        super().__init__(f)
        self.entries = 0
    def handle(self, dn, entry):
        self.entries += 1
start = time.perf_counter()
with open(sys.argv[1], 'r', encoding='utf-8') as f:
    parser = Counter(f)
    parser.parse()
print(parser.entries, time.perf_counter() - start)
`;

function pythonParse(file: string): { records: number; seconds: number } {
  const [records, seconds] = execFileSync(PYTHON, ['-c', PYTHON_PARSE, file], { encoding: 'utf8' }).trim().split(' ');
  return { records: Number(records), seconds: Number(seconds) };
}

const fmt = (n: number, digits = 0): string => n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      child: { type: 'string' },
      checks: { type: 'string', default: 'all' },
      sizes: { type: 'string', default: '50000,200000,500000' },
      runs: { type: 'string', default: '3' },
      python: { type: 'string', default: 'auto' },
      'per-check': { type: 'boolean', default: false },
      'cpu-prof': { type: 'string' },
    },
  });
  if (values.child !== undefined) {
    await runChild(values.child, values.checks);
    return;
  }
  if (!existsSync(path.join(DIST, 'checks', 'registry.js'))) {
    console.error('dist/ is missing: run npm run build first (npm run bench does)');
    process.exit(2);
  }
  const sizes = values.sizes.split(',').map(Number);
  const runs = Number(values.runs);
  const python = values.python === 'auto' ? pythonLdapAvailable() : values.python === 'yes';
  console.log(`node ${process.version}, ${runs} run(s) per size, checks: ${values.checks}${python ? '' : ', python-ldap not run (install: apt-get install python3-ldap)'}`);
  console.log('users\tfile MB\tentries\twall s (median)\tentries/s\tMB/s\tpeak RSS MB (median, max)\tRSS at start MB\tpython-ldap parse s');
  for (const users of sizes) {
    const file = forestFile(users);
    if (!existsSync(file)) await writeForest(users, file);
    const mb = statSync(file).size / 1e6;
    const stats: RunStats[] = [];
    for (let i = 0; i < runs; i++) stats.push(await childRun(file, values.checks, values['cpu-prof']));
    const first = stats[0] as RunStats;
    if (first.problems > 0) console.warn(`  ${file}: ${first.problems} input problem(s) reported`);
    const wall = median(stats.map((s) => s.seconds));
    const py = python ? pythonParse(file) : undefined;
    console.log(
      [
        fmt(users),
        fmt(mb, 1),
        fmt(first.entries),
        fmt(wall, 2),
        fmt(first.entries / wall),
        fmt(mb / wall, 1),
        `${fmt(median(stats.map((s) => s.peakRssMb)))}, ${fmt(Math.max(...stats.map((s) => s.peakRssMb)))}`,
        fmt(median(stats.map((s) => s.startRssMb))),
        py === undefined ? '-' : `${fmt(py.seconds, 1)} (${fmt(py.records)} records)`,
      ].join('\t'),
    );
    if (values['per-check']) await perCheck(file);
  }
}

/** Peak RSS with each check alone next to inventory only: shows which check's index grows with the input. */
async function perCheck(file: string): Promise<void> {
  const { CHECKS } = (await shipped('checks/registry.js')) as typeof import('../src/checks/registry.js');
  const base = await childRun(file, 'none', undefined);
  console.log(`  inventory only (no checks): peak RSS ${fmt(base.peakRssMb)} MB, ${fmt(base.seconds, 2)} s`);
  for (const check of CHECKS) {
    const s = await childRun(file, check.meta.id, undefined);
    console.log(`  ${check.meta.id.padEnd(40)} peak RSS ${fmt(s.peakRssMb)} MB (+${fmt(s.peakRssMb - base.peakRssMb)}), ${fmt(s.seconds, 2)} s`);
  }
}

if (process.argv[1] !== undefined && path.resolve(process.argv[1]) === THIS_FILE) await main();
