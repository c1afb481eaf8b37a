import { describe, expect, expectTypeOf, it } from 'vitest';
import { ldaptsConnector, type ReadOnlyDirectory } from '../../src/sources/ldap/directory.js';

const WRITES = ['add', 'modify', 'del', 'delete', 'modifyDN', 'exop', 'extendedOp', 'compare', 'startTLS', 'bindSASL'];

function reachable(value: object): Set<string> {
  const names = new Set<string>();
  for (let o: object | null = value; o !== null && o !== Object.prototype; o = Object.getPrototypeOf(o)) {
    for (const name of Object.getOwnPropertyNames(o)) names.add(name);
  }
  return names;
}

describe('the LDAP layer is read-only', () => {
  it('has a type with bind, search and unbind only', () => {
    expectTypeOf<keyof ReadOnlyDirectory>().toEqualTypeOf<'bind' | 'search' | 'unbind'>();
  });

  it('hands out an object on which no write or extended operation can be reached', async () => {
    // A StartTLS-free connector does not touch the network until bind, so this needs no server.
    const directory = await ldaptsConnector({ trust: { skipVerify: false } })({ host: '127.0.0.1', port: 9, tls: 'none' });
    const names = reachable(directory);
    expect([...names].sort()).toEqual(['bind', 'search', 'unbind']);
    for (const write of WRITES) expect(names.has(write)).toBe(false);
    for (const value of Object.values(directory)) expect(typeof value).toBe('function');
  });
});
