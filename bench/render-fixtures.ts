/**
 * Renders the report of every fixture in every format, at a fixed time, so that a change meant to keep the reports
 * as they are (a faster reader, a smaller memory footprint) can be held to byte-identical output:
 *
 *   git stash; npx tsx bench/render-fixtures.ts /tmp/before; git stash pop
 *   npx tsx bench/render-fixtures.ts /tmp/after
 *   diff -r /tmp/before /tmp/after && echo identical
 *
 * Each fixtures/**\/*.ldif|ldf (and ../shared/realdata's, when present) is scanned with the fixtures/checks/_base files its `# with:` line names and the
 * `# target:` it asks for, and written as <path with / as __>.json, .csv, .md, .html and .txt (the terminal summary).
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { scan } from '../src/checks/engine.js';
import { CHECKS } from '../src/checks/registry.js';
import { openLdifForests } from '../src/cli/ldif-inputs.js';
import { TARGETS } from '../src/config/config.js';
import { resolveProfile } from '../src/config/scan-profile.js';
import { buildReport } from '../src/report/build.js';
import { buildTenantReport } from '../src/report/tenant-report.js';
import { writeCsv } from '../src/reporters/csv.js';
import { renderHtml } from '../src/reporters/html.js';
import { writeJson } from '../src/reporters/json.js';
import { renderMarkdown } from '../src/reporters/markdown.js';
import { renderTerminal } from '../src/reporters/terminal.js';

const ROOT = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
// Inputs are named relative to the checkout, as the reports print them: two checkouts render alike.
const FIXTURES = 'fixtures';
// The real exports (../shared/realdata, see its SOURCES.md) when this checkout sits beside them.
const REALDATA = path.join('..', 'shared', 'realdata');
const FIXED_TIME = new Date(0);

function ldifFiles(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? ldifFiles(path.join(folder, e.name)) : /\.(ldif|ldf)$/.test(e.name) ? [path.join(folder, e.name)] : []))
    .sort();
}

async function streamed(write: (out: Writable) => Promise<void>): Promise<string> {
  let text = '';
  await write(
    new Writable({
      write(chunk: Buffer, _encoding, done) {
        text += chunk.toString('utf8');
        done();
      },
    }),
  );
  return text;
}

const out = process.argv[2];
if (out === undefined) {
  console.error('usage: npx tsx bench/render-fixtures.ts OUTPUT-FOLDER');
  process.exit(2);
}
mkdirSync(out, { recursive: true });
const outFolder = path.resolve(out);
process.chdir(ROOT);
const files = [...ldifFiles(FIXTURES), ...(existsSync(REALDATA) ? ldifFiles(REALDATA) : [])];
for (const file of files) {
  const head = readFileSync(file, 'latin1').slice(0, 4000);
  const bases = /^# with: (.*)$/m.exec(head)?.[1]?.trim().split(/\s+/) ?? [];
  const target = TARGETS.find((t) => new RegExp(`^# target: ${t}\\s*$`, 'm').test(head));
  const profile = resolveProfile(target === undefined ? {} : { target }, CHECKS);
  const inputs = [...bases.map((base) => path.join(FIXTURES, 'checks', '_base', `${base}.ldif`)), file];
  const context = { ...profile.report, toolVersion: 'fixture', now: FIXED_TIME };
  const forests = [];
  for (const group of await openLdifForests(inputs)) forests.push(buildReport(await scan(group.sources, { checks: CHECKS, ...profile.scan }), context));
  const report = buildTenantReport(forests, { checks: [], findings: [] }, context);
  const name = path.join(outFolder, path.relative('.', file).replaceAll(path.sep, '__'));
  writeFileSync(`${name}.json`, await streamed((stream) => writeJson(report, stream)));
  writeFileSync(`${name}.csv`, await streamed((stream) => writeCsv(report, stream)));
  writeFileSync(`${name}.md`, renderMarkdown(report));
  writeFileSync(`${name}.html`, renderHtml(report));
  writeFileSync(`${name}.txt`, renderTerminal(report, { color: false }));
}
console.log(`${files.length} fixtures rendered into ${outFolder}`);
