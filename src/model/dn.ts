/**
 * Distinguished names per RFC 4514, compared the way Active Directory compares them:
 * attribute types and values case-insensitively, escapes resolved, insignificant spaces ignored.
 *
 * The hot path (a DN without backslashes or quotes, which is almost every DN in a real export)
 * avoids the full parser, because a scan normalises every DN it sees once.
 */

export class DnSyntaxError extends Error {
  constructor(dn: string, reason: string) {
    super(`invalid DN "${dn}": ${reason}`);
    this.name = 'DnSyntaxError';
  }
}

export interface Ava {
  /** attribute type, lower-cased (e.g. "cn", "ou", "dc") */
  type: string;
  /** unescaped value, case preserved */
  value: string;
}

/** One RDN: its (first) type and value, and the further pairs of a multi-valued RDN ("CN=a+SN=b"), which AD does not create. */
export interface Rdn extends Ava {
  more?: Ava[];
}

const HEX_PAIR = /^[0-9a-fA-F]{2}$/;
/** RFC 4514 2.4: what a backslash may escape besides a hex pair. */
const ESCAPABLE = ' "#+,;<=>\\';
const utf8 = new TextDecoder('utf-8', { fatal: true });

function utf8Escapes(dn: string, bytes: number[]): string {
  try {
    return utf8.decode(Uint8Array.from(bytes));
  } catch {
    throw new DnSyntaxError(dn, 'its hex escapes are not UTF-8 (a DN is UTF-8 text)');
  }
}

/** Splits a DN into its RDNs (first is the leaf). */
export function parseDn(dn: string): Rdn[] {
  if (trimSpaces(dn) === '') return [];
  if (!/[\\"]/.test(dn)) return dn.split(',').map((part) => rdnOf(part.split('+').map((ava) => simpleAva(dn, part, ava))));
  return parseEscaped(dn);
}

function rdnOf(avas: Ava[]): Rdn {
  const [first, ...more] = avas as [Ava, ...Ava[]];
  return more.length === 0 ? first : { ...first, more };
}

function simpleAva(dn: string, part: string, ava: string): Ava {
  const eq = ava.indexOf('=');
  const type = eq < 0 ? '' : trimSpaces(ava.slice(0, eq));
  if (type === '') throw new DnSyntaxError(dn, `RDN "${trimSpaces(part)}" has no attribute type`);
  return { type: type.toLowerCase(), value: trimSpaces(ava.slice(eq + 1)) };
}

/** RFC 4514 makes only spaces around values insignificant (tabs and other white space are data). */
function trimSpaces(s: string): string {
  let start = 0;
  let end = s.length;
  while (start < end && s.charCodeAt(start) === 0x20) start++;
  while (end > start && s.charCodeAt(end - 1) === 0x20) end--;
  return start === 0 && end === s.length ? s : s.slice(start, end);
}

function parseEscaped(dn: string): Rdn[] {
  const rdns: Rdn[] = [];
  let avas: Ava[] = [];
  let i = 0;
  for (;;) {
    const eq = dn.indexOf('=', i);
    const type = eq < 0 ? '' : trimSpaces(dn.slice(i, eq));
    if (type === '' || /[,+"\\]/.test(type)) throw new DnSyntaxError(dn, `RDN at position ${i} has no attribute type`);
    i = eq + 1;
    const bytes: number[] = [];
    let value = '';
    let trailingSpaces = 0;
    let started = false;
    const flushBytes = (): void => {
      if (bytes.length > 0) {
        value += utf8Escapes(dn, bytes);
        bytes.length = 0;
      }
    };
    while (i < dn.length) {
      const ch = dn[i] as string;
      if (ch === ',' || ch === '+') break;
      if (ch === '\\') {
        const pair = dn.slice(i + 1, i + 3);
        if (HEX_PAIR.test(pair)) {
          bytes.push(Number.parseInt(pair, 16));
          i += 3;
        } else if (ESCAPABLE.includes(dn.charAt(i + 1)) && i + 1 < dn.length) {
          flushBytes();
          value += dn[i + 1];
          i += 2;
        } else if (i + 1 < dn.length) {
          throw new DnSyntaxError(
            dn,
            `"\\${dn.slice(i + 1, i + 3)}" at position ${i} is not an escape (a backslash comes before one of ${ESCAPABLE} or two hex digits)`,
          );
        } else {
          throw new DnSyntaxError(dn, 'ends with a lone backslash');
        }
        started = true;
        trailingSpaces = 0;
        continue;
      }
      flushBytes();
      if (ch === ' ' && !started) {
        i++;
        continue;
      }
      if (ch === '"') throw new DnSyntaxError(dn, 'unescaped quote');
      started = true;
      value += ch;
      trailingSpaces = ch === ' ' ? trailingSpaces + 1 : 0;
      i++;
    }
    flushBytes();
    avas.push({ type: type.toLowerCase(), value: value.slice(0, value.length - trailingSpaces) });
    if (i >= dn.length) break;
    if (dn[i] === ',') {
      rdns.push(rdnOf(avas));
      avas = [];
    }
    i++;
  }
  rdns.push(rdnOf(avas));
  return rdns;
}

const ESCAPE_IN_VALUE = /[,+"\\<>;=]/g;
const CONTROL = /[\x00-\x1f\x7f]/g;

function escapeValue(value: string): string {
  // Control characters as hex pairs: RFC 4514 lets a backslash escape only the special characters.
  let escaped = value.replace(ESCAPE_IN_VALUE, (c) => `\\${c}`).replace(CONTROL, (c) => `\\${c.charCodeAt(0).toString(16).padStart(2, '0').toUpperCase()}`);
  if (escaped.startsWith(' ') || escaped.startsWith('#')) escaped = `\\${escaped}`;
  // Decided on the value, not the escaped text: "x\\ " ends in an escaped backslash and a bare space.
  if (value.length > 1 && value.endsWith(' ')) escaped = `${escaped.slice(0, -1)}\\ `;
  return escaped;
}

/** Formats RDNs back into a DN string with RFC 4514 escaping. */
export function formatDn(rdns: readonly Rdn[]): string {
  const ava = (a: Ava): string => `${a.type.toUpperCase()}=${escapeValue(a.value)}`;
  return rdns.map((r) => [r, ...(r.more ?? [])].map(ava).join('+')).join(',');
}

/**
 * Canonical comparison key: two DNs that AD considers the same yield the same key.
 * Keys are only for comparing and indexing; show users the original DN.
 */
export function dnKey(dn: string): string {
  if (isPlain(dn)) return dn.toLowerCase();
  if (!/[\\"+]/.test(dn)) {
    // Fast path: no escapes and one pair per RDN, so only spaces around separators and case can differ.
    let key = '';
    for (const part of dn.split(',')) {
      const eq = part.indexOf('=');
      const type = eq < 0 ? '' : trimSpaces(part.slice(0, eq));
      if (type === '') return parseDnKey(dn);
      key += (key === '' ? '' : ',') + type + '=' + trimSpaces(part.slice(eq + 1));
    }
    return key.toLowerCase();
  }
  return parseDnKey(dn);
}

/**
 * True when the key is the DN lower-cased: every RDN is one "type=value" pair with a type, no space next to a
 * separator or at either end (nothing to trim), and no backslash, quote or "+" (nothing to unescape). Most DNs in an
 * export are written so.
 */
function isPlain(dn: string): boolean {
  let rdnStart = 0;
  let typeEnd = -1;
  for (let i = 0; i <= dn.length; i++) {
    const ch = i === dn.length ? 0x2c : dn.charCodeAt(i);
    if (ch === 0x3d /* = */) {
      if (typeEnd < 0) typeEnd = i;
    } else if (ch === 0x2c /* , */) {
      if (typeEnd <= rdnStart || !unpadded(dn, rdnStart, typeEnd) || !unpadded(dn, typeEnd + 1, i)) return false;
      rdnStart = i + 1;
      typeEnd = -1;
    } else if (ch === 0x5c || ch === 0x22 || ch === 0x2b) return false;
  }
  return true;
}

/** dn[start, end) neither starts nor ends with a space. */
function unpadded(dn: string, start: number, end: number): boolean {
  return start === end || (dn.charCodeAt(start) !== 0x20 && dn.charCodeAt(end - 1) !== 0x20);
}

// Only what the fast path cannot contain unescaped is escaped, so both paths agree on every DN.
const ESCAPE_IN_KEY = /[,+\\]/g;

function avaKey({ type, value }: Ava): string {
  let escaped = value.toLowerCase().replace(ESCAPE_IN_KEY, (c) => `\\${c}`);
  if (escaped.startsWith(' ')) escaped = `\\${escaped}`;
  if (escaped.endsWith(' ')) escaped = `${escaped.slice(0, -1)}\\ `;
  return `${type}=${escaped}`;
}

function parseDnKey(dn: string): string {
  return parseDn(dn)
    .map((rdn) => (rdn.more === undefined ? avaKey(rdn) : [rdn, ...rdn.more].map(avaKey).sort().join('+')))
    .join(',');
}

/** Key of the parent DN, or "" for a top-level DN. Takes a key from dnKey. */
export function parentKey(key: string): string {
  // Keys escape commas inside values as "\,", so the first unescaped comma ends the RDN.
  for (let i = 0; i < key.length; i++) {
    const ch = key.charCodeAt(i);
    if (ch === 0x5c /* \ */) {
      i++;
    } else if (ch === 0x2c /* , */) {
      return key.slice(i + 1);
    }
  }
  return '';
}

/** True when `key` equals `ancestorKey` or lies below it. Both are keys from dnKey. */
export function isAtOrBelow(key: string, ancestorKey: string): boolean {
  if (ancestorKey === '') return true;
  if (key.length === ancestorKey.length) return key === ancestorKey;
  if (key.length < ancestorKey.length || !key.endsWith(ancestorKey)) return false;
  const comma = key.length - ancestorKey.length - 1;
  return key.charCodeAt(comma) === 0x2c && !isEscaped(key, comma);
}

/** True when the character at `at` is escaped: preceded by an odd number of backslashes. */
function isEscaped(text: string, at: number): boolean {
  let backslashes = 0;
  for (let i = at - 1; i >= 0 && text.charCodeAt(i) === 0x5c; i--) backslashes++;
  return backslashes % 2 === 1;
}

/** The RDN attribute value of a DN's leaf ("CN=Alice,OU=x" gives "Alice"). */
export function leafValue(dn: string): string {
  // Checks call this for every object: without escapes, quotes or "+" the leaf ends at the first comma,
  // so the rest of the DN need not be parsed.
  const comma = dn.indexOf(',');
  const leaf = comma < 0 ? dn : dn.slice(0, comma);
  const eq = leaf.indexOf('=');
  if (eq > 0 && !/[\\"+]/.test(leaf) && trimSpaces(leaf.slice(0, eq)) !== '') return trimSpaces(leaf.slice(eq + 1));
  return parseDn(dn)[0]?.value ?? '';
}

/** "DC=corp,DC=example,DC=com" gives "corp.example.com"; other RDN types are skipped. */
export function dnToDnsName(dn: string): string {
  return parseDn(dn)
    .filter((r) => r.type === 'dc')
    .map((r) => r.value)
    .join('.')
    .toLowerCase();
}

/** The parent of a DN as written (case and escapes kept), or "" for a top-level DN. */
export function parentDn(dn: string): string {
  for (let i = 0; i < dn.length; i++) {
    const ch = dn.charCodeAt(i);
    if (ch === 0x5c /* \ */) {
      i++;
    } else if (ch === 0x2c /* , */) {
      return dn.slice(i + 1).trimStart();
    }
  }
  return '';
}

/** The trailing run of DC= components of a key ("ou=x,dc=corp,dc=com" gives "dc=corp,dc=com"), or "". */
export function domainComponentSuffix(key: string): string {
  let start = key.length;
  for (let rdnEnd = key.length; ;) {
    let comma = rdnEnd === 0 ? -1 : key.lastIndexOf(',', rdnEnd - 1);
    while (comma > 0 && isEscaped(key, comma)) comma = key.lastIndexOf(',', comma - 1);
    if (!key.startsWith('dc=', comma + 1)) break;
    start = comma + 1;
    if (comma < 0) break;
    rdnEnd = comma;
  }
  return key.slice(start);
}
