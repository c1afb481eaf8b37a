/**
 * HTML report benchmark: scans a synthetic forest (bench/generate-forest.ts), renders the HTML report, opens
 * it in headless Debian chromium and times what a reader waits for: the page loaded and painted, the largest
 * finding's object table opened, the OU tree filtered. Each run uses a fresh browser and profile.
 *
 *   npx tsx bench/html-bench.ts                       # 200,000 users, median of 3 runs
 *   npx tsx bench/html-bench.ts --users 50000 --runs 1
 *   npx tsx bench/html-bench.ts --flag-every-user    # plus one finding listing every user: the worst case for the tables
 */
import { existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { chromiumMissing, launchChromium } from '../scripts/chromium.js';
import { scan } from '../src/checks/engine.js';
import { CHECKS } from '../src/checks/registry.js';
import { buildReport } from '../src/report/build.js';
import type { Finding, ForestReport } from '../src/report/schema.js';
import { buildTenantReport } from '../src/report/tenant-report.js';
import { HTML_OBJECTS_PER_FINDING, renderHtml } from '../src/reporters/html.js';
import { LdifSource } from '../src/sources/ldif/source.js';
import { forestFile, forestRecords, writeForest } from './generate-forest.js';

interface BrowserRun {
  /** goto() until the load event and two animation frames later (painted). */
  loadedMs: number;
  firstContentfulPaintMs: number;
  /** Click on the largest finding until its first page of rows is painted. */
  openTableMs: number;
  /** Sorting that table by its first column (DN), descending, until painted. */
  sortTableMs: number;
  /** Searching that table for one object until painted (includes the 150 ms pause the search waits for). */
  searchTableMs: number;
  /** Typing into the tree filter until the filtered tree is painted (includes its 120 ms pause). */
  filterTreeMs: number;
}

/** In the page (the bench's tsconfig has no DOM types, so in-page code is a string): resolves once the next frame is painted. */
const PAINTED = 'new Promise((painted) => requestAnimationFrame(() => requestAnimationFrame(painted)))';

const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? NaN;
};

async function browserRun(file: string, largestFinding: string): Promise<BrowserRun> {
  const browser = await launchChromium();
  try {
    const page = await browser.context.newPage();
    const started = performance.now();
    await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
    await page.evaluate(PAINTED);
    const loadedMs = performance.now() - started;
    const firstContentfulPaintMs = await page.evaluate<number>("performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? NaN");
    // Timed inside the page, from the click or keystroke to the painted result, without the driver's round trips.
    const openTableMs = await page.evaluate<number>(`(() => {
      const t0 = performance.now();
      document.getElementById(${JSON.stringify(largestFinding)}).querySelector('summary').click();
      return ${PAINTED}.then(() => performance.now() - t0);
    })()`);
    const table = `document.getElementById(${JSON.stringify(largestFinding)})`;
    const sortTableMs = await page.evaluate<number>(`(() => {
      const t0 = performance.now();
      ${table}.querySelector('th button').click();
      ${table}.querySelector('th button').click();
      return ${PAINTED}.then(() => performance.now() - t0);
    })()`);
    const searchTableMs = await page.evaluate<number>(`(() => {
      const input = ${table}.querySelector('input[type=search]');
      input.value = 'user 0100000,';
      const t0 = performance.now();
      input.dispatchEvent(new Event('input'));
      return new Promise((done) => setTimeout(done, 151)).then(() => ${PAINTED}).then(() => performance.now() - t0);
    })()`);
    const filterTreeMs = await page.evaluate<number>(`(() => {
      const input = document.getElementById('tree-filter');
      input.value = 'd01';
      const t0 = performance.now();
      input.dispatchEvent(new Event('input'));
      return new Promise((done) => setTimeout(done, 121)).then(() => ${PAINTED}).then(() => performance.now() - t0);
    })()`);
    return { loadedMs, firstContentfulPaintMs, openTableMs, sortTableMs, searchTableMs, filterTreeMs };
  } finally {
    await browser.close();
  }
}

/** The synthetic forest is clean enough to give few rows; a forest where some check flags every user gives the most. */
function withEveryUserFlagged(report: ForestReport, users: number): ForestReport {
  const objects: Finding['objects'] = [];
  for (const record of forestRecords(users)) {
    const classes = record.attributes.find(([name]) => name === 'objectClass')?.[1] ?? [];
    if (!classes.includes('user') || classes.includes('computer')) continue;
    const sam = record.attributes.find(([name]) => name === 'sAMAccountName')?.[1][0];
    objects.push({
      dn: record.dn,
      samAccountName: typeof sam === 'string' ? sam : undefined,
      objectClass: 'user',
      attribute: 'displayName',
      value: `display name of ${record.dn}`,
    });
  }
  const finding: Finding = {
    id: 'bench.every-user',
    key: 'bench.every-user/finding',
    fingerprint: 'benchEveryUser',
    severity: 'warning',
    title: 'Every user (bench)',
    message: `${objects.length} objects`,
    count: objects.length,
    objects,
    scope: { kind: 'objects' },
    coexistence: false,
    inScope: true,
    remediation: 'none: a bench finding',
    sources: [],
  };
  return { ...report, findings: [...report.findings, finding] };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { users: { type: 'string', default: '200000' }, runs: { type: 'string', default: '3' }, 'flag-every-user': { type: 'boolean', default: false } },
  });
  const users = Number(values.users);
  const runs = Number(values.runs);
  const missing = chromiumMissing();
  if (missing !== undefined) throw new Error(missing);

  const forest = forestFile(users);
  if (!existsSync(forest)) await writeForest(users, forest);
  const scanStarted = performance.now();
  const result = await scan([new LdifSource(forest)], { checks: CHECKS });
  const context = { toolVersion: 'bench', target: 'cloud-sync', allowPreview: false, now: new Date() } as const;
  const scanned = buildReport(result, context);
  const report = values['flag-every-user'] ? withEveryUserFlagged(scanned, users) : scanned;
  const scanSeconds = (performance.now() - scanStarted) / 1000;
  const renderStarted = performance.now();
  const page = renderHtml(buildTenantReport([report], { checks: [], findings: [] }, context));
  const renderMs = performance.now() - renderStarted;
  const out = path.join(path.dirname(forest), `report-${users / 1000}k${values['flag-every-user'] ? '-every-user' : ''}.html`);
  mkdirSync(path.dirname(out), { recursive: true });
  writeFileSync(out, page);

  const largest = [...report.findings].sort((a, b) => b.objects.length - a.objects.length)[0];
  if (largest === undefined) throw new Error('the forest gave no finding to open');
  const objectRows = report.findings.reduce((sum, f) => sum + f.objects.length, 0);
  const tableRows = report.findings.reduce((sum, f) => sum + Math.min(f.objects.length, HTML_OBJECTS_PER_FINDING), 0);
  console.log(
    `${users.toLocaleString('en-US')} users: ${result.inventory.totals.entries.toLocaleString('en-US')} entries scanned in ${scanSeconds.toFixed(1)} s; ` +
      `HTML ${(statSync(out).size / 1e6).toFixed(2)} MB with ${report.verdicts.containers.length} containers, ${report.findings.length} findings, ` +
      `${objectRows.toLocaleString('en-US')} listed objects, ${tableRows.toLocaleString('en-US')} of them in the page's tables (largest: ${largest.id}, ${largest.objects.length.toLocaleString('en-US')}); rendered in ${renderMs.toFixed(0)} ms`,
  );
  const results: BrowserRun[] = [];
  for (let run = 1; run <= runs; run++) {
    const r = await browserRun(out, `f-${largest.fingerprint}`);
    results.push(r);
    console.log(
      `  run ${run}: loaded and painted ${r.loadedMs.toFixed(0)} ms (first contentful paint ${r.firstContentfulPaintMs.toFixed(0)} ms), ` +
        `largest table opened ${r.openTableMs.toFixed(0)} ms, sorted ${r.sortTableMs.toFixed(0)} ms, searched ${r.searchTableMs.toFixed(0)} ms, tree filtered ${r.filterTreeMs.toFixed(0)} ms`,
    );
  }
  const m = (key: keyof BrowserRun): string => median(results.map((r) => r[key])).toFixed(0);
  console.log(
    `median of ${runs}: loaded and painted ${m('loadedMs')} ms, first contentful paint ${m('firstContentfulPaintMs')} ms, largest table opened ${m('openTableMs')} ms, sorted ${m('sortTableMs')} ms, searched ${m('searchTableMs')} ms, tree filtered ${m('filterTreeMs')} ms`,
  );
}

await main();
