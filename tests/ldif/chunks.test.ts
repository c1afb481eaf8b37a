import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { crlf, parse, plain } from './parse.js';

const ROOT = join(import.meta.dirname, '..', '..');
const REALDATA = join(ROOT, '..', 'shared', 'realdata');

/** Inputs with every awkward spot a chunk boundary can cut: CRLF pairs, folds, multi-byte characters, BOM, base64. */
const AWKWARD = Buffer.concat([
  Buffer.from(crlf('\uFEFFversion: 1\n# comment with Windows-1252 byte ')),
  Buffer.from([0x92]),
  Buffer.from(crlf('\n  folded comment\n\ndn: CN=Zoë,DC=x\ncn: Jos')),
  Buffer.from([0xc3]),
  Buffer.from(crlf('\n ')),
  Buffer.from([0xa9]),
  Buffer.from(
    crlf(
      '\nobjectGUID:: AAECAwQF\n BgcICQoLDA0ODw==\nmember;range=0-0: CN=1\n\n\ndn: cn=zoë,dc=X\nmember;range=1-*: CN=2\n\ndn: CN=Bad\nno colon here\n\ndn: CN=Last,DC=x\ncn: last',
    ),
  ),
]);

const FILES: [string, Buffer][] = [
  ['awkward inline input', AWKWARD],
  ['fixtures/ldif/ldifde-small-domain.ldf', readFileSync(join(ROOT, 'fixtures', 'ldif', 'ldifde-small-domain.ldf'))],
  ['fixtures/ldif/ldapsearch-small-domain.ldif', readFileSync(join(ROOT, 'fixtures', 'ldif', 'ldapsearch-small-domain.ldif'))],
];
const realFile = join(REALDATA, 'samba_ldif-utils-test-multisite.ldif');
if (existsSync(realFile)) FILES.push(['realdata multisite ldbsearch output', readFileSync(realFile)]);

describe('chunk boundaries', () => {
  it.each(FILES)('%s parses the same whether fed whole or in chunks of 1, 2, 3, 7, 64 or 4096 bytes', (_, bytes) => {
    const whole = parse(bytes);
    expect(whole.entries.length).toBeGreaterThan(1);
    const expected = { entries: whole.entries.map(plain), problems: whole.problems };
    for (const size of [1, 2, 3, 7, 64, 4096]) {
      const chunked = parse(bytes, size);
      expect({ entries: chunked.entries.map(plain), problems: chunked.problems }, `chunks of ${size} bytes`).toEqual(expected);
    }
  });

  it('the awkward input reads as intended', () => {
    const { entries, errors, warnings } = parse(AWKWARD, 1);
    expect(warnings.map((w) => w.location)).toEqual([]);
    // The last line has no end: the file was cut short.
    expect(errors.map((e) => e.location)).toEqual(['line 17 (CN=Bad)', 'line 20']);
    expect(entries.map(plain)).toEqual([
      {
        dn: 'CN=Zoë,DC=x',
        attributes: { cn: ['José'], objectguid: ['hex:000102030405060708090a0b0c0d0e0f'], member: ['CN=1', 'CN=2'] },
        ranged: { member: 'complete' },
      },
      { dn: 'CN=Last,DC=x', attributes: { cn: ['last'] }, ranged: {} },
    ]);
  });
});
