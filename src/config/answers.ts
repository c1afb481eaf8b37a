import { z } from 'zod';
import type { Described } from '../checks/check.js';
import { questionsOf } from '../report/questions.js';
import type { OpenQuestion } from '../report/schema.js';
import { comment, readYamlFile, validate } from './yaml-file.js';

function questionsOfChecks(checks: readonly Described[]): OpenQuestion[] {
  return questionsOf(checks.map((c) => c.meta));
}

const HOW_TO_USE = 'readiness scan --answers FILE ... (readiness answers --init FILE writes a fresh template)';

/**
 * The template `readiness answers --init` writes: every question as a key with an empty value, and its
 * text, choices and where to find the answer in comments above it. An empty value is an open question.
 */
export function answersTemplate(checks: readonly Described[]): string {
  const parts = [
    comment(
      'readiness answers file\n\n' +
        'Facts an LDAP read cannot show. Answer a question with exactly one of its choices, or leave it empty:\n' +
        'an empty answer stays an open question in the report, and nothing is assumed for it.\n' +
        `Use it with: ${HOW_TO_USE}`,
    ),
  ];
  const questions = questionsOfChecks(checks);
  if (questions.length === 0) parts.push(comment('No check in this version asks a question.'), '{}');
  for (const q of questions) {
    parts.push(`${comment(`${q.text}\nChoices: ${q.choices.join(' | ')}\nHow to find out: ${q.howToFind}\nAsked by: ${q.askedBy.join(', ')}`)}\n${q.id}:`);
  }
  return `${parts.join('\n\n')}\n`;
}

function answersSchema(questions: readonly OpenQuestion[]): z.ZodType<Record<string, string | null | undefined>> {
  const shape: Record<string, z.ZodType<string | null | undefined>> = {};
  for (const q of questions) {
    shape[q.id] = z
      .preprocess(
        // YAML reads a bare true/false or number as such; the choices are text.
        (value) => (typeof value === 'boolean' || typeof value === 'number' ? String(value) : value),
        z.enum(q.choices as [string, ...string[]], { error: () => `must be one of: ${q.choices.join(', ')} (or empty while unknown)` }),
      )
      .nullable()
      .optional();
  }
  return z.strictObject(shape, {
    error: (issue) =>
      issue.code === 'unrecognized_keys'
        ? `no check asks this question; known questions: ${questions.map((q) => q.id).join(', ') || '(none)'}`
        : 'the answers file must be a map of question id to answer',
  });
}

/** Reads and validates an answers file; returns only the questions that were answered. */
export function loadAnswers(path: string, checks: readonly Described[]): Record<string, string> {
  const whatToDo = `fix the answers file (${HOW_TO_USE})`;
  const file = readYamlFile(path, whatToDo);
  const parsed = validate(file, answersSchema(questionsOfChecks(checks)), whatToDo);
  const answers: Record<string, string> = {};
  for (const [id, value] of Object.entries(parsed)) if (typeof value === 'string') answers[id] = value;
  return answers;
}
