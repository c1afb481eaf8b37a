import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { TENANT_RULES } from '../../src/tenant/registry.js';
import type { TenantRule } from '../../src/tenant/rule.js';

const RULES = join(import.meta.dirname, '..', '..', 'src', 'tenant', 'rules');
const ruleFiles = readdirSync(RULES).filter((f) => f.endsWith('.ts'));

describe('tenant rule registry', () => {
  it('holds exactly the files in rules/, each named after its id, sorted by id', async () => {
    const fromFiles: TenantRule[] = [];
    for (const file of ruleFiles) {
      const rule = ((await import(join(RULES, file))) as { default: TenantRule }).default;
      expect(file, rule.meta.id).toBe(`${rule.meta.id.replace(/^tenant\./, '')}.ts`);
      fromFiles.push(rule);
    }
    expect(TENANT_RULES).toEqual(fromFiles);
    const ids = TENANT_RULES.map((r) => r.meta.id);
    expect(ids).toEqual([...ids].sort());
  });

  it('cites dated Microsoft pages and imports no other rule', () => {
    for (const { meta } of TENANT_RULES) {
      expect(meta.sources.length, meta.id).toBeGreaterThan(0);
      for (const source of meta.sources) {
        expect(source.url, meta.id).toMatch(/^https:\/\/learn\.microsoft\.com\//);
        expect(source.date, meta.id).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      }
    }
    for (const file of ruleFiles) expect([...readFileSync(join(RULES, file), 'utf8').matchAll(/from '\.\/[^']+'/g)], file).toEqual([]);
  });
});
