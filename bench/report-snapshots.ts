/**
 * The JSON report of every LDIF file in fixtures/ and ../shared/realdata, one scan each by the built CLI, written to
 * OUT with the report's timestamp blanked: run it before and after a change to the reader and `diff -r` the two
 * folders. Any difference is a change in what the scan reads, which a change meant only for speed must not make.
 *
 *   npm run build && npx tsx bench/report-snapshots.ts /tmp/reports-before
 *   (change, build)   npx tsx bench/report-snapshots.ts /tmp/reports-after && diff -r /tmp/reports-before /tmp/reports-after
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
const CLI = path.join(ROOT, 'bin', 'readiness.js');
const INPUTS = [path.join(ROOT, 'fixtures'), path.join(ROOT, '..', 'shared', 'realdata')];
const LDIF = /\.(ldif|ldf)(\.gz)?$/i;

const out = process.argv[2];
if (out === undefined) {
  console.error('usage: npx tsx bench/report-snapshots.ts OUT_DIR');
  process.exit(2);
}

const files = INPUTS.filter((dir) => existsSync(dir)).flatMap((dir) =>
  readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((name) => LDIF.test(name))
    .map((name) => path.join(dir, name))
    .sort(),
);
for (const file of files) {
  const scan = spawnSync(process.execPath, [CLI, 'scan', '--ldif', file, '--format', 'json'], { encoding: 'utf8', maxBuffer: 1 << 30 });
  const report = scan.stdout.replace(/"generatedAt": "[^"]*"/, '"generatedAt": "-"');
  const target = path.join(out, `${path.relative(path.join(ROOT, '..'), file)}.json`);
  mkdirSync(path.dirname(target), { recursive: true });
  writeFileSync(target, `exit ${scan.status}\n${scan.stderr}\n${report}`);
}
console.log(`${files.length} reports in ${out}`);
