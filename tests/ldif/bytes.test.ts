import { describe, expect, it } from 'vitest';
import { parse, plain } from './parse.js';

// The reader looks attribute names up by their bytes and slices ASCII chunks' values without checking each;
// these cases would read wrong if either shortcut leaked from one line or chunk into another.
describe('the byte-level reader', () => {
  it('reads every name of a file with more distinct attribute names than it remembers, in any case', () => {
    const names = Array.from({ length: 5000 }, (_, i) => `extAttr${i}`);
    const ldif = `dn: CN=a,DC=x\n${names.map((n, i) => `${n}: ${i}\n${n.toUpperCase()}: again\n`).join('')}\n`;
    const { entries, problems } = parse(ldif);
    expect(problems).toEqual([]);
    const attributes = plain(entries[0]!).attributes;
    expect(Object.keys(attributes)).toHaveLength(5000);
    expect(attributes['extattr4999']).toEqual(['4999', 'again']);
  });

  it('checks values for NUL and UTF-8 in a chunk that holds them, and not in the ASCII chunks around it', () => {
    const ascii = (n: number): string => `dn: CN=u${n},DC=x\ncn: u${n}\n\n`;
    const bytes = Buffer.concat([
      Buffer.from(ascii(1).repeat(1) + 'dn: CN=bad,DC=x\ncn: a'),
      Buffer.from([0x00]),
      Buffer.from('b\n\ndn: CN=latin,DC=x\ncn: '),
      Buffer.from([0xe9]),
      Buffer.from(`\n\ndn: CN=zoe,DC=x\ncn: Zo\u00eb\n\n${ascii(2)}`),
    ]);
    for (const chunk of [Number.POSITIVE_INFINITY, 16, 5]) {
      const { entries, errors, warnings } = parse(bytes, chunk);
      expect(entries.map((e) => [e.dn, e.text('cn')])).toEqual([
        ['CN=u1,DC=x', 'u1'],
        ['CN=latin,DC=x', '\ufffd'],
        ['CN=zoe,DC=x', 'Zo\u00eb'],
        ['CN=u2,DC=x', 'u2'],
      ]);
      expect(errors.map((e) => e.location)).toEqual(['line 5 (CN=bad,DC=x)']);
      expect(warnings.map((w) => w.message)).toEqual(['the value of "cn" has bytes that are not UTF-8; they were replaced with U+FFFD']);
    }
  });

  it('decodes a base64 value of several MiB window by window, and refuses it whole when any window is not base64', () => {
    const photo = Buffer.alloc(3 * (1 << 20) + 2, 0);
    for (let i = 0; i < photo.length; i++) photo[i] = (i * 7919) % 251;
    const encoded = photo.toString('base64');
    const record = (value: string): string => `dn: CN=a,DC=x\nthumbnailPhoto:: ${value}  \n\n`;
    const whole = parse(record(encoded), 65_536);
    expect(whole.problems).toEqual([]);
    expect(whole.entries[0]!.bytes('thumbnailphoto')?.equals(photo)).toBe(true);
    const middle = encoded.length / 2;
    for (const broken of [`${encoded.slice(0, middle)}*${encoded.slice(middle + 1)}`, `${encoded.slice(0, 1 << 20)}=${encoded.slice((1 << 20) + 1)}`]) {
      const { entries, errors } = parse(record(broken));
      expect(entries).toEqual([]);
      expect(errors.map((e) => e.message)).toEqual(['the base64 value of "thumbnailphoto" is not valid base64; the record starting at line 1 was not read']);
    }
    expect(parse(record(encoded.slice(1))).errors[0]?.message).toContain('its length is not a multiple of 4');
  });
});
