import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { defineCheck, defineQuestion, type Check, type CheckMeta } from '../../src/checks/check.js';
import { scan } from '../../src/checks/engine.js';
import { CHECKS } from '../../src/checks/registry.js';
import { MIGRATION_TOOL_CHECK, migrationToolLimits } from '../../src/checks/support/migration-tool.js';
import { buildReport } from '../../src/report/build.js';
import { LdifSource } from '../../src/sources/ldif/source.js';

const BASE = path.join(import.meta.dirname, '..', '..', 'fixtures', 'checks', '_base');
const domain = (): LdifSource => new LdifSource(path.join(BASE, 'domain.ldif'));

const ASKED = defineQuestion({ id: 'asked', text: 'Asked?', choices: ['yes', 'no'], howToFind: 'here' });
const NOT_LISTED = defineQuestion({ id: 'not-listed', text: 'Not listed?', choices: ['yes', 'no'], howToFind: 'here' });
const SOURCE = { title: 't', url: 'https://example.test', date: '2026-01-01' };
const META = {
  title: 'probe',
  severity: 'warning',
  category: 'test',
  rationale: 'r',
  remediation: 'check remediation',
  sources: [SOURCE],
  evidence: [],
} satisfies Partial<CheckMeta>;

/**
 * The compiler holds a check to what its metadata declares (typescript-eslint's createRule): `npm test`
 * type-checks this file, so each @ts-expect-error below fails the run if the mistake stops being caught.
 */
export const typed = defineCheck({
  meta: { ...META, id: 'test.typed', options: { maxMembers: 5 }, questions: [ASKED], kinds: { big: { severity: 'blocker' }, small: {} } },
  // @ts-expect-error: finish() below raises a kind ("huge") the metadata does not declare
  create(context) {
    const limit: number = context.option('maxMembers');
    const answer: 'yes' | 'no' | undefined = context.answer(ASKED);
    // Never called: these lines exist for the compiler.
    const mistakes = (): void => {
      // @ts-expect-error: no such option
      context.option('maxMember');
      // @ts-expect-error: a question the check does not list
      context.answer(NOT_LISTED);
    };
    void mistakes;
    return {
      finish() {
        if (answer === 'no') return { status: 'failed', findings: [{ kind: 'small', message: `${limit}` }] };
        return { status: 'failed', findings: [{ kind: 'huge', message: `${limit}` }] };
      },
    };
  },
});

function probe(
  finding: { kind: string; severity?: 'info' | 'warning' | 'blocker'; title?: string; tally?: { count: number; of: string } },
  objects = 0,
): Check {
  return defineCheck({
    meta: {
      ...META,
      id: 'test.probe',
      kinds: { plain: {}, own: { title: 'Own title', severity: 'info', remediation: 'kind remediation' } },
    },
    create: () => ({
      finish: () => ({
        status: 'failed',
        findings: [{ ...finding, kind: finding.kind as 'plain', message: 'm', objects: Array.from({ length: objects }, (_, i) => ({ dn: `CN=${i}` })) }],
      }),
    }),
  });
}

async function outcomeOf(check: Check, answers: Record<string, string> = {}) {
  const result = await scan([domain()], { checks: [check], answers });
  return result.outcomes[0];
}

describe('check contract', () => {
  it('fills a finding from its kind, then from the check: title, severity, remediation', async () => {
    const plain = await outcomeOf(probe({ kind: 'plain' }, 2));
    expect(plain?.result).toMatchObject({
      status: 'failed',
      findings: [{ kind: 'plain', title: 'probe', severity: 'warning', remediation: 'check remediation', count: 2 }],
    });
    const own = await outcomeOf(probe({ kind: 'own' }));
    expect(own?.result).toMatchObject({ findings: [{ kind: 'own', title: 'Own title', severity: 'info', remediation: 'kind remediation', count: 1 }] });
    const overridden = await outcomeOf(probe({ kind: 'own', title: 'Said here', severity: 'blocker' }));
    expect(overridden?.result).toMatchObject({ status: 'failed', findings: [{ title: 'Said here', severity: 'blocker' }] });
  });

  it('a finding of a kind the metadata does not declare makes the check not evaluated, never passed', async () => {
    const outcome = await outcomeOf(probe({ kind: 'undeclared' }));
    expect(outcome?.result).toEqual({
      status: 'not-evaluated',
      reason: expect.stringContaining('kind "undeclared", which its metadata does not declare'),
      findings: [],
    });
  });

  it('a check whose findings are all information passes, with its findings', async () => {
    const outcome = await outcomeOf(probe({ kind: 'own' }, 1));
    expect(outcome?.result).toMatchObject({ status: 'passed', findings: [{ severity: 'info' }] });
    const result = await scan([domain()], { checks: [probe({ kind: 'own' }, 1)] });
    const report = buildReport(result, { toolVersion: 't', target: 'cloud-sync', allowPreview: false, now: new Date(0) });
    expect(report.summary).toMatchObject({ checksPassed: 1, checksFailed: 0, info: 1 });
    expect(report.findings.map((f) => f.key)).toEqual(['test.probe/own']);
  });

  it('count is the number of objects listed, unless the finding says what else it counts', async () => {
    const listed = await outcomeOf(probe({ kind: 'plain' }, 3));
    expect(listed?.result).toMatchObject({ findings: [{ count: 3 }] });
    const tallied = await outcomeOf(probe({ kind: 'plain', tally: { count: 7, of: 'UPN suffixes' } }));
    expect(tallied?.result).toMatchObject({ findings: [{ count: 7, countOf: 'UPN suffixes', objects: [] }] });
  });

  it('answers are read through the question: an answer outside its choices is no answer, a question not listed is a bug', async () => {
    expect((await outcomeOf(typed, { asked: 'no' }))?.result).toMatchObject({ status: 'failed', findings: [{ kind: 'small' }] });
    expect((await outcomeOf(typed, { asked: 'nope' }))?.result).toMatchObject({ status: 'not-evaluated', reason: expect.stringContaining('kind "huge"') });
    const sneaky = defineCheck({
      meta: { ...META, id: 'test.sneaky', kinds: {} },
      // The compiler refuses this; the engine refuses it too, for checks built around the types.
      create: (context) => ({ finish: () => ((context.answer as (q: typeof NOT_LISTED) => unknown)(NOT_LISTED), { status: 'passed' }) }),
    });
    expect((await outcomeOf(sneaky))?.result).toMatchObject({ status: 'not-evaluated', reason: expect.stringContaining('does not list that question') });
  });

  it("exposes every check's effective options, overrides applied, disabled checks included", async () => {
    const result = await scan([domain()], {
      checks: CHECKS,
      settings: { disabled: new Set([MIGRATION_TOOL_CHECK]), options: { [MIGRATION_TOOL_CHECK]: { maxObjects: 5_000 }, 'groups.large': { maxMembers: 10 } } },
    });
    expect(result.outcomes.find((o) => o.meta.id === 'groups.large')?.options).toEqual({ maxMembers: 10 });
    expect(migrationToolLimits(result.outcomes)).toEqual({ objects: 5_000, containersPerDomain: 30 });
    expect(migrationToolLimits([])).toEqual({ objects: 2_000, containersPerDomain: 30 });
  });

  it('a question two checks share is still asked, and attributed, when one of them is switched off', async () => {
    const result = await scan([domain()], { checks: CHECKS, settings: { disabled: new Set(['config.filtering-and-rules']) } });
    const report = buildReport(result, { toolVersion: 't', target: 'cloud-sync', allowPreview: false, now: new Date(0) });
    const shared = report.openQuestions.filter((q) => q.id === 'connect-custom-sync-rules' || q.id === 'connect-group-filtering');
    expect(shared.map((q) => q.askedBy)).toEqual([[MIGRATION_TOOL_CHECK], [MIGRATION_TOOL_CHECK]]);
    const both = buildReport(await scan([domain()], { checks: CHECKS }), { toolVersion: 't', target: 'cloud-sync', allowPreview: false, now: new Date(0) });
    expect(both.openQuestions.find((q) => q.id === 'connect-group-filtering')?.askedBy).toEqual(['config.filtering-and-rules', MIGRATION_TOOL_CHECK]);
  });

  it('every check of the catalog declares its kinds, and the migration tool limits are its options', () => {
    for (const { meta } of CHECKS) expect(Object.keys(meta.kinds).length, meta.id).toBeGreaterThan(0);
    expect(Object.keys(CHECKS.find((c) => c.meta.id === MIGRATION_TOOL_CHECK)?.meta.options ?? {})).toEqual(['maxObjects', 'maxContainersPerDomain']);
  });
});
