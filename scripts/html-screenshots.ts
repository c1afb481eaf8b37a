/**
 * Screenshots of the bundled sample's HTML report for the README and docs/, in headless Debian chromium:
 *
 *   npx tsx scripts/html-screenshots.ts
 *
 * docs/html-report-desktop.png (1440 wide: verdict and OU tree), docs/html-report-laptop.png (1280×800, the
 * first screen) and docs/html-report-findings.png (1440 wide: a finding opened on its objects).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { renderHtml } from '../src/reporters/html.js';
import { launchChromium } from './chromium.js';
import { sampleReport } from './sample-report.js';

const DOCS = path.join(import.meta.dirname, '..', 'docs');

const folder = mkdtempSync(path.join(tmpdir(), 'readiness-shots-'));
try {
  const report = await sampleReport(new Date('2026-12-01T09:00:00Z'));
  const file = path.join(folder, 'sample.html');
  writeFileSync(file, renderHtml({ ...report, tool: { ...report.tool, version: 'sample' } }));
  const url = pathToFileURL(file).href;

  for (const shot of [
    { name: 'html-report-desktop.png', viewport: { width: 1440, height: 1500 } },
    { name: 'html-report-laptop.png', viewport: { width: 1280, height: 800 } },
  ]) {
    const browser = await launchChromium(shot.viewport);
    const page = await browser.context.newPage();
    await page.goto(url);
    await page.screenshot({ path: path.join(DOCS, shot.name) });
    await browser.close();
  }

  const browser = await launchChromium({ width: 1440, height: 900 });
  const page = await browser.context.newPage();
  await page.goto(url);
  const finding = page.locator('details.finding', { has: page.locator('summary', { hasText: 'proxyAddresses, targetAddress' }) });
  await finding.locator('summary').click();
  await finding.scrollIntoViewIfNeeded();
  await page.evaluate('window.scrollBy(0, -60)');
  await page.screenshot({ path: path.join(DOCS, 'html-report-findings.png') });
  await browser.close();
} finally {
  rmSync(folder, { recursive: true, force: true });
}
