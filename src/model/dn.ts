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

export interface Rdn {
  /** attribute type, lower-cased (e.g. "cn", "ou", "dc") */
  type: string;
  /** unescaped value, case preserved */
  value: string;
}

const HEX_PAIR = /^[0-9a-fA-F]{2}$/;

/** Splits a DN into its RDNs (first is the leaf). Multi-valued RDNs ("a=1+b=2") keep only their first AVA for `type`/`value`. */
export function parseDn(dn: string): Rdn[] {
  const trimmed = dn.trim();
  if (trimmed === '') return [];
  if (!/[\\"]/.test(trimmed)) {
    return trimmed.split(',').map((part) => simpleRdn(dn, part));
  }
  return parseEscaped(dn, trimmed);
}

function simpleRdn(dn: string, part: string): Rdn {
  const ava = part.split('+')[0] ?? '';
  const eq = ava.indexOf('=');
  if (eq <= 0) throw new DnSyntaxError(dn, `RDN "${part.trim()}" has no attribute type`);
  return { type: ava.slice(0, eq).trim().toLowerCase(), value: ava.slice(eq + 1).trim() };
}

function parseEscaped(dn: string, text: string): Rdn[] {
  const rdns: Rdn[] = [];
  let i = 0;
  while (i < text.length) {
    const eq = text.indexOf('=', i);
    if (eq < 0) throw new DnSyntaxError(dn, `RDN at position ${i} has no "="`);
    const type = text.slice(i, eq).trim().toLowerCase();
    if (type === '') throw new DnSyntaxError(dn, `RDN at position ${i} has no attribute type`);
    i = eq + 1;
    const bytes: number[] = [];
    let value = '';
    let trailingSpaces = 0;
    let started = false;
    let multiValued = false;
    const flushBytes = (): void => {
      if (bytes.length > 0) {
        value += Buffer.from(bytes).toString('utf8');
        bytes.length = 0;
      }
    };
    while (i < text.length) {
      const ch = text[i] as string;
      if (ch === ',' || ch === ';') break;
      if (ch === '+') {
        multiValued = true;
        break;
      }
      if (ch === '\\') {
        const pair = text.slice(i + 1, i + 3);
        if (HEX_PAIR.test(pair)) {
          bytes.push(Number.parseInt(pair, 16));
          i += 3;
        } else if (i + 1 < text.length) {
          flushBytes();
          value += text[i + 1];
          i += 2;
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
    if (trailingSpaces > 0) value = value.slice(0, value.length - trailingSpaces);
    rdns.push({ type, value });
    if (multiValued) {
      // Skip the remaining AVAs of a multi-valued RDN; AD does not create them.
      while (i < text.length && text[i] !== ',' && text[i] !== ';') i += text[i] === '\\' ? 2 : 1;
    }
    i++;
  }
  return rdns;
}

const ESCAPE_IN_VALUE = /[,+"\\<>;=\r\n]/g;

function escapeValue(value: string): string {
  let escaped = value.replace(ESCAPE_IN_VALUE, (c) => `\\${c}`);
  if (escaped.startsWith(' ') || escaped.startsWith('#')) escaped = `\\${escaped}`;
  if (escaped.endsWith(' ') && !escaped.endsWith('\\ ')) escaped = `${escaped.slice(0, -1)}\\ `;
  return escaped;
}

/** Formats RDNs back into a DN string with RFC 4514 escaping. */
export function formatDn(rdns: readonly Rdn[]): string {
  return rdns.map((r) => `${r.type.toUpperCase()}=${escapeValue(r.value)}`).join(',');
}

/**
 * Canonical comparison key: two DNs that AD considers the same yield the same key.
 * Keys are only for comparing and indexing; show users the original DN.
 */
export function dnKey(dn: string): string {
  if (!/[\\"+]/.test(dn)) {
    // Fast path: no escapes, so only spaces around separators and case can differ.
    let key = '';
    for (const part of dn.split(',')) {
      const eq = part.indexOf('=');
      if (eq <= 0) return parseDnKey(dn);
      key += (key === '' ? '' : ',') + part.slice(0, eq).trim() + '=' + part.slice(eq + 1).trim();
    }
    return key.toLowerCase();
  }
  return parseDnKey(dn);
}

// Only what the fast path cannot contain unescaped is escaped, so both paths agree on every DN.
const ESCAPE_IN_KEY = /[,+\\]/g;

function parseDnKey(dn: string): string {
  return parseDn(dn)
    .map((r) => {
      let value = r.value.toLowerCase().replace(ESCAPE_IN_KEY, (c) => `\\${c}`);
      if (value.startsWith(' ')) value = `\\${value}`;
      if (value.endsWith(' ')) value = `${value.slice(0, -1)}\\ `;
      return `${r.type}=${value}`;
    })
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
  return (
    key.length > ancestorKey.length &&
    key.endsWith(ancestorKey) &&
    key.charCodeAt(key.length - ancestorKey.length - 1) === 0x2c &&
    key.charCodeAt(key.length - ancestorKey.length - 2) !== 0x5c
  );
}

/** The RDN attribute value of a DN's leaf ("CN=Alice,OU=x" gives "Alice"). */
export function leafValue(dn: string): string {
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
  let cursor = key.length;
  while (cursor > 0) {
    const comma = key.lastIndexOf(',', cursor - 1);
    const rdn = key.slice(comma + 1, cursor);
    if (!rdn.startsWith('dc=')) break;
    start = comma + 1;
    cursor = comma;
    if (comma < 0) break;
  }
  return key.slice(start);
}
