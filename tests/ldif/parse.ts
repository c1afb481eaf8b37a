import type { Entry } from '../../src/model/entry.js';
import { LdifParser } from '../../src/sources/ldif/parser.js';
import type { InputProblem, SourceEvent } from '../../src/sources/source.js';

export interface Parsed {
  entries: Entry[];
  problems: InputProblem[];
  errors: InputProblem[];
  warnings: InputProblem[];
}

export function collect(events: Iterable<SourceEvent>): Parsed {
  const entries: Entry[] = [];
  const problems: InputProblem[] = [];
  for (const event of events) {
    if (event.type === 'entry') entries.push(event.entry);
    else problems.push(event.problem);
  }
  return { entries, problems, errors: problems.filter((p) => p.severity === 'error'), warnings: problems.filter((p) => p.severity === 'warning') };
}

/** Parses LDIF given as text (written as UTF-8) or bytes, fed to the parser in chunks of `chunkBytes`. */
export function parse(input: string | Buffer, chunkBytes = Number.POSITIVE_INFINITY, label = 'test.ldif'): Parsed {
  const bytes = typeof input === 'string' ? Buffer.from(input, 'utf8') : input;
  const parser = new LdifParser(label);
  const events: SourceEvent[] = [];
  const step = Math.min(chunkBytes, Math.max(bytes.length, 1));
  for (let at = 0; at < bytes.length; at += step) events.push(...parser.push(bytes.subarray(at, at + step)));
  events.push(...parser.end());
  return collect(events);
}

/** An entry as plain data, binary values as "hex:..." so that test expectations stay readable. */
export function plain(entry: Entry): { dn: string; attributes: Record<string, string[]>; ranged: Record<string, string> } {
  const attributes: Record<string, string[]> = {};
  for (const [name, values] of entry.attributes) {
    attributes[name] = values.map((v) => (typeof v === 'string' ? v : `hex:${v.toString('hex')}`));
  }
  return { dn: entry.dn, attributes, ranged: Object.fromEntries(entry.ranged) };
}

/** LDIF with CRLF line ends, as ldifde writes it. */
export function crlf(text: string): string {
  return text.replace(/\r?\n/g, '\r\n');
}
