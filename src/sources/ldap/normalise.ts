import { isBinaryAttribute } from '../../model/binary-attributes.js';
import { type AttributeValue, Entry, type RangeState } from '../../model/entry.js';

/** An entry as ldapts returns it: one value is a scalar, several an array, an absent requested attribute []. */
export type RawEntry = { dn: string } & Record<string, string | string[] | Buffer | Buffer[]>;

/** A range window as the server labelled it: "member;range=1500-2999" → { start: 1500, end: 2999 }. */
export interface RangeWindow {
  start: number;
  /** undefined for "*": this window is the last. */
  end: number | undefined;
}

const RANGE_OPTION = /^range=(\d+)-(\d+|\*)$/i;

/** The name without options other than ranges, lower-case, and its range window if it has one. */
export function splitAttributeName(serverName: string): { name: string; range: RangeWindow | undefined } {
  const [base = '', ...options] = serverName.toLowerCase().split(';');
  let range: RangeWindow | undefined;
  const kept: string[] = [base];
  for (const option of options) {
    const match = RANGE_OPTION.exec(option);
    if (match !== null) range = { start: Number(match[1]), end: match[2] === '*' ? undefined : Number(match[2]) };
    else if (option !== 'binary') kept.push(option);
  }
  return { name: kept.join(';'), range };
}

/**
 * One ldapts entry as attribute lists, exactly as the LDIF reader builds them: lower-case names,
 * arrays always, absent attributes left out, binary attributes as bytes. Ranged attributes are
 * returned separately so that the caller can fetch the remaining windows.
 */
export function readRawEntry(raw: RawEntry): {
  attributes: Map<string, AttributeValue[]>;
  ranges: Map<string, RangeWindow>;
} {
  const attributes = new Map<string, AttributeValue[]>();
  const ranges = new Map<string, RangeWindow>();
  for (const serverName in raw) {
    if (serverName === 'dn') continue;
    const value = raw[serverName] as RawEntry[string];
    const { name, range, binary } = parsedName(serverName);
    if (range !== undefined) ranges.set(name, range);
    const values = Array.isArray(value) ? value : [value];
    if (values.length === 0) continue;
    const typed = binary ? values.map(asBytes) : values;
    const existing = attributes.get(name);
    if (existing === undefined) attributes.set(name, typed);
    else existing.push(...typed);
  }
  return { attributes, ranges };
}

/** Parsed names of plain attributes, which repeat on every entry; ranged names are parsed each time. */
const parsedNames = new Map<string, { name: string; range: undefined; binary: boolean }>();

function parsedName(serverName: string): { name: string; range: RangeWindow | undefined; binary: boolean } {
  const known = parsedNames.get(serverName);
  if (known !== undefined) return known;
  const { name, range } = splitAttributeName(serverName);
  const parsed = { name, range, binary: isBinaryAttribute(name) };
  if (range === undefined) parsedNames.set(serverName, { name, range, binary: parsed.binary });
  return parsed;
}

/** The RootDSE or any entry that needs no range follow-up. */
export function toEntry(raw: RawEntry, ranged?: ReadonlyMap<string, RangeState>): Entry {
  return new Entry(raw.dn, readRawEntry(raw).attributes, ranged);
}

/**
 * ldapts decodes a value as text when its name is not in explicitBufferAttributes (a server that
 * spells the name differently). Its decoder is strict UTF-8, so encoding the text again gives the
 * original bytes back.
 */
function asBytes(value: AttributeValue): Buffer {
  return typeof value === 'string' ? Buffer.from(value, 'utf8') : value;
}

/** supportedControl repeats OIDs on Samba; the report lists each once. */
export function dedupeValues(entry: Entry, names: readonly string[]): Entry {
  const attributes = new Map(entry.attributes);
  for (const name of names) {
    const values = attributes.get(name);
    if (values !== undefined) attributes.set(name, [...new Map(values.map((v) => [v.toString(), v])).values()]);
  }
  return new Entry(entry.dn, attributes, entry.ranged);
}
