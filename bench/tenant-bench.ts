/**
 * What the tenant digest costs on a large forest: peak RSS of a scan with no checks, without the digest collector,
 * with it keeping no values (one forest, no --value-hashes) and with values (each in a fresh process, since peak RSS
 * only grows), then the digest's JSON with value hashes, reading it back, and judging it with a second forest; last,
 * one forest with --value-hashes as the CLI scans it (values hashed as read, sorted off the heap, no index kept).
 *
 *   npx tsx bench/tenant-bench.ts --users 200000
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { scan } from '../src/checks/engine.js';
import { LdifSource } from '../src/sources/ldif/source.js';
import { createDigestCollector, digestFromJson, digestToJson, tenantDigestSchema } from '../src/tenant/digest.js';
import { judgeTenant } from '../src/tenant/judge.js';
import { forestFile, writeForest } from './generate-forest.js';

const KEY = Buffer.from('bench value-hash key, 32 bytes!!');
const SECOND_FOREST = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'tenant', 'contoso.ldf');

const { values } = parseArgs({ options: { users: { type: 'string', default: '200000' }, mode: { type: 'string' } } });
const users = Number(values.users);
const file = forestFile(users);
const seconds = (from: number): string => ((performance.now() - from) / 1000).toFixed(1);
const mb = (bytes: number): string => (bytes / 1e6).toFixed(0);

if (values.mode === undefined) {
  if (!existsSync(file)) await writeForest(users, file);
  for (const mode of ['baseline', 'digest-no-values', 'digest', 'hashes-streamed']) {
    console.log(
      execFileSync(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), '--users', String(users), '--mode', mode], {
        encoding: 'utf8',
      }).trim(),
    );
  }
} else {
  // hashes-streamed: one forest with --value-hashes, as the CLI scans it: values hashed as read, no index kept.
  const collector = createDigestCollector(
    values.mode === 'digest'
      ? { valueHashKey: KEY }
      : values.mode === 'hashes-streamed'
        ? { valueHashKey: KEY, collectValues: false }
        : { collectValues: false },
  );
  const started = performance.now();
  const result = await scan([new LdifSource(file)], { checks: [], ...(values.mode === 'baseline' ? {} : { observers: [collector] }) });
  const scanned = `${values.mode}: ${result.inventory.totals.entries.toLocaleString('en-US')} entries in ${seconds(started)} s`;
  if (values.mode === 'hashes-streamed') {
    const step = performance.now();
    const lists = digestToJson(collector.finish(result.inventory)).valueHashes;
    let bytes = 0;
    for (const list of [lists?.holders ?? [], lists?.values ?? []]) for (let i = 0; i < list.length; i++) bytes += list[i]?.length ?? 0;
    console.log(
      `${scanned}, ${lists?.values.length.toLocaleString('en-US')} value lines (${mb(bytes)} MB) sorted and read back in order in ${seconds(step)} s, ` +
        `peak RSS ${mb(process.resourceUsage().maxRSS * 1024)} MB at the end`,
    );
  } else if (values.mode !== 'digest') {
    console.log(`${scanned}, peak RSS ${mb(process.resourceUsage().maxRSS * 1024)} MB`);
  } else {
    const digest = collector.finish(result.inventory);
    const peakAfterScan = process.resourceUsage().maxRSS * 1024;
    const held = digest.values?.held;
    let step = performance.now();
    const json = digestToJson(digest);
    const text = JSON.stringify(json, null, 2);
    const toJson = seconds(step);
    step = performance.now();
    const back = digestFromJson(tenantDigestSchema.parse(JSON.parse(text)));
    const fromJson = seconds(step);
    const second = createDigestCollector({ valueHashKey: KEY });
    const small = await scan([new LdifSource(SECOND_FOREST)], { checks: [], observers: [second] });
    step = performance.now();
    const outcome = judgeTenant([back, digestFromJson(tenantDigestSchema.parse(digestToJson(second.finish(small.inventory))))], { target: 'cloud-sync' });
    console.log(
      `${scanned}, peak RSS ${mb(peakAfterScan)} MB after the scan; ${held?.size.toLocaleString('en-US')} values and SIDs, ` +
        `${held?.holders.size.toLocaleString('en-US')} holders; JSON with value hashes ${mb(text.length)} MB (${json.valueHashes?.values.length.toLocaleString('en-US')} value lines) ` +
        `in ${toJson} s, read back in ${fromJson} s; judged with a second forest in ${seconds(step)} s ` +
        `(${outcome.checks.map((c) => c.status).join(', ')}); peak RSS ${mb(process.resourceUsage().maxRSS * 1024)} MB at the end`,
    );
  }
}
