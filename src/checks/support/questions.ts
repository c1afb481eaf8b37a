import type { CheckContext, CheckResult, FindingInput, Question } from '../check.js';

export const YES_NO = ['yes', 'no'] as const;

/** The reason a check gives while one of its questions is unanswered: never assume an answer. */
export function openQuestionReason(open: readonly Question[]): string {
  return open.map((q) => `open question: ${q.text} — answer it in the answers file (${q.howToFind})`).join('; ');
}

/**
 * Judges yes/no questions that LDAP cannot answer: each "yes" gives the question's finding, "no" is
 * fine, and an unanswered question leaves the check not evaluated unless a "yes" already fails it
 * (then the finding's message names the questions still open).
 */
export function judgeYesNoQuestions<QuestionId extends string, Kind extends string>(
  context: CheckContext<string, QuestionId>,
  questions: readonly Question<QuestionId, (typeof YES_NO)[number]>[],
  findingFor: (question: Question<QuestionId>) => FindingInput<Kind>,
): CheckResult<Kind> {
  const findings: FindingInput<Kind>[] = [];
  const open: Question<QuestionId>[] = [];
  for (const question of questions) {
    const answer = context.answer(question);
    if (answer === undefined) open.push(question);
    else if (answer === 'yes') findings.push(findingFor(question));
  }
  if (findings.length > 0) {
    const stillOpen = open.length === 0 ? '' : ` Still open: ${open.map((q) => q.text).join(' ')}`;
    return { status: 'failed', findings: findings.map((f) => ({ ...f, message: f.message + stillOpen })) };
  }
  if (open.length > 0) return { status: 'not-evaluated', reason: openQuestionReason(open) };
  return { status: 'passed', note: `answered: ${questions.map((q) => `${q.id}=no`).join(', ')}` };
}
