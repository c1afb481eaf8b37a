/*
 * JSON as JSON.stringify(value, null, 2) writes it, in pieces: the report and the diff write lists of a million
 * objects this way, member by member, instead of building one string of the whole document.
 */

// JSON.stringify escapes C0 controls but leaves DEL, C1 controls (U+009B is a CSI to some terminals) and
// bidi overrides raw; outside strings JSON holds none of them, so escaping them keeps the same parsed value.
const RAW_IN_JSON = /[\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

export type Streamed = (key: string) => Iterable<string> | undefined;

/** `{ ... }` as JSON.stringify(value, null, 2) writes it at this nesting depth, with the keys that `streamed` names written piece by piece. */
export function* objectChunks(value: Record<string, unknown>, depth: number, streamed: Streamed): Generator<string> {
  const indent = `\n${'  '.repeat(depth)}`;
  let first = true;
  for (const [key, member] of Object.entries(value)) {
    const pieces = streamed(key);
    if (pieces === undefined && (member === undefined || typeof member === 'function')) continue;
    yield `${first ? '{' : ','}${indent}${JSON.stringify(key)}: `;
    first = false;
    if (pieces === undefined) yield stringified(member, depth);
    else yield* pieces;
  }
  yield first ? '{}' : `\n${'  '.repeat(depth - 1)}}`;
}

/** `[ ... ]` with each item's pieces; an item written as one string (a finding's object) comes with its separator, as one piece. */
export function* arrayChunks<T>(items: readonly T[], depth: number, itemChunks: (item: T, depth: number) => string | Iterable<string>): Generator<string> {
  if (items.length === 0) {
    yield '[]';
    return;
  }
  const indent = indentOf(depth);
  for (let i = 0; i < items.length; i += 1) {
    const separator = `${i === 0 ? '[' : ','}${indent}`;
    const pieces = itemChunks(items[i] as T, depth);
    if (typeof pieces === 'string') {
      yield separator + pieces;
    } else {
      yield separator;
      yield* pieces;
    }
  }
  yield `${indentOf(depth - 1)}]`;
}

/**
 * An object whose members are all strings (a finding's object), as `stringified` writes it, member by member: a
 * finding can list a million of them, and JSON.stringify with an indent, then re-indenting, cost most of their time.
 */
export function stringsObject(value: Record<string, unknown>, depth: number): string {
  const inner = indentOf(depth + 1);
  let text = '';
  for (const key of Object.keys(value)) {
    const member = value[key];
    if (member === undefined) continue;
    if (typeof member !== 'string') return stringified(value, depth);
    text += `${text === '' ? '{' : ','}${inner}${jsonString(key)}: ${jsonString(member)}`;
  }
  return text === '' ? '{}' : `${text}${indentOf(depth)}}`;
}

/** Printable ASCII but `"` and `\`: what JSON.stringify writes as it is, between quotes. */
const PLAIN_JSON_TEXT = /^[\x20\x21\x23-\x5b\x5d-\x7e]*$/;

/** A string as `stringified` writes it. */
function jsonString(text: string): string {
  return PLAIN_JSON_TEXT.test(text) ? `"${text}"` : stringified(text, 0);
}

const INDENTS: string[] = [];

/** A line break and the indent of this depth. */
function indentOf(depth: number): string {
  return (INDENTS[depth] ??= `\n${'  '.repeat(depth)}`);
}

/** One value as JSON.stringify(value, null, 2) writes it nested at this depth (JSON strings hold no raw newline). */
export function stringified(value: unknown, depth: number): string {
  const text = JSON.stringify(value, null, 2).replace(RAW_IN_JSON, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  return depth === 0 ? text : text.replaceAll('\n', `\n${'  '.repeat(depth)}`);
}
