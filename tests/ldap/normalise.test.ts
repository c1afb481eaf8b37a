import { describe, expect, it } from 'vitest';
import { LdifParser } from '../../src/sources/ldif/parser.js';
import { readRawEntry, splitAttributeName, toEntry } from '../../src/sources/ldap/normalise.js';

describe('splitAttributeName', () => {
  it('lower-cases, drops ;binary and reads range windows', () => {
    expect(splitAttributeName('userCertificate;binary')).toEqual({ name: 'usercertificate', range: undefined });
    expect(splitAttributeName('member;range=0-1499')).toEqual({ name: 'member', range: { start: 0, end: 1499 } });
    expect(splitAttributeName('member;range=3000-*')).toEqual({ name: 'member', range: { start: 3000, end: undefined } });
    expect(splitAttributeName('description;lang-de')).toEqual({ name: 'description;lang-de', range: undefined });
  });
});

describe('ldapts entries', () => {
  it('become the same Entry the LDIF reader makes from the same object', () => {
    const guid = Buffer.from('8a0b2c3d4e5f60718293a4b5c6d7e8f9', 'hex');
    const fromLdap = toEntry({
      dn: 'CN=Alice,OU=People,DC=corp,DC=example,DC=test',
      objectClass: ['top', 'person', 'organizationalPerson', 'user'],
      sAMAccountName: 'alice',
      objectGUID: guid,
      proxyAddresses: ['SMTP:alice@corp.example.test', 'smtp:a@corp.example.test'],
      mail: [],
    });
    const parser = new LdifParser('test.ldif');
    const events = [
      ...parser.push(
        Buffer.from(
          [
            'dn: CN=Alice,OU=People,DC=corp,DC=example,DC=test',
            'objectClass: top',
            'objectClass: person',
            'objectClass: organizationalPerson',
            'objectClass: user',
            'sAMAccountName: alice',
            `objectGUID:: ${guid.toString('base64')}`,
            'proxyAddresses: SMTP:alice@corp.example.test',
            'proxyAddresses: smtp:a@corp.example.test',
            '',
            '',
          ].join('\n'),
        ),
      ),
      ...parser.end(),
    ];
    const fromLdif = events.find((e) => e.type === 'entry');
    expect(fromLdif?.type).toBe('entry');
    if (fromLdif?.type !== 'entry') return;
    expect(fromLdap.dn).toBe(fromLdif.entry.dn);
    expect(fromLdap.attributes).toEqual(fromLdif.entry.attributes);
    expect(fromLdap.kind).toBe('user');
  });

  it('turn a binary attribute that came back as text into its bytes again', () => {
    const { attributes } = readRawEntry({ dn: 'CN=x', objectguid: 'abcdefghijklmnop' });
    expect(attributes.get('objectguid')).toEqual([Buffer.from('abcdefghijklmnop')]);
  });

  it('keep non-text values of other attributes as bytes, and merge windows into one attribute', () => {
    const { attributes, ranges } = readRawEntry({ dn: 'CN=g', 'member;range=0-1': ['CN=a', 'CN=b'], logonHours: Buffer.from([0xff, 0x00]) });
    expect(attributes.get('member')).toEqual(['CN=a', 'CN=b']);
    expect(ranges.get('member')).toEqual({ start: 0, end: 1 });
    expect(attributes.get('logonhours')).toEqual([Buffer.from([0xff, 0x00])]);
  });
});
