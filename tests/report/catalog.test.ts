import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CHECKS } from '../../src/checks/registry.js';
import { CATALOG_DOC, catalogDocument, README, readmeWithCatalog } from '../../scripts/generate-catalog.js';

describe('generated check catalog', () => {
  it('docs/checks.md matches the checks\' metadata (run "npm run docs" after changing a check)', () => {
    expect(existsSync(CATALOG_DOC), 'run "npm run docs"').toBe(true);
    expect(readFileSync(CATALOG_DOC, 'utf8')).toBe(catalogDocument());
  });

  it('the README catalog section matches the checks\' metadata (run "npm run docs" after changing a check)', () => {
    const readme = readFileSync(README, 'utf8');
    expect(readme).toBe(readmeWithCatalog(readme));
  });

  it('lists every check once', () => {
    const doc = catalogDocument();
    for (const { meta } of CHECKS) expect(doc.split(`\n## ${meta.id}\n`).length - 1, meta.id).toBe(1);
  });
});
