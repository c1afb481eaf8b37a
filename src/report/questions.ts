import type { CheckMeta } from '../checks/check.js';
import type { OpenQuestion } from './schema.js';

/** Every question the given checks ask, merged by id (two checks may need the same fact), sorted by id. */
export function questionsOf(metas: readonly CheckMeta[]): OpenQuestion[] {
  const byId = new Map<string, OpenQuestion>();
  for (const meta of metas) {
    for (const q of meta.questions ?? []) {
      const known = byId.get(q.id);
      if (known === undefined) byId.set(q.id, { id: q.id, text: q.text, choices: [...q.choices], howToFind: q.howToFind, askedBy: [meta.id] });
      else known.askedBy.push(meta.id);
    }
  }
  return [...byId.values()].sort((a, b) => a.id.localeCompare(b.id));
}
