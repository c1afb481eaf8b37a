import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CATALOG } from '../../src/cli/catalog.js';
import { loadConfig } from '../../src/config/config.js';
import { renderExplain } from '../../src/reporters/catalog.js';
import { TENANT_RULES } from '../../src/tenant/registry.js';

describe('tenant rules in the catalog', () => {
  it('are explained like checks', () => {
    const rule = TENANT_RULES.find((r) => r.meta.id === 'tenant.cross-forest-duplicates');
    expect(rule).toBeDefined();
    const text = renderExplain(rule?.meta ?? TENANT_RULES[0]!.meta);
    expect(text).toContain('tenant.cross-forest-duplicates/shared-across-forests');
    expect(text).toContain('plan-cloud-sync-topologies');
  });

  it('can be switched off in the config file by id or tag', () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'readiness-config-')), 'config.yaml');
    writeFileSync(file, 'checks:\n  disable: [tenant.limits, multi-forest]\n');
    expect(loadConfig(file, CATALOG).settings.disabled).toEqual(new Set(['tenant.limits', 'multi-forest']));
  });
});
