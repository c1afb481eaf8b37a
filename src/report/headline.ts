import { plural } from '../checks/support/ad-values.js';
import type { ForestReport, Report, Verdict } from './schema.js';

export const VERDICT_TEXT: Record<Verdict, string> = {
  ready: 'READY',
  'ready-with-warnings': 'READY WITH WARNINGS',
  blocked: 'BLOCKED',
  incomplete: 'INCOMPLETE',
};

/** The verdict as a sentence starts it: "Blocked: ...". */
export const VERDICT_LABEL: Record<Verdict, string> = {
  ready: 'Ready',
  'ready-with-warnings': 'Ready with warnings',
  blocked: 'Blocked',
  incomplete: 'Incomplete',
};

/** Why the verdict is what it is and what the exit code says, in words (after `VERDICT_LABEL`); Markdown and HTML show it. */
export function verdictReason(report: Pick<Report | ForestReport, 'summary' | 'complete' | 'verdict'>): string {
  const { summary } = report;
  const unsettled = [
    summary.openQuestions > 0 ? plural(summary.openQuestions, 'question') + ' open' : '',
    report.complete ? '' : 'part of the data not read or not judged',
  ].filter((x) => x !== '');
  switch (report.verdict) {
    case 'blocked':
      return (
        `${plural(summary.hardBlockers, 'hard blocker')} must be fixed before Cloud Sync can take over (exit code 1). ` +
        (unsettled.length > 0 ? `The scan is also unsettled (${unsettled.join(', ')}): more may be found once that is resolved. ` : '') +
        'OUs clean on their own may still move first: see the pilot plan.'
      );
    case 'incomplete':
      return `no hard blocker was found, but ${unsettled.join(' and ')}, so no verdict can be trusted yet (exit code 3).`;
    case 'ready-with-warnings': {
      const why = [
        summary.coexistenceBlockers > 0 ? `${plural(summary.coexistenceBlockers, 'blocker')} that Connect Sync keeps handling side by side` : '',
        summary.warnings > 0 ? plural(summary.warnings, 'warning') : '',
      ].filter((x) => x !== '');
      return `nothing must be fixed first (exit code 0), but read ${why.join(' and ')}.`;
    }
    case 'ready':
      return 'complete data, no blockers, no warnings, every question answered (exit code 0).';
  }
}

/**
 * The verdict and what else is still open, in one line every output starts with. A blocked forest whose
 * data is also partial says both, so nobody reads "BLOCKED" as "everything else was checked".
 */
export function headlineOf(verdict: Verdict, open: { openQuestions: number; complete: boolean }): string {
  const alsoOpen = [open.openQuestions > 0 ? `${plural(open.openQuestions, 'question')} open` : '', open.complete ? '' : 'data incomplete'].filter(
    (x) => x !== '',
  );
  if (alsoOpen.length === 0) return VERDICT_TEXT[verdict];
  return `${VERDICT_TEXT[verdict]} — ${verdict === 'blocked' ? 'and ' : ''}${alsoOpen.join(', ')}`;
}
