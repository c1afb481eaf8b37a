import { z } from 'zod';
import type { Check, Question } from '../checks/check.js';
import { comment, readYamlFile, validate } from './yaml-file.js';

/** A question with every check that asks it: two checks may need the same fact. */
export interface AskedQuestion extends Question {
  askedBy: string[];
}

export function questionsOf(checks: readonly Check[]): AskedQuestion[] {
  const byId = new Map<string, AskedQuestion>();
  for (const { meta } of checks) {
    for (const q of meta.questions ?? []) {
      const known = byId.get(q.id);
      if (known === undefined) byId.set(q.id, { ...q, askedBy: [meta.id] });
      else known.askedBy.push(meta.id);
    }
  }
  return [...byId.values()].sort((a, b) => a.id.localeCompare(b.id));
}

const HOW_TO_USE = 'readiness scan --answers FILE ... (readiness answers --init FILE writes a fresh template)';

/**
 * The template `readiness answers --init` writes: every question as a key with an empty value, and its
 * text, choices and where to find the answer in comments above it. An empty value is an open question.
 */
export function answersTemplate(checks: readonly Check[]): string {
  const parts = [
    comment(
      'readiness answers file\n\n' +
        'Facts an LDAP read cannot show. Answer a question with exactly one of its choices, or leave it empty:\n' +
        'an empty answer stays an open question in the report, and nothing is assumed for it.\n' +
        `Use it with: ${HOW_TO_USE}`,
    ),
  ];
  const questions = questionsOf(checks);
  if (questions.length === 0) parts.push(comment('No check in this version asks a question.'), '{}');
  for (const q of questions) {
    parts.push(
      `${comment(`${q.text}\nChoices: ${q.choices.join(' | ')}\nHow to find out: ${q.howToFind}\nAsked by: ${q.askedBy.join(', ')}`)}\n${q.id}:`,
    );
  }
  return `${parts.join('\n\n')}\n`;
}

function answersSchema(questions: readonly AskedQuestion[]): z.ZodType<Record<string, string | null | undefined>> {
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
export function loadAnswers(path: string, checks: readonly Check[]): Record<string, string> {
  const whatToDo = `fix the answers file (${HOW_TO_USE})`;
  const file = readYamlFile(path, whatToDo);
  const parsed = validate(file, answersSchema(questionsOf(checks)), whatToDo);
  const answers: Record<string, string> = {};
  for (const [id, value] of Object.entries(parsed)) if (typeof value === 'string') answers[id] = value;
  return answers;
}
