import { plural } from '../checks/support/ad-values.js';
import type { Verdict } from './schema.js';

export const VERDICT_TEXT: Record<Verdict, string> = {
  ready: 'READY',
  'ready-with-warnings': 'READY WITH WARNINGS',
  blocked: 'BLOCKED',
  incomplete: 'INCOMPLETE',
};

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
