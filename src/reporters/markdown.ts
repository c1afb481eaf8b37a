import type { Finding, Report, Verdict } from '../report/schema.js';

/** Long object lists are cut in Markdown (the JSON keeps them all). */
const OBJECTS_SHOWN = 20;
const CONTAINERS_SHOWN = 60;

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
    `Target: \`${report.target}\` · ${n(summary.blockers)} blocker(s), ${n(summary.warnings)} warning(s), ${n(summary.info)} info · ` +
      `generated ${report.generatedAt} by readiness ${report.tool.version}`,
    '',
  );
  out.push(`Inputs: ${report.inputs.map((i) => `\`${md(i.label)}\` (${i.kind})`).join(', ')}`, '');

  if (!report.complete) {
    out.push('## Why the scan is incomplete', '', 'No clean verdict can be given until these are resolved:', '');
    for (const reason of report.incompleteReasons) out.push(`- ${md(reason)}`);
    out.push('');
  }

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

  out.push('## Domains', '', '| Domain | Verdict | Users | Groups | Contacts | Computers | Excluded | Level |', '|---|---|---:|---:|---:|---:|---:|---:|');
  for (const d of inventory.domains) {
    const verdict = report.verdicts.domains.find((v) => v.dn === d.dn)?.verdict ?? 'incomplete';
    out.push(
      `| ${md(d.dnsName)}${d.partitionRead ? '' : ' (partition not read)'} | ${VERDICT_TEXT[verdict]} | ${n(d.users)} | ${n(d.groups)} | ${n(d.contacts)} | ${n(d.computers)} | ${n(d.excluded)} | ${d.functionalLevel ?? '?'} |`,
    );
  }
  out.push('');

  const containers = report.verdicts.containers.filter((c) => c.kind !== 'domain');
  if (containers.length > 0) {
    out.push('## Verdict per OU (whole subtree)', '', '| OU / container | Verdict | Users | Groups | Contacts | Computers | Blockers | Warnings |', '|---|---|---:|---:|---:|---:|---:|---:|');
    for (const c of containers.slice(0, CONTAINERS_SHOWN)) {
      out.push(
        `| ${md(c.dn)} | ${VERDICT_TEXT[c.verdict]} | ${n(c.counts.users)} | ${n(c.counts.groups)} | ${n(c.counts.contacts)} | ${n(c.counts.computers)} | ${c.blockers} | ${c.warnings} |`,
      );
    }
    if (containers.length > CONTAINERS_SHOWN) out.push('', `… and ${n(containers.length - CONTAINERS_SHOWN)} more OUs and containers (all are in the JSON report).`);
    out.push('');
  }

  out.push('## Findings', '');
  if (report.findings.length === 0) out.push('No findings.', '');
  for (const finding of report.findings) out.push(...renderFinding(finding));

  out.push('## Checks', '', '| Check | Status | Note |', '|---|---|---|');
  for (const c of report.checks) out.push(`| \`${c.id}\` | ${c.status} | ${md(c.reason ?? c.note ?? '')} |`);
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

function renderFinding(f: Finding): string[] {
  const out = [`### ${f.severity.toUpperCase()}: ${md(f.title)} (\`${f.id}\`)`, '', md(f.message), ''];
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
