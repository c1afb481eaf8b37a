import { existsSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { ObjectRef } from '../../src/checks/check.js';
import { ObjectList, sortedObjects } from '../../src/checks/support/object-list.js';
import { objectRef } from '../../src/checks/support/object-ref.js';
import { dnKey } from '../../src/model/dn.js';
import { compareText } from '../../src/model/order.js';
import { Entry } from '../../src/model/entry.js';

/** How many files the process has open, where the system says (Linux). */
function openDescriptors(): number | undefined {
  return existsSync('/proc/self/fd') ? readdirSync('/proc/self/fd').length : undefined;
}

const GUID_BYTES = Buffer.from('q83vEjRWeJCrze8SNFZ4kA==', 'base64');

function user(dn: string, extra: [string, (string | Buffer)[]][] = []): Entry {
  return new Entry(
    dn,
    new Map<string, (string | Buffer)[]>([
      ['objectclass', ['top', 'person', 'organizationalPerson', 'user']],
      ['objectguid', [GUID_BYTES]],
      ['samaccountname', ['ada']],
      ...extra,
    ]),
  );
}

describe('ObjectList', () => {
  it('gives back each object as objectRef describes it, suggestion included', () => {
    const list = new ObjectList();
    const entry = user('CN=Ada Lovelace,OU=Staff,DC=corp,DC=example');
    const facts = { detail: 'UPN suffix corp.local', attribute: 'userPrincipalName', value: 'ada@corp.local' };
    list.add(entry, facts);
    list.add(entry, { ...facts, suggestion: '' });
    list.add(new Entry('CN=bare,DC=a', new Map()));
    expect(list.length).toBe(3);
    expect(list.at(0)).toEqual(objectRef(entry, facts));
    expect(list.at(1)).toEqual({ ...objectRef(entry, facts), suggestion: '' });
    expect(list.at(2)).toEqual({ dn: 'CN=bare,DC=a' });
  });

  it('keeps objects a check described itself as they were, GUID text and all', () => {
    const list = new ObjectList();
    const refs: ObjectRef[] = [
      { dn: 'CN=x,DC=a', guid: 'not-a-guid', detail: 'd', objectClass: 'group', samAccountName: 's', attribute: 'mail', value: 'v', suggestion: 'w' },
      { dn: 'CN=Ünïcödé \\, escaped \\+ more,DC=a', value: '' },
    ];
    for (const ref of refs) list.addRef(ref);
    expect([...list.view()]).toEqual(refs);
  });

  it('gives the DN key the DN was listed with, also where it is not the DN in lower case', () => {
    const list = new ObjectList();
    const dns = ['CN=Plain,OU=Staff,DC=corp,DC=example', 'CN=Spaced , OU=Staff,DC=corp', 'CN=a\\2Cb,DC=corp', 'CN=x+UID=y,DC=corp', 'CN=Éva,DC=corp'];
    for (const dn of dns) list.add(new Entry(dn, new Map()));
    expect([...ObjectList.keysOf(list.view())]).toEqual(dns.map(dnKey));
    expect([...ObjectList.keysOf([{ dn: 'CN=Plain , DC=A' }])]).toEqual(['cn=plain,dc=a']);
  });

  it('writes texts repeated past the shared table out in full', () => {
    const list = new ObjectList();
    for (let i = 0; i < 5000; i++) list.addRef({ dn: `CN=u${i},DC=a`, detail: `detail ${i}`, attribute: i % 2 === 0 ? 'mail' : 'proxyAddresses' });
    expect(list.at(4999)).toEqual({ dn: 'CN=u4999,DC=a', detail: 'detail 4999', attribute: 'proxyAddresses' });
    expect(list.at(4096)).toEqual({ dn: 'CN=u4096,DC=a', detail: 'detail 4096', attribute: 'mail' });
  });

  it('holds records across many pages and one larger than a page', () => {
    const list = new ObjectList();
    const big = 'v'.repeat(3 << 20);
    for (let i = 0; i < 30_000; i++) list.addRef({ dn: `CN=user ${i},OU=${'x'.repeat(40)},DC=a`, value: i === 12_345 ? big : `value ${i}` });
    expect(list.at(12_345).value).toBe(big);
    expect(list.at(29_999)).toEqual({ dn: `CN=user 29999,OU=${'x'.repeat(40)},DC=a`, value: 'value 29999' });
    expect(() => list.at(30_000)).toThrow(RangeError);
  });

  it('reads records from its temporary file once it outgrows its pages in memory, in order and out of order', () => {
    const list = new ObjectList({ pagesInMemory: 1 });
    const big = 'v'.repeat(9000);
    const ref = (i: number): ObjectRef => ({ dn: `CN=user ${i},OU=${'x'.repeat(60)},DC=a`, detail: `d${i % 7}`, value: i % 5000 === 17 ? big : `value ${i}` });
    for (let i = 0; i < 60_000; i++) list.addRef(ref(i));
    for (let i = 0; i < 60_000; i++) expect(list.at(i)).toEqual(ref(i));
    for (const i of [59_999, 17, 30_000, 5017, 0, 45_017, 1]) expect(list.at(i)).toEqual(ref(i));
    const descending = list.sortedByKey(
      (a, b) => compareText(b, a),
      () => 0,
      4096,
    );
    const expected = Array.from({ length: 60_000 }, (_, i) => dnKey(ref(i).dn)).sort((a, b) => compareText(b, a));
    expect([...ObjectList.keysOf(descending.view())]).toEqual(expected);
    expect(descending.at(0).dn).toBe('CN=user 9999,OU=' + 'x'.repeat(60) + ',DC=a');
  });

  it('sorts in runs merged together as one sort over every object would, ties broken by the facts', () => {
    const list = new ObjectList();
    const refs: ObjectRef[] = [];
    for (let i = 0; i < 500; i++) refs.push({ dn: `CN=u${(i * 7919) % 97},OU=${i % 3 === 0 ? 'A' : 'b'},DC=a`, value: `v${(i * 31) % 11}`, detail: `d${i}` });
    for (const ref of refs) list.addRef(ref);
    const byFacts = (a: ObjectRef, b: ObjectRef): number => compareText(a.value ?? '', b.value ?? '') || compareText(a.detail ?? '', b.detail ?? '');
    const expected = refs.map((ref) => ({ ref, key: dnKey(ref.dn) })).sort((a, b) => compareText(a.key, b.key) || byFacts(a.ref, b.ref));
    for (const runLength of [1, 7, 64, 500, 1 << 16]) expect([...list.sortedByKey(compareText, byFacts, runLength).view()]).toEqual(expected.map((e) => e.ref));
    expect(new ObjectList().sortedByKey(compareText, byFacts).length).toBe(0);
  });

  it('sorts many runs spilled to the temporary file as a stable sort would: equal keys by their facts, then as listed', () => {
    const list = new ObjectList({ pagesInMemory: 1 });
    const refs: ObjectRef[] = [];
    // 40,000 objects on 50 DNs (in mixed case: the key is not the DN), 3 values: many objects alike in key and
    // facts, told apart by their GUID text, which the order must keep as listed.
    for (let i = 0; i < 40_000; i++) {
      const dn = `CN=${i % 2 === 0 ? 'User' : 'user'} ${(i * 7919) % 50},OU=${'x'.repeat(80)},DC=a`;
      refs.push({ dn, value: `v${i % 3}`, guid: `listed ${i}`, detail: i % 1000 === 0 ? 'd'.repeat(5000) : 'd' });
    }
    for (const ref of refs) list.addRef(ref);
    const byFacts = (a: ObjectRef, b: ObjectRef): number => compareText(a.value ?? '', b.value ?? '');
    const expected = refs
      .map((ref, listed) => ({ ref, key: dnKey(ref.dn), listed }))
      .sort((a, b) => compareText(a.key, b.key) || byFacts(a.ref, b.ref) || a.listed - b.listed)
      .map((e) => e.ref);
    for (const runLength of [997, 40_000]) {
      const descriptors = openDescriptors();
      const sorted = list.sortedByKey(compareText, byFacts, runLength);
      // The sorted list's own temporary file, and not the runs' any more.
      if (descriptors !== undefined) expect(openDescriptors()).toBe(descriptors + 1);
      expect(sorted.length).toBe(refs.length);
      expect(sorted.view().map((o) => o.guid)).toEqual(expected.map((o) => o.guid));
      for (const i of [39_999, 3, 20_000, 0, 1000]) expect(sorted.at(i)).toEqual(expected[i]);
    }
  });

  it("sorts a tenant finding's objects by forest first, as sortedObjects sorts an array, and gives each its forest back", () => {
    // Forest names where one is the start of another, objects without a forest, DNs alike across forests.
    const forests = [undefined, 'a.test', 'a.test.example', 'b.test', 'A.test'];
    const refs: (ObjectRef & { forest?: string })[] = [];
    for (let i = 0; i < 400; i++) {
      const forest = forests[(i * 7) % forests.length];
      refs.push({
        dn: `CN=User ${(i * 13) % 50},OU=Staff,DC=corp,DC=test`,
        ...(forest === undefined ? {} : { forest }),
        attribute: 'mail',
        value: `v${i % 3}`,
      });
    }
    const list = new ObjectList({ pagesInMemory: 1 });
    for (const ref of refs) list.addRef(ref);
    const expected = sortedObjects(refs);
    expect(expected.slice(0, 2).map((r) => r.forest)).toEqual([undefined, undefined]);
    expect([...sortedObjects(list.view())]).toEqual(expected);
    // The same through runs merged from the temporary file.
    const byFacts = (a: ObjectRef, b: ObjectRef): number => compareText(a.value ?? '', b.value ?? '');
    for (const runLength of [1, 7, 64]) expect([...list.sortedByKey(compareText, byFacts, runLength).view()]).toEqual(expected);
  });

  it('sorts into a new list of its own, leaving the first as it was', () => {
    const list = new ObjectList();
    for (const name of ['b', 'c', 'a']) list.addRef({ dn: `CN=${name},DC=a` });
    const sorted = list.sortedByKey(compareText, () => 0);
    expect(sorted.view().map((o) => o.dn)).toEqual(['CN=a,DC=a', 'CN=b,DC=a', 'CN=c,DC=a']);
    expect(list.view().map((o) => o.dn)).toEqual(['CN=b,DC=a', 'CN=c,DC=a', 'CN=a,DC=a']);
    sorted.addRef({ dn: 'CN=d,DC=a', detail: 'added after' });
    expect(sorted.at(3)).toEqual({ dn: 'CN=d,DC=a', detail: 'added after' });
    expect(list.length).toBe(3);
  });

  describe('its view', () => {
    const list = new ObjectList();
    list.add(user('CN=one,DC=a'), { detail: 'first' });
    list.addRef({ dn: 'CN=two,DC=a' });
    const view = list.view();

    it('reads as an array of ObjectRefs wherever the report reads one', () => {
      expect(Array.isArray(view)).toBe(true);
      expect(view).toHaveLength(2);
      expect(view[1]).toEqual({ dn: 'CN=two,DC=a' });
      expect(view[2]).toBeUndefined();
      expect(1 in view && !(2 in view)).toBe(true);
      expect(Object.keys(view)).toEqual(['0', '1']);
      expect(view.map((o) => o.dn)).toEqual(['CN=one,DC=a', 'CN=two,DC=a']);
      expect(view.slice(1)).toEqual([{ dn: 'CN=two,DC=a' }]);
      expect(view.some((o) => o.detail === 'first')).toBe(true);
      expect(JSON.parse(JSON.stringify(view))).toEqual([list.at(0), list.at(1)]);
      expect(view).toEqual([list.at(0), list.at(1)]);
      expect(ObjectList.behind(view)).toBe(list);
      expect(ObjectList.behind([...view])).toBeUndefined();
    });

    it('refuses writes', () => {
      const writable = view as ObjectRef[];
      expect(() => writable.push({ dn: 'CN=three,DC=a' })).toThrow(/read-only/);
      expect(() => (writable[0] = { dn: 'CN=x,DC=a' })).toThrow(/read-only/);
      expect(() => writable.sort()).toThrow(/read-only/);
      expect(list.length).toBe(2);
    });
  });
});
