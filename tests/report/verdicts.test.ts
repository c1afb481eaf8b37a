import { describe, expect, it } from 'vitest';
import type { Check } from '../../src/checks/check.js';
import { scan } from '../../src/checks/engine.js';
import { TemporaryFileError } from '../../src/checks/support/page-store.js';
import { forestReportSchema, reportSchema } from '../../src/report/schema.js';
import { renderMarkdown } from '../../src/reporters/markdown.js';
import { renderTerminal } from '../../src/reporters/terminal.js';
import {
  blindCheck,
  coexist,
  D,
  domainRecord,
  hard,
  ldifText,
  markerCheck,
  ouRecord,
  raising,
  record,
  report,
  scanPilotForest,
  userRecord,
  verdictOf,
  warn,
  oneForest,
} from './helpers.js';

const asking = markerCheck(
  'test.asking',
  'nothing-has-this',
  {},
  {
    questions: [{ id: 'pta', text: 'Is PTA in use?', choices: ['yes', 'no'], howToFind: 'portal' }],
  },
);

/** A check that raises one finding about the whole forest (no KDS root key, say) or one domain. */
function wideCheck(id: string, scope: { kind: 'forest' } | { kind: 'domain'; dn: string }, severity: 'blocker' | 'warning' = 'blocker') {
  return raising(id, [{ kind: 'wide', message: 'everywhere', scope }], severity);
}

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
    expect(laptops).toMatchObject({ domain: 'pilot.test', depth: 2, blockers: 1, hardBlockers: 0, coexistenceBlockers: 1, counts: { users: 1, computers: 1 } });
    expect(r.headline).toBe('BLOCKED');
    expect(forestReportSchema.safeParse(r).success).toBe(true);
    expect(reportSchema.safeParse(oneForest(r)).success).toBe(true);
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
    const result = await scanPilotForest([warn]);
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

  it('a check that could not be evaluated makes every verdict without a hard blocker incomplete and withholds the pilot plan', async () => {
    const blind = blindCheck('test.blind');
    const r = report(await scanPilotForest([blind, warn]));
    expect(r.verdict).toBe('incomplete');
    expect(verdictOf(r, 'OU=HR,OU=Corp')).toBe('incomplete');
    expect(r.pilotPlan.status).toBe('incomplete');
    expect(r.pilotPlan.candidates).toEqual([]);
  });
});

describe('verdict precedence: a hard blocker found is certain, whatever else is unknown', () => {
  it('blocked (exit 1) even with data missing, a check not evaluated and a question open; the report keeps all three', async () => {
    const blind = blindCheck('test.blind', 'warning');
    const result = await scanPilotForest([hard, blind, asking]);
    result.problems.push({ severity: 'error', input: 'test', message: 'denied', affectsDn: `OU=Engineering,OU=Corp,${D}` });
    const r = report(result);
    expect(r.verdict).toBe('blocked');
    expect(r.complete).toBe(false);
    expect(r.incompleteReasons.join('\n')).toContain('test.blind not evaluated');
    expect(r.openQuestions.map((q) => q.id)).toEqual(['pta']);
    expect(r.headline).toBe('BLOCKED — and 1 question open, data incomplete');
    // The same rule per domain and OU: the blocked OU and its parents say blocked, an OU clean on its own cannot be judged.
    expect(r.verdicts.domains[0]?.verdict).toBe('blocked');
    expect(verdictOf(r, 'OU=Sales,OU=Corp')).toBe('blocked');
    expect(verdictOf(r, 'OU=Corp')).toBe('blocked');
    expect(verdictOf(r, 'OU=HR,OU=Corp')).toBe('incomplete');
    expect(verdictOf(r, 'OU=Engineering,OU=Corp')).toBe('incomplete');
  });

  it('the terminal and Markdown headlines say both', async () => {
    const r = report(await scanPilotForest([hard, asking]));
    expect(r.headline).toBe('BLOCKED — and 1 question open');
    expect(renderTerminal(oneForest(r), { color: false }).split('\n')[0]).toContain('Cloud Sync readiness of pilot.test: BLOCKED — and 1 question open');
    expect(renderMarkdown(oneForest(r)).split('\n')[0]).toBe('# Cloud Sync readiness of pilot.test: BLOCKED — and 1 question open');
  });

  it('without a hard blocker an open question gives incomplete, and an answered one lets the verdict through', async () => {
    const open = report(await scanPilotForest([asking]));
    expect(open.verdict).toBe('incomplete');
    expect(open.headline).toBe('INCOMPLETE — 1 question open');
    expect(open.openQuestions).toEqual([{ id: 'pta', text: 'Is PTA in use?', choices: ['yes', 'no'], howToFind: 'portal', askedBy: ['test.asking'] }]);
    expect(verdictOf(open, 'OU=HR,OU=Corp')).toBe('incomplete');
    const answered = report(await scanPilotForest([asking]), { answers: { pta: 'no' } });
    expect(answered.verdict).toBe('ready');
    expect(answered.openQuestions).toEqual([]);
    expect(answered.answers).toEqual([{ id: 'pta', answer: 'no', askedBy: ['test.asking'] }]);
  });
});

describe('what an OU owns and what it inherits', () => {
  it('a forest-wide hard blocker blocks the forest and the domain, not the OUs: each keeps its own verdict and counts it as inherited', async () => {
    const r = report(await scanPilotForest([wideCheck('test.no-kds-key', { kind: 'forest' }), warn]));
    expect(r.verdict).toBe('blocked');
    expect(r.verdicts.domains[0]?.verdict).toBe('blocked');
    expect(verdictOf(r, 'OU=HR,OU=Corp')).toBe('ready');
    expect(verdictOf(r, 'OU=Engineering,OU=Corp')).toBe('ready-with-warnings');
    const hr = r.verdicts.containers.find((c) => c.dn === `OU=HR,OU=Corp,${D}`);
    expect(hr).toMatchObject({ hardBlockers: 0, inherited: { blockers: 1, hardBlockers: 1, coexistenceBlockers: 0, warnings: 0 } });
  });

  it('an object finding counts once in every container above each of its objects, deep or shallow, in whatever order they are listed', async () => {
    const objects = ['CN=HR 0,OU=HR', 'CN=Payroll 0,OU=Payroll,OU=HR', 'CN=Sales 0,OU=Sales', 'CN=Payroll 1,OU=Payroll,OU=HR', 'CN=Sales 1,OU=Sales'];
    for (const order of [objects, [...objects].reverse()]) {
      const spread = raising('test.spread', [{ kind: 'spread', message: 'm', objects: order.map((rdns) => ({ dn: `${rdns},OU=Corp,${D}` })) }], 'blocker');
      const r = report(await scanPilotForest([spread]));
      const owned = (dn: string): number | undefined => r.verdicts.containers.find((c) => c.dn === `${dn},${D}`)?.hardBlockers;
      expect(['OU=Payroll,OU=HR,OU=Corp', 'OU=HR,OU=Corp', 'OU=Sales,OU=Corp', 'OU=Corp'].map(owned)).toEqual([1, 1, 1, 1]);
      expect(['OU=Engineering,OU=Corp', 'OU=Laptops,OU=Corp', 'OU=Admins', 'OU=Empty'].map(owned)).toEqual([0, 0, 0, 0]);
    }
  });

  it('an object finding whose objects lie outside every domain (the configuration partition) is about the forest', async () => {
    const root = 'DC=corp,DC=test';
    const config = `CN=Configuration,${root}`;
    const forest =
      record(config, 'objectClass: top', 'objectClass: configuration') +
      record(`CN=Partitions,${config}`, 'objectClass: top', 'objectClass: crossRefContainer') +
      record(
        `CN=CORP,CN=Partitions,${config}`,
        'objectClass: top',
        'objectClass: crossRef',
        `nCName: ${root}`,
        'dnsRoot: corp.test',
        'nETBIOSName: CORP',
        'systemFlags: 3',
      ) +
      record(`CN=Writeback,CN=Services,${config}`, 'objectClass: top', 'objectClass: container', 'description: hard') +
      domainRecord(root) +
      ouRecord(`OU=Staff,${root}`) +
      userRecord(`CN=Alice,OU=Staff,${root}`);
    const r = report(await scan([ldifText(forest)], { checks: [hard] }), { scope: [`OU=Staff,${root}`] });
    expect(r.findings[0]).toMatchObject({ scope: { kind: 'objects' }, inScope: true });
    expect(r.verdict).toBe('blocked');
    expect(r.verdicts.domains[0]?.verdict).toBe('blocked');
    expect(r.verdicts.containers.find((c) => c.dn === `OU=Staff,${root}`)).toMatchObject({ verdict: 'ready', inherited: { hardBlockers: 1 } });
    expect(r.pilotPlan.prerequisites.map((p) => p.key)).toEqual(['test.hard/marked']);
  });

  it('a domain-wide finding names its domain in the title and weighs on that domain only', async () => {
    const r = report(await scanPilotForest([wideCheck('test.policy', { kind: 'domain', dn: D }, 'warning')]));
    expect(r.findings[0]?.title).toBe('test.policy (pilot.test)');
    expect(r.verdicts.domains[0]?.verdict).toBe('ready-with-warnings');
    expect(verdictOf(r, 'OU=HR,OU=Corp')).toBe('ready');
  });
});

describe('input integrity, report side', () => {
  const ROOT = 'DC=corp,DC=test';
  const CHILD = `DC=emea,${ROOT}`;
  const CONFIG = `CN=Configuration,${ROOT}`;
  const crossRef = (nc: string, dnsRoot: string, netbios: string): string =>
    record(
      `CN=${netbios},CN=Partitions,${CONFIG}`,
      'objectClass: top',
      'objectClass: crossRef',
      `nCName: ${nc}`,
      `dnsRoot: ${dnsRoot}`,
      `nETBIOSName: ${netbios}`,
      'systemFlags: 3',
    );
  // A two-domain forest whose child domain export was left out: the configuration names both domains.
  const forestWithoutChild =
    record(CONFIG, 'objectClass: top', 'objectClass: configuration') +
    record(`CN=Partitions,${CONFIG}`, 'objectClass: top', 'objectClass: crossRefContainer', 'msDS-Behavior-Version: 7') +
    crossRef(ROOT, 'corp.test', 'CORP') +
    crossRef(CHILD, 'emea.corp.test', 'EMEA') +
    domainRecord(ROOT) +
    ouRecord(`OU=Staff,${ROOT}`) +
    userRecord(`CN=Alice,OU=Staff,${ROOT}`);

  it('a domain the forest names but whose partition was not read makes the scan incomplete, naming it', async () => {
    const r = report(await scan([ldifText(forestWithoutChild)], { checks: [warn] }));
    expect(r.inventory.domains.map((d) => [d.dnsName, d.partitionRead])).toEqual([
      ['corp.test', true],
      ['emea.corp.test', false],
    ]);
    expect(r.complete).toBe(false);
    expect(r.verdict).toBe('incomplete');
    expect(r.incompleteReasons.join('\n')).toContain(`domain emea.corp.test (${CHILD}) belongs to the forest but its partition was not in the input`);
    // The gap is the child domain: the root domain and its OUs keep their verdicts.
    expect(r.verdicts.domains.map((d) => d.verdict)).toEqual(['ready', 'incomplete']);
    expect(r.pilotPlan.candidates.map((c) => c.dn)).toEqual([`OU=Staff,${ROOT}`]);
  });

  it('unless the config scope leaves that domain out', async () => {
    const r = report(await scan([ldifText(forestWithoutChild)], { checks: [warn] }), { scope: [`OU=Staff,${ROOT}`] });
    expect(r.complete).toBe(true);
    expect(r.verdict).toBe('ready');
  });

  it('a configuration that switches off every check that could judge never gives ready', async () => {
    const info = markerCheck('test.info', 'nothing-has-this', { severity: 'info' }, { severity: 'info' });
    const result = await scanPilotForest([hard, warn, info]);
    for (const outcome of result.outcomes) if (outcome.meta.severity !== 'info') outcome.result = { status: 'disabled' };
    const r = report(result);
    expect(r.verdict).toBe('incomplete');
    expect(r.incompleteReasons.join('\n')).toContain('no check that can find a blocker or a warning ran');
    expect(verdictOf(r, 'OU=HR,OU=Corp')).toBe('incomplete');
    expect(r.pilotPlan.status).toBe('incomplete');
    const none = report(await scan([ldifText(forestWithoutChild)], { checks: [] }));
    expect(none.verdict).toBe('incomplete');
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
  it('the Markdown report reads as a ticket: forest and verdict, domains, the OU tree, pilot plan, findings by kind, checks', async () => {
    const text = renderMarkdown(oneForest(report(await scanPilotForest([hard, coexist, warn]))));
    const headings = text.split('\n').filter((l) => l.startsWith('#'));
    expect(headings).toEqual([
      '# Cloud Sync readiness of pilot.test: BLOCKED',
      '## Domains',
      '## Verdict per OU (what each subtree owns)',
      '### pilot.test',
      '## Pilot plan: which OUs can move first',
      '### Wave 1, the pilot: Cloud Sync scope to paste (limits: about 50 OUs per Cloud Sync configuration (4 MB))',
      '### Later waves (add each to the scope once the wave before it runs cleanly)',
      '### Connect Sync side (cloudNoFlow rules)',
      '## Findings',
      '### Hard blockers (1)',
      '#### BLOCKER: test.hard (`test.hard/marked`)',
      '### Blockers Connect Sync can keep side by side (coexistence) (1)',
      '#### BLOCKER: test.coexist (`test.coexist/marked`)',
      '### Warnings (1)',
      '#### WARNING: test.warn (`test.warn/marked`)',
      '## Checks',
      '## Forest',
    ]);
    // The OU table is a tree: children indented below their parent, one level per OU.
    expect(text).toContain('| OU=Corp | BLOCKED |');
    expect(text).toContain('| &emsp;OU=HR | READY |');
    expect(text).toContain('| &emsp;&emsp;OU=Payroll | READY |');
    expect(text).toContain('| dn | ENDSWITH | OU=HR,OU=Corp,DC=pilot,DC=test |');
  });

  it('the terminal summary shows a check that failed (a full disk) before other reasons, however many there are', async () => {
    const failing: Check = {
      ...raising('test.z-failing', [], 'blocker'),
      create: () => ({
        finish: () => {
          throw new TemporaryFileError('/tmp', Object.assign(new Error('full'), { code: 'ENOSPC' }));
        },
      }),
    };
    const r = report(await scanPilotForest([...['a', 'b', 'c', 'd', 'e'].map((x) => blindCheck(`test.${x}-blind`)), failing]));
    // In the report's order the failure comes after the five shown on a terminal.
    expect(r.incompleteReasons.findIndex((reason) => reason.startsWith('check test.z-failing not evaluated: the check itself failed'))).toBeGreaterThanOrEqual(
      5,
    );
    const lines = renderTerminal(oneForest(r), { color: false }).split('\n');
    const shown = lines.slice(lines.indexOf('Incomplete because:') + 1, lines.indexOf('Incomplete because:') + 7);
    expect(shown[0]).toContain('check test.z-failing not evaluated: the check itself failed: no room for a temporary file in /tmp (ENOSPC)');
    expect(shown[0]).toContain('set TMPDIR to a folder with more free space');
    expect(shown[5]).toBe(`  - … ${r.incompleteReasons.length - 5} more (see the report)`);
  });

  it('the terminal summary names the pilot and the later waves, and stays plain without colour', async () => {
    const text = renderTerminal(oneForest(report(await scanPilotForest([hard, coexist, warn]))), { color: false });
    expect(text).toContain('Pilot (wave 1): OU=HR,OU=Corp,DC=pilot,DC=test (5 objects)');
    expect(text).toContain('Later waves: #2 OU=Engineering,OU=Corp,DC=pilot,DC=test (wave 2)');
    expect(text).not.toMatch(/\u001b\[/);
  });
});
