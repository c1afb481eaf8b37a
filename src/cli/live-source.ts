import { promises as fs } from 'node:fs';
import { ldaptsConnector } from '../sources/ldap/directory.js';
import { type Endpoint, EndpointSyntaxError, globalCatalogOf, parseEndpoint } from '../sources/ldap/endpoint.js';
import { LdapSource } from '../sources/ldap/source.js';
import { SourceUnavailableError } from '../sources/source.js';
import { readCredentials } from './credentials.js';
import { UserError } from './errors.js';
import { EXIT } from './exit-codes.js';

export interface LiveFlags {
  server?: string;
  url?: string;
  starttls?: boolean;
  caFile?: string;
  insecureSkipTlsVerify?: boolean;
  gc?: string;
  user?: string;
  passwordStdin?: boolean;
  timeout?: string;
}

/** A day: enough for any DC that answers at all, small enough to be a number someone meant. */
const MAX_TIMEOUT_SECONDS = 86_400;

/** Connects and binds before the scan starts, so an unreachable DC or a refused bind is a usage error (exit 2). */
export async function openLdapSource(flags: LiveFlags): Promise<LdapSource> {
  const endpoint = endpointFromFlags(flags);
  const operationTimeoutMs = timeoutFromFlag(flags.timeout);
  const skipVerify = flags.insecureSkipTlsVerify === true;
  if (skipVerify) {
    process.stderr.write(
      'readiness: WARNING: --insecure-skip-tls-verify: the DC certificate is NOT checked; anyone on the network path can read the password and the directory\n',
    );
  } else if (endpoint.tls === 'none') {
    process.stderr.write('readiness: warning: simple bind over plain LDAP sends the password unencrypted; use --starttls or an ldaps:// URL\n');
  }
  const credentials = await readCredentials({ user: flags.user, passwordStdin: flags.passwordStdin });
  const connect = ldaptsConnector({
    trust: { ...(await readCaFile(flags.caFile)), skipVerify },
    ...(operationTimeoutMs === undefined ? {} : { operationTimeoutMs }),
  });
  const source = new LdapSource({ endpoint, credentials, connect, ...(flags.gc === undefined ? {} : { globalCatalog: flags.gc }) });
  try {
    await source.open();
  } catch (error) {
    if (error instanceof SourceUnavailableError) throw new UserError(error.message, EXIT.usage, error.hint);
    throw error;
  }
  return source;
}

function endpointFromFlags(flags: LiveFlags): Endpoint {
  if (flags.server !== undefined && flags.url !== undefined) throw new UserError('give --server or --url, not both', EXIT.usage);
  try {
    const endpoint = parseEndpoint({ server: flags.server, url: flags.url, startTls: flags.starttls === true });
    if (flags.gc !== undefined) globalCatalogOf(endpoint, flags.gc);
    return endpoint;
  } catch (error) {
    if (error instanceof EndpointSyntaxError)
      throw new UserError(error.message, EXIT.usage, 'e.g. --server dc1.example.com, --url ldaps://dc1.example.com, --gc gc1.example.com:3268');
    throw error;
  }
}

function timeoutFromFlag(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const seconds = Number(value);
  if (!Number.isFinite(seconds) || seconds <= 0 || seconds > MAX_TIMEOUT_SECONDS) {
    throw new UserError(
      `--timeout "${value}" is not a number of seconds between 0 and ${MAX_TIMEOUT_SECONDS.toLocaleString('en-US')}`,
      EXIT.usage,
      'e.g. --timeout 300 for a slow DC',
    );
  }
  return Math.round(seconds * 1000);
}

async function readCaFile(path: string | undefined): Promise<{ ca?: string }> {
  if (path === undefined) return {};
  try {
    return { ca: await fs.readFile(path, 'utf8') };
  } catch (error) {
    throw new UserError(
      `--ca-file ${path}: cannot be read (${(error as NodeJS.ErrnoException).code ?? 'unknown error'})`,
      EXIT.usage,
      'pass the PEM file of the CA that issued the DC certificate',
    );
  }
}
