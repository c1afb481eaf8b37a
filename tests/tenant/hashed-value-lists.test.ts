import { describe, expect, it } from 'vitest';
import { HeldValues, Holders } from '../../src/checks/support/value-index.js';
import { dnKey } from '../../src/model/dn.js';
import { digestToJson, keyCheckOf, OBJECT_SID, type TenantDigest, VALUE_ATTRIBUTES, valueHash } from '../../src/tenant/digest.js';
import { HashedValueWriter } from '../../src/tenant/hashed-value-lists.js';

const KEY = Buffer.from('a key the two teams share, 32 b');
const LINK = VALUE_ATTRIBUTES.indexOf('msExchMasterAccountSID');

/** Objects in the order a scan reads them: DN, then each value's comparison key and attribute. */
const OBJECTS: [dn: string, values: [key: string, attribute: number][]][] = [
  [
    'CN=A,DC=x',
    [
      ['ann@x.com', 0],
      ['ann-alias', 1],
      ['sid:S-1-5-21-1-2-3-1001', OBJECT_SID],
    ],
  ],
  [
    'CN=B,DC=x',
    [
      ['ann@x.com', 1],
      ['shared', 2],
      ['sid:S-1-5-21-1-2-3-1001', LINK],
    ],
  ],
  // The first object again (another spelling of its DN): its holdings of values it held first count once.
  [
    'cn=a, dc=x',
    [
      ['ann@x.com', 0],
      ['ann-alias', 1],
    ],
  ],
  ['CN=C,DC=x', [['ann-alias', 0]]],
  // Objects with the DNs of A and B: holding a value B held first, and B's link again.
  ['CN=A,DC=X', [['shared', 0]]],
  [
    'CN=B,DC=X',
    [
      ['shared', 2],
      ['sid:S-1-5-21-1-2-3-1001', LINK],
    ],
  ],
  // One object holding one value from two attributes: its first holding counts.
  [
    'CN=D,DC=x',
    [
      ['dee@x.com', 2],
      ['dee@x.com', 0],
    ],
  ],
];

describe('HashedValueWriter', () => {
  it('writes the lists the in-memory index writes: every holding, but an object holding a value its DN held first once', () => {
    const holders = new Holders();
    const held = new HeldValues(holders);
    const links = new HeldValues(holders);
    const writer = new HashedValueWriter((key) => valueHash(KEY, key), keyCheckOf(KEY), LINK);
    for (const [dn, values] of OBJECTS) {
      const identity = `${dn}\u0000\u0000${dn.slice(3, 4)}\u0000user`;
      const holder = holders.add(identity);
      writer.addHolder(identity, dnKey(dn));
      for (const [key, attribute] of values) {
        (attribute === LINK ? links : held).add(key, { holder, attribute });
        writer.addValue(key, attribute);
      }
    }
    const digest: TenantDigest = {
      forest: 'x',
      configurationRead: true,
      domains: [],
      counts: { users: 0, groups: 0, contacts: 0, devices: 0 },
      upnSuffixes: new Map(),
      linkedAccountDomains: new Map(),
      values: { keyCheck: undefined, held, links },
      valueHashKey: KEY,
    };
    const inMemory = digestToJson(digest).valueHashes;
    const streamed = writer.finish();
    expect(streamed.keyCheck).toBe(inMemory?.keyCheck);
    expect([...streamed.holders]).toEqual(inMemory?.holders);
    expect([...streamed.values]).toEqual(inMemory?.values);
    // 14 holdings, 5 of them of a value an object with the same DN held first.
    expect(streamed.values).toHaveLength(9);
  });
});
