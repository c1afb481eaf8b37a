import { describe, expect, it } from 'vitest';
import { binaryFromText, isBinaryAttribute } from '../../src/model/binary-attributes.js';
import { Entry } from '../../src/model/entry.js';

const entry = (attributes: Record<string, (string | Buffer)[]>, dn = 'CN=A,OU=B,DC=x'): Entry => new Entry(dn, new Map(Object.entries(attributes)));

describe('Entry', () => {
  it.each([
    [['top', 'person', 'organizationalPerson', 'user'], 'user'],
    [['top', 'person', 'organizationalPerson', 'user', 'inetOrgPerson'], 'user'],
    [['top', 'person', 'organizationalPerson', 'user', 'computer'], 'computer'],
    [['top', 'person', 'organizationalPerson', 'user', 'computer', 'msDS-GroupManagedServiceAccount'], 'managed-service-account'],
    [['top', 'person', 'organizationalPerson', 'user', 'computer', 'msDS-ManagedServiceAccount'], 'managed-service-account'],
    [['top', 'group'], 'group'],
    [['top', 'person', 'organizationalPerson', 'contact'], 'contact'],
    [['top', 'organizationalUnit'], 'organizational-unit'],
    [['top', 'domain', 'domainDNS'], 'domain'],
    [['top', 'foreignSecurityPrincipal'], 'foreign-security-principal'],
    [['top', 'container'], 'container'],
    [['top', 'builtinDomain'], 'container'],
    [['top', 'crossRef'], 'other'],
    [[], 'unknown'],
  ])('%j is a %s', (classes, kind) => {
    expect(entry({ objectclass: classes }).kind).toBe(kind);
  });

  it('reads attributes by their lower-case name, and the type refuses any other spelling', () => {
    const e = entry({ samaccountname: ['alice'], objectclass: ['TOP', 'User'] });
    expect(e.text('samaccountname')).toBe('alice');
    expect(e.has('samaccountname')).toBe(true);
    // @ts-expect-error: a mixed-case name would silently find nothing, so it does not compile.
    expect(e.text('sAMAccountName')).toBeUndefined();
    expect(e.has('mail')).toBe(false);
    expect(e.isA('user')).toBe(true);
    expect(e.values('nothing')).toEqual([]);
    expect(e.text('nothing')).toBeUndefined();
  });

  it('converts between text and bytes', () => {
    const e = entry({ description: ['héllo'], objectguid: [Buffer.from([1, 2, 3])] });
    expect(e.bytes('description')).toEqual(Buffer.from('héllo', 'utf8'));
    expect(e.bytes('objectguid')).toEqual(Buffer.from([1, 2, 3]));
    expect(e.texts('description')).toEqual(['héllo']);
  });

  it('parses integers, large integers and booleans, and refuses what they are not', () => {
    const e = entry({
      useraccountcontrol: ['514'],
      grouptype: ['-2147483646'],
      pwdlastset: ['133497504000000000'],
      iscriticalsystemobject: ['TRUE'],
      flag: ['FALSE'],
      junk: ['x'],
    });
    expect(e.int('useraccountcontrol')).toBe(514);
    expect(e.int('grouptype')).toBe(-2147483646);
    expect(e.int('junk')).toBeUndefined();
    expect(e.int('missing')).toBeUndefined();
    expect(e.bigint('pwdlastset')).toBe(133497504000000000n);
    expect(e.bigint('junk')).toBeUndefined();
    expect(e.bool('iscriticalsystemobject')).toBe(true);
    expect(e.bool('flag')).toBe(false);
    expect(e.bool('missing')).toBeUndefined();
  });

  it('keys and parent keys come from the DN', () => {
    const e = entry({}, 'CN=Smith\\, John,OU=Sales,DC=Corp');
    expect(e.key).toBe('cn=smith\\, john,ou=sales,dc=corp');
    expect(e.parentKey).toBe('ou=sales,dc=corp');
    expect(new Entry('CN=A,DC=x', new Map(), new Map(), 'precomputed').key).toBe('precomputed');
  });
});

describe('binary attributes', () => {
  it('knows the octet-string attributes checks read', () => {
    for (const name of ['objectguid', 'objectsid', 'ms-ds-consistencyguid', 'usercertificate']) expect(isBinaryAttribute(name)).toBe(true);
    expect(isBinaryAttribute('cn')).toBe(false);
  });

  it('turns GUIDs and SIDs written as text into the bytes AD stores, and anything else byte for byte', () => {
    expect(binaryFromText('objectguid', 'f28780cd-c87a-4a71-9f4c-15d66464bab8').toString('hex')).toBe('cd8087f27ac8714a9f4c15d66464bab8');
    expect(binaryFromText('objectsid', 'S-1-5-32-544').toString('hex')).toBe('01020000000000052000000020020000');
    expect(binaryFromText('objectsid', 'S-1-5-21-4294967295-1-2-500').subarray(12, 16).toString('hex')).toBe('ffffffff');
    // Not a SID (a sub-authority over 32 bits), not a GUID attribute, or no text form at all: the bytes as written.
    expect(binaryFromText('objectsid', 'S-1-5-4294967296')).toEqual(Buffer.from('S-1-5-4294967296', 'latin1'));
    expect(binaryFromText('usercertificate', 'f28780cd-c87a-4a71-9f4c-15d66464bab8')).toEqual(Buffer.from('f28780cd-c87a-4a71-9f4c-15d66464bab8'));
    expect(binaryFromText('objectguid', 'ABC\xff')).toEqual(Buffer.from([0x41, 0x42, 0x43, 0xff]));
  });
});
