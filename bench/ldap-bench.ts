// Live scan speed against ldapsearch fetching the same partitions and attributes from the same DC.
//
//   bash bench/ldap-seed-large.sh            # once: a DC with 20,000 users and a 20,000-member group
//   npx tsx bench/ldap-bench.ts [WORKDIR]    # WORKDIR defaults to .samba-ci-large (its env and password files)
//
// Prints the median of 3 interleaved runs for: ldapsearch -E pr=1000/noprompt (output to /dev/null), the LDAP source
// alone (every entry read and normalised), and the whole scan (inventory and every check), with ratios.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { scan } from '../src/checks/engine.js';
import { CHECKS } from '../src/checks/registry.js';
import { ENTRY_ATTRIBUTES, MEMBER_FIRST_WINDOW, ROOT_DSE_ATTRIBUTES, SCHEMA_FILTER } from '../src/sources/ldap/attributes.js';
import { ldaptsConnector } from '../src/sources/ldap/directory.js';
import { parseEndpoint } from '../src/sources/ldap/endpoint.js';
import { LdapSource } from '../src/sources/ldap/source.js';

const RUNS = 3;
const work = path.resolve(process.argv[2] ?? '.samba-ci-large');
const env = Object.fromEntries(
  readFileSync(path.join(work, 'env'), 'utf8')
    .split('\n')
    .map((line) => /^([A-Z_]+)=(.*)$/.exec(line))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => [m[1], m[2]]),
) as Record<string, string>;
const need = (key: string): string => {
  const value = env[key];
  if (value === undefined) throw new Error(`${work}/env has no ${key}; start the DC with bench/ldap-seed-large.sh`);
  return value;
};
const url = need('LDAP_URL');
const user = need('BIND_UPN');
const passwordFile = need('PASSWORD_FILE');
const baseDn = need('BASE_DN');
const configDn = need('CONFIG_DN');

function newSource(): LdapSource {
  return new LdapSource({
    endpoint: parseEndpoint({ url, startTls: false }),
    credentials: { user, password: readFileSync(passwordFile, 'utf8') },
    connect: ldaptsConnector({ trust: { skipVerify: false } }),
  });
}

async function ldapsearchAll(): Promise<number> {
  const attributes = [...ENTRY_ATTRIBUTES, MEMBER_FIRST_WINDOW];
  const searches: [string, string, string, readonly string[]][] = [
    ['', 'base', '(objectClass=*)', ROOT_DSE_ATTRIBUTES],
    [configDn, 'sub', '(objectClass=*)', attributes],
    [`CN=Schema,${configDn}`, 'sub', SCHEMA_FILTER, attributes],
    [baseDn, 'sub', '(objectClass=*)', attributes],
  ];
  for (const [base, scope, filter, wanted] of searches) {
    const args = [
      '-x',
      '-LLL',
      '-H',
      url,
      '-D',
      user,
      '-y',
      passwordFile,
      '-E',
      'pr=1000/noprompt',
      '-E',
      '1.2.840.113556.1.4.801=::MAMCAQQ=',
      '-o',
      'ldif-wrap=no',
      '-b',
      base,
      '-s',
      scope,
      filter,
      ...wanted,
    ];
    // Output discarded, as the reference should pay for fetching and decoding only.
    const code = await new Promise<number | null>((resolve, reject) => {
      const child = spawn('ldapsearch', args, { stdio: ['ignore', 'ignore', 'inherit'] });
      child.on('error', reject);
      child.on('close', resolve);
    });
    if (code !== 0) throw new Error(`ldapsearch -b "${base}" exited with ${code}`);
  }
  return Number.NaN;
}

async function sourceOnly(): Promise<number> {
  const source = newSource();
  await source.open();
  let entries = 0;
  for await (const event of source.events()) if (event.type === 'entry') entries++;
  return entries;
}

async function fullScan(): Promise<number> {
  const source = newSource();
  await source.open();
  const result = await scan([source], { checks: CHECKS });
  const errors = result.problems.filter((p) => p.severity === 'error');
  if (errors.length > 0) throw new Error(`the scan reported errors: ${errors.map((e) => e.message).join('; ')}`);
  return result.inventory.totals.entries;
}

interface Variant {
  name: string;
  task: () => Promise<number>;
  times: number[];
  entries: number;
}

/** Rounds interleave the variants, so that load from other processes falls on all of them alike. */
async function bench(variants: Variant[]): Promise<void> {
  for (let round = 0; round < RUNS; round++) {
    for (const variant of variants) {
      const started = process.hrtime.bigint();
      variant.entries = await variant.task();
      variant.times.push(Number(process.hrtime.bigint() - started) / 1e9);
    }
  }
}

function median(times: readonly number[]): number {
  return [...times].sort((a, b) => a - b)[Math.floor(times.length / 2)] ?? Number.NaN;
}

const variants: Variant[] = [
  { name: 'ldapsearch -E pr=1000/noprompt', task: ldapsearchAll, times: [], entries: Number.NaN },
  { name: 'readiness LDAP source alone', task: sourceOnly, times: [], entries: Number.NaN },
  { name: 'readiness full scan (all checks)', task: fullScan, times: [], entries: Number.NaN },
];
console.log(`DC ${url}, ${RUNS} interleaved rounds, median shown`);
await bench(variants);
for (const { name, times, entries } of variants) {
  const counted = Number.isNaN(entries) ? '' : `; ${entries.toLocaleString('en-US')} entries`;
  console.log(`${name.padEnd(34)} ${median(times).toFixed(2).padStart(7)} s  (runs ${times.map((t) => t.toFixed(2)).join(', ')}${counted})`);
}
const [reference, source, whole] = variants.map((v) => median(v.times)) as [number, number, number];
console.log(`ratio source/ldapsearch ${(source / reference).toFixed(2)}x, full scan/ldapsearch ${(whole / reference).toFixed(2)}x (target <= 1.30x)`);
