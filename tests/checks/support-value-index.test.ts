import { describe, expect, it } from 'vitest';
import { Arena, FirstHolderIndex, HeldValues, Holders } from '../../src/checks/support/value-index.js';

describe('value index (arena and first-holder hash set)', () => {
  it('keeps strings byte-exact off the heap and compares them without decoding', () => {
    const arena = new Arena();
    const a = arena.stage('jürgen@example.com');
    arena.keep(a);
    const b = arena.stage('jürgen@example.com');
    arena.keep(b);
    const c = arena.stage('jurgen@example.com');
    arena.keep(c);
    expect(arena.text(a)).toBe('jürgen@example.com');
    expect(arena.equal(a, b)).toBe(true);
    expect(arena.equal(a, c)).toBe(false);
    expect(arena.hash(a)).toBe(arena.hash(b));
  });

  it('finds every string again across chunks, one of them larger than a chunk', () => {
    const arena = new Arena();
    const texts = Array.from({ length: 400_000 }, (_, i) => `value ${i} ${'é'.repeat(i % 50)}`);
    texts.splice(200_000, 0, 'x'.repeat(20 << 20));
    const offsets = texts.map((text) => {
      const offset = arena.stage(text);
      arena.keep(offset);
      return offset;
    });
    for (const i of [0, 1, 199_999, 200_000, 200_001, 400_000]) expect(arena.text(offsets[i] ?? 0)).toBe(texts[i]);
    const again = arena.stage(texts[3] ?? '');
    expect(arena.equal(offsets[3] ?? 0, again)).toBe(true);
    expect(arena.hash(offsets[3] ?? 0)).toBe(arena.hash(again));
    expect(arena.equal(offsets[4] ?? 0, again)).toBe(false);
  });

  it('returns the first holder of a key seen before, across growth of every table', () => {
    const index = new FirstHolderIndex(new Arena());
    for (let i = 0; i < 100_000; i++) expect(index.firstOrAdd(`value-${i}`, i)).toBeUndefined();
    expect(index.firstOrAdd('value-0', 7)).toBe(0);
    expect(index.firstOrAdd('value-99999', 7)).toBe(99_999);
    expect(index.firstOrAdd('value-100000', 7)).toBeUndefined();
  });

  it('finds a key without indexing it, and lists every key with its first holder', () => {
    const index = new FirstHolderIndex(new Arena());
    index.firstOrAdd('a', 1);
    index.firstOrAdd('b', 2);
    expect(index.find('b')).toBe(2);
    expect(index.find('c')).toBeUndefined();
    expect(index.size).toBe(2);
    expect([...index.entries()]).toEqual([
      ['a', 1],
      ['b', 2],
    ]);
  });

  it('keeps holders in pages and a temporary file, read back in order and out of order', () => {
    const holders = new Holders();
    const identities = Array.from({ length: 300_000 }, (_, i) => `CN=Üser ${i},OU=People,DC=corp,DC=example\u0000\u0000u${i}\u0000user`);
    for (const identity of identities) holders.add(identity);
    expect(holders.size).toBe(300_000);
    for (const i of [299_999, 0, 150_000, 1, 2, 3, 299_998]) expect(holders.identity(i)).toBe(identities[i]);
    expect(holders.ref(42)).toEqual({ dn: 'CN=Üser 42,OU=People,DC=corp,DC=example', samAccountName: 'u42', objectClass: 'user' });
    expect(Array.from({ length: holders.size }, (_, i) => holders.identity(i))).toEqual(identities);
    expect(() => holders.identity(300_000)).toThrow(RangeError);
  });

  it('keeps every holder of a shared value, and not the same DN twice', () => {
    const values = new HeldValues(new Holders());
    const alice = values.holders.add('CN=Alice,DC=a\u0000\u0000alice\u0000user');
    const bob = values.holders.add('CN=Bob,DC=a\u0000\u0000bob\u0000user');
    const aliceAgain = values.holders.add('cn=alice,dc=a\u0000\u0000alice\u0000user');
    values.add('x@example.com', { holder: alice, attribute: 1 });
    values.add('x@example.com', { holder: aliceAgain, attribute: 0 });
    values.add('y@example.com', { holder: bob, attribute: 0 });
    expect(values.shared.size).toBe(0);
    values.add('x@example.com', { holder: bob, attribute: 2 });
    expect(values.holdings('x@example.com')).toEqual([
      { holder: alice, attribute: 1 },
      { holder: bob, attribute: 2 },
    ]);
    expect(values.holdings('y@example.com')).toEqual([{ holder: bob, attribute: 0 }]);
    expect(values.holders.ref(bob)).toEqual({ dn: 'CN=Bob,DC=a', samAccountName: 'bob', objectClass: 'user' });
    expect([...values.entries()].map(([key, holdings]) => [key, holdings.length])).toEqual([
      ['x@example.com', 2],
      ['y@example.com', 1],
    ]);
  });
});
