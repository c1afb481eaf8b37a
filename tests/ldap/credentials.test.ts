import { PassThrough, Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { checkUserName, type CredentialIo, readCredentials } from '../../src/cli/credentials.js';
import { UserError } from '../../src/cli/errors.js';

function io(options: { env?: Record<string, string>; stdin?: string[]; tty?: boolean } = {}): CredentialIo & { shown: () => string } {
  const stdin = (options.tty === true ? new PassThrough() : Readable.from((options.stdin ?? []).map((s) => Buffer.from(s)))) as unknown as NodeJS.ReadStream;
  if (options.tty === true) Object.assign(stdin, { isTTY: true, setRawMode: () => stdin });
  let shown = '';
  const stderr = new PassThrough();
  stderr.on('data', (chunk: Buffer) => (shown += chunk.toString()));
  return { env: options.env ?? {}, stdin, stderr, shown: () => shown };
}

describe('checkUserName', () => {
  it.each(['admin@corp.example.test', 'CORP\\admin', 'CN=Admin,CN=Users,DC=corp,DC=example,DC=test'])('accepts %s', (user) => {
    expect(checkUserName(user)).toBe(user);
  });

  it('refuses a bare account name, which AD rejects with 52e, and says how to write it', () => {
    expect(() => checkUserName('admin')).toThrow(/bare account name/);
    try {
      checkUserName('admin');
    } catch (error) {
      expect((error as UserError).hint).toMatch(/admin@your\.domain or DOMAIN\\admin/);
      expect((error as UserError).exitCode).toBe(2);
    }
  });

  it('refuses a missing user and a broken DN', () => {
    expect(() => checkUserName(undefined)).toThrow(UserError);
    expect(() => checkUserName('CN=a,=b')).toThrow(/not a valid DN/);
  });
});

describe('readCredentials', () => {
  it('takes the password from READINESS_PASSWORD', async () => {
    await expect(readCredentials({ user: 'a@b.c' }, io({ env: { READINESS_PASSWORD: 'pw from env' } }))).resolves.toEqual({
      user: 'a@b.c',
      password: 'pw from env',
    });
  });

  it('takes it from standard input with --password-stdin, without the line end, ahead of the environment', async () => {
    const fake = io({ env: { READINESS_PASSWORD: 'env' }, stdin: ['pw from', ' stdin\r\n'] });
    await expect(readCredentials({ user: 'a@b.c', passwordStdin: true }, fake)).resolves.toEqual({ user: 'a@b.c', password: 'pw from stdin' });
  });

  it('reads only the first line of standard input and does not wait for the rest', async () => {
    const stdin = new PassThrough();
    const fake = { ...io(), stdin: stdin as unknown as NodeJS.ReadStream };
    const pending = readCredentials({ user: 'a@b.c', passwordStdin: true }, fake);
    stdin.write('first\nsecond line that never ends');
    await expect(pending).resolves.toEqual({ user: 'a@b.c', password: 'first' });
    expect(stdin.destroyed).toBe(true);
  });

  it('stops at the size cap when standard input never ends a line (yes x |)', async () => {
    const endless = Readable.from(
      (function* () {
        for (;;) yield Buffer.alloc(65_536, 'x');
      })(),
    );
    const fake = { ...io(), stdin: endless as unknown as NodeJS.ReadStream };
    await expect(readCredentials({ user: 'a@b.c', passwordStdin: true }, fake)).rejects.toThrow(/longer than 4,096 bytes/);
  });

  it('prompts on a terminal without echoing what is typed', async () => {
    const fake = io({ tty: true });
    const pending = readCredentials({ user: 'CORP\\admin' }, fake);
    (fake.stdin as unknown as PassThrough).write('hunter2x\x7f\r');
    await expect(pending).resolves.toEqual({ user: 'CORP\\admin', password: 'hunter2' });
    expect(fake.shown()).toBe('Password for CORP\\admin: \n');
  });

  it('refuses to go on without a password when there is no terminal to ask on', async () => {
    await expect(readCredentials({ user: 'a@b.c' }, io())).rejects.toThrow(/no password given/);
  });

  it('refuses an empty password, which AD would take as an anonymous bind', async () => {
    await expect(readCredentials({ user: 'a@b.c' }, io({ env: { READINESS_PASSWORD: '' } }))).rejects.toThrow(/empty/);
  });
});
