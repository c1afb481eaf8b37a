import { readValueHashKey, VALUE_HASH_KEY_ENV, ValueHashKeyError } from '../tenant/value-hash-key.js';
import { UserError } from './errors.js';
import { EXIT } from './exit-codes.js';

export interface ValueHashFlags {
  valueHashes?: boolean;
  valueHashKeyFile?: string;
}

export const VALUE_HASHES_HELP =
  'add keyed hashes (HMAC-SHA-256) of every value that must be unique in the tenant, so that reports made apart can be compared by readiness merge without sharing the values; the key comes from --value-hash-key-file or the environment variable ' +
  VALUE_HASH_KEY_ENV;
export const VALUE_HASH_KEY_FILE_HELP = 'the file holding the key the teams share for --value-hashes (at least 16 bytes; never on the command line)';

/** The --value-hashes key, read before any forest is; undefined without --value-hashes. */
export function valueHashKeyOf(flags: ValueHashFlags, env: NodeJS.ProcessEnv = process.env): Buffer | undefined {
  if (flags.valueHashes !== true) {
    if (flags.valueHashKeyFile !== undefined) throw new UserError('--value-hash-key-file is only read with --value-hashes', EXIT.usage, 'add --value-hashes');
    return undefined;
  }
  try {
    return readValueHashKey({ ...(flags.valueHashKeyFile === undefined ? {} : { keyFile: flags.valueHashKeyFile }), env });
  } catch (error) {
    if (error instanceof ValueHashKeyError) throw new UserError(error.message, EXIT.usage, 'every team scanning a forest of this tenant uses the same key');
    throw error;
  }
}
