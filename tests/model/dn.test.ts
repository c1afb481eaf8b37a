import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  DnSyntaxError,
  type Rdn,
  dnKey,
  dnToDnsName,
  domainComponentSuffix,
  formatDn,
  isAtOrBelow,
  leafValue,
  parentDn,
  parentKey,
  parseDn,
} from '../../src/model/dn.js';

describe('parseDn', () => {
  it('splits a DN into RDNs, leaf first, types lower-cased, values as written', () => {
    expect(parseDn('CN=Alice Smith,OU=Sales,DC=corp,DC=com')).toEqual([
      { type: 'cn', value: 'Alice Smith' },
      { type: 'ou', value: 'Sales' },
      { type: 'dc', value: 'corp' },
      { type: 'dc', value: 'com' },
    ]);
    expect(parseDn('')).toEqual([]);
    expect(parseDn('   ')).toEqual([]);
  });

  it('resolves escaped special characters and hex escapes (UTF-8 bytes)', () => {
    expect(parseDn('CN=Smith\\, John,OU=a\\+b\\=c\\<\\>\\;\\"\\\\,DC=x')).toEqual([
      { type: 'cn', value: 'Smith, John' },
      { type: 'ou', value: 'a+b=c<>;"\\' },
      { type: 'dc', value: 'x' },
    ]);
    expect(parseDn('CN=Jos\\C3\\A9 M\\c3\\bcller,DC=x')[0]).toEqual({ type: 'cn', value: 'José Müller' });
    expect(parseDn('CN=\\2C\\2b,DC=x')[0]).toEqual({ type: 'cn', value: ',+' });
    // An AD conflict name: the escaped line feed "\0A" followed by CNF:<guid>.
    expect(parseDn('CN=Bob\\0ACNF:0b8e2f5c-1d2e-4f3a-9b8c-7d6e5f4a3b2c,OU=x,DC=y')[0]?.value).toBe('Bob\nCNF:0b8e2f5c-1d2e-4f3a-9b8c-7d6e5f4a3b2c');
  });

  it('drops unescaped spaces around types, values and separators, keeps escaped ones', () => {
    expect(parseDn(' CN = Alice , OU = Sales ')).toEqual([
      { type: 'cn', value: 'Alice' },
      { type: 'ou', value: 'Sales' },
    ]);
    expect(parseDn('CN=\\ Alice\\ ,DC=x')[0]?.value).toBe(' Alice ');
    expect(parseDn('CN=\\20Alice\\20 ,DC=x')[0]?.value).toBe(' Alice ');
    expect(parseDn('CN=a  b,DC=x')[0]?.value).toBe('a  b');
  });

  it('keeps every pair of a multi-valued RDN', () => {
    expect(parseDn('CN=a+SN=b,DC=x')).toEqual([
      { type: 'cn', value: 'a', more: [{ type: 'sn', value: 'b' }] },
      { type: 'dc', value: 'x' },
    ]);
    expect(parseDn('CN=a\\,+SN=b\\+,DC=x')[0]).toEqual({ type: 'cn', value: 'a,', more: [{ type: 'sn', value: 'b+' }] });
  });

  it.each([
    ['CN=a,,DC=x', /has no attribute type/],
    ['Alice', /has no attribute type/],
    ['=a,DC=x', /has no attribute type/],
    ['CN=a,', /has no attribute type/],
    ['CN=a\\', /lone backslash/],
    ['CN="quoted",DC=x', /unescaped quote/],
    ['${DOMAINDN}', /has no attribute type/],
  ])('rejects %s', (dn, reason) => {
    expect(() => parseDn(dn)).toThrow(DnSyntaxError);
    expect(() => parseDn(dn)).toThrow(reason);
    expect(() => dnKey(dn)).toThrow(DnSyntaxError);
  });
});

describe('formatDn', () => {
  it('escapes what RFC 4514 requires', () => {
    const rdns: Rdn[] = [
      { type: 'cn', value: ' Smith, John #1 ' },
      { type: 'ou', value: '#a+b' },
      { type: 'dc', value: 'x' },
    ];
    expect(formatDn(rdns)).toBe('CN=\\ Smith\\, John #1\\ ,OU=\\#a\\+b,DC=x');
    expect(formatDn([{ type: 'cn', value: 'a', more: [{ type: 'sn', value: 'b' }] }])).toBe('CN=a+SN=b');
  });
});

describe('dnKey', () => {
  it.each([
    ['CN=Alice,OU=Sales,DC=Corp,DC=com', 'cn=alice,ou=sales,dc=corp,dc=com'],
    ['cn=ALICE, ou=SALES ,  dc=corp,dc=COM', 'cn=alice,ou=sales,dc=corp,dc=com'],
    ['CN=Smith\\, John,DC=x', 'cn=smith\\, john,dc=x'],
    ['CN=Smith\\2C John,DC=x', 'cn=smith\\, john,dc=x'],
    ['CN=Jos\\C3\\A9,DC=x', 'cn=josé,dc=x'],
    ['CN=JOSÉ,DC=x', 'cn=josé,dc=x'],
    ['CN=a\\=b,DC=x', 'cn=a=b,dc=x'],
    ['CN=\\ a\\ ,DC=x', 'cn=\\ a\\ ,dc=x'],
    ['CN=back\\\\slash,DC=x', 'cn=back\\\\slash,dc=x'],
    ['SN=b+CN=a,DC=x', 'cn=a+sn=b,dc=x'],
    ['', ''],
  ])('%s → %s', (dn, key) => {
    expect(dnKey(dn)).toBe(key);
  });

  it('gives equal keys to equivalent DNs and different keys to different ones', () => {
    const same = ['CN=Smith\\, John,OU=Sales,DC=corp,DC=com', 'cn=smith\\2c john, ou=sales, dc=CORP, dc=com', 'CN = SMITH\\, JOHN , OU=SALES,DC=corp,DC=com'];
    expect(new Set(same.map(dnKey)).size).toBe(1);
    const different = [
      'CN=Smith\\, John,OU=Sales,DC=corp,DC=com',
      'CN=Smith,CN=John,OU=Sales,DC=corp,DC=com',
      'CN=Smith\\, John ,OU=Sales,DC=corp',
      'CN=a+SN=b,DC=x',
      'CN=a+SN=c,DC=x',
      'CN=a\\+SN=b,DC=x',
    ];
    expect(new Set(different.map(dnKey)).size).toBe(different.length);
  });
});

describe('parentKey, parentDn, isAtOrBelow', () => {
  it('parentKey skips escaped commas', () => {
    expect(parentKey(dnKey('CN=Smith\\, John,OU=Sales,DC=x'))).toBe('ou=sales,dc=x');
    expect(parentKey(dnKey('CN=back\\\\,OU=Sales,DC=x'))).toBe('ou=sales,dc=x');
    expect(parentKey('dc=x')).toBe('');
    expect(parentKey('')).toBe('');
  });

  it('parentDn keeps the parent as written', () => {
    expect(parentDn('CN=Smith\\, John, OU=Sales,DC=Corp')).toBe('OU=Sales,DC=Corp');
    expect(parentDn('DC=com')).toBe('');
  });

  it('isAtOrBelow matches whole RDNs only', () => {
    const ou = dnKey('OU=Sales,DC=corp,DC=com');
    expect(isAtOrBelow(dnKey('CN=a,OU=Sales,DC=corp,DC=com'), ou)).toBe(true);
    expect(isAtOrBelow(dnKey('CN=a,OU=x,OU=Sales,DC=corp,DC=com'), ou)).toBe(true);
    expect(isAtOrBelow(ou, ou)).toBe(true);
    expect(isAtOrBelow(dnKey('OU=PreSales,DC=corp,DC=com'), ou)).toBe(false);
    expect(isAtOrBelow(dnKey('CN=a\\,OU=Sales,DC=corp,DC=com'), ou)).toBe(false);
    expect(isAtOrBelow(dnKey('CN=a\\\\,OU=Sales,DC=corp,DC=com'), ou)).toBe(true);
    expect(isAtOrBelow(dnKey('DC=corp,DC=com'), ou)).toBe(false);
    expect(isAtOrBelow('anything', '')).toBe(true);
  });
});

describe('names', () => {
  it('leafValue, dnToDnsName', () => {
    expect(leafValue('CN=Smith\\, John,DC=x')).toBe('Smith, John');
    expect(leafValue('')).toBe('');
    expect(dnToDnsName('DC=Corp,DC=Example,DC=com')).toBe('corp.example.com');
    expect(dnToDnsName('CN=x,OU=y,DC=corp,DC=com')).toBe('corp.com');
  });

  it('domainComponentSuffix takes the trailing DC= run of a key', () => {
    expect(domainComponentSuffix('cn=a,ou=b,dc=corp,dc=com')).toBe('dc=corp,dc=com');
    expect(domainComponentSuffix('dc=corp,dc=com')).toBe('dc=corp,dc=com');
    expect(domainComponentSuffix('dc=a,ou=b,dc=com')).toBe('dc=com');
    expect(domainComponentSuffix('cn=schema,cn=configuration')).toBe('');
    expect(domainComponentSuffix('')).toBe('');
    // "ou=x\,dc=y" is one RDN whose value contains a comma.
    expect(domainComponentSuffix(dnKey('OU=x\\,DC=y,DC=com'))).toBe('dc=com');
  });
});

describe('properties', () => {
  // Values drawn from characters that matter to DN syntax, plus letters and non-ASCII.
  const valueChar = fc.constantFrom('a', 'B', 'é', 'Ü', '日', ' ', ',', '+', '=', '\\', '"', '#', ';', '<', '>', '\n', '\t', '1');
  const value = fc.array(valueChar, { minLength: 1, maxLength: 8 }).map((chars) => chars.join(''));
  const type = fc.constantFrom('cn', 'ou', 'dc', 'CN', 'Ou', 'uid');
  const rdn: fc.Arbitrary<Rdn> = fc.record({ type, value }).map((r) => ({ type: r.type.toLowerCase(), value: r.value }));
  const rdns = fc.array(rdn, { minLength: 1, maxLength: 5 });
  const plainValue = fc
    .array(fc.constantFrom('a', 'B', 'é', 'Ü', '日', ' ', '=', '#', ';', '<', '>', '1'), { minLength: 1, maxLength: 8 })
    .map((chars) => chars.join(''))
    .filter((v) => v.trim() !== '');

  it('formatDn and parseDn round-trip', () => {
    fc.assert(
      fc.property(rdns, (list) => {
        expect(parseDn(formatDn(list))).toEqual(list);
      }),
    );
  });

  it('the fast path and the escaped path of dnKey agree', () => {
    // A DN without escapes takes the fast path; the same DN with one character hex-escaped takes the full parser.
    fc.assert(
      fc.property(
        fc.array(fc.record({ type, value: plainValue, spaces: fc.constantFrom('', ' ', '  ') }), { minLength: 1, maxLength: 5 }),
        fc.nat(),
        (parts, pick) => {
          const plainDn = parts.map((p) => `${p.spaces}${p.type}${p.spaces}=${p.spaces}${p.value}${p.spaces}`).join(',');
          const target = parts[pick % parts.length]!;
          const trimmed = target.value.trim();
          const escapedFirst = `\\${Buffer.from(trimmed[0]!, 'utf8')
            .toString('hex')
            .replace(/(..)(?!$)/g, '$1\\')}${trimmed.slice(1)}`;
          const escapedDn = parts.map((p) => `${p.type}=${p === target ? escapedFirst : p.value.trim()}`).join(',');
          expect(dnKey(escapedDn)).toBe(dnKey(plainDn));
        },
      ),
    );
  });

  it('case never changes a key', () => {
    fc.assert(
      fc.property(rdns, (list) => {
        const dn = formatDn(list);
        expect(dnKey(dn.toUpperCase())).toBe(dnKey(dn));
        expect(dnKey(dn.toLowerCase())).toBe(dnKey(dn));
      }),
    );
  });

  it('parentKey and isAtOrBelow agree with the RDN structure', () => {
    fc.assert(
      fc.property(rdns, (list) => {
        const key = dnKey(formatDn(list));
        const parent = dnKey(formatDn(list.slice(1)));
        expect(parentKey(key)).toBe(parent);
        for (let i = 0; i <= list.length; i++) expect(isAtOrBelow(key, dnKey(formatDn(list.slice(i))))).toBe(true);
        if (list.length > 1) expect(isAtOrBelow(parent, key)).toBe(false);
      }),
    );
  });
});
