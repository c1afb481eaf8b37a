import { describe, expect, it } from 'vitest';
import { crlf, parse, plain } from './parse.js';

/** Every RFC 2849 feature must read the same with ldapsearch's LF and ldifde's CRLF line ends. */
const LINE_ENDS = [
  { name: 'LF', text: (s: string) => s },
  { name: 'CRLF', text: crlf },
];

describe.each(LINE_ENDS)('RFC 2849 content records ($name)', ({ text }) => {
  it('reads blank-line separated records, also with several blank lines between them', () => {
    const { entries, problems } = parse(text('version: 1\n\ndn: CN=A,DC=x\ncn: A\n\n\n\ndn: CN=B,DC=x\ncn: B\n\n'));
    expect(problems).toEqual([]);
    expect(entries.map((e) => e.dn)).toEqual(['CN=A,DC=x', 'CN=B,DC=x']);
  });

  it('reads the last record without a trailing newline, reporting the file as cut short (an error: both tools end every line)', () => {
    const { entries, errors, warnings } = parse(text('dn: CN=A,DC=x\ncn: A'));
    expect(warnings).toEqual([]);
    expect(errors).toEqual([
      expect.objectContaining({ location: 'line 2', message: expect.stringMatching(/ends in the middle of a line.*cut short/), affectsDn: 'CN=A,DC=x' }),
    ]);
    expect(plain(entries[0]!).attributes).toEqual({ cn: ['A'] });
  });

  it('unfolds continuation lines, dropping exactly one leading space', () => {
    const { entries, problems } = parse(text('dn: CN=A,\n DC=x\ndescription: one\n  two\n three\n'));
    expect(problems).toEqual([]);
    expect(entries[0]!.dn).toBe('CN=A,DC=x');
    expect(entries[0]!.text('description')).toBe('one twothree');
  });

  it('joins a UTF-8 character folded in the middle of its bytes', () => {
    // "é" is C3 A9; ldap tools fold at byte columns, so the fold can fall between the two bytes.
    const bytes = Buffer.concat([
      Buffer.from(text('dn: CN=A,DC=x\ncn: Jos')),
      Buffer.from([0xc3]),
      Buffer.from(text('\n ')),
      Buffer.from([0xa9]),
      Buffer.from(text('\n')),
    ]);
    const { entries, problems } = parse(bytes);
    expect(problems).toEqual([]);
    expect(entries[0]!.text('cn')).toBe('José');
  });

  it('joins a four-byte character (emoji) folded after each of its bytes', () => {
    const emoji = Buffer.from('😀', 'utf8');
    const folded = [...emoji].map((b) => Buffer.concat([Buffer.from([b]), Buffer.from(text('\n '))]));
    const bytes = Buffer.concat([Buffer.from(text('dn: CN=A,DC=x\ndescription: ')), ...folded, Buffer.from(text('!\n'))]);
    const { entries, problems } = parse(bytes);
    expect(problems).toEqual([]);
    expect(entries[0]!.text('description')).toBe('😀!');
  });

  it('decodes "::" base64 text values as UTF-8, also when the base64 is folded', () => {
    const b64 = Buffer.from('Zoë Ångström – 日本', 'utf8').toString('base64');
    const { entries, problems } = parse(text(`dn: CN=A,DC=x\ndisplayName:: ${b64.slice(0, 9)}\n ${b64.slice(9, 20)}\n ${b64.slice(20)}\n`));
    expect(problems).toEqual([]);
    expect(entries[0]!.text('displayname')).toBe('Zoë Ångström – 日本');
  });

  it('reads a base64 DN ("dn::")', () => {
    const dn = 'CN=Jörg Müller,OU=Zürich,DC=x';
    const { entries, problems } = parse(text(`dn:: ${Buffer.from(dn).toString('base64')}\ncn: x\n`));
    expect(problems).toEqual([]);
    expect(entries[0]!.dn).toBe(dn);
    expect(entries[0]!.key).toBe('cn=jörg müller,ou=zürich,dc=x');
  });

  it('keeps a base64 value that is not UTF-8 as bytes instead of mangling it', () => {
    const { entries, problems } = parse(text('dn: CN=A,DC=x\nsomeBlob:: //79\n'));
    expect(problems).toEqual([]);
    expect(plain(entries[0]!).attributes.someblob).toEqual(['hex:fffefd']);
  });

  it('returns binary attributes as bytes', () => {
    const { entries } = parse(text('dn: CN=A,DC=x\nobjectGUID:: AAECAwQFBgcICQoLDA0ODw==\nobjectSid:: AQUAAAAAAAUVAAAAAQAAAAIAAAADAAAA9AEAAA==\n'));
    const entry = entries[0]!;
    expect(Buffer.isBuffer(entry.values('objectguid')[0])).toBe(true);
    expect(entry.bytes('objectguid')?.toString('hex')).toBe('000102030405060708090a0b0c0d0e0f');
    expect(entry.bytes('objectsid')?.length).toBe(28);
  });

  it('treats attribute names case-insensitively and keeps values in order', () => {
    const { entries } = parse(text('dn: CN=A,DC=x\nObjectClass: top\nOBJECTCLASS: person\nobjectclass: user\nCN: A\n'));
    expect(plain(entries[0]!).attributes).toEqual({ objectclass: ['top', 'person', 'user'], cn: ['A'] });
    expect(entries[0]!.kind).toBe('user');
  });

  it('accepts no space, one space or several spaces after the colon, and keeps trailing spaces', () => {
    const { entries } = parse(text('dn:CN=A,DC=x\ncn:A\nsn:   B\ndescription: trailing  \n'));
    expect(plain(entries[0]!).attributes).toEqual({ cn: ['A'], sn: ['B'], description: ['trailing  '] });
  });

  it('reads empty values', () => {
    const { entries, problems } = parse(text('dn: CN=A,DC=x\ndescription:\ninfo::\ncn: A\n'));
    expect(problems).toEqual([]);
    expect(plain(entries[0]!).attributes).toEqual({ description: [''], info: [''], cn: ['A'] });
  });

  it('skips "#" comments, folded comments, and comments between and inside records', () => {
    const { entries, problems } = parse(
      text(
        '# header\n# folded comment\n  still the comment\ndn: CN=A,DC=x\n# inside\ncn: A\n# folded inside\n  cn: not-a-value\nsn: S\n\n# between\n\ndn: CN=B,DC=x\ncn: B\n',
      ),
    );
    expect(problems).toEqual([]);
    expect(entries.map(plain)).toEqual([
      { dn: 'CN=A,DC=x', attributes: { cn: ['A'], sn: ['S'] }, ranged: {} },
      { dn: 'CN=B,DC=x', attributes: { cn: ['B'] }, ranged: {} },
    ]);
  });

  it('ignores Windows-1252 bytes inside comments', () => {
    // Microsoft's schema files carry "©" and "’" as single bytes A9 and 92 in their header comments.
    const bytes = Buffer.concat([Buffer.from('# Copyright '), Buffer.from([0xa9, 0x20, 0x92, 0x93]), Buffer.from(text('\ndn: CN=A,DC=x\ncn: A\n'))]);
    const { entries, problems } = parse(bytes);
    expect(problems).toEqual([]);
    expect(entries).toHaveLength(1);
  });

  it('warns about (and keeps) a plain value that is not UTF-8, naming file, line and DN', () => {
    const bytes = Buffer.concat([Buffer.from(text('dn: CN=A,DC=x\ncn: A\ndescription: caf')), Buffer.from([0xe9]), Buffer.from(text('\n'))]);
    const { entries, errors, warnings } = parse(bytes);
    expect(errors).toEqual([]);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatchObject({ input: 'test.ldif', location: 'line 3 (CN=A,DC=x)' });
    expect(warnings[0]!.message).toContain('not UTF-8');
    expect(entries[0]!.text('description')).toBe('caf\uFFFD');
  });

  it('strips a UTF-8 byte order mark', () => {
    const { entries, problems } = parse(text('\uFEFFversion: 1\ndn: CN=A,DC=x\ncn: A\n'));
    expect(problems).toEqual([]);
    expect(entries[0]!.dn).toBe('CN=A,DC=x');
  });

  it('accepts "version: 1" and warns about any other version', () => {
    expect(parse(text('version: 1\ndn: CN=A,DC=x\ncn: A\n')).problems).toEqual([]);
    const { entries, warnings } = parse(text('version: 2\n\ndn: CN=A,DC=x\ncn: A\n'));
    expect(entries).toHaveLength(1);
    expect(warnings[0]).toMatchObject({ location: 'line 1' });
  });

  it('refuses ":<" URL values with a clear error, reads nothing from the URL, and goes on with the next record', () => {
    const { entries, errors } = parse(text('dn: CN=A,DC=x\ncn: A\njpegPhoto:< file:///etc/passwd\n\ndn: CN=B,DC=x\ncn: B\n'));
    expect(entries.map((e) => e.dn)).toEqual(['CN=B,DC=x']);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ input: 'test.ldif', location: 'line 3 (CN=A,DC=x)', affectsDn: 'CN=A,DC=x' });
    expect(errors[0]!.message).toMatch(/"jpegPhoto:<" points to a URL.*record starting at line 1 was not read/);
    expect(errors[0]!.hint).toBeDefined();
  });

  it('reports a record without "dn:" as an error and reads the following records', () => {
    const { entries, errors } = parse(text('cn: A\nsn: B\n\ndn: CN=B,DC=x\ncn: B\n'));
    expect(entries.map((e) => e.dn)).toEqual(['CN=B,DC=x']);
    expect(errors).toHaveLength(1);
    expect(errors[0]!.location).toBe('line 1');
    expect(errors[0]!.message).toContain('must start with "dn:"');
  });

  it('reports "changetype: modify" with replace or delete operations as an error', () => {
    const { entries, errors } = parse(text('dn: CN=A,DC=x\nchangetype: modify\nreplace: cn\ncn: B\n-\n\ndn: CN=B,DC=x\ncn: B\n'));
    expect(entries.map((e) => e.dn)).toEqual(['CN=B,DC=x']);
    expect(errors).toHaveLength(1);
    expect(errors[0]!.location).toBe('line 3 (CN=A,DC=x)');
    expect(errors[0]!.message).toContain('is a change record');
  });

  it.each(['delete', 'modrdn', 'moddn'])('reports "changetype: %s" as an error', (type) => {
    const { entries, errors } = parse(text(`dn: CN=A,DC=x\nchangetype: ${type}\n\ndn: CN=B,DC=x\ncn: B\n`));
    expect(entries.map((e) => e.dn)).toEqual(['CN=B,DC=x']);
    expect(errors[0]!.message).toContain(`changetype: ${type}`);
  });

  it('reports a line without a colon, invalid base64 and a second dn: line, each naming its line', () => {
    const cases: [string, string, RegExp][] = [
      ['dn: CN=A,DC=x\nthis is not ldif\n', 'line 2 (CN=A,DC=x)', /expected "attribute: value"/],
      ['dn: CN=A,DC=x\ndescription:: not*base64\n', 'line 2 (CN=A,DC=x)', /not valid base64/],
      ['dn: CN=A,DC=x\ncn: A\ndn: CN=B,DC=x\n', 'line 3 (CN=A,DC=x)', /second "dn:"/],
      ['dn: CN=A,,DC=x\ncn: A\n', 'line 1 (CN=A,,DC=x)', /invalid DN/],
    ];
    for (const [input, location, message] of cases) {
      const { entries, errors } = parse(text(input));
      expect(entries, input).toEqual([]);
      expect(errors, input).toHaveLength(1);
      expect(errors[0]!.location, input).toBe(location);
      expect(errors[0]!.message, input).toMatch(message);
      // The unread object is named for the report, unless its DN itself is what is broken.
      expect(errors[0]!.affectsDn, input).toBe(message.source.includes('invalid DN') ? undefined : 'CN=A,DC=x');
    }
  });

  it('reports a stray continuation line on its own without losing the next record', () => {
    const { entries, errors } = parse(text('dn: CN=A,DC=x\ncn: A\n\n stray\ndn: CN=B,DC=x\ncn: B\n'));
    expect(entries.map((e) => e.dn)).toEqual(['CN=A,DC=x', 'CN=B,DC=x']);
    expect(errors).toHaveLength(1);
    expect(errors[0]!.location).toBe('line 4');
  });

  it('counts lines correctly after folded lines and comments', () => {
    const { errors } = parse(text('# c\n# c\ndn: CN=A,\n DC=x\ndescription: a\n b\nbroken line\n'));
    expect(errors[0]!.location).toBe('line 7 (CN=A,DC=x)');
  });

  it('ignores "control:" lines', () => {
    const { entries, problems } = parse(text('dn: CN=A,DC=x\ncontrol: 1.2.840.113556.1.4.417 true\ncn: A\n'));
    expect(problems).toEqual([]);
    expect(plain(entries[0]!).attributes).toEqual({ cn: ['A'] });
  });
});
