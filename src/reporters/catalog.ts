import Table from 'cli-table3';
import type { CheckMeta } from '../checks/check.js';
import { describeEvidence } from '../checks/evidence.js';

/** The catalog as people read it: `readiness checks`, `readiness explain`, docs/checks.md and the README table. */

export function sortedMetas(metas: readonly CheckMeta[]): CheckMeta[] {
  return [...metas].sort((a, b) => a.id.localeCompare(b.id));
}

export function newestSourceDate(meta: CheckMeta): string {
  return (
    meta.sources
      .map((s) => s.date)
      .sort()
      .at(-1) ?? ''
  );
}

/** `readiness checks`: one compact row per check (fits 110 columns); titles and the rest are in `explain`. */
export function renderChecksTable(metas: readonly CheckMeta[]): string {
  const sorted = sortedMetas(metas);
  const idWidth = Math.max(5, ...sorted.map((m) => m.id.length)) + 2;
  const table = new Table({
    head: ['CHECK', 'SEVERITY', 'CATEGORY', 'NEWEST SOURCE', 'TAGS'],
    colWidths: [idWidth, 10, 16, 15, 34],
    wordWrap: true,
    chars: { mid: '', 'left-mid': '', 'mid-mid': '', 'right-mid': '' },
    style: { head: [], border: [] },
  });
  for (const meta of sorted) {
    table.push([meta.id, meta.severity, meta.category, newestSourceDate(meta), (meta.tags ?? []).join(', ')]);
  }
  return `${table.toString()}\n${metas.length} checks. "readiness explain ID" tells why each matters, what it reads and what to do.\n`;
}

/** The sections `explain` and docs/checks.md share, as plain paragraphs. */
function sections(meta: CheckMeta): { heading: string; lines: string[] }[] {
  const out = [
    { heading: 'Why it matters', lines: [meta.rationale] },
    { heading: 'What to do', lines: [meta.remediation] },
  ];
  const toJudge = meta.evidence.filter((e) => e.toPass !== true).map(describeEvidence);
  const toPass = meta.evidence.filter((e) => e.toPass === true).map(describeEvidence);
  if (toJudge.length + toPass.length > 0) {
    out.push({
      heading: 'Needs in the input',
      lines: [
        ...(toJudge.length === 0 ? [] : [`${toJudge.join(', ')}; without it the check is not evaluated and the verdict is incomplete.`]),
        ...(toPass.length === 0 ? [] : [`To pass: ${toPass.join(', ')}; without it the check reports what it found but cannot pass.`]),
      ],
    });
  }
  out.push({
    heading: 'Findings (key: title, severity)',
    lines: Object.entries(meta.kinds).map(([kind, k]) => `${meta.id}/${kind}: ${k.title ?? meta.title}, ${k.severity ?? meta.severity}`),
  });
  const options = Object.entries(meta.options ?? {});
  if (options.length > 0) {
    out.push({
      heading: 'Options (config file: checks.options)',
      lines: options.map(([name, value]) => `${meta.id}.${name} = ${value.toLocaleString('en-US')} (default)`),
    });
  }
  for (const q of meta.questions ?? []) {
    out.push({
      heading: `Question "${q.id}" (answers file)`,
      lines: [q.text, `Choices: ${q.choices.join(' | ')}`, `How to find out: ${q.howToFind}`],
    });
  }
  out.push({ heading: 'Sources', lines: meta.sources.map((s) => `${s.title} (${s.date}): ${s.url}`) });
  return out;
}

/** `readiness explain ID`: plain text, wrapped for a terminal. */
export function renderExplain(meta: CheckMeta, width = 100): string {
  const lines = [
    `${meta.id}: ${meta.title}`,
    `severity: ${meta.severity}   category: ${meta.category}${meta.tags === undefined || meta.tags.length === 0 ? '' : `   tags: ${meta.tags.join(', ')}`}`,
  ];
  for (const section of sections(meta)) {
    lines.push('', `${section.heading}:`);
    for (const line of section.lines) lines.push(...wrap(line, width - 2).map((l) => `  ${l}`));
  }
  return `${lines.join('\n')}\n`;
}

function wrap(text: string, width: number): string[] {
  const out: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/)) {
    if (line !== '' && line.length + 1 + word.length > width) {
      out.push(line);
      line = word;
    } else {
      line = line === '' ? word : `${line} ${word}`;
    }
  }
  if (line !== '') out.push(line);
  return out;
}

function mdCell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

/** GitHub's heading anchor for a check id ("groups.large" → "groupslarge"). */
function anchor(id: string): string {
  return id
    .toLowerCase()
    .replace(/[^a-z0-9 -]/g, '')
    .replace(/ /g, '-');
}

/** The README's table: one line per check, linking to its section in docs/checks.md. */
export function renderCatalogTable(metas: readonly CheckMeta[], detailsPath: string): string {
  const rows = sortedMetas(metas).map(
    (m) => `| [\`${m.id}\`](${detailsPath}#${anchor(m.id)}) | ${m.severity} | ${m.category} | ${mdCell(m.title)} | ${newestSourceDate(m)} |`,
  );
  return ['| Check | Severity | Category | What it looks for | Newest source |', '|---|---|---|---|---|', ...rows].join('\n');
}

/** docs/checks.md: every check with its rationale, remediation, options, questions and sources. */
export function renderCatalogDocument(metas: readonly CheckMeta[]): string {
  const out = [
    '# Check catalog',
    '',
    "<!-- Generated from the checks' metadata by `npm run docs` (scripts/generate-catalog.ts). Do not edit by hand. -->",
    '',
    `${metas.length} checks. Severity is each check's usual finding; a finding may carry its own. Ids are stable: configs and tickets refer to them.`,
    '',
    renderCatalogTable(metas, ''),
    '',
  ];
  for (const meta of sortedMetas(metas)) {
    out.push(
      `## ${meta.id}`,
      '',
      `**${mdCell(meta.title)}**. Severity: ${meta.severity}. Category: ${meta.category}.${meta.tags === undefined || meta.tags.length === 0 ? '' : ` Tags: ${meta.tags.join(', ')}.`}`,
      '',
    );
    for (const section of sections(meta)) {
      out.push(`**${section.heading}.**`, '');
      if (section.heading === 'Sources') {
        for (const s of meta.sources) out.push(`- [${s.title}](${s.url}) (${s.date})`);
      } else if (section.lines.length === 1) {
        out.push(section.lines[0] as string);
      } else {
        for (const line of section.lines) out.push(`- ${line}`);
      }
      out.push('');
    }
  }
  return `${out.join('\n').trimEnd()}\n`;
}
