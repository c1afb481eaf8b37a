/**
 * Writes the check catalog from the checks' metadata, so it is never written twice:
 * docs/checks.md in full, and the table between the catalog markers in README.md.
 * Run with `npm run docs`; tests/report/catalog.test.ts fails when the committed files are stale.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { CATALOG } from '../src/cli/catalog.js';
import { renderCatalogDocument, renderCatalogTable } from '../src/reporters/catalog.js';

const ROOT = join(import.meta.dirname, '..');
export const CATALOG_DOC = join(ROOT, 'docs', 'checks.md');
export const README = join(ROOT, 'README.md');
const START = '<!-- catalog:start -->';
const END = '<!-- catalog:end -->';

export function catalogDocument(): string {
  return renderCatalogDocument(CATALOG.map((c) => c.meta));
}

/** README.md with the marked section replaced; only that section is ours, the rest belongs to the README's author. */
export function readmeWithCatalog(readme: string): string {
  const start = readme.indexOf(START);
  const end = readme.indexOf(END);
  if (start < 0 || end < start) throw new Error(`README.md needs the markers ${START} and ${END}`);
  const table = renderCatalogTable(
    CATALOG.map((c) => c.meta),
    'docs/checks.md',
  );
  return `${readme.slice(0, start + START.length)}\n${table}\n\nDetails per check: [docs/checks.md](docs/checks.md).\n${readme.slice(end)}`;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  writeFileSync(CATALOG_DOC, catalogDocument());
  writeFileSync(README, readmeWithCatalog(readFileSync(README, 'utf8')));
  process.stdout.write(`wrote ${CATALOG_DOC} and the catalog section of ${README} (${CATALOG.length} checks)\n`);
}
