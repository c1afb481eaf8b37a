import { describe, expect, it } from 'vitest';
import { Entry } from '../../src/model/entry.js';
import { guidText } from '../../src/checks/support/ad-values.js';
import { objectRef } from '../../src/checks/support/object-ref.js';

const GUID_BYTES = Buffer.from('q83vEjRWeJCrze8SNFZ4kA==', 'base64');

describe('objectRef', () => {
  it('names the object the way a person finds it: DN, objectGUID text, sAMAccountName and the most specific class', () => {
    const entry = new Entry(
      'CN=Ada,OU=Staff,DC=corp,DC=example,DC=com',
      new Map<string, (string | Buffer)[]>([
        ['objectclass', ['top', 'person', 'organizationalPerson', 'user', 'inetOrgPerson']],
        ['objectguid', [GUID_BYTES]],
        ['samaccountname', ['ada']],
      ]),
    );
    expect(objectRef(entry, { detail: 'bad', attribute: 'userPrincipalName', value: 'ada @x' })).toEqual({
      dn: 'CN=Ada,OU=Staff,DC=corp,DC=example,DC=com',
      detail: 'bad',
      guid: '12efcdab-5634-9078-abcd-ef1234567890',
      samAccountName: 'ada',
      objectClass: 'inetOrgPerson',
      attribute: 'userPrincipalName',
      value: 'ada @x',
    });
  });

  it('leaves out what the entry does not carry', () => {
    expect(objectRef(new Entry('CN=x,DC=a', new Map()))).toEqual({ dn: 'CN=x,DC=a' });
  });

  it('writes a GUID little-endian in its first three fields, and a value of another length as bytes', () => {
    expect(guidText(GUID_BYTES)).toBe('12efcdab-5634-9078-abcd-ef1234567890');
    expect(guidText(Buffer.alloc(16, 0x0a))).toBe('0a0a0a0a-0a0a-0a0a-0a0a-0a0a0a0a0a0a');
    expect(guidText(Buffer.from([1, 2, 3]))).toBe('3-byte value 010203');
  });
});
