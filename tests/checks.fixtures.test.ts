import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CHECKS } from '../src/checks/registry.js';
import { scan } from '../src/checks/engine.js';
import type { Target } from '../src/checks/check.js';
import { readConnectConfig } from '../src/sources/connect-config/read.js';
import { LdifSource } from '../src/sources/ldif/source.js';

const ROOT = join(import.meta.dirname, '..', 'fixtures', 'checks');
const BASE = join(ROOT, '_base');
const CONNECT_EXPORTS = join(ROOT, '..', 'connect-config');

interface Expectation {
  with: string[];
  status: string | undefined;
  findings: { severity: string; count: number }[];
  objects: string[];
  /** "attribute=value => suggestion": a value the findings must list, with the repair they must propose. */
  values: { attribute: string; value: string; suggestion: string | undefined }[];
  options: Record<string, Record<string, number>>;
  answers: Record<string, string>;
  target: Target | undefined;
  allowPreview: boolean;
  /** A folder of fixtures/connect-config/ scanned as the Connect configuration export. */
  connectConfig: string | undefined;
}

function readExpectation(file: string): Expectation {
  const expectation: Expectation = {
    with: [],
    status: undefined,
    findings: [],
    objects: [],
    values: [],
    options: {},
    answers: {},
    target: undefined,
    allowPreview: false,
    connectConfig: undefined,
  };
  for (const line of readFileSync(file, 'utf8').split(/\r?\n/)) {
    if (!line.startsWith('#')) {
      if (line.trim() === '' || line.startsWith(' ')) continue;
      break;
    }
    const [, key, value] = /^#\s*([\w-]+):\s*(.*)$/.exec(line) ?? [];
    if (key === 'with') expectation.with.push(...(value ?? '').split(/\s+/).filter(Boolean));
    if (key === 'expect') expectation.status = value?.trim();
    if (key === 'expect-finding') {
      const [severity, count] = (value ?? '').trim().split(/\s+/);
      expectation.findings.push({ severity: severity ?? '', count: Number(count) });
    }
    if (key === 'expect-object') expectation.objects.push((value ?? '').trim());
    if (key === 'expect-value') {
      // "(none)": no repair is proposed; "(remove)": the value should go.
      const [, attribute, offending, suggestion] = /^\s*([\w-]+)=(.*) => (.*)$/.exec(value ?? '') ?? [];
      const proposal = suggestion === '(none)' ? undefined : suggestion === '(remove)' ? '' : suggestion;
      expectation.values.push({ attribute: attribute ?? '', value: offending ?? '', suggestion: proposal });
    }
    if (key === 'answer') {
      const [question, choice] = (value ?? '').trim().split('=');
      expectation.answers[question ?? ''] = choice ?? '';
    }
    if (key === 'target') expectation.target = (value ?? '').trim() as Target;
    if (key === 'allow-preview') expectation.allowPreview = true;
    if (key === 'connect-config') expectation.connectConfig = (value ?? '').trim();
    if (key === 'option') {
      // "check.id.optionName=value": check ids contain dots, so the option is after the last one.
      const [path, number] = (value ?? '').trim().split('=');
      const dot = (path ?? '').lastIndexOf('.');
      const checkId = (path ?? '').slice(0, dot);
      expectation.options[checkId] = { ...expectation.options[checkId], [(path ?? '').slice(dot + 1)]: Number(number) };
    }
  }
  return expectation;
}

const checkDirs = readdirSync(ROOT).filter((d) => !d.startsWith('_') && statSync(join(ROOT, d)).isDirectory());

describe('check fixtures', () => {
  it('every registered check has a fixture with findings, one that passes clean and one that cannot evaluate it', () => {
    const missing: string[] = [];
    for (const { meta } of CHECKS) {
      const dir = join(ROOT, meta.id);
      const expectations = checkDirs.includes(meta.id)
        ? readdirSync(dir)
            .filter((f) => f.endsWith('.ldif'))
            .map((f) => readExpectation(join(dir, f)))
        : [];
      const scenarios = {
        'with findings': expectations.some((e) => e.findings.length > 0),
        'passing clean': expectations.some((e) => e.status === 'passed' && e.findings.length === 0),
        'not-evaluated': expectations.some((e) => e.status === 'not-evaluated'),
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
      for (const file of readdirSync(join(ROOT, id)).filter((f) => f.endsWith('.ldif'))) {
        const path = join(ROOT, id, file);
        const expectation = readExpectation(path);
        it(`${file}: ${expectation.status ?? '(no expect line)'}`, async () => {
          expect(expectation.status, `${path} needs an "# expect:" line`).toBeDefined();
          const sources = [...expectation.with.map((b) => new LdifSource(join(BASE, `${b}.ldif`))), new LdifSource(path)];
          const result = await scan(sources, {
            checks: CHECKS,
            settings: { options: expectation.options },
            answers: expectation.answers,
            allowPreview: expectation.allowPreview,
            ...(expectation.target === undefined ? {} : { target: expectation.target }),
            ...(expectation.connectConfig === undefined ? {} : { connectConfig: await readConnectConfig(join(CONNECT_EXPORTS, expectation.connectConfig)) }),
          });
          expect(result.problems.filter((p) => p.severity === 'error'), 'fixtures must parse cleanly').toEqual([]);
          const outcome = result.outcomes.find((o) => o.meta.id === id);
          expect(outcome?.result.status).toBe(expectation.status);
          const findings = outcome?.result.status === 'failed' || outcome?.result.status === 'passed' ? outcome.result.findings : [];
          const actual = findings.map((f) => ({ severity: f.severity, count: f.count }));
          expect(actual.filter((f) => f.count < 1), 'a finding always counts what it found').toEqual([]);
          expect(actual).toEqual(expectation.findings);
          const dns = findings.flatMap((f) => f.objects).map((o) => o.dn.toLowerCase());
          for (const dn of expectation.objects) expect(dns).toContain(dn.toLowerCase());
          const refs = findings.flatMap((f) => f.objects ?? []);
          for (const { attribute, value, suggestion } of expectation.values) {
            const ref = refs.find((o) => o.attribute === attribute && o.value === value);
            expect(ref, `${attribute}=${value} among the findings' values`).toBeDefined();
            expect(ref?.suggestion, `suggested repair of ${attribute}=${value}`).toBe(suggestion);
          }
        });
      }
    });
  }
});
