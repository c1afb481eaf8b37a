import { parseDn } from '../model/dn.js';
import type { Credentials } from '../sources/ldap/source.js';
import { UserError } from './errors.js';
import { EXIT } from './exit-codes.js';

export const PASSWORD_ENV = 'READINESS_PASSWORD';
/** Far above any AD password (256 characters); what comes past it without a line end is not a password. */
export const PASSWORD_STDIN_MAX_BYTES = 4096;

export interface CredentialFlags {
  user?: string;
  passwordStdin?: boolean;
  /** The environment variable holding the password: a forests file names one per forest; READINESS_PASSWORD otherwise. */
  passwordEnv?: string;
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
export async function readCredentials(
  flags: CredentialFlags,
  io: CredentialIo = { env: process.env, stdin: process.stdin, stderr: process.stderr },
): Promise<Credentials> {
  const user = checkUserName(flags.user);
  const password = await readPassword(flags, user, io);
  // AD treats a simple bind with an empty password as an anonymous bind that "succeeds".
  if (password === '')
    throw new UserError(
      'the password is empty',
      EXIT.usage,
      `an empty password would bind anonymously; set ${flags.passwordEnv ?? PASSWORD_ENV}${flags.passwordEnv === undefined ? ' or use --password-stdin' : ''}`,
    );
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
  throw new UserError(
    `--user "${name}" is a bare account name, which AD refuses for a simple bind`,
    EXIT.usage,
    `write it as ${name}@your.domain or DOMAIN\\${name}`,
  );
}

async function readPassword(flags: CredentialFlags, user: string, io: CredentialIo): Promise<string> {
  if (flags.passwordStdin === true) return readFirstLine(io.stdin, PASSWORD_STDIN_MAX_BYTES);
  const variable = flags.passwordEnv ?? PASSWORD_ENV;
  const fromEnv = io.env[variable];
  if (fromEnv !== undefined) return fromEnv;
  if (io.stdin.isTTY === true) return promptHidden(`Password for ${user}: `, io.stdin, io.stderr);
  if (flags.passwordEnv !== undefined)
    throw new UserError(`no password given: ${variable} is not set`, EXIT.usage, `set ${variable}, or run on a terminal to be asked`);
  throw new UserError('no password given', EXIT.usage, `set ${PASSWORD_ENV}, pipe it with --password-stdin, or run on a terminal to be asked`);
}

/**
 * The first line of a stream, without waiting for its end: `(echo pw; sleep 40) |` answers at once, and
 * `yes x |` stops at the cap. The stream is destroyed afterwards, so an open pipe does not keep the process alive.
 */
function readFirstLine(stream: NodeJS.ReadStream, maxBytes: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const finish = (outcome: { line: string } | { error: Error }): void => {
      stream.off('data', onData).off('end', onEnd).off('error', onError);
      stream.destroy();
      if ('line' in outcome) resolve(outcome.line.replace(/\r$/, ''));
      else reject(outcome.error);
    };
    const onData = (chunk: Buffer | string): void => {
      const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
      const end = bytes.indexOf(0x0a);
      const part = end === -1 ? bytes : bytes.subarray(0, end);
      size += part.length;
      if (size > maxBytes) {
        finish({
          error: new UserError(
            `--password-stdin: the first line is longer than ${maxBytes.toLocaleString('en-US')} bytes`,
            EXIT.usage,
            'pipe only the password, on one line',
          ),
        });
        return;
      }
      chunks.push(part);
      if (end !== -1) finish({ line: Buffer.concat(chunks).toString('utf8') });
    };
    const onEnd = (): void => finish({ line: Buffer.concat(chunks).toString('utf8') });
    const onError = (error: Error): void => finish({ error: new UserError(`--password-stdin: standard input cannot be read (${error.message})`, EXIT.usage) });
    stream.on('data', onData).on('end', onEnd).on('error', onError);
  });
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
