import { Chalk, type ChalkInstance } from 'chalk';
import Table from 'cli-table3';
import type { Report, Verdict } from '../report/schema.js';

export interface TerminalOptions {
  /** false for NO_COLOR, a pipe, or --no-color. */
  color: boolean;
}

const n = (value: number): string => value.toLocaleString('en-US');

function paintVerdict(chalk: ChalkInstance, verdict: Verdict): string {
  switch (verdict) {
    case 'ready':
      return chalk.green.bold('READY');
    case 'ready-with-warnings':
      return chalk.yellow.bold('READY WITH WARNINGS');
    case 'blocked':
      return chalk.red.bold('BLOCKED');
    case 'incomplete':
      return chalk.magenta.bold('INCOMPLETE');
  }
}

/** A short summary for a person at a terminal; the full evidence is in the JSON and Markdown reports. */
export function renderTerminal(report: Report, options: TerminalOptions): string {
  const chalk = new Chalk({ level: options.color ? 1 : 0 });
  const lines: string[] = [];
  const { summary } = report;
  const coexistence = summary.coexistenceBlockers > 0 ? `, ${summary.coexistenceBlockers} Connect can keep side by side` : '';
  lines.push(
    `${chalk.bold('Cloud Sync readiness:')} ${paintVerdict(chalk, report.verdict)}  (${summary.hardBlockers} hard blockers${coexistence}, ${summary.warnings} warnings; target ${report.target}${report.allowPreview ? ', preview allowed' : ''})`,
  );
  if (!report.complete) {
    lines.push(chalk.magenta('Incomplete because:'));
    for (const reason of report.incompleteReasons.slice(0, 5)) lines.push(`  - ${reason}`);
    if (report.incompleteReasons.length > 5) lines.push(`  - … ${report.incompleteReasons.length - 5} more (see the report)`);
  }

  // cli-table3 colours headers and borders itself; an empty list keeps them plain so NO_COLOR holds.
  const style = (): { head: string[]; border: string[] } => ({ head: [], border: [] });
  const domains = new Table({ head: ['Domain', 'Verdict', 'Users', 'Groups', 'Contacts', 'Computers'], style: style() });
  for (const d of report.inventory.domains) {
    const verdict = report.verdicts.domains.find((v) => v.dn === d.dn)?.verdict ?? 'incomplete';
    domains.push([d.dnsName, paintVerdict(chalk, verdict), n(d.users), n(d.groups), n(d.contacts), n(d.computers)]);
  }
  lines.push(domains.toString());

  if (report.findings.length > 0) {
    const findings = new Table({ head: ['Severity', 'Check', 'Count', 'Finding'], colWidths: [10, 36, 8, 60], wordWrap: true, style: style() });
    for (const f of report.findings.filter((x) => x.inScope)) {
      const label = f.severity === 'blocker' && f.coexistence ? 'coexist' : f.severity;
      const sev = f.severity === 'blocker' ? (f.coexistence ? chalk.yellow(label) : chalk.red(label)) : f.severity === 'warning' ? chalk.yellow(label) : chalk.cyan(label);
      findings.push([sev, f.id, n(f.count), f.title]);
    }
    lines.push(findings.toString());
  }
  const plan = report.pilotPlan;
  if (plan.candidates.length > 0) {
    const top = plan.candidates.slice(0, 3).map((c) => `#${c.rank} ${c.dn} (${n(c.syncedObjects)})`);
    lines.push(`${chalk.green('Pilot candidates:')} ${top.join('; ')}${plan.candidates.length > 3 ? `; … ${plan.candidates.length - 3} more` : ''}`);
  } else {
    lines.push(`${chalk.yellow('Pilot plan:')} ${plan.reasons[0] ?? 'no candidate OU'}`);
  }
  if (report.openQuestions.length > 0) {
    lines.push(chalk.yellow(`Open questions (${report.openQuestions.length}): ${report.openQuestions.map((q) => q.id).join(', ')}; answer them with --answers (readiness answers --init)`));
  }
  if (report.settings.scope !== undefined) lines.push(chalk.dim(`Judged only inside: ${report.settings.scope.include.join('; ')}`));
  if (report.settings.disabled.length > 0) lines.push(chalk.dim(`Switched off: ${report.settings.disabled.map((d) => d.id).join(', ')}`));
  const notEvaluated = report.checks.filter((c) => c.status === 'not-evaluated');
  if (notEvaluated.length > 0) lines.push(chalk.magenta(`Not evaluated: ${notEvaluated.map((c) => c.id).join(', ')}`));
  lines.push(chalk.dim('Full evidence: --format md or --format json (--output FILE).'));
  return `${lines.join('\n')}\n`;
}
