import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatDn } from '../../src/model/dn.js';
import { isBinaryAttribute } from '../../src/model/binary-attributes.js';
import { Entry } from '../../src/model/entry.js';
import { parse, plain } from './parse.js';

/**
 * Property: whatever an LDIF writer is allowed to do (fold anywhere, even inside a UTF-8 character,
 * base64 any value, CRLF or LF, comments anywhere between lines, several blank lines, any case in
 * attribute names), the parser gives back exactly the entries that were written.
 */
interface Written {
  dn: string;
  attributes: [string, (string | Buffer)[]][];
}

interface Style {
  eol: '\n' | '\r\n';
  width: number;
  base64Everything: boolean;
  /** ldbsearch writes UTF-8 unencoded; ldifde and ldapsearch use base64 for it. */
  rawUtf8: boolean;
  comments: boolean;
  blankLines: number;
}

const text = fc.string({ unit: fc.constantFrom('a', 'Z', ' ', ':', '<', '#', '=', ',', 'é', '日', '😀', '\r', '\n', '-', '9'), maxLength: 12 });
const safeStart = /^[^ :<]/;

function needsBase64(value: string, style: Style): boolean {
  if (value === '') return false;
  if (!safeStart.test(value) || /[\r\n\0]/.test(value) || value.endsWith(' ')) return true;
  return /[^\x00-\x7f]/.test(value) && !style.rawUtf8;
}

/** Folds one logical line at byte positions, as the LDAP tools do. */
function fold(line: Buffer, width: number, eol: string): Buffer[] {
  const out: Buffer[] = [line.subarray(0, width)];
  for (let at = width; at < line.length; at += width - 1) out.push(Buffer.from(eol), Buffer.from(' '), line.subarray(at, at + width - 1));
  out.push(Buffer.from(eol));
  return out;
}

function write(entries: Written[], style: Style, caseOf: (name: string, i: number) => string): Buffer {
  const parts: Buffer[] = [];
  const line = (name: string, value: string | Buffer, forceBase64: boolean): void => {
    const base64 = Buffer.isBuffer(value) || style.base64Everything || forceBase64 || needsBase64(value, style);
    const encoded = base64 ? `${name}:: ${Buffer.from(value).toString('base64')}` : `${name}: ${value}`;
    parts.push(...fold(Buffer.from(encoded, 'utf8'), style.width, style.eol));
    if (style.comments) parts.push(Buffer.from(`# comment${style.eol} folded${style.eol}`));
  };
  parts.push(Buffer.from(`version: 1${style.eol}${style.eol.repeat(style.blankLines)}`));
  entries.forEach((entry, i) => {
    line('dn', entry.dn, false);
    for (const [name, values] of entry.attributes) for (const value of values) line(caseOf(name, i), value, false);
    parts.push(Buffer.from(style.eol.repeat(style.blankLines)));
  });
  return Buffer.concat(parts);
}

const rdn = fc.record({ type: fc.constantFrom('cn', 'ou', 'dc'), value: text.filter((v) => v.trim() !== '') });
const attribute = fc.tuple(
  fc.constantFrom('cn', 'description', 'displayName', 'info', 'objectGUID', 'userCertificate', 'proxyAddresses'),
  fc.array(
    fc.oneof(
      text,
      fc.uint8Array({ maxLength: 40 }).map((b) => Buffer.from(b)),
    ),
    { minLength: 1, maxLength: 3 },
  ),
);
const entry: fc.Arbitrary<Written> = fc
  // RFC 2849 gives every content record at least one attribute.
  .record({
    rdns: fc.array(rdn, { minLength: 1, maxLength: 4 }),
    attributes: fc.uniqueArray(attribute, { selector: ([name]) => name, minLength: 1, maxLength: 5 }),
  })
  .map(({ rdns, attributes }) => ({
    dn: formatDn(rdns),
    // Binary attributes hold bytes, text attributes text, as the model promises; a GUID is 16 bytes.
    attributes: attributes.map(([name, values]) => [
      name,
      values.map((v) =>
        name === 'objectGUID' ? guid(v) : isBinaryAttribute(name.toLowerCase()) ? Buffer.from(v) : typeof v === 'string' ? v : v.toString('hex'),
      ),
    ]),
  }));

function guid(seed: string | Buffer): Buffer {
  const bytes = Buffer.alloc(16);
  Buffer.from(seed).copy(bytes);
  return bytes;
}
const style: fc.Arbitrary<Style> = fc.record({
  eol: fc.constantFrom('\n' as const, '\r\n' as const),
  width: fc.integer({ min: 2, max: 80 }),
  base64Everything: fc.boolean(),
  rawUtf8: fc.boolean(),
  comments: fc.boolean(),
  blankLines: fc.integer({ min: 1, max: 3 }),
});

describe('LDIF round trip', () => {
  it('gives back exactly the entries written, in any legal style, read in any chunk size', () => {
    fc.assert(
      fc.property(fc.array(entry, { minLength: 1, maxLength: 4 }), style, fc.integer({ min: 1, max: 64 }), fc.boolean(), (entries, s, chunk, upper) => {
        const bytes = write(entries, s, (name, i) => (upper && i % 2 === 0 ? name.toUpperCase() : name));
        const { entries: read, problems } = parse(bytes, chunk);
        expect(problems).toEqual([]);
        expect(read.map(plain)).toEqual(entries.map((e) => plain(new Entry(e.dn, new Map(e.attributes.map(([n, v]) => [n.toLowerCase(), v]))))));
      }),
      { numRuns: 300 },
    );
  });
});
