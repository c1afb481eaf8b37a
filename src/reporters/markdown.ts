import { plural } from '../checks/support/ad-values.js';
import { parentDn } from '../model/dn.js';
import { VERDICT_LABEL, VERDICT_TEXT, verdictReason } from '../report/headline.js';
import type { CheckStatus, ContainerVerdict, Finding, ForestReport, PilotPlan, Report } from '../report/schema.js';
import { NO_TENANT_CHECK, showsTenant, tenantTitle } from '../report/tenant-report.js';
import { markdownFence, markdownText as md } from './escape.js';

/** Long object lists are cut in Markdown (the JSON keeps them all). */
const OBJECTS_SHOWN = 20;
const CONTAINERS_SHOWN = 60;
const CANDIDATES_SHOWN = 25;

const n = (value: number): string => value.toLocaleString('en-US');

/**
 * The ticket-ready report, section by section; every directory value goes through `md`. Several forests: the
 * tenant's summary first, then each forest's report as one forest's would be, its headings one level down.
 */
export function renderMarkdown(report: Report): string {
  if (!showsTenant(report)) return `${forestSections(report.forests[0] as ForestReport).join('\n')}\n`;
  const sections = [
    renderTenantHeader(report),
    renderTenantIncompleteness(report),
    renderForests(report),
    renderTenantFindings(report),
    renderTenantChecks(report),
    ...report.forests.map((forest) => headingsOneLevelDown(forestSections(forest))),
  ];
  return `${sections.flat().join('\n')}\n`;
}

function forestSections(report: ForestReport): string[] {
  const sections = [
    renderHeader(report),
    renderIncompleteness(report),
    renderSettings(report),
    renderDomains(report),
    renderContainerTree(report),
    renderPilotPlan(report.pilotPlan),
    renderOpenQuestions(report),
    renderFindings(report),
    renderChecks(report),
    renderForest(report),
    renderProblems(report),
  ];
  return sections.flat();
}

/** Headings are lines of their own that start with `#` (directory values are escaped, so theirs cannot); fenced lines are copied as they are. */
function headingsOneLevelDown(lines: readonly string[]): string[] {
  let fence: string | undefined;
  return lines.map((line) => {
    const opens = /^`{3,}/.exec(line)?.[0];
    if (fence === undefined && opens !== undefined) fence = opens;
    else if (fence !== undefined && line === fence) fence = undefined;
    else if (fence === undefined && line.startsWith('#')) return `#${line}`;
    return line;
  });
}

function renderTenantHeader(report: Report): string[] {
  const { summary } = report;
  return [
    `# Cloud Sync readiness of ${md(tenantTitle(report))}: ${md(report.headline)}`,
    '',
    `Target: \`${report.target}\`${report.allowPreview ? ' (preview features allowed)' : ''} · ${plural(summary.forests, 'forest')}, ${plural(summary.hardBlockers, 'hard blocker')}, ` +
      `${plural(summary.coexistenceBlockers, 'coexistence blocker')}, ${plural(summary.warnings, 'warning')}, ${n(summary.info)} info, ` +
      `${plural(summary.openQuestions, 'open question')} · generated ${report.generatedAt} by readiness ${md(report.tool.version)}`,
    '',
    `**${VERDICT_LABEL[report.verdict]}:** the tenant takes the worst verdict of its forests and the tenant-wide checks: ${verdictReason(report)}`,
    '',
  ];
}

/** Each forest's section lists its own reasons; here, which forests have any, and what the tenant checks could not judge. */
function renderTenantIncompleteness(report: Report): string[] {
  if (report.complete) return [];
  const forests = report.forests
    .filter((f) => !f.complete)
    .map((f) => `- ${md(f.name)}: ${plural(f.incompleteReasons.length, 'reason')}, listed in its section below`);
  const tenantChecks = report.tenant.checks
    .filter((c) => c.status === 'not-evaluated')
    .map((c) => `- tenant check \`${c.id}\` not evaluated: ${md(c.reason ?? '')}`);
  return ['## Why the scan is incomplete', '', 'No clean verdict can be given for the tenant until these are resolved:', '', ...forests, ...tenantChecks, ''];
}

function renderForests(report: Report): string[] {
  const out = [
    '## Forests',
    '',
    '| Forest | Verdict | Hard blockers | Coexistence | Warnings | Open questions | Domains | Users | Groups |',
    '|---|---|---:|---:|---:|---:|---:|---:|---:|',
  ];
  for (const f of report.forests) {
    const { summary: s, inventory } = f;
    out.push(
      `| ${md(f.name)}${f.complete ? '' : ' (incomplete)'} | ${VERDICT_TEXT[f.verdict]} | ${s.hardBlockers} | ${s.coexistenceBlockers} | ${s.warnings} | ${s.openQuestions} | ` +
        `${n(inventory.domains.length)} | ${n(inventory.totals.users)} | ${n(inventory.totals.groups)} |`,
    );
  }
  out.push('');
  return out;
}

function renderTenantFindings(report: Report): string[] {
  const { findings, checks } = report.tenant;
  return [
    '## Tenant-wide findings (across forests)',
    '',
    ...(findings.length === 0 && checks.length === 0 ? [`${NO_TENANT_CHECK}.`, ''] : findingGroups(findings)),
  ];
}

function renderTenantChecks(report: Report): string[] {
  if (report.tenant.checks.length === 0) return [];
  return ['## Tenant-wide checks', '', ...checkTable(report.tenant.checks)];
}

function renderHeader(report: ForestReport): string[] {
  const { summary } = report;
  return [
    `# Cloud Sync readiness of ${md(report.name)}: ${md(report.headline)}`,
    '',
    `Target: \`${report.target}\`${report.allowPreview ? ' (preview features allowed)' : ''} · ${plural(summary.hardBlockers, 'hard blocker')}, ` +
      `${plural(summary.coexistenceBlockers, 'coexistence blocker')}, ${plural(summary.warnings, 'warning')}, ${n(summary.info)} info, ` +
      `${plural(summary.openQuestions, 'open question')} · generated ${report.generatedAt} by readiness ${md(report.tool.version)}`,
    '',
    `Inputs: ${report.inputs.map((i) => `${md(i.label)} (${i.kind})`).join(', ')}`,
    '',
    `**${VERDICT_LABEL[report.verdict]}:** ${verdictReason(report)}`,
    '',
  ];
}

function renderIncompleteness(report: ForestReport): string[] {
  if (report.complete) return [];
  return [
    '## Why the scan is incomplete',
    '',
    'No clean verdict can be given until these are resolved:',
    '',
    ...report.incompleteReasons.map((r) => `- ${md(r)}`),
    '',
  ];
}

function renderSettings(report: ForestReport): string[] {
  const { settings } = report;
  const lines: string[] = [];
  if (settings.configFile !== undefined) lines.push(`- Config file: ${md(settings.configFile)}`);
  if (settings.answersFile !== undefined) lines.push(`- Answers file: ${md(settings.answersFile)} (${plural(report.answers.length, 'answer')})`);
  if (settings.scope !== undefined) {
    lines.push(`- Judged only inside: ${settings.scope.include.map(md).join('; ')}; findings wholly outside are listed but not counted.`);
    if (settings.scope.notFound.length > 0) lines.push(`- Not in the input: ${settings.scope.notFound.map(md).join('; ')}`);
  }
  if (settings.connectConfig !== undefined) {
    lines.push(`- Connect Sync configuration export: ${md(settings.connectConfig)}`);
    for (const a of report.answers) {
      if (a.source === undefined) continue;
      const overridden = a.answersFileValue === undefined ? '' : ` (the answers file said "${md(a.answersFileValue)}"; the export wins)`;
      lines.push(`  - \`${a.id}\`: **${md(a.answer)}**, from ${md(a.source.file)}, ${md(a.source.setting)} = ${md(a.source.value)}${overridden}`);
    }
  }
  for (const d of settings.disabled) lines.push(`- Switched off: \`${d.id}\`${d.by === d.id ? '' : ` (by "${md(d.by)}")`}`);
  for (const o of settings.options) lines.push(`- Threshold changed: \`${o.check}\` ${md(o.option)} = ${n(o.value)} (default ${n(o.default)})`);
  return lines.length === 0 ? [] : ['## Settings', '', ...lines, ''];
}

function renderDomains(report: ForestReport): string[] {
  const out = [
    '## Domains',
    '',
    'Each domain judged whole: its objects, its own and the forest-wide findings.',
    '',
    '| Domain | Verdict | Hard blockers | Coexistence | Warnings | Users | Groups | Contacts | Computers | Excluded | Level |',
    '|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
  ];
  for (const d of report.inventory.domains) {
    const v = report.verdicts.domains.find((x) => x.dn === d.dn);
    out.push(
      `| ${md(d.dnsName)}${d.partitionRead ? '' : ' (partition not read)'} | ${v === undefined ? 'out of scope' : VERDICT_TEXT[v.verdict]} | ${v?.hardBlockers ?? '–'} | ${v?.coexistenceBlockers ?? '–'} | ${v?.warnings ?? '–'} | ` +
        `${n(d.users)} | ${n(d.groups)} | ${n(d.contacts)} | ${n(d.computers)} | ${n(d.excluded)} | ${d.functionalLevel ?? '?'} |`,
    );
  }
  out.push('');
  return out;
}

function hasObjects(c: ContainerVerdict['counts']): boolean {
  return c.users + c.groups + c.contacts + c.computers + c.managedServiceAccounts > 0;
}

/** The first RDN of a DN as written: the name a tree row shows below its parent. */
function leafRdn(dn: string): string {
  return dn.slice(0, dn.length - parentDn(dn).length).replace(/,\s*$/, '');
}

function inheritedText(c: ContainerVerdict): string {
  const { inherited } = c;
  if (inherited.hardBlockers + inherited.coexistenceBlockers + inherited.warnings === 0) return 'nothing';
  return [
    inherited.hardBlockers > 0 ? plural(inherited.hardBlockers, 'hard blocker') : '',
    inherited.coexistenceBlockers > 0 ? plural(inherited.coexistenceBlockers, 'coexistence blocker') : '',
    inherited.warnings > 0 ? plural(inherited.warnings, 'warning') : '',
  ]
    .filter((x) => x !== '')
    .join(', ');
}

/** One tree per domain: each row is an OU's own verdict; what every OU of the domain inherits is said once above it. */
function renderContainerTree(report: ForestReport): string[] {
  // Empty system containers (CN=Builtin, CN=System...) say nothing in a ticket; the JSON keeps them.
  const all = report.verdicts.containers.filter((c) => c.kind !== 'domain');
  const shown = all.filter((c) => hasObjects(c.counts));
  if (shown.length === 0) return [];
  const out = [
    '## Verdict per OU (what each subtree owns)',
    '',
    'Each OU is judged by the findings with an object in its subtree and by gaps in its data. Forest- and domain-wide findings hold for every OU alike: ' +
      'they are counted once, as prerequisites (see the pilot plan), not against each OU.',
    '',
  ];
  const listed = shown.slice(0, CONTAINERS_SHOWN);
  for (const domain of [...new Set(listed.map((c) => c.domain))]) {
    const rows = listed.filter((c) => c.domain === domain);
    out.push(
      `### ${md(domain)}`,
      '',
      `Every OU here also inherits ${inheritedText(rows[0] as ContainerVerdict)} from forest- and domain-wide findings.`,
      '',
      '| OU / container | Own verdict | Users | Groups | Contacts | Computers | Privileged | Hard blockers | Coexistence | Warnings |',
      '|---|---|---:|---:|---:|---:|---:|---:|---:|---:|',
    );
    for (const c of rows) {
      const indent = '&emsp;'.repeat(Math.max(0, c.depth - 1));
      out.push(
        `| ${indent}${md(leafRdn(c.dn))} | ${VERDICT_TEXT[c.verdict]} | ${n(c.counts.users)} | ${n(c.counts.groups)} | ${n(c.counts.contacts)} | ${n(c.counts.computers)} | ` +
          `${n(c.counts.privileged)} | ${c.hardBlockers} | ${c.coexistenceBlockers} | ${c.warnings} |`,
      );
    }
    out.push('');
  }
  if (shown.length > CONTAINERS_SHOWN)
    out.push(`… and ${plural(shown.length - CONTAINERS_SHOWN, 'more OU or container', 'more OUs and containers')} (all are in the JSON report).`, '');
  const empty = all.length - shown.length;
  if (empty > 0)
    out.push(`${plural(empty, 'container')} holding no users, groups, contacts or computers ${empty === 1 ? 'is' : 'are'} left out (in the JSON report).`, '');
  return out;
}

function renderPilotPlan(plan: PilotPlan): string[] {
  const out = ['## Pilot plan: which OUs can move first', ''];
  for (const reason of plan.reasons) out.push(`> ${md(reason)}`, '');
  out.push(...renderPrerequisites(plan));
  if (plan.candidates.length === 0) return out;
  out.push(...renderCandidates(plan), ...renderWaves(plan), ...renderConnectSide(plan));
  for (const note of plan.notes) out.push(`- ${md(note)}`);
  out.push('', `Sources: ${plan.sources.map((s) => `[${md(s.title)}](${s.url}) (${s.date})`).join('; ')}`, '');
  return out;
}

function renderPrerequisites(plan: PilotPlan): string[] {
  if (plan.prerequisites.length === 0) return [];
  const out = ['### Prerequisites for every OU (forest- and domain-wide findings)', ''];
  for (const p of plan.prerequisites) {
    out.push(
      `- **${p.mustFixFirst ? 'Fix first' : 'Settle before the move'}:** ${md(p.title)} (\`${p.key}\`; ${p.domain === undefined ? 'the whole forest' : md(p.domain)})`,
    );
  }
  out.push('');
  return out;
}

function renderCandidates(plan: PilotPlan): string[] {
  const out = [
    `Candidates are OUs whose whole subtree was read and owns no hard blocker. Ranking: ${md(plan.ranking)}`,
    '',
    '| # | OU | Domain | Own verdict | Users | Groups | Contacts | Privileged | Synced objects | Connect keeps | Wave |',
    '|---:|---|---|---|---:|---:|---:|---:|---:|---|---|',
  ];
  for (const c of plan.candidates.slice(0, CANDIDATES_SHOWN)) {
    out.push(
      `| ${c.rank} | ${md(c.dn)} | ${md(c.domain)} | ${VERDICT_TEXT[c.verdict]} | ${n(c.counts.users)} | ${n(c.counts.groups)} | ${n(c.counts.contacts)} | ${n(c.counts.privileged)} | ${n(c.syncedObjects)} | ` +
        `${c.connectKeeps.map((k) => `\`${k}\``).join(', ') || '–'} | ${c.wave === undefined ? 'none' : c.wave}: ${md(c.why)} |`,
    );
  }
  if (plan.candidates.length > CANDIDATES_SHOWN)
    out.push('', `… and ${plural(plan.candidates.length - CANDIDATES_SHOWN, 'more candidate')} (all are in the JSON report).`);
  out.push('');
  return out;
}

function renderWaves(plan: PilotPlan): string[] {
  const limits = [`about ${plan.limits.ousPerConfiguration} OUs per Cloud Sync configuration (4 MB)`];
  if (plan.limits.containersPerDomain !== undefined) limits.push(`${plan.limits.containersPerDomain} containers per domain`);
  if (plan.limits.objects !== undefined) limits.push(`${n(plan.limits.objects)} in-scope objects`);
  const out = [`### Wave 1, the pilot: Cloud Sync scope to paste (limits: ${limits.join(', ')})`, ''];
  if (plan.cloudSync.length === 0) out.push('No OU qualifies as a pilot: see the reasons above.', '');
  for (const config of plan.cloudSync) {
    out.push(
      `Configuration for **${md(config.domain)}** ("Selected organizational units", ${plural(config.syncedObjects, 'object')}):`,
      '',
      ...markdownFence(config.ous),
      '',
    );
  }
  if (plan.laterWaves.length > 0) {
    out.push('### Later waves (add each to the scope once the wave before it runs cleanly)', '');
    for (const wave of plan.laterWaves) {
      for (const config of wave.cloudSync) {
        out.push(
          `- Wave ${wave.wave}, ${md(wave.title)}, **${md(config.domain)}** (${plural(config.syncedObjects, 'object')}): ${config.ous.map(md).join('; ')}`,
        );
      }
    }
    out.push('');
  }
  return out;
}

function renderConnectSide(plan: PilotPlan): string[] {
  const out = [`### Connect Sync side (${plan.connectSync.method === 'migration-tool' ? 'guided migration tool' : 'cloudNoFlow rules'})`, ''];
  plan.connectSync.steps.forEach((step, i) => out.push(`${i + 1}. ${md(step)}`));
  out.push('');
  if (plan.connectSync.scopingFilters.length > 0) {
    out.push('Scoping-filter groups for the inbound rules (user, group, contact), one per pilot OU:', '', '| Attribute | Operator | Value |', '|---|---|---|');
    for (const f of plan.connectSync.scopingFilters) out.push(`| ${f.attribute} | ${f.operator} | ${md(f.value)} |`);
    out.push('');
  }
  if (plan.connectKeeps.length > 0) {
    out.push('Connect Sync keeps handling, side by side:', '');
    for (const k of plan.connectKeeps) out.push(`- \`${k.key}\`: ${md(k.title)} (${n(k.count)})`);
    out.push('');
  }
  return out;
}

function renderOpenQuestions(report: ForestReport): string[] {
  if (report.openQuestions.length === 0) return [];
  const out = [
    '## Open questions',
    '',
    'LDAP cannot show these, and nothing is assumed for them. Answer them in an answers file (`readiness answers --init answers.yaml`) and scan again with `--answers answers.yaml`.',
    '',
  ];
  for (const q of report.openQuestions) {
    out.push(
      `- **${md(q.text)}** (\`${q.id}\`: ${q.choices.map(md).join(' \\| ')}; asked by ${q.askedBy.map((id) => `\`${id}\``).join(', ')})  `,
      `  How to find out: ${md(q.howToFind)}`,
    );
  }
  out.push('');
  return out;
}

function renderFindings(report: ForestReport): string[] {
  return ['## Findings', '', ...findingGroups(report.findings)];
}

/** Findings under a heading per kind of severity, hard blockers first. */
function findingGroups(findings: readonly Finding[]): string[] {
  const out: string[] = [];
  if (findings.length === 0) out.push('No findings.', '');
  const groups: [string, (f: Finding) => boolean][] = [
    ['Hard blockers', (f) => f.inScope && f.severity === 'blocker' && !f.coexistence],
    ['Blockers Connect Sync can keep side by side (coexistence)', (f) => f.inScope && f.severity === 'blocker' && f.coexistence],
    ['Warnings', (f) => f.inScope && f.severity === 'warning'],
    ['Info', (f) => f.inScope && f.severity === 'info'],
    ['Outside the configured scope (not counted)', (f) => !f.inScope],
  ];
  for (const [heading, belongs] of groups) {
    const list = findings.filter(belongs);
    if (list.length === 0) continue;
    out.push(`### ${heading} (${list.length})`, '');
    for (const finding of list) out.push(...renderFinding(finding));
  }
  return out;
}

function renderFinding(f: Finding): string[] {
  const out = [`#### ${f.severity.toUpperCase()}: ${md(f.title)} (\`${f.key}\`)`, '', `Fingerprint \`${f.fingerprint}\``, '', md(f.message), ''];
  if (f.objects.length > 0) {
    out.push(`Objects (${n(f.count)}):`, '');
    for (const o of f.objects.slice(0, OBJECTS_SHOWN)) {
      const value = o.attribute === undefined ? '' : ` ${md(o.attribute)}${o.value === undefined ? '' : ` = ${md(o.value)}`}`;
      out.push(`- ${o.forest === undefined ? '' : `${md(o.forest)}: `}${md(o.dn)}${value}${o.detail === undefined ? '' : ` (${md(o.detail)})`}`);
    }
    if (f.objects.length > OBJECTS_SHOWN) out.push(`- … and ${n(f.objects.length - OBJECTS_SHOWN)} more (all are listed in the JSON report)`);
    out.push('');
  }
  out.push(`**What to do:** ${md(f.remediation)}`, '');
  out.push(`Sources: ${f.sources.map((s) => `[${md(s.title)}](${s.url}) (${s.date})`).join('; ')}`, '');
  return out;
}

function renderChecks(report: ForestReport): string[] {
  return ['## Checks', '', ...checkTable(report.checks)];
}

function checkTable(checks: readonly CheckStatus[]): string[] {
  return ['| Check | Status | Note |', '|---|---|---|', ...checks.map((c) => `| \`${c.id}\` | ${c.status} | ${md(c.reason ?? c.note ?? '')} |`), ''];
}

function renderForest(report: ForestReport): string[] {
  const { forest } = report.inventory;
  const known = (value: number | undefined): string => (value === undefined ? 'unknown' : String(value));
  return [
    '## Forest',
    '',
    '| | |',
    '|---|---|',
    `| Root domain | ${md(forest.rootDomain ?? 'unknown')} |`,
    `| Forest functional level | ${known(forest.functionalLevel)} |`,
    `| Schema version (objectVersion) | ${known(forest.schemaVersion)} |`,
    `| msDS-ExternalDirectoryObjectId in schema | ${forest.hasExternalDirectoryObjectId === undefined ? 'unknown (schema not read)' : forest.hasExternalDirectoryObjectId ? 'yes' : 'no'} |`,
    `| UPN suffixes | ${forest.upnSuffixes.length === 0 ? '(none besides domain names)' : forest.upnSuffixes.map(md).join(', ')} |`,
    `| Partitions read | configuration: ${forest.partitionsRead.configuration ? 'yes' : 'no'}, schema: ${forest.partitionsRead.schema ? 'yes' : 'no'} |`,
    '',
  ];
}

function renderProblems(report: ForestReport): string[] {
  if (report.problems.length === 0) return [];
  const out = ['## Input problems', ''];
  for (const p of report.problems) {
    out.push(
      `- **${p.severity}** ${md(p.input)}${p.location === undefined ? '' : `, ${md(p.location)}`}: ${md(p.message)}${p.hint === undefined ? '' : ` (${md(p.hint)})`}`,
    );
  }
  const hidden = report.problemsNotShown.errors + report.problemsNotShown.warnings;
  if (hidden > 0)
    out.push(`- … and ${n(hidden)} more (${plural(report.problemsNotShown.errors, 'error')}, ${plural(report.problemsNotShown.warnings, 'warning')})`);
  out.push('');
  return out;
}
