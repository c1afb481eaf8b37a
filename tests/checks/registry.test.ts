import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Check } from '../../src/checks/check.js';
import { CHECKS } from '../../src/checks/registry.js';

const RULES = join(import.meta.dirname, '..', '..', 'src', 'checks', 'rules');
const ruleFiles = readdirSync(RULES).filter((f) => f.endsWith('.ts'));

describe('rule registry', () => {
  it('holds exactly the files in rules/, each once, sorted by id', async () => {
    const fromFiles: Check[] = [];
    for (const file of ruleFiles) fromFiles.push(((await import(join(RULES, file))) as { default: Check }).default);
    expect(CHECKS).toEqual(fromFiles);
    const ids = CHECKS.map((c) => c.meta.id);
    expect(ids).toEqual([...ids].sort());
  });

  it('names each file after its check id', async () => {
    for (const file of ruleFiles) {
      const check = ((await import(join(RULES, file))) as { default: Check }).default;
      expect(file, check.meta.id).toBe(`${check.meta.id.replaceAll('.', '-')}.ts`);
    }
  });

  it('keeps rules/ to rules: no rule imports another rule or a helper from rules/', () => {
    for (const file of ruleFiles) {
      const imports = [...readFileSync(join(RULES, file), 'utf8').matchAll(/from '(\.\/[^']+)'/g)].map((m) => m[1]);
      expect(imports, file).toEqual([]);
    }
  });
});
