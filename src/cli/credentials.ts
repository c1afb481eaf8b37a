import { parseDn } from '../model/dn.js';
import type { Credentials } from '../sources/ldap/source.js';
import { UserError } from './errors.js';
import { EXIT } from './exit-codes.js';

export const PASSWORD_ENV = 'READINESS_PASSWORD';

export interface CredentialFlags {
  user?: string;
  passwordStdin?: boolean;
}

/** What credentials are read from; the real process by default, fakes in tests. */
export interface CredentialIo {
  env: NodeJS.ProcessEnv;
  stdin: NodeJS.ReadStream;
  stderr: NodeJS.WritableStream;
}

/**
 * The bind account and its password. The password never comes from argv (other users can read a
 * process's command line): it comes from READINESS_PASSWORD, from standard input with
 * --password-stdin, or from a prompt that does not echo.
 */
export async function readCredentials(flags: CredentialFlags, io: CredentialIo = { env: process.env, stdin: process.stdin, stderr: process.stderr }): Promise<Credentials> {
  const user = checkUserName(flags.user);
  const password = await readPassword(flags, user, io);
  // AD treats a simple bind with an empty password as an anonymous bind that "succeeds".
  if (password === '') throw new UserError('the password is empty', EXIT.usage, `an empty password would bind anonymously; set ${PASSWORD_ENV} or use --password-stdin`);
  return { user, password };
}

/** AD accepts user@domain, DOMAIN\user or a DN for a simple bind; a bare account name always fails with 52e. */
export function checkUserName(user: string | undefined): string {
  if (user === undefined || user.trim() === '') {
    throw new UserError('no bind account given', EXIT.usage, 'pass --user user@example.com (or DOMAIN\\user, or the account DN)');
  }
  const name = user.trim();
  if (/^[^@\s\\]+@[^@\s\\]+$/.test(name) || /^[^\\\s]+\\[^\\]+$/.test(name)) return name;
  if (name.includes('=')) {
    try {
      parseDn(name);
      return name;
    } catch {
      throw new UserError(`--user "${name}" is not a valid DN`, EXIT.usage, 'check the commas and escapes, or use user@domain');
    }
  }
  throw new UserError(`--user "${name}" is a bare account name, which AD refuses for a simple bind`, EXIT.usage, `write it as ${name}@your.domain or DOMAIN\\${name}`);
}

async function readPassword(flags: CredentialFlags, user: string, io: CredentialIo): Promise<string> {
  if (flags.passwordStdin === true) return stripLineEnd(await readAll(io.stdin));
  const fromEnv = io.env[PASSWORD_ENV];
  if (fromEnv !== undefined) return fromEnv;
  if (io.stdin.isTTY === true) return promptHidden(`Password for ${user}: `, io.stdin, io.stderr);
  throw new UserError('no password given', EXIT.usage, `set ${PASSWORD_ENV}, pipe it with --password-stdin, or run on a terminal to be asked`);
}

function stripLineEnd(text: string): string {
  return text.replace(/\r?\n$/, '');
}

async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  return Buffer.concat(chunks).toString('utf8');
}

/** Reads one line in raw mode so that nothing typed is echoed. */
function promptHidden(prompt: string, stdin: NodeJS.ReadStream, stderr: NodeJS.WritableStream): Promise<string> {
  stderr.write(prompt);
  return new Promise((resolve, reject) => {
    let typed = '';
    const finish = (error?: UserError): void => {
      stdin.off('data', onData);
      stdin.setRawMode(false);
      stdin.pause();
      stderr.write('\n');
      if (error === undefined) resolve(typed);
      else reject(error);
    };
    const onData = (chunk: Buffer | string): void => {
      for (const ch of chunk.toString()) {
        if (ch === '\r' || ch === '\n') return finish();
        if (ch === '\u0003' || ch === '\u0004') return finish(new UserError('cancelled at the password prompt', EXIT.usage));
        typed = ch === '\u007f' || ch === '\b' ? typed.slice(0, -1) : typed + ch;
      }
    };
    stdin.setRawMode(true);
    stdin.on('data', onData);
    stdin.resume();
  });
}
