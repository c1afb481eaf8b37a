import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../../src/report/schema.js';
import { HTML_OBJECTS_PER_FINDING, renderHtml } from '../../src/reporters/html.js';
import { browserRequired, type Chromium, chromiumMissing, launchChromium } from '../../scripts/chromium.js';
import { hostileReport, PAYLOADS, sampleReport, twoForestReport, withLargeFinding } from './html-reports.js';

const missing = chromiumMissing();
const skip = missing !== undefined && !browserRequired();

interface Loaded {
  page: Page;
  /** Console errors and uncaught exceptions (a CSP violation is one). */
  errors: string[];
  /** Every request but the page itself. */
  requests: string[];
}

describe.skipIf(skip)(`HTML report in headless chromium${skip ? ` (skipped: ${missing})` : ''}`, () => {
  let browser: Chromium;
  let folder: string;
  let sample: Report;

  beforeAll(async () => {
    // In CI a missing browser is a failure, not a skip.
    if (missing !== undefined) throw new Error(`${missing}; the HTML browser tests are required here (READINESS_REQUIRE_BROWSER=1 or CI=true)`);
    folder = mkdtempSync(path.join(tmpdir(), 'readiness-html-'));
    [browser, sample] = await Promise.all([launchChromium(), sampleReport()]);
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    if (folder !== undefined) rmSync(folder, { recursive: true, force: true });
  });

  async function load(report: Report, name: string): Promise<Loaded> {
    const file = path.join(folder, `${name}.html`);
    writeFileSync(file, renderHtml(report));
    const url = pathToFileURL(file).href;
    const page = await browser.context.newPage();
    const errors: string[] = [];
    const requests: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('request', (r) => {
      if (r.url() !== url) requests.push(r.url());
    });
    await page.goto(url);
    return { page, errors, requests };
  }

  // In-page code is a string: the project's tsconfig has no DOM types. checkVisibility() is false inside a closed <details>.
  const visibleLabels = (page: Page): Promise<string[]> =>
    page.evaluate<string[]>("[...document.querySelectorAll('#ou-tree .label')].filter((l) => l.checkVisibility()).map((l) => l.textContent)");

  it('renders the verdict and the tree, with no console error and no request', async () => {
    const { page, errors, requests } = await load(sample, 'sample');
    expect(await page.textContent('h1')).toContain('Blocked');
    expect(await page.textContent('h1')).toContain('corp.contoso.test');
    const labels = await visibleLabels(page);
    expect(labels).toEqual(expect.arrayContaining(['Forest corp.contoso.test', 'corp.contoso.test', 'emea.corp.contoso.test', 'Finance', 'HR', 'London']));
    expect(await page.getAttribute('#ou-tree li[data-search^="finance"]', 'data-verdict')).toBe('blocked');
    // Clicking a count goes to its findings.
    await page.click('a.tile.hard');
    expect(page.url()).toMatch(/#findings-hard$/);
    expect(errors).toEqual([]);
    expect(requests).toEqual([]);
    await page.close();
  });

  it('filters the tree by name and by verdict, keeping the path to each match', async () => {
    const { page, errors } = await load(sample, 'filter');
    await page.fill('#tree-filter', 'finance');
    await expect.poll(() => visibleLabels(page)).toEqual(['Forest corp.contoso.test', 'corp.contoso.test', 'Corp', 'Users', 'Finance']);
    await page.fill('#tree-filter', 'no such ou');
    await expect.poll(() => page.isVisible('#tree-empty')).toBe(true);
    await page.fill('#tree-filter', '');
    await page.selectOption('#tree-verdict', 'blocked');
    await expect.poll(() => visibleLabels(page)).toEqual(['Forest corp.contoso.test', 'corp.contoso.test', 'Corp', 'Groups', 'Users', 'Finance', 'Sales']);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('folds and unfolds nodes', async () => {
    const { page, errors } = await load(sample, 'fold');
    await page.click('#tree-collapse');
    expect(await visibleLabels(page)).toEqual(['Forest corp.contoso.test', 'corp.contoso.test', 'emea.corp.contoso.test']);
    await page.click('#ou-tree li[data-search^="corp.contoso.test"] > details > summary');
    expect(await visibleLabels(page)).toContain('Corp');
    expect(await visibleLabels(page)).not.toContain('Finance');
    await page.click('#tree-expand');
    expect(await visibleLabels(page)).toContain('Finance');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('renders the largest object table the page holds a page at a time, searchable and sortable', async () => {
    const { page, errors } = await load(withLargeFinding(sample, HTML_OBJECTS_PER_FINDING), 'large');
    const finding = page.locator('#f-bulk0000');
    expect(await finding.locator('tbody tr').count()).toBe(0);
    await finding.locator('summary').click();
    const rows = finding.locator('tbody tr');
    await expect.poll(() => rows.count()).toBe(200);
    expect(await finding.locator('.shown').textContent()).toBe('Showing 200 of 10,000');
    await finding.locator('button.more').click();
    expect(await rows.count()).toBe(400);
    await finding.locator('th button', { hasText: 'DN' }).click();
    await finding.locator('th button', { hasText: 'DN' }).click();
    expect(await rows.first().locator('td').first().textContent()).toBe('CN=User 009999,OU=Bulk,DC=corp,DC=contoso,DC=test');
    await finding.locator('input[type=search]').fill('needle');
    await expect.poll(() => rows.count()).toBe(1);
    expect(await finding.locator('.shown').textContent()).toBe('Showing 1 of 1 matching (10,000 in all)');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('copies the Cloud Sync scope to paste', async () => {
    await browser.context.grantPermissions(['clipboard-read', 'clipboard-write']);
    const { page, errors } = await load(sample, 'copy');
    await page.click('button[data-copy="scope-0"]');
    await expect.poll(() => page.isVisible('button[data-copy="scope-0"] + .copied')).toBe(true);
    expect(await page.evaluate<string>('navigator.clipboard.readText()')).toBe(sample.forests[0]?.pilotPlan.cloudSync[0]?.ous.join('\n'));
    expect(errors).toEqual([]);
    await page.close();
  });

  it('opens every section for print, with the first rows of each object table', async () => {
    const { page, errors } = await load(withLargeFinding(sample, 1_000), 'print');
    await page.evaluate("dispatchEvent(new Event('beforeprint'))");
    expect(await page.locator('details:not([open])').count()).toBe(0);
    const bulk = page.locator('#f-bulk0000');
    expect(await bulk.locator('tbody tr:not([hidden])').count()).toBe(50);
    expect(await bulk.locator('.print-note').textContent()).toContain('first 50 of 1,000 objects');
    const pdf = await page.pdf({ format: 'A4' });
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    await page.evaluate("dispatchEvent(new Event('afterprint'))");
    expect(await bulk.locator('tbody tr:not([hidden])').count()).toBe(200);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('shows hostile names and values as text: no payload runs, none becomes an element', async () => {
    const { page, errors, requests } = await load(await hostileReport(), 'hostile');
    await page.click('#tree-expand');
    for (const summary of await page.locator('details.finding > summary').all()) await summary.click();
    const labels = await visibleLabels(page);
    expect(labels).toEqual(expect.arrayContaining(['<script>window.__pwned=1</script>', `"Quoted" O'Brien </script>`]));
    const cells = await page.locator('#f-hostile0 td').allTextContents();
    expect(cells).toEqual(expect.arrayContaining([`CN=${PAYLOADS.script},DC=evil,DC=test`, PAYLOADS.img, PAYLOADS.quotes, PAYLOADS.closeScript]));
    expect(await page.textContent('#f-hostile0 summary')).toContain(PAYLOADS.img);
    expect(await page.evaluate(() => (globalThis as { __pwned?: number }).__pwned)).toBeUndefined();
    expect(await page.locator('img, iframe, body svg[onload], main script').count()).toBe(0);
    expect(await page.locator('script').count()).toBe(2);
    expect(await page.locator('a[href^="javascript"]').count()).toBe(0);
    expect(errors).toEqual([]);
    expect(requests).toEqual([]);
    await page.close();
  });

  it('works forest by forest on a page of several: each tree filters on its own, each object table shows its own finding', async () => {
    const { page, errors, requests } = await load(await twoForestReport(), 'forests');
    const labels = (tree: string): Promise<string[]> =>
      page.evaluate<string[]>(`[...document.querySelectorAll('#${tree} .label')].filter((l) => l.checkVisibility()).map((l) => l.textContent)`);
    await page.fill('#forest1-tree-filter', 'finance');
    await expect.poll(() => labels('forest1-ou-tree')).toEqual(['Forest corp.contoso.test', 'corp.contoso.test', 'Corp', 'Users', 'Finance']);
    // The other forest's tree is left as it was.
    expect(await labels('forest2-ou-tree')).toContain('Forest pilot.test');
    await page.click('#forest2-tree-collapse');
    expect(await labels('forest2-ou-tree')).toEqual(['Forest pilot.test', 'pilot.test']);
    const tenantFinding = page.locator('#tenant-f-tenant00');
    await tenantFinding.locator('summary').click();
    await expect.poll(() => tenantFinding.locator('tbody tr').count()).toBe(2);
    expect(await tenantFinding.locator('tbody tr').first().locator('td').last().textContent()).toBe('corp.contoso.test');
    const pilotFinding = page
      .locator('[id^="forest2-f-"]')
      .filter({ has: page.locator('.fcount') })
      .first();
    await pilotFinding.locator('summary').click();
    await expect.poll(() => pilotFinding.locator('tbody tr').count()).toBeGreaterThan(0);
    expect(await pilotFinding.locator('tbody td').first().textContent()).toMatch(/DC=pilot,DC=test$/);
    expect(errors).toEqual([]);
    expect(requests).toEqual([]);
    await page.close();
  });
});
