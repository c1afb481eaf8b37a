import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CHECKS } from '../src/checks/registry.js';
import { scan } from '../src/checks/engine.js';
import { readConnectConfig } from '../src/sources/connect-config/read.js';
import { CONNECT_EXPORTS, FIXTURES, fixtureSources, readFixture, type Fixture } from './checks/fixture-harness.js';

const checkDirs = readdirSync(FIXTURES).filter((d) => !d.startsWith('_') && statSync(join(FIXTURES, d)).isDirectory());

function fixturesOf(id: string): Fixture[] {
  const dir = join(FIXTURES, id);
  return readdirSync(dir)
    .filter((f) => f.endsWith('.ldif'))
    .map((f) => readFixture(join(dir, f), id, CHECKS));
}

describe('check fixtures', () => {
  it('every registered check has a fixture with findings, one that passes clean and one that cannot evaluate it', () => {
    const missing: string[] = [];
    for (const { meta } of CHECKS) {
      const fixtures = checkDirs.includes(meta.id) ? fixturesOf(meta.id) : [];
      const scenarios = {
        'with findings': fixtures.some((f) => f.findings.length > 0),
        'passing clean': fixtures.some((f) => f.status === 'passed' && f.findings.length === 0),
        'not-evaluated': fixtures.some((f) => f.status === 'not-evaluated'),
      };
      for (const [scenario, present] of Object.entries(scenarios)) if (!present) missing.push(`${meta.id}: no fixture ${scenario}`);
    }
    expect(missing).toEqual([]);
  });

  it('every fixture folder names a registered check', () => {
    const ids = new Set(CHECKS.map((c) => c.meta.id));
    expect(checkDirs.filter((d) => !ids.has(d))).toEqual([]);
  });

  for (const id of checkDirs) {
    describe(id, () => {
      for (const fixture of fixturesOf(id)) {
        it(`${fixture.path.slice(fixture.path.lastIndexOf('/') + 1)}: ${fixture.status}`, async () => {
          const result = await scan(fixtureSources(fixture), {
            checks: CHECKS,
            settings: { options: fixture.options },
            answers: fixture.answers,
            allowPreview: fixture.allowPreview,
            ...(fixture.target === undefined ? {} : { target: fixture.target }),
            ...(fixture.connectConfig === undefined ? {} : { connectConfig: await readConnectConfig(join(CONNECT_EXPORTS, fixture.connectConfig)) }),
          });
          const errors = result.problems.filter((p) => p.severity === 'error');
          expect(
            errors.filter((p) => !fixture.problems.some((text) => p.message.includes(text))),
            'fixtures must parse cleanly',
          ).toEqual([]);
          for (const text of fixture.problems) expect(errors.map((p) => p.message).join('\n')).toContain(text);
          const outcome = result.outcomes.find((o) => o.meta.id === id)?.result;
          expect(outcome?.status).toBe(fixture.status);
          const findings = outcome !== undefined && 'findings' in outcome ? outcome.findings : [];
          // A kind is compared only where the fixture names one.
          const actual = findings.map((f, i) => ({
            severity: f.severity,
            count: f.count,
            ...(fixture.findings[i]?.kind === undefined ? {} : { kind: f.kind }),
          }));
          expect(actual).toEqual(fixture.findings);
          for (const f of findings) {
            expect(f.count, 'a finding always counts what it found').toBeGreaterThan(0);
            if (f.countOf === undefined && f.objects.length > 0) expect(f.count, 'count is the number of objects listed').toBe(f.objects.length);
          }
          const objects = findings.flatMap((f) => f.objects);
          const dns = objects.map((o) => o.dn.toLowerCase());
          for (const dn of fixture.objects) expect(dns).toContain(dn.toLowerCase());
          for (const { attribute, value, suggestion } of fixture.values) {
            const listed = objects.find((o) => o.attribute === attribute && o.value === value);
            expect(listed, `${attribute}=${value} among the findings' values`).toBeDefined();
            if (suggestion !== undefined) expect(listed?.suggestion, `suggested repair of ${attribute}=${value}`).toBe(suggestion.proposed);
          }
          for (const fragment of fixture.messages) expect(findings.map((f) => f.message).join('\n')).toContain(fragment);
          for (const fragment of fixture.reasons) expect(outcome?.status === 'not-evaluated' ? outcome.reason : '').toContain(fragment);
        });
      }
    });
  }
});
