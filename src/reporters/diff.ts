import { Chalk } from 'chalk';
import Table from 'cli-table3';
import type { ChangeStatus, FindingChange, ObjectChange, ReportDiff, VerdictChange } from '../report/diff.js';
import { markdownText as md, terminalText } from './escape.js';
import { arrayChunks, objectChunks, stringsObject } from './json-pieces.js';

/** Objects listed per finding in Markdown and relocations in the table; the JSON keeps them all. */
const OBJECTS_SHOWN = 50;
const RELOCATIONS_SHOWN = 20;

const n = (value: number): string => value.toLocaleString('en-US');
const STATUS_TEXT: Record<ChangeStatus, string> = { fixed: 'fixed', new: 'new', open: 'still open', unknown: 'not judged again' };
const ORDER: readonly ChangeStatus[] = ['new', 'open', 'unknown', 'fixed'];

/** Several forests: each line names its forest; one forest reads as it always has. */
function severalForests(diff: ReportDiff): boolean {
  return diff.forests.length > 1;
}

function verdictLine(change: VerdictChange, named: boolean): string {
  const forest = named && change.forest !== undefined ? `${change.forest} ` : '';
  const where =
    change.level === 'tenant'
      ? 'tenant'
      : change.level === 'forest'
        ? `${forest}forest`.trim()
        : `${forest}${change.level === 'domain' ? 'domain' : 'OU'} ${change.dn ?? ''}`;
  return `${where}: ${change.from} → ${change.to}`;
}

function forestsLine(diff: ReportDiff): string | undefined {
  const moved = diff.forests.filter((f) => f.status !== 'compared');
  if (moved.length === 0) return undefined;
  return `Forests ${moved.map((f) => `${f.status === 'added' ? 'added' : 'removed'}: ${f.name}`).join('; ')}.`;
}

function findingName(f: FindingChange, named: boolean): string {
  return named ? `${f.forest ?? 'tenant'}: ${f.key}` : f.key;
}

function summaryLine(diff: ReportDiff): string {
  const s = diff.summary;
  return (
    `Findings: ${n(s.findingsFixed)} fixed, ${n(s.findingsNew)} new, ${n(s.findingsOpen)} still open` +
    `${s.findingsUnknown > 0 ? `, ${n(s.findingsUnknown)} not judged again` : ''}. ` +
    `Objects: ${n(s.objectsFixed)} fixed, ${n(s.objectsNew)} new, ${n(s.objectsOpen)} still open (${n(s.objectsRelocated)} of them moved or renamed).`
  );
}

function gateLine(diff: ReportDiff): string {
  const count = diff.summary.newHardBlockers;
  return count === 0 ? 'No hard blocker that the older scan did not have.' : `${n(count)} hard blocker(s) the older scan did not have.`;
}

/** An object still open under the same DN is no news; everything else is. */
const objectChanged = (o: ObjectChange): boolean => o.status !== 'open' || o.relocation !== undefined;
const findingChanged = (f: FindingChange): boolean => f.status !== 'open' || f.objects.some(objectChanged);

function unchangedLine(diff: ReportDiff): string | undefined {
  const unchanged = diff.findings.filter((f) => !findingChanged(f));
  if (unchanged.length === 0) return undefined;
  return `${n(unchanged.length)} finding(s) still open and unchanged: ${unchanged.map((f) => f.key).join(', ')}.`;
}

function byStatus(findings: readonly FindingChange[]): FindingChange[] {
  return [...findings].sort((a, b) => ORDER.indexOf(a.status) - ORDER.indexOf(b.status));
}

function tally(objects: readonly ObjectChange[]): string {
  const counts: Record<ChangeStatus, number> = { fixed: 0, new: 0, open: 0, unknown: 0 };
  for (const o of objects) counts[o.status]++;
  return ORDER.map((s) => (counts[s] > 0 ? `${n(counts[s])} ${STATUS_TEXT[s]}` : ''))
    .filter(Boolean)
    .join(', ');
}

/**
 * The first `shown` objects that pass `test`, and how many pass: a finding can list a million objects (kept off the
 * heap, read one at a time), of which a person reads a few.
 */
function firstOf(lists: Iterable<readonly ObjectChange[]>, test: (o: ObjectChange) => boolean, shown: number): { first: ObjectChange[]; total: number } {
  const first: ObjectChange[] = [];
  let total = 0;
  for (const objects of lists)
    for (const o of objects) {
      if (!test(o)) continue;
      if (total < shown) first.push(o);
      total++;
    }
  return { first, total };
}

function relocationText(o: ObjectChange): string {
  return `${o.relocation ?? ''}: ${o.previousDn ?? ''} → ${o.dn}`;
}

export function renderDiffTable(diff: ReportDiff, options: { color: boolean }): string {
  const chalk = new Chalk({ level: options.color ? 1 : 0 });
  const text = terminalText;
  const lines = [chalk.bold(`readiness diff: ${diff.old.generatedAt} (${diff.old.verdict}) → ${diff.new.generatedAt} (${diff.new.verdict})`)];
  if (diff.verdictChanges.length === 0) lines.push('Verdicts: unchanged.');
  else for (const change of diff.verdictChanges) lines.push(`Verdict ${text(verdictLine(change, severalForests(diff)))}`);
  const forests = forestsLine(diff);
  if (forests !== undefined) lines.push(text(forests));
  lines.push(summaryLine(diff));
  const changed = byStatus(diff.findings.filter(findingChanged));
  if (changed.length > 0) {
    const table = new Table({
      head: ['Status', 'Severity', 'Finding', 'Objects'],
      colWidths: [18, 10, 48, 40],
      wordWrap: true,
      style: { head: [], border: [] },
    });
    for (const f of changed) {
      const status = f.status === 'new' ? chalk.red(STATUS_TEXT[f.status]) : f.status === 'fixed' ? chalk.green(STATUS_TEXT[f.status]) : STATUS_TEXT[f.status];
      table.push([status, f.severity, `${text(findingName(f, severalForests(diff)))}\n${text(f.title)}`, tally(f.objects)]);
    }
    lines.push(table.toString());
  }
  const unchanged = unchangedLine(diff);
  if (unchanged !== undefined) lines.push(chalk.dim(text(unchanged)));
  const relocated = firstOf(
    diff.findings.map((f) => f.objects),
    (o) => o.relocation !== undefined,
    RELOCATIONS_SHOWN,
  );
  for (const o of relocated.first) lines.push(`  ${text(relocationText(o))}`);
  if (relocated.total > RELOCATIONS_SHOWN) lines.push(`  … ${n(relocated.total - RELOCATIONS_SHOWN)} more moved or renamed (--format json)`);
  lines.push(diff.summary.newHardBlockers > 0 ? chalk.red(gateLine(diff)) : gateLine(diff));
  for (const note of diff.notes) lines.push(chalk.yellow(`Note: ${note}`));
  return `${lines.join('\n')}\n`;
}

export function renderDiffMarkdown(diff: ReportDiff): string {
  const out = [`# Remediation progress: ${diff.old.verdict} → ${diff.new.verdict}`, ''];
  out.push(`Older scan ${diff.old.generatedAt}, newer scan ${diff.new.generatedAt}. ${gateLine(diff)}`, '');
  for (const note of diff.notes) out.push(`> **Note:** ${md(note)}`, '');
  out.push('## Verdict changes', '');
  if (diff.verdictChanges.length === 0) out.push('None.');
  for (const change of diff.verdictChanges) out.push(`- ${md(verdictLine(change, severalForests(diff)))}`);
  const forests = forestsLine(diff);
  if (forests !== undefined) out.push('', md(forests));
  out.push('', '## Findings', '', md(summaryLine(diff)), '');
  for (const f of byStatus(diff.findings.filter(findingChanged))) {
    const where = severalForests(diff) ? ` in ${md(f.forest ?? 'the tenant')}` : '';
    out.push(`### ${STATUS_TEXT[f.status]}${where}: ${md(f.title)} (\`${f.key}\`, ${f.severity})`, '');
    if (f.objects.length > 0) out.push(`${tally(f.objects)}:`, '');
    // Objects still open where they were are counted above, not listed.
    const news = firstOf([f.objects], objectChanged, OBJECTS_SHOWN);
    for (const o of news.first) {
      out.push(`- ${STATUS_TEXT[o.status]}: ${md(o.relocation === undefined ? o.dn : relocationText(o))}`);
    }
    if (news.total > OBJECTS_SHOWN) out.push(`- … ${n(news.total - OBJECTS_SHOWN)} more (--format json lists all)`);
    out.push('');
  }
  const unchanged = unchangedLine(diff);
  if (unchanged !== undefined) out.push(md(unchanged), '');
  return `${out.join('\n')}\n`;
}

/**
 * The comparison as JSON, in pieces: as JSON.stringify(diff, null, 2) writes it and a newline (raw C1 controls and
 * bidi overrides escaped, as in the report), without the whole text in memory: a finding's changes can be millions.
 */
export function* diffJsonChunks(diff: ReportDiff): Generator<string> {
  const members = (value: object): Record<string, unknown> => value as Record<string, unknown>;
  yield* objectChunks(members(diff), 1, (key) =>
    key === 'findings'
      ? arrayChunks(diff.findings, 2, (finding, depth) =>
          objectChunks(members(finding), depth + 1, (member) =>
            member === 'objects' ? arrayChunks(finding.objects, depth + 2, (o, objectDepth) => stringsObject(members(o), objectDepth)) : undefined,
          ),
        )
      : undefined,
  );
  yield '\n';
}
