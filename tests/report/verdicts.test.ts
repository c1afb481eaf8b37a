import { describe, expect, it } from 'vitest';
import { defineCheck } from '../../src/checks/check.js';
import { reportSchema } from '../../src/report/schema.js';
import { renderMarkdown } from '../../src/reporters/markdown.js';
import { renderTerminal } from '../../src/reporters/terminal.js';
import { coexist, D, hard, markerCheck, report, scanPilotForest, verdictOf, warn } from './helpers.js';

describe('verdicts per forest, domain and OU', () => {
  it('a hard blocker blocks its OU, its parents, the domain and the forest, and nothing else', async () => {
    const r = report(await scanPilotForest([hard, coexist, warn]));
    expect(r.verdict).toBe('blocked');
    expect(r.verdicts.forest).toBe('blocked');
    expect(r.verdicts.domains).toEqual([{ dn: D, verdict: 'blocked', blockers: 2, hardBlockers: 1, coexistenceBlockers: 1, warnings: 1 }]);
    expect(verdictOf(r, 'OU=Sales,OU=Corp')).toBe('blocked');
    expect(verdictOf(r, 'OU=Corp')).toBe('blocked');
    expect(verdictOf(r, 'OU=HR,OU=Corp')).toBe('ready');
    expect(verdictOf(r, 'OU=Payroll,OU=HR,OU=Corp')).toBe('ready');
    expect(verdictOf(r, 'OU=Engineering,OU=Corp')).toBe('ready-with-warnings');
    expect(verdictOf(r, 'OU=Laptops,OU=Corp')).toBe('ready-with-warnings');
    expect(r.summary).toMatchObject({ blockers: 2, hardBlockers: 1, coexistenceBlockers: 1, warnings: 1 });
    const laptops = r.verdicts.containers.find((c) => c.dn === `OU=Laptops,OU=Corp,${D}`);
    expect(laptops).toMatchObject({ blockers: 1, hardBlockers: 0, coexistenceBlockers: 1, counts: { users: 1, computers: 1 } });
    expect(reportSchema.safeParse(r).success).toBe(true);
  });

  it('coexistence blockers alone leave the forest ready-with-warnings, never ready and never blocked', async () => {
    const r = report(await scanPilotForest([coexist]));
    expect(r.verdict).toBe('ready-with-warnings');
    expect(r.summary).toMatchObject({ blockers: 1, hardBlockers: 0, coexistenceBlockers: 1 });
    expect(r.findings[0]).toMatchObject({ id: 'test.coexist', coexistence: true, inScope: true });
    expect(verdictOf(r, 'OU=HR,OU=Corp')).toBe('ready');
  });

  it('under --target migration-tool nothing stays on Connect Sync: coexistence blockers are hard', async () => {
    const r = report(await scanPilotForest([coexist], 'migration-tool'), { target: 'migration-tool' });
    expect(r.findings[0]?.coexistence).toBe(false);
    expect(r.verdict).toBe('blocked');
    expect(r.target).toBe('migration-tool');
  });

  it('an unread subtree makes that subtree, its parents, the domain and the forest incomplete; siblings keep their verdict', async () => {
    const result = await scanPilotForest([hard]);
    result.problems.push({ severity: 'error', input: 'test', message: 'denied', affectsDn: `OU=Engineering,OU=Corp,${D}` });
    const r = report(result);
    expect(r.verdict).toBe('incomplete');
    expect(r.complete).toBe(false);
    expect(verdictOf(r, 'OU=Engineering,OU=Corp')).toBe('incomplete');
    expect(verdictOf(r, 'OU=Corp')).toBe('incomplete');
    expect(r.verdicts.domains[0]?.verdict).toBe('incomplete');
    expect(verdictOf(r, 'OU=HR,OU=Corp')).toBe('ready');
    expect(r.pilotPlan.candidates.map((c) => c.dn)).not.toContain(`OU=Engineering,OU=Corp,${D}`);
  });

  it('a check that could not be evaluated makes every verdict incomplete and withholds the pilot plan', async () => {
    const blind = defineCheck({
      meta: { id: 'test.blind', title: 'blind', severity: 'blocker', category: 'test', rationale: 'r', remediation: 'r', sources: [], requires: ['schema-partition'], kinds: {} },
      create: () => ({ finish: () => ({ status: 'passed' }) }),
    });
    const r = report(await scanPilotForest([blind]));
    expect(r.verdict).toBe('incomplete');
    expect(verdictOf(r, 'OU=HR,OU=Corp')).toBe('incomplete');
    expect(r.pilotPlan.status).toBe('incomplete');
    expect(r.pilotPlan.candidates).toEqual([]);
  });

  it('open questions keep the forest from being plainly ready, and are listed with who asks them', async () => {
    const asking = markerCheck('test.asking', 'nothing-has-this', {}, {
      questions: [{ id: 'pta', text: 'Is PTA in use?', choices: ['yes', 'no'], howToFind: 'portal' }],
    });
    const open = report(await scanPilotForest([asking]));
    expect(open.verdict).toBe('ready-with-warnings');
    expect(open.openQuestions).toEqual([{ id: 'pta', text: 'Is PTA in use?', choices: ['yes', 'no'], howToFind: 'portal', askedBy: ['test.asking'] }]);
    const answered = report(await scanPilotForest([asking]), { answers: { pta: 'no' } });
    expect(answered.verdict).toBe('ready');
    expect(answered.openQuestions).toEqual([]);
    expect(answered.answers).toEqual([{ id: 'pta', answer: 'no', askedBy: ['test.asking'] }]);
  });
});

describe('config scope', () => {
  it('findings wholly outside the included OUs are listed but do not count', async () => {
    const r = report(await scanPilotForest([hard, warn]), { scope: [`OU=HR,OU=Corp,${D}`, `OU=Engineering,OU=Corp,${D}`] });
    expect(r.verdict).toBe('ready-with-warnings');
    expect(r.findings.find((f) => f.id === 'test.hard')?.inScope).toBe(false);
    expect(r.summary).toMatchObject({ hardBlockers: 0, warnings: 1, findingsOutOfScope: 1 });
    expect(r.verdicts.containers.map((c) => c.dn)).toEqual([`OU=Engineering,OU=Corp,${D}`, `OU=HR,OU=Corp,${D}`, `OU=Payroll,OU=HR,OU=Corp,${D}`]);
    expect(r.settings.scope).toEqual({ include: [`OU=HR,OU=Corp,${D}`, `OU=Engineering,OU=Corp,${D}`], notFound: [] });
    expect(r.pilotPlan.candidates.map((c) => c.dn)).toEqual([`OU=HR,OU=Corp,${D}`, `OU=Engineering,OU=Corp,${D}`]);
  });

  it('an included OU that is not in the input makes the scan incomplete, naming it', async () => {
    const r = report(await scanPilotForest([warn]), { scope: [`OU=Nowhere,${D}`] });
    expect(r.verdict).toBe('incomplete');
    expect(r.settings.scope?.notFound).toEqual([`OU=Nowhere,${D}`]);
    expect(r.incompleteReasons.join('\n')).toContain(`OU=Nowhere,${D}`);
  });
});

describe('reporters', () => {
  it('the Markdown report reads as a ticket: verdict, domains, OUs, pilot plan, findings by kind, checks', async () => {
    const text = renderMarkdown(report(await scanPilotForest([hard, coexist, warn])));
    const headings = text.split('\n').filter((l) => l.startsWith('#'));
    expect(headings).toEqual([
      '# Cloud Sync readiness: BLOCKED',
      '## Domains',
      '## Verdict per OU (whole subtree)',
      '## Pilot plan: which OUs can move first',
      '### Cloud Sync scope to paste (limits: about 50 OUs per Cloud Sync configuration (4 MB))',
      '### Connect Sync side (cloudNoFlow rules)',
      '## Findings',
      '### Hard blockers (1)',
      '#### BLOCKER: test.hard (`test.hard`)',
      '### Blockers Connect Sync can keep side by side (coexistence) (1)',
      '#### BLOCKER: test.coexist (`test.coexist`)',
      '### Warnings (1)',
      '#### WARNING: test.warn (`test.warn`)',
      '## Checks',
      '## Forest',
    ]);
    expect(text).toContain('| dn | ENDSWITH | `OU=HR,OU=Corp,DC=pilot,DC=test` |');
  });

  it('the terminal summary names the pilot candidates and stays plain without colour', async () => {
    const text = renderTerminal(report(await scanPilotForest([hard, coexist, warn])), { color: false });
    expect(text).toContain('Pilot candidates: #1 OU=HR,OU=Corp,DC=pilot,DC=test (5)');
    expect(text).not.toMatch(/\u001b\[/);
  });
});
