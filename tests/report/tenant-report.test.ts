import { beforeAll, describe, expect, it } from 'vitest';
import { type Finding, type ForestReport, reportSchema } from '../../src/report/schema.js';
import { buildTenantReport, type TenantJudgement } from '../../src/report/tenant-report.js';
import { renderMarkdown } from '../../src/reporters/markdown.js';
import { renderTerminal } from '../../src/reporters/terminal.js';
import { coexist, hard, oneForest, raising, report, scanPilotForest, warn } from './helpers.js';

const CONTEXT = { toolVersion: 'test', target: 'cloud-sync', allowPreview: false, now: new Date(0) } as const;
const NOTHING: TenantJudgement = { checks: [], findings: [] };
/** A tenant check that ran and found nothing: the forests were compared. */
const COMPARED: TenantJudgement = {
  checks: [{ id: 'tenant.unique', title: 't', severity: 'blocker', category: 'tenant', status: 'passed', sources: [] }],
  findings: [],
};

/** The pilot forest under another name: each test forest is the pilot forest judged with other checks. */
function named(forest: ForestReport, name: string): ForestReport {
  return { ...forest, name, inventory: { ...forest.inventory, forest: { ...forest.inventory.forest, name } } };
}

function tenantFinding(severity: Finding['severity'], extra: Partial<Finding> = {}): Finding {
  return {
    id: 'tenant.test',
    key: 'tenant.test/duplicate',
    fingerprint: 'tenant0',
    severity,
    title: 'Same UPN in two forests',
    message: 'm',
    count: 2,
    objects: [
      { dn: 'CN=Ada,DC=a,DC=test', forest: 'a.test' },
      { dn: 'CN=Ada,DC=b,DC=test', forest: 'b.test' },
    ],
    scope: { kind: 'tenant' },
    coexistence: false,
    inScope: true,
    remediation: 'r',
    sources: [],
    ...extra,
  };
}

let blocked: ForestReport;
let warned: ForestReport;
let clean: ForestReport;
beforeAll(async () => {
  blocked = named(report(await scanPilotForest([hard, warn])), 'b.test');
  warned = named(report(await scanPilotForest([coexist, warn])), 'a.test');
  clean = named(report(await scanPilotForest([raising('test.clean', [])])), 'c.test');
});

describe('the tenant report over several forests', () => {
  it('takes the worst verdict, orders the forests by name and adds up their summaries', () => {
    const tenant = buildTenantReport([blocked, warned], COMPARED, CONTEXT);
    expect(reportSchema.safeParse(tenant).success).toBe(true);
    expect(tenant.forests.map((f) => f.name)).toEqual(['a.test', 'b.test']);
    expect(tenant.verdict).toBe('blocked');
    expect(tenant.summary).toMatchObject({
      forests: 2,
      hardBlockers: blocked.summary.hardBlockers + warned.summary.hardBlockers,
      warnings: blocked.summary.warnings + warned.summary.warnings,
      coexistenceBlockers: warned.summary.coexistenceBlockers,
      checksPassed: blocked.summary.checksPassed + warned.summary.checksPassed + 1,
    });
    expect(warned.verdict).toBe('ready-with-warnings');
    expect(buildTenantReport([warned, clean], COMPARED, CONTEXT).verdict).toBe('ready-with-warnings');
    expect(buildTenantReport([clean], NOTHING, CONTEXT).verdict).toBe('ready');
  });

  it('is incomplete with several forests when no tenant check ran: nothing was compared across them', () => {
    const uncompared = buildTenantReport([clean, named(clean, 'd.test')], NOTHING, CONTEXT);
    expect(uncompared.verdict).toBe('incomplete');
    expect(uncompared.incompleteReasons).toEqual([
      'No tenant-wide check ran: nothing was compared across forests: values that must be unique in the tenant may collide',
    ]);
    expect(buildTenantReport([clean, named(clean, 'd.test')], COMPARED, CONTEXT).verdict).toBe('ready');
  });

  it('is incomplete when a forest is, each reason naming its forest, or when a tenant check was not evaluated', () => {
    const partial: ForestReport = { ...clean, complete: false, verdict: 'incomplete', incompleteReasons: ['a file was cut short'] };
    const tenant = buildTenantReport([warned, partial], COMPARED, CONTEXT);
    expect(tenant.verdict).toBe('incomplete');
    expect(tenant.complete).toBe(false);
    expect(tenant.incompleteReasons).toEqual(['c.test: a file was cut short']);
    expect(tenant.headline).toBe('INCOMPLETE — data incomplete');
    // A blocker found anywhere still wins over missing data.
    expect(buildTenantReport([blocked, partial], COMPARED, CONTEXT).verdict).toBe('blocked');
    const unread: TenantJudgement = {
      checks: [{ id: 'tenant.unique', title: 't', severity: 'blocker', category: 'tenant', status: 'not-evaluated', reason: 'no value hashes', sources: [] }],
      findings: [],
    };
    const unjudged = buildTenantReport([warned, clean], unread, CONTEXT);
    expect(unjudged.verdict).toBe('incomplete');
    expect(unjudged.incompleteReasons).toEqual(['check tenant.unique not evaluated: no value hashes']);
    expect(unjudged.summary.checksNotEvaluated).toBe(1);
  });

  it('counts a tenant-wide hard blocker: two clean forests can still be blocked together', () => {
    const tenant = buildTenantReport([clean, named(clean, 'd.test')], { ...COMPARED, findings: [tenantFinding('blocker')] }, CONTEXT);
    expect(tenant.verdict).toBe('blocked');
    expect(tenant.summary.hardBlockers).toBe(1);
    expect(buildTenantReport([clean, named(clean, 'd.test')], { ...COMPARED, findings: [tenantFinding('blocker', { inScope: false })] }, CONTEXT).verdict).toBe(
      'ready',
    );
  });

  it('one forest and nothing tenant-wide: the envelope says what the forest says', () => {
    const tenant = oneForest(blocked);
    for (const key of ['verdict', 'headline', 'complete', 'incompleteReasons', 'inputs'] as const) expect(tenant[key]).toEqual(blocked[key]);
    const { forests: _forests, ...summary } = tenant.summary;
    expect(summary).toEqual(blocked.summary);
  });
});

describe('rendering several forests', () => {
  it('the terminal shows the tenant first, then each forest as one forest reads', () => {
    const text = renderTerminal(buildTenantReport([blocked, warned], { checks: [], findings: [tenantFinding('warning')] }, CONTEXT), { color: false });
    const lines = text.split('\n');
    expect(lines[0]).toMatch(/^Cloud Sync readiness of 2 forests \(a\.test, b\.test\): BLOCKED/);
    expect(text).toContain('tenant.test/duplicate');
    const a = lines.findIndex((l) => l.startsWith('Cloud Sync readiness of a.test:'));
    const b = lines.findIndex((l) => l.startsWith('Cloud Sync readiness of b.test: BLOCKED'));
    expect(a).toBeGreaterThan(0);
    expect(b).toBeGreaterThan(a);
    expect(renderTerminal(oneForest(blocked), { color: false })).not.toContain('forests');
  });

  it('Markdown has the tenant summary first and each forest one heading level down', () => {
    const text = renderMarkdown(buildTenantReport([blocked, warned], { ...COMPARED, findings: [tenantFinding('warning')] }, CONTEXT));
    const headings = text.split('\n').filter((l) => l.startsWith('#'));
    expect(headings.slice(0, 4)).toEqual([
      '# Cloud Sync readiness of 2 forests (a.test, b.test): BLOCKED',
      '## Forests',
      '## Tenant-wide findings (across forests)',
      '### Warnings (1)',
    ]);
    expect(headings[4]).toBe('#### WARNING: Same UPN in two forests (`tenant.test/duplicate`)');
    expect(headings).toContain('## Cloud Sync readiness of a.test: READY WITH WARNINGS');
    expect(headings).toContain('## Cloud Sync readiness of b.test: BLOCKED');
    expect(headings).toContain('### Domains');
    expect(headings.filter((h) => h.startsWith('# '))).toHaveLength(1);
    expect(text).toMatch(/\| a\.test \| READY WITH WARNINGS \|/);
    // Without a tenant check, the empty tenant section says nothing was compared, not that nothing was found.
    const unjudged = renderMarkdown(buildTenantReport([blocked, warned], NOTHING, CONTEXT));
    expect(unjudged).toContain('No tenant-wide check ran: nothing was compared across forests.');
    expect(renderTerminal(buildTenantReport([blocked, warned], NOTHING, CONTEXT), { color: false })).toContain('No tenant-wide check ran');
  });
});
