/**
 * The LDIF reader alone (the built `dist/`, no inventory, no checks): entries read from one file, wall and CPU time,
 * MB per CPU second and peak RSS. CPU time moves far less than wall time on a shared machine, so this is the figure
 * to compare across changes to src/sources/ldif. `--touch` also reads the attributes most checks read, as strings.
 *
 *   npm run build && npx tsx bench/reader-bench.ts bench/out/forest-200k.ldf [--touch]
 */
import { statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { AttributeName } from '../src/model/entry.js';
import type { LdifSource as Source } from '../src/sources/ldif/source.js';

const ROOT = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
const TOUCHED: readonly AttributeName[] = [
  'objectclass',
  'cn',
  'samaccountname',
  'userprincipalname',
  'mail',
  'proxyaddresses',
  'displayname',
  'useraccountcontrol',
];

const { positionals, values } = parseArgs({ allowPositionals: true, options: { touch: { type: 'boolean', default: false } } });
const file = positionals[0];
if (file === undefined) {
  console.error('usage: npx tsx bench/reader-bench.ts FILE [--touch]');
  process.exit(2);
}
const { LdifSource } = (await import(path.join(ROOT, 'dist', 'sources', 'ldif', 'source.js'))) as { LdifSource: typeof Source };

const started = performance.now();
const cpuBefore = process.cpuUsage();
let entries = 0;
let problems = 0;
for await (const event of new LdifSource(file).events()) {
  if (event.type !== 'entry') {
    problems++;
    continue;
  }
  entries++;
  if (values.touch) {
    for (const name of TOUCHED) event.entry.texts(name);
    event.entry.bytes('objectguid');
  }
}
const wall = (performance.now() - started) / 1000;
const cpuUsed = process.cpuUsage(cpuBefore);
const cpu = (cpuUsed.user + cpuUsed.system) / 1e6;
const mb = statSync(file).size / 1e6;
console.log(
  `${path.basename(file)}${values.touch ? ' --touch' : ''}: ${entries} entries, ${problems} problems, ${mb.toFixed(1)} MB, wall ${wall.toFixed(2)} s, ` +
    `CPU ${cpu.toFixed(2)} s, ${(mb / cpu).toFixed(1)} MB per CPU second, peak RSS ${Math.round(process.resourceUsage().maxRSS / 1024)} MB`,
);
