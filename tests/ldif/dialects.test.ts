import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { groupSize } from '../../src/inventory/builder.js';
import { crlf, parse, plain } from './parse.js';

const FIXTURES = join(import.meta.dirname, '..', '..', 'fixtures', 'ldif');
const LDIFDE = readFileSync(join(FIXTURES, 'ldifde-small-domain.ldf'));
const LDAPSEARCH = readFileSync(join(FIXTURES, 'ldapsearch-small-domain.ldif'));
const GUID = 'hex:cd8087f27ac8714a9f4c15d66464bab8';

function withoutRanges(entry: ReturnType<typeof plain>): Omit<ReturnType<typeof plain>, 'ranged'> {
  return { dn: entry.dn, attributes: entry.attributes };
}

describe('the same small domain exported by ldifde and by ldapsearch', () => {
  const ldifde = parse(LDIFDE);
  const ldapsearch = parse(LDAPSEARCH);

  it('parses both files without problems', () => {
    expect(ldifde.problems).toEqual([]);
    expect(ldapsearch.problems).toEqual([]);
    expect(ldifde.entries).toHaveLength(11);
  });

  it('yields the same entries from both dialects', () => {
    // ldifde spreads large groups over several records; once merged nothing else may differ.
    expect(ldifde.entries.map((e) => withoutRanges(plain(e)))).toEqual(ldapsearch.entries.map((e) => withoutRanges(plain(e))));
  });

  it('decodes names, binaries and folded values', () => {
    const zoe = ldapsearch.entries.find((e) => e.text('cn') === 'Zoë Ångström');
    expect(zoe?.dn).toBe('CN=Zoë Ångström,OU=Staff,DC=corp,DC=example,DC=com');
    expect(zoe?.text('displayname')).toBe('Zoë Ångström – 日本');
    expect(zoe?.text('description')).toBe('A description long enough that both tools have to fold it over more than one line of the file.');
    expect(plain(zoe!).attributes.objectguid).toEqual([GUID]);
    expect(zoe?.bytes('objectsid')?.toString('hex')).toBe('010500000000000515000000010000000200000003000000' + '51040000');
    expect(zoe?.bytes('ms-ds-consistencyguid')?.length).toBe(16);
    const ws = ldifde.entries.find((e) => e.text('cn') === 'WS01');
    expect(ws?.kind).toBe('computer');
    expect(ws?.bytes('usercertificate')).toEqual(Buffer.from([...Array(512).keys()].map((i) => i % 256)));
  });
});

describe('ldifde dialect', () => {
  it('reads "changetype: add" records with CRLF line ends', () => {
    const { entries, problems } = parse(crlf('dn: CN=A,DC=x\nchangetype: add\nobjectClass: user\n\ndn: CN=B,DC=x\nchangetype: Add\ncn: B\n'));
    expect(problems).toEqual([]);
    expect(entries.map(plain)).toEqual([
      { dn: 'CN=A,DC=x', attributes: { objectclass: ['user'] }, ranged: {} },
      { dn: 'CN=B,DC=x', attributes: { cn: ['B'] }, ranged: {} },
    ]);
  });

  it.each([
    ['objectGUID', 'objectguid'],
    ['objectSid', 'objectsid'],
    ['mS-DS-ConsistencyGuid', 'ms-ds-consistencyguid'],
    ['userCertificate', 'usercertificate'],
  ])('reads base64 %s as bytes, also written with the ";binary" option', (name, lower) => {
    // A GUID, and for objectSid S-1-5-21-1-2: each attribute gets a value its syntax allows.
    const value = lower === 'objectsid' ? 'AQMAAAAAAAUVAAAAAQAAAAIAAAA=' : '3+PNDj2R70WAFZ4O715TJA==';
    for (const attribute of [name, `${name};binary`, `${name.toUpperCase()};Binary`]) {
      const { entries, problems } = parse(crlf(`dn: CN=A,DC=x\nchangetype: add\n${attribute}:: ${value}\n`));
      expect(problems).toEqual([]);
      expect(plain(entries[0]!).attributes).toEqual({ [lower]: [`hex:${Buffer.from(value, 'base64').toString('hex')}`] });
    }
  });

  it('reads a binary attribute whose bytes happen to be printable (no base64) as those bytes', () => {
    const { entries } = parse('dn: CN=A,DC=x\nobjectGUID: ABCDEFGHIJKLMNOP\n');
    expect(plain(entries[0]!).attributes.objectguid).toEqual([`hex:${Buffer.from('ABCDEFGHIJKLMNOP').toString('hex')}`]);
  });

  it('keeps other attribute options in the name', () => {
    const { entries } = parse('dn: CN=A,DC=x\ndescription;lang-de: Beschreibung\n');
    expect(plain(entries[0]!).attributes).toEqual({ 'description;lang-de': ['Beschreibung'] });
  });

  describe('ranged values', () => {
    const members = (from: number, to: number, range: string): string =>
      Array.from({ length: to - from }, (_, i) => `member;range=${range}: CN=U${from + i},DC=x\n`).join('');

    it('merges range windows within one record into one complete attribute', () => {
      const { entries, problems } = parse(crlf(`dn: CN=G,DC=x\nobjectClass: group\n${members(0, 1500, '0-1499')}${members(1500, 1600, '1500-*')}`));
      expect(problems).toEqual([]);
      const group = entries[0]!;
      expect(group.values('member')).toHaveLength(1600);
      expect(group.text('member')).toBe('CN=U0,DC=x');
      expect(group.texts('member')[1599]).toBe('CN=U1599,DC=x');
      expect(group.ranged.get('member')).toBe('complete');
      expect(groupSize(group)).toEqual({ dn: 'CN=G,DC=x', members: 1600, completeness: 'exact' });
    });

    it('merges range windows split over consecutive records of the same DN (written in any case)', () => {
      const input = `dn: CN=G,DC=x\nchangetype: add\nobjectClass: group\n${members(0, 1500, '0-1499')}\ndn: cn=g, dc=X\nchangetype: add\n${members(1500, 3000, '1500-2999')}\ndn: CN=G,DC=x\nchangetype: add\n${members(3000, 3001, '3000-*')}\ndn: CN=Next,DC=x\ncn: Next\n`;
      const { entries, problems } = parse(crlf(input));
      expect(problems).toEqual([]);
      expect(entries.map((e) => e.dn)).toEqual(['CN=G,DC=x', 'CN=Next,DC=x']);
      expect(entries[0]!.values('member')).toHaveLength(3001);
      expect(entries[0]!.texts('objectclass')).toEqual(['group']);
      expect(groupSize(entries[0]!).completeness).toBe('exact');
    });

    it('reads an empty last window ("member;range=1500-*" with no value left)', () => {
      const { entries, problems } = parse(`dn: CN=G,DC=x\nobjectClass: group\n${members(0, 1500, '0-1499')}\ndn: CN=G,DC=x\nmember;range=1500-*:\n`);
      expect(problems).toEqual([]);
      expect(entries[0]!.ranged.get('member')).toBe('complete');
    });

    it('does not merge records of different DNs, or records without range windows', () => {
      const { entries } = parse(`dn: CN=G,DC=x\n${members(0, 2, '0-1')}\ndn: CN=H,DC=x\n${members(2, 3, '2-*')}\ndn: CN=H,DC=x\ncn: H\n`);
      expect(entries.map((e) => e.dn)).toEqual(['CN=G,DC=x', 'CN=H,DC=x', 'CN=H,DC=x']);
    });

    it('warns about a gap between windows and marks the attribute truncated', () => {
      const { entries, errors, warnings } = parse(`dn: CN=G,DC=x\nobjectClass: group\n${members(0, 1500, '0-1499')}${members(3000, 3010, '3000-*')}`);
      expect(errors).toEqual([]);
      expect(warnings).toHaveLength(1);
      expect(warnings[0]!.location).toBe('line 1503 (CN=G,DC=x)');
      expect(warnings[0]!.message).toContain('does not continue from value 1500');
      expect(entries[0]!.ranged.get('member')).toBe('incomplete');
      expect(groupSize(entries[0]!)).toMatchObject({ members: 1510, completeness: 'truncated' });
    });

    it('marks an attribute whose last window does not end in "*" truncated', () => {
      const { entries } = parse(`dn: CN=G,DC=x\nobjectClass: group\n${members(0, 1500, '0-1499')}\ndn: CN=Other,DC=x\ncn: Other\n`);
      expect(entries[0]!.ranged.get('member')).toBe('incomplete');
      expect(groupSize(entries[0]!).completeness).toBe('truncated');
    });

    it('warns when a window holds fewer values than its bounds promise', () => {
      const { entries, warnings } = parse(`dn: CN=G,DC=x\nobjectClass: group\n${members(0, 1499, '0-1499')}${members(1500, 1501, '1500-*')}`);
      expect(warnings).toHaveLength(1);
      expect(warnings[0]!.message).toContain('range=0-1499');
      expect(groupSize(entries[0]!).completeness).toBe('truncated');
    });
  });

  describe('"changetype: modify" records that ldifde writes after a large group', () => {
    const addRecord = (count: number): string =>
      `dn: CN=G,DC=x\nchangetype: add\nobjectClass: group\n${Array.from({ length: count }, (_, i) => `member: CN=U${i},DC=x\n`).join('')}`;
    const modifyRecord = (from: number, to: number, dn = 'CN=G,DC=x'): string =>
      `dn: ${dn}\nchangetype: modify\n${Array.from({ length: to - from }, (_, i) => `add: member\nmember: CN=U${from + i},DC=x\n-\n`).join('')}`;

    it('adds their values to the record just before', () => {
      const { entries, problems } = parse(
        crlf(`${addRecord(1500)}\n${modifyRecord(1500, 3000)}\n${modifyRecord(3000, 3002, 'cn=g,dc=x')}\ndn: CN=Next,DC=x\ncn: N\n`),
      );
      expect(problems).toEqual([]);
      expect(entries.map((e) => e.dn)).toEqual(['CN=G,DC=x', 'CN=Next,DC=x']);
      expect(entries[0]!.values('member')).toHaveLength(3002);
      expect(new Set(entries[0]!.texts('member')).size).toBe(3002);
      expect(groupSize(entries[0]!)).toMatchObject({ members: 3002, completeness: 'exact' });
    });

    it('reads one "add:" operation with several values', () => {
      const { entries, problems } = parse(`${addRecord(1)}\ndn: CN=G,DC=x\nchangetype: modify\nadd: member\nmember: CN=U1,DC=x\nmember: CN=U2,DC=x\n-\n`);
      expect(problems).toEqual([]);
      expect(entries[0]!.values('member')).toHaveLength(3);
    });

    it('reports a modify record that does not follow its object', () => {
      const { entries, errors } = parse(`${addRecord(2)}\ndn: CN=Other,DC=x\ncn: Other\n\n${modifyRecord(2, 3)}`);
      expect(entries.map((e) => e.dn)).toEqual(['CN=G,DC=x', 'CN=Other,DC=x']);
      expect(entries[0]!.values('member')).toHaveLength(2);
      expect(errors).toHaveLength(1);
      expect(errors[0]).toMatchObject({ location: 'line 10 (CN=G,DC=x)', affectsDn: 'CN=G,DC=x' });
    });

    it('reports a value of another attribute inside an "add:" operation', () => {
      const { errors } = parse(`${addRecord(1)}\ndn: CN=G,DC=x\nchangetype: modify\nadd: member\ndescription: x\n-\n`);
      expect(errors[0]!.message).toContain('inside "add: member"');
    });
  });
});

describe('ldapsearch dialect', () => {
  const header = '# extended LDIF\n#\n# LDAPv3\n# base <DC=x> with scope subtree\n# filter: (objectclass=*)\n# requesting: ALL\n#\n\n';

  it('skips the header, "# search result", "search:", "result: 0 Success" and "# numEntries" trailers', () => {
    const { entries, problems } = parse(
      `${header}# A, x\ndn: CN=A,DC=x\ncn: A\n\n# search result\nsearch: 2\nresult: 0 Success\n\n# numResponses: 2\n# numEntries: 1\n`,
    );
    expect(problems).toEqual([]);
    expect(entries.map(plain)).toEqual([{ dn: 'CN=A,DC=x', attributes: { cn: ['A'] }, ranged: {} }]);
  });

  it('reads every page of a paged export', () => {
    const page = (n: number): string => `dn: CN=${n},DC=x\ncn: ${n}\n\n`;
    const pageEnd =
      '# search result\nsearch: 2\nresult: 0 Success\ncontrol: 1.2.840.113556.1.4.319 false MBECAQAEDAYAAAAAAAAAAAAAAA==\n# pagedresults: cookie=BgAAAAAAAAAAAAAA\n\n';
    const { entries, problems } = parse(`${header}${page(1)}${page(2)}${pageEnd}${page(3)}# search result\nsearch: 3\nresult: 0 Success\n\n# numEntries: 3\n`);
    expect(problems).toEqual([]);
    expect(entries.map((e) => e.dn)).toEqual(['CN=1,DC=x', 'CN=2,DC=x', 'CN=3,DC=x']);
  });

  it('skips search references ("ref:" lines, folded or several)', () => {
    const { entries, problems } = parse(
      `${header}# search reference\nref: ldap://ForestDnsZones.x/DC=ForestDnsZones,\n DC=x\nref: ldap://DomainDnsZones.x/DC=DomainDnsZones,DC=x\n\ndn: CN=A,DC=x\ncn: A\n\n# search reference\nref: ldap://x/CN=Configuration,DC=x\n\n# search result\nsearch: 2\nresult: 0 Success\n`,
    );
    expect(problems).toEqual([]);
    expect(entries.map((e) => e.dn)).toEqual(['CN=A,DC=x']);
  });

  it.each([
    ['4 Size limit exceeded', 'result: 4 Size limit exceeded'],
    ['3 Time limit exceeded', 'result: 3 Time limit exceeded'],
    [
      '11 Administrative limit exceeded',
      'result: 11 Administrative limit exceeded\ntext: 00002024: SvcErr: DSID-02170B0E, problem 5008 (ADMIN_LIMIT_EXCEEDED)',
    ],
  ])('reports "result: %s" as an error that makes the scan incomplete, keeping the entries read', (_, result) => {
    const { entries, errors } = parse(`${header}dn: CN=A,DC=x\ncn: A\n\n# search result\nsearch: 2\n${result}\n\n# numEntries: 1\n`);
    expect(entries.map((e) => e.dn)).toEqual(['CN=A,DC=x']);
    expect(errors).toHaveLength(1);
    expect(errors[0]!.location).toBe('line 14');
    expect(errors[0]!.message).toContain('incomplete');
    expect(errors[0]!.hint).toContain('paging');
  });

  it('reports an export that ends without its closing "result:" line as cut short', () => {
    const cut = parse(`${header}dn: CN=A,DC=x\ncn: A\n\ndn: CN=B,DC=x\ncn: B\n\n`);
    expect(cut.entries).toHaveLength(2);
    expect(cut.errors).toEqual([expect.objectContaining({ location: 'line 14', message: expect.stringContaining('cut short') })]);
    // Cut after a page: the result line of the first page does not close the export.
    const afterPage = parse(`${header}dn: CN=A,DC=x\n\n# search result\nsearch: 2\nresult: 0 Success\n\ndn: CN=B,DC=x\ncn: B\n\n`);
    expect(afterPage.errors).toHaveLength(1);
    // Without the "# extended LDIF" header (ldapsearch -LLL) there is no trailer to expect.
    expect(parse('dn: CN=A,DC=x\ncn: A\n\n').problems).toEqual([]);
  });

  it('reads values ldapsearch base64-encodes because of a leading space or colon', () => {
    const { entries } = parse(
      `dn: CN=A,DC=x\ndescription:: ${Buffer.from(' leading').toString('base64')}\ninfo:: ${Buffer.from(':colon').toString('base64')}\n`,
    );
    expect(plain(entries[0]!).attributes).toEqual({ description: [' leading'], info: [':colon'] });
  });

  it('reads the RootDSE (empty DN)', () => {
    const { entries, problems } = parse(`${header}dn:\nnamingContexts: DC=x\ndefaultNamingContext: DC=x\n\n# search result\nsearch: 2\nresult: 0 Success\n`);
    expect(problems).toEqual([]);
    expect(entries[0]!.dn).toBe('');
    expect(entries[0]!.key).toBe('');
  });
});

describe('Samba ldbsearch output', () => {
  it('reads "# record N" comments and GUIDs and SIDs written as text, giving the bytes AD stores', () => {
    const { entries, problems } = parse(
      '# record 1\ndn: CN=A,DC=x\nobjectGUID: f28780cd-c87a-4a71-9f4c-15d66464bab8\nobjectSid: S-1-5-21-1-2-3-1105\n\n# returned 1 records\n# 1 entries\n# 0 referrals\n',
    );
    expect(problems).toEqual([]);
    expect(plain(entries[0]!).attributes).toEqual({
      objectguid: [GUID],
      objectsid: ['hex:010500000000000515000000010000000200000003000000' + '51040000'],
    });
  });
});
