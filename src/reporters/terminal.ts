import { Chalk, type ChalkInstance } from 'chalk';
import Table from 'cli-table3';
import { CHECK_FAILED } from '../checks/engine.js';
import { plural } from '../checks/support/ad-values.js';
import { VERDICT_TEXT } from '../report/headline.js';
import type { Finding, ForestReport, Report, Verdict } from '../report/schema.js';
import { NO_TENANT_CHECK, showsTenant, tenantTitle } from '../report/tenant-report.js';
import { terminalText as t } from './escape.js';

export interface TerminalOptions {
  /** false for NO_COLOR, a pipe, or --no-color. */
  color: boolean;
}

const n = (value: number): string => value.toLocaleString('en-US');
const REASONS_SHOWN = 5;
const CANDIDATES_SHOWN = 3;

const VERDICT_COLOR: Record<Verdict, (chalk: ChalkInstance) => ChalkInstance> = {
  ready: (chalk) => chalk.green.bold,
  'ready-with-warnings': (chalk) => chalk.yellow.bold,
  blocked: (chalk) => chalk.red.bold,
  incomplete: (chalk) => chalk.magenta.bold,
};

function paint(chalk: ChalkInstance, verdict: Verdict, text = VERDICT_TEXT[verdict]): string {
  return VERDICT_COLOR[verdict](chalk)(text);
}

/**
 * A short summary for a person at a terminal; the full evidence is in the JSON and Markdown reports.
 * Every directory value goes through `t`, so a name carrying escape sequences cannot print a fake line.
 * Several forests: the tenant's summary first, then each forest's as one forest's would be.
 */
export function renderTerminal(report: Report, options: TerminalOptions): string {
  const chalk = new Chalk({ level: options.color ? 1 : 0 });
  const forests = report.forests.map((forest) => forestLines(forest, chalk));
  if (!showsTenant(report)) return `${forests.flat().join('\n')}\n`;
  const tenant = [
    ...headline(report, tenantTitle(report), chalk),
    ...incompleteness(report, chalk),
    forestTable(report, chalk),
    ...(report.tenant.findings.length === 0 && report.tenant.checks.length === 0
      ? [chalk.dim(`${NO_TENANT_CHECK}.`)]
      : findingTable(report.tenant.findings, chalk)),
  ];
  return `${[tenant, ...forests].map((lines) => lines.join('\n')).join('\n\n')}\n`;
}

function forestLines(report: ForestReport, chalk: ChalkInstance): string[] {
  return [
    ...headline(report, report.inventory.forest.name, chalk),
    ...incompleteness(report, chalk),
    domainTable(report, chalk),
    ...findingTable(report.findings, chalk),
    ...pilotSummary(report, chalk),
    ...footer(report, chalk),
  ];
}

function headline(report: Report | ForestReport, title: string | undefined, chalk: ChalkInstance): string[] {
  const { summary } = report;
  const coexistence = summary.coexistenceBlockers > 0 ? `, ${n(summary.coexistenceBlockers)} Connect can keep side by side` : '';
  const about = title === undefined ? '' : ` of ${t(title)}`;
  return [
    `${chalk.bold(`Cloud Sync readiness${about}:`)} ${paint(chalk, report.verdict, t(report.headline))}  ` +
      `(${plural(summary.hardBlockers, 'hard blocker')}${coexistence}, ${plural(summary.warnings, 'warning')}; target ${report.target}${report.allowPreview ? ', preview allowed' : ''})`,
  ];
}

function incompleteness(report: Report | ForestReport, chalk: ChalkInstance): string[] {
  if (report.complete) return [];
  // A check that failed (on a full disk, say) is what the person can act on now: its reason comes first.
  const failed = (reason: string): boolean => reason.includes(CHECK_FAILED);
  const reasons = [...report.incompleteReasons.filter(failed), ...report.incompleteReasons.filter((reason) => !failed(reason))];
  return [
    chalk.magenta('Incomplete because:'),
    ...reasons.slice(0, REASONS_SHOWN).map((reason) => `  - ${t(reason)}`),
    ...(reasons.length > REASONS_SHOWN ? [`  - … ${n(reasons.length - REASONS_SHOWN)} more (see the report)`] : []),
  ];
}

// cli-table3 colours headers and borders itself; an empty list keeps them plain so NO_COLOR holds.
const plainStyle = (): { head: string[]; border: string[] } => ({ head: [], border: [] });

function forestTable(report: Report, chalk: ChalkInstance): string {
  const table = new Table({ head: ['Forest', 'Verdict', 'Hard blockers', 'Warnings', 'Domains', 'Users', 'Groups'], style: plainStyle() });
  for (const f of report.forests) {
    const { summary, inventory } = f;
    table.push([
      t(f.name),
      paint(chalk, f.verdict),
      n(summary.hardBlockers),
      n(summary.warnings),
      n(inventory.domains.length),
      n(inventory.totals.users),
      n(inventory.totals.groups),
    ]);
  }
  return table.toString();
}

function domainTable(report: ForestReport, chalk: ChalkInstance): string {
  const table = new Table({ head: ['Domain', 'Verdict', 'Users', 'Groups', 'Contacts', 'Computers'], style: plainStyle() });
  for (const d of report.inventory.domains) {
    const verdict = report.verdicts.domains.find((v) => v.dn === d.dn)?.verdict;
    table.push([t(d.dnsName), verdict === undefined ? 'out of scope' : paint(chalk, verdict), n(d.users), n(d.groups), n(d.contacts), n(d.computers)]);
  }
  return table.toString();
}

function findingTable(all: readonly Finding[], chalk: ChalkInstance): string[] {
  const findings = all.filter((x) => x.inScope);
  if (findings.length === 0) return [];
  const table = new Table({ head: ['Severity', 'Finding', 'Count', 'Title'], colWidths: [10, 44, 8, 56], wordWrap: true, style: plainStyle() });
  for (const f of findings) {
    const label = f.severity === 'blocker' && f.coexistence ? 'coexist' : f.severity;
    const color = f.severity === 'blocker' ? (f.coexistence ? chalk.yellow : chalk.red) : f.severity === 'warning' ? chalk.yellow : chalk.cyan;
    table.push([color(label), f.key, n(f.count), t(f.title)]);
  }
  return [table.toString()];
}

function pilotSummary(report: ForestReport, chalk: ChalkInstance): string[] {
  const plan = report.pilotPlan;
  const lines: string[] = [];
  const mustFix = plan.prerequisites.filter((p) => p.mustFixFirst);
  if (mustFix.length > 0) lines.push(`${chalk.red('Fix first (holds for every OU):')} ${mustFix.map((p) => t(p.title)).join('; ')}`);
  const pilot = plan.candidates.find((c) => c.wave === 1);
  if (pilot !== undefined) {
    lines.push(`${chalk.green('Pilot (wave 1):')} ${t(pilot.dn)} (${plural(pilot.syncedObjects, 'object')})`);
  } else {
    // The prerequisites sentence comes first among the reasons, and was said just above.
    const why = plan.reasons.slice(mustFix.length > 0 ? 1 : 0);
    lines.push(`${chalk.yellow('Pilot plan:')} ${t(why.join(' ') || 'no candidate OU')}`);
  }
  const later = plan.candidates.filter((c) => c.wave !== undefined && c.wave > 1);
  if (later.length > 0) {
    const shown = later.slice(0, CANDIDATES_SHOWN).map((c) => `#${c.rank} ${t(c.dn)} (wave ${c.wave})`);
    lines.push(`${chalk.green('Later waves:')} ${shown.join('; ')}${later.length > CANDIDATES_SHOWN ? `; … ${n(later.length - CANDIDATES_SHOWN)} more` : ''}`);
  }
  return lines;
}

function footer(report: ForestReport, chalk: ChalkInstance): string[] {
  const lines: string[] = [];
  if (report.openQuestions.length > 0) {
    lines.push(
      chalk.yellow(
        `Open questions (${n(report.openQuestions.length)}): ${report.openQuestions.map((q) => q.id).join(', ')}; answer them with --answers (readiness answers --init)`,
      ),
    );
  }
  if (report.settings.scope !== undefined) lines.push(chalk.dim(`Judged only inside: ${report.settings.scope.include.map(t).join('; ')}`));
  if (report.settings.disabled.length > 0) lines.push(chalk.dim(`Switched off: ${report.settings.disabled.map((d) => d.id).join(', ')}`));
  const notEvaluated = report.checks.filter((c) => c.status === 'not-evaluated');
  if (notEvaluated.length > 0) lines.push(chalk.magenta(`Not evaluated: ${notEvaluated.map((c) => c.id).join(', ')}`));
  lines.push(chalk.dim('Full evidence: --format md or --format json (--output FILE).'));
  return lines;
}
