import { openSync, readSync, closeSync, fstatSync } from 'node:fs';

/** The environment variable that holds the --value-hashes key (a key on the command line would show in ps and shell history). */
export const VALUE_HASH_KEY_ENV = 'READINESS_VALUE_HASH_KEY';
/** 128 bits: a shorter key would let anyone holding a report guess values by trying them. */
export const MIN_VALUE_HASH_KEY_BYTES = 16;
const MAX_KEY_FILE_BYTES = 4096;

/** A key that cannot be used: the message says where it came from and what to do; it never holds the key. */
export class ValueHashKeyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ValueHashKeyError';
  }
}

/**
 * The key the teams share for --value-hashes: the key file's contents (--value-hash-key-file, one trailing
 * newline dropped) or else the environment variable's value, as UTF-8 bytes.
 */
export function readValueHashKey(source: { keyFile?: string; env: NodeJS.ProcessEnv }): Buffer {
  const key = source.keyFile === undefined ? fromEnvironment(source.env) : fromFile(source.keyFile);
  const where = source.keyFile === undefined ? VALUE_HASH_KEY_ENV : source.keyFile;
  if (key.length < MIN_VALUE_HASH_KEY_BYTES) {
    throw new ValueHashKeyError(
      `the value-hash key in ${where} is ${key.length} bytes long; use at least ${MIN_VALUE_HASH_KEY_BYTES} random bytes (for example: openssl rand -base64 32), the same for every team`,
    );
  }
  return key;
}

function fromEnvironment(env: NodeJS.ProcessEnv): Buffer {
  const value = env[VALUE_HASH_KEY_ENV];
  if (value === undefined || value === '') {
    throw new ValueHashKeyError(`--value-hashes needs a key: set ${VALUE_HASH_KEY_ENV}, or name a file holding it with --value-hash-key-file`);
  }
  return Buffer.from(value, 'utf8');
}

/** Reads at most MAX_KEY_FILE_BYTES + 1 bytes: a key file is small, and /dev/zero or a log file given by mistake must not be read whole. */
function fromFile(path: string): Buffer {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (error) {
    throw new ValueHashKeyError(`cannot read the value-hash key file ${path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
  try {
    if (fstatSync(fd).isDirectory()) throw new ValueHashKeyError(`the value-hash key file ${path} is a folder; name the file that holds the key`);
    const buffer = Buffer.alloc(MAX_KEY_FILE_BYTES + 1);
    let length = 0;
    let read: number;
    do {
      read = readSync(fd, buffer, length, buffer.length - length, null);
      length += read;
    } while (read > 0 && length < buffer.length);
    if (length > MAX_KEY_FILE_BYTES) {
      throw new ValueHashKeyError(`the value-hash key file ${path} is larger than ${MAX_KEY_FILE_BYTES} bytes; it should hold only the key`);
    }
    const content = buffer.subarray(0, length);
    const end = content.at(-1) === 0x0a ? (content.at(-2) === 0x0d ? length - 2 : length - 1) : length;
    return Buffer.from(content.subarray(0, end));
  } finally {
    closeSync(fd);
  }
}
