import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readValueHashKey, VALUE_HASH_KEY_ENV } from '../../src/tenant/value-hash-key.js';

const dir = mkdtempSync(path.join(tmpdir(), 'readiness-key-'));
const file = (name: string, content: string | Buffer): string => {
  const p = path.join(dir, name);
  writeFileSync(p, content);
  return p;
};

describe('value-hash key', () => {
  it('reads the key from the environment variable', () => {
    expect(readValueHashKey({ env: { [VALUE_HASH_KEY_ENV]: 'sixteen bytes ok' } }).toString()).toBe('sixteen bytes ok');
  });

  it('reads the key file, without its trailing newline, in preference to the environment', () => {
    const key = readValueHashKey({ keyFile: file('key', 'a key from the key file\r\n'), env: { [VALUE_HASH_KEY_ENV]: 'the environment key' } });
    expect(key.toString()).toBe('a key from the key file');
  });

  it('refuses a key shorter than 16 bytes, without showing it', () => {
    expect(() => readValueHashKey({ env: { [VALUE_HASH_KEY_ENV]: 'short-secret' } })).toThrow(/READINESS_VALUE_HASH_KEY is 12 bytes long; use at least 16/);
    expect(() => readValueHashKey({ env: { [VALUE_HASH_KEY_ENV]: 'short-secret' } })).not.toThrow(/short-secret/);
  });

  it('says how to give a key when there is none', () => {
    expect(() => readValueHashKey({ env: {} })).toThrow(/set READINESS_VALUE_HASH_KEY, or name a file holding it with --value-hash-key-file/);
  });

  it('refuses a key file that is missing, a folder, or far too large, naming it', () => {
    expect(() => readValueHashKey({ keyFile: path.join(dir, 'nope'), env: {} })).toThrow(/cannot read the value-hash key file .*nope: ENOENT/);
    expect(() => readValueHashKey({ keyFile: dir, env: {} })).toThrow(/is a folder/);
    expect(() => readValueHashKey({ keyFile: file('big', Buffer.alloc(10_000, 'k')), env: {} })).toThrow(/larger than 4096 bytes/);
    expect(() => readValueHashKey({ keyFile: '/dev/zero', env: {} })).toThrow(/larger than 4096 bytes/);
  });
});

describe('--value-hashes flags', () => {
  it('read the key only with --value-hashes, and turn a bad key into a usage error', async () => {
    const { valueHashKeyOf } = await import('../../src/cli/value-hash-flags.js');
    expect(valueHashKeyOf({}, { [VALUE_HASH_KEY_ENV]: 'sixteen bytes ok' })).toBeUndefined();
    expect(valueHashKeyOf({ valueHashes: true }, { [VALUE_HASH_KEY_ENV]: 'sixteen bytes ok' })?.toString()).toBe('sixteen bytes ok');
    expect(() => valueHashKeyOf({ valueHashKeyFile: 'key' }, {})).toThrow(expect.objectContaining({ name: 'UserError', exitCode: 2 }));
    expect(() => valueHashKeyOf({ valueHashes: true }, { [VALUE_HASH_KEY_ENV]: 'short' })).toThrow(expect.objectContaining({ name: 'UserError', exitCode: 2 }));
  });
});
