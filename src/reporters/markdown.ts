import type { Finding, PilotPlan, Report, Verdict } from '../report/schema.js';

/** Long object lists are cut in Markdown (the JSON keeps them all). */
const OBJECTS_SHOWN = 20;
const CONTAINERS_SHOWN = 60;
const CANDIDATES_SHOWN = 25;

const VERDICT_TEXT: Record<Verdict, string> = {
  ready: 'READY',
  'ready-with-warnings': 'READY WITH WARNINGS',
  blocked: 'BLOCKED',
  incomplete: 'INCOMPLETE',
};

const n = (value: number): string => value.toLocaleString('en-US');

/** Escapes what Markdown would otherwise read as formatting inside table cells and inline text. */
function md(text: string): string {
  return text.replace(/([\\`*_|<>[\]])/g, '\\$1');
}

export function renderMarkdown(report: Report): string {
  const out: string[] = [];
  const { summary, inventory } = report;
  out.push(`# Cloud Sync readiness: ${VERDICT_TEXT[report.verdict]}`, '');
  out.push(
    `Target: \`${report.target}\`${report.allowPreview ? ' (preview features allowed)' : ''} · ${n(summary.hardBlockers)} hard blocker(s), ` +
      `${n(summary.coexistenceBlockers)} coexistence blocker(s), ${n(summary.warnings)} warning(s), ${n(summary.info)} info, ` +
      `${n(summary.openQuestions)} open question(s) · generated ${report.generatedAt} by readiness ${report.tool.version}`,
    '',
  );
  out.push(`Inputs: ${report.inputs.map((i) => `\`${md(i.label)}\` (${i.kind})`).join(', ')}`, '');
  out.push(...verdictExplanation(report), '');

  if (!report.complete) {
    out.push('## Why the scan is incomplete', '', 'No clean verdict can be given until these are resolved:', '');
    for (const reason of report.incompleteReasons) out.push(`- ${md(reason)}`);
    out.push('');
  }
  out.push(...renderSettings(report));

  out.push('## Domains', '', '| Domain | Verdict | Hard blockers | Coexistence | Warnings | Users | Groups | Contacts | Computers | Excluded | Level |', '|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const d of inventory.domains) {
    const v = report.verdicts.domains.find((x) => x.dn === d.dn);
    out.push(
      `| ${md(d.dnsName)}${d.partitionRead ? '' : ' (partition not read)'} | ${v === undefined ? 'out of scope' : VERDICT_TEXT[v.verdict]} | ${v?.hardBlockers ?? '–'} | ${v?.coexistenceBlockers ?? '–'} | ${v?.warnings ?? '–'} | ` +
        `${n(d.users)} | ${n(d.groups)} | ${n(d.contacts)} | ${n(d.computers)} | ${n(d.excluded)} | ${d.functionalLevel ?? '?'} |`,
    );
  }
  out.push('');

  // Empty system containers (CN=Builtin, CN=System...) say nothing in a ticket; the JSON keeps them.
  const allContainers = report.verdicts.containers.filter((c) => c.kind !== 'domain');
  const containers = allContainers.filter((c) => hasObjects(c.counts));
  if (containers.length > 0) {
    out.push(
      '## Verdict per OU (whole subtree)',
      '',
      '| OU / container | Verdict | Users | Groups | Contacts | Computers | Hard blockers | Coexistence | Warnings |',
      '|---|---|---:|---:|---:|---:|---:|---:|---:|',
    );
    for (const c of containers.slice(0, CONTAINERS_SHOWN)) {
      out.push(
        `| ${md(c.dn)} | ${VERDICT_TEXT[c.verdict]} | ${n(c.counts.users)} | ${n(c.counts.groups)} | ${n(c.counts.contacts)} | ${n(c.counts.computers)} | ${c.hardBlockers} | ${c.coexistenceBlockers} | ${c.warnings} |`,
      );
    }
    if (containers.length > CONTAINERS_SHOWN) out.push('', `… and ${n(containers.length - CONTAINERS_SHOWN)} more OUs and containers (all are in the JSON report).`);
    const empty = allContainers.length - containers.length;
    if (empty > 0) out.push('', `${n(empty)} container(s) holding no users, groups, contacts or computers are left out (they are in the JSON report).`);
    out.push('');
  }

  out.push(...renderPilotPlan(report.pilotPlan));
  out.push(...renderOpenQuestions(report));

  out.push('## Findings', '');
  if (report.findings.length === 0) out.push('No findings.', '');
  const groups: [string, (f: Finding) => boolean][] = [
    ['Hard blockers', (f) => f.inScope && f.severity === 'blocker' && !f.coexistence],
    ['Blockers Connect Sync can keep side by side (coexistence)', (f) => f.inScope && f.severity === 'blocker' && f.coexistence],
    ['Warnings', (f) => f.inScope && f.severity === 'warning'],
    ['Info', (f) => f.inScope && f.severity === 'info'],
    ['Outside the configured scope (not counted)', (f) => !f.inScope],
  ];
  for (const [heading, belongs] of groups) {
    const list = report.findings.filter(belongs);
    if (list.length === 0) continue;
    out.push(`### ${heading} (${list.length})`, '');
    for (const finding of list) out.push(...renderFinding(finding));
  }

  out.push('## Checks', '', '| Check | Status | Note |', '|---|---|---|');
  for (const c of report.checks) out.push(`| \`${c.id}\` | ${c.status} | ${md(c.reason ?? c.note ?? '')} |`);
  out.push('');

  out.push('## Forest', '');
  out.push('| | |', '|---|---|');
  out.push(`| Root domain | ${md(inventory.forest.rootDomain ?? 'unknown')} |`);
  out.push(`| Forest functional level | ${inventory.forest.functionalLevel ?? 'unknown'} |`);
  out.push(`| Schema version (objectVersion) | ${inventory.forest.schemaVersion ?? 'unknown'} |`);
  out.push(
    `| msDS-ExternalDirectoryObjectId in schema | ${inventory.forest.hasExternalDirectoryObjectId === undefined ? 'unknown (schema not read)' : inventory.forest.hasExternalDirectoryObjectId ? 'yes' : 'no'} |`,
  );
  out.push(`| UPN suffixes | ${inventory.forest.upnSuffixes.length === 0 ? '(none besides domain names)' : md(inventory.forest.upnSuffixes.join(', '))} |`);
  out.push(
    `| Partitions read | configuration: ${inventory.forest.partitionsRead.configuration ? 'yes' : 'no'}, schema: ${inventory.forest.partitionsRead.schema ? 'yes' : 'no'} |`,
  );
  out.push('');

  if (report.problems.length > 0) {
    out.push('## Input problems', '');
    for (const p of report.problems) {
      out.push(`- **${p.severity}** ${md(p.input)}${p.location === undefined ? '' : `, ${md(p.location)}`}: ${md(p.message)}${p.hint === undefined ? '' : ` (${md(p.hint)})`}`);
    }
    const hidden = report.problemsNotShown.errors + report.problemsNotShown.warnings;
    if (hidden > 0) out.push(`- … and ${n(hidden)} more (${n(report.problemsNotShown.errors)} errors, ${n(report.problemsNotShown.warnings)} warnings)`);
    out.push('');
  }
  return `${out.join('\n')}\n`;
}

function hasObjects(c: Report['verdicts']['containers'][number]['counts']): boolean {
  return c.users + c.groups + c.contacts + c.computers + c.managedServiceAccounts > 0;
}

function verdictExplanation(report: Report): string[] {
  const { summary } = report;
  switch (report.verdict) {
    case 'incomplete':
      return ['**Incomplete:** part of the forest was not read or not judged, so no verdict can be trusted yet (exit code 3).'];
    case 'blocked':
      return [`**Blocked:** ${n(summary.hardBlockers)} hard blocker(s) must be fixed before Cloud Sync can take over (exit code 1). OUs without one may still move first: see the pilot plan.`];
    case 'ready-with-warnings': {
      const why = [
        summary.coexistenceBlockers > 0 ? `${n(summary.coexistenceBlockers)} blocker(s) that Connect Sync keeps handling side by side` : '',
        summary.warnings > 0 ? `${n(summary.warnings)} warning(s)` : '',
        summary.openQuestions > 0 ? `${n(summary.openQuestions)} open question(s)` : '',
      ].filter((x) => x !== '');
      return [`**Ready with warnings:** nothing must be fixed first (exit code 0), but read ${why.join(', ')}.`];
    }
    case 'ready':
      return ['**Ready:** complete data, no blockers, no warnings, every question answered (exit code 0).'];
  }
}

function renderSettings(report: Report): string[] {
  const { settings } = report;
  const lines: string[] = [];
  if (settings.configFile !== undefined) lines.push(`- Config file: \`${md(settings.configFile)}\``);
  if (settings.answersFile !== undefined) lines.push(`- Answers file: \`${md(settings.answersFile)}\` (${report.answers.length} answer(s))`);
  if (settings.scope !== undefined) {
    lines.push(`- Judged only inside: ${settings.scope.include.map((dn) => `\`${md(dn)}\``).join(', ')}; findings wholly outside are listed but not counted.`);
    if (settings.scope.notFound.length > 0) lines.push(`- Not in the input: ${settings.scope.notFound.map((dn) => `\`${md(dn)}\``).join(', ')}`);
  }
  for (const d of settings.disabled) lines.push(`- Switched off: \`${d.id}\`${d.by === d.id ? '' : ` (by "${md(d.by)}")`}`);
  for (const o of settings.options) lines.push(`- Threshold changed: \`${o.check}\` ${o.option} = ${n(o.value)} (default ${n(o.default)})`);
  return lines.length === 0 ? [] : ['## Settings', '', ...lines, ''];
}

function renderPilotPlan(plan: PilotPlan): string[] {
  const out = ['## Pilot plan: which OUs can move first', ''];
  for (const reason of plan.reasons) out.push(`> ${md(reason)}`, '');
  if (plan.candidates.length === 0) return out;
  out.push(
    `Candidates are OUs whose whole subtree was read and has no hard blocker. Ranking: ${md(plan.ranking)}`,
    '',
    '| # | OU | Domain | Verdict | Users | Groups | Contacts | Synced objects | Connect keeps | In scope list |',
    '|---:|---|---|---|---:|---:|---:|---:|---|---|',
  );
  for (const c of plan.candidates.slice(0, CANDIDATES_SHOWN)) {
    out.push(
      `| ${c.rank} | ${md(c.dn)} | ${md(c.domain)} | ${VERDICT_TEXT[c.verdict]} | ${n(c.counts.users)} | ${n(c.counts.groups)} | ${n(c.counts.contacts)} | ${n(c.syncedObjects)} | ` +
        `${c.connectKeeps.map((k) => `\`${k}\``).join(', ') || '–'} | ${c.selected ? 'yes' : `no: ${md(c.notSelectedBecause ?? '')}`} |`,
    );
  }
  if (plan.candidates.length > CANDIDATES_SHOWN) out.push('', `… and ${n(plan.candidates.length - CANDIDATES_SHOWN)} more candidates (all are in the JSON report).`);
  const first = plan.candidates[0];
  if (first !== undefined) out.push('', `**Suggested pilot:** start with #1, \`${first.dn.replace(/`/g, "'")}\` (${n(first.syncedObjects)} objects), then widen to the rest of the list.`);
  out.push('');

  const limits = [`about ${plan.limits.ousPerConfiguration} OUs per Cloud Sync configuration (4 MB)`];
  if (plan.limits.containersPerDomain !== undefined) limits.push(`${plan.limits.containersPerDomain} containers per domain`);
  if (plan.limits.objects !== undefined) limits.push(`${n(plan.limits.objects)} in-scope objects`);
  out.push(`### Cloud Sync scope to paste (limits: ${limits.join(', ')})`, '');
  for (const config of plan.cloudSync) {
    out.push(`Configuration for **${md(config.domain)}** ("Selected organizational units", ${n(config.syncedObjects)} objects):`, '', '```', ...config.ous, '```', '');
  }

  out.push(`### Connect Sync side (${plan.connectSync.method === 'migration-tool' ? 'guided migration tool' : 'cloudNoFlow rules'})`, '');
  plan.connectSync.steps.forEach((step, i) => out.push(`${i + 1}. ${md(step)}`));
  out.push('');
  if (plan.connectSync.scopingFilters.length > 0) {
    out.push('Scoping-filter groups for the inbound rules (user, group, contact), one per OU:', '', '| Attribute | Operator | Value |', '|---|---|---|');
    for (const f of plan.connectSync.scopingFilters) out.push(`| ${f.attribute} | ${f.operator} | \`${f.value.replace(/`/g, "'")}\` |`);
    out.push('');
  }
  if (plan.connectKeeps.length > 0) {
    out.push('Connect Sync keeps handling, side by side:', '');
    for (const k of plan.connectKeeps) out.push(`- \`${k.id}\`: ${md(k.title)} (${n(k.count)})`);
    out.push('');
  }
  for (const note of plan.notes) out.push(`- ${md(note)}`);
  out.push('', `Sources: ${plan.sources.map((s) => `[${md(s.title)}](${s.url}) (${s.date})`).join('; ')}`, '');
  return out;
}

function renderOpenQuestions(report: Report): string[] {
  if (report.openQuestions.length === 0) return [];
  const out = [
    '## Open questions',
    '',
    'LDAP cannot show these, and nothing is assumed for them. Answer them in an answers file (`readiness answers --init answers.yaml`) and scan again with `--answers answers.yaml`.',
    '',
  ];
  for (const q of report.openQuestions) {
    out.push(`- **${md(q.text)}** (\`${q.id}\`: ${q.choices.join(' | ')}; asked by ${q.askedBy.map((id) => `\`${id}\``).join(', ')})  `, `  How to find out: ${md(q.howToFind)}`);
  }
  out.push('');
  return out;
}

function renderFinding(f: Finding): string[] {
  const out = [`#### ${f.severity.toUpperCase()}: ${md(f.title)} (\`${f.id}\`)`, '', md(f.message), ''];
  if (f.objects.length > 0) {
    out.push(`Objects (${n(f.count)}):`, '');
    for (const o of f.objects.slice(0, OBJECTS_SHOWN)) out.push(`- \`${o.dn.replace(/`/g, "'")}\`${o.detail === undefined ? '' : ` (${md(o.detail)})`}`);
    if (f.objects.length > OBJECTS_SHOWN) out.push(`- … and ${n(f.objects.length - OBJECTS_SHOWN)} more (all are listed in the JSON report)`);
    out.push('');
  }
  out.push(`**What to do:** ${md(f.remediation)}`, '');
  out.push(`Sources: ${f.sources.map((s) => `[${md(s.title)}](${s.url}) (${s.date})`).join('; ')}`, '');
  return out;
}
