import { promises as fs } from 'node:fs';
import type { ForestGroup } from '../inventory/forest-groups.js';
import { DnSyntaxError, dnKey, dnToDnsName } from '../model/dn.js';
import { ldaptsConnector } from '../sources/ldap/directory.js';
import { type Endpoint, EndpointSyntaxError, endpointUrl, globalCatalogOf, parseEndpoint } from '../sources/ldap/endpoint.js';
import { type Credentials, LdapSource } from '../sources/ldap/source.js';
import { SourceUnavailableError } from '../sources/source.js';
import { readCredentials } from './credentials.js';
import { UserError } from './errors.js';
import { EXIT } from './exit-codes.js';
import { type ForestConnection, loadForestsFile, MAX_TIMEOUT_SECONDS } from './forests-file.js';

export interface LiveFlags {
  /** Repeatable: one DC per forest. */
  server?: string[];
  url?: string[];
  /** A YAML file naming, per forest, the DC, TLS options, bind account and the variable holding its password. */
  forests?: string;
  starttls?: boolean;
  caFile?: string;
  insecureSkipTlsVerify?: boolean;
  gc?: string;
  user?: string;
  passwordStdin?: boolean;
  timeout?: string;
}

/** The flags a forests file sets per forest, which the command line must then leave alone. */
const PER_FOREST_FLAGS: readonly [keyof LiveFlags, string][] = [
  ['server', '--server'],
  ['url', '--url'],
  ['starttls', '--starttls'],
  ['caFile', '--ca-file'],
  ['insecureSkipTlsVerify', '--insecure-skip-tls-verify'],
  ['gc', '--gc'],
  ['user', '--user'],
  ['passwordStdin', '--password-stdin'],
  ['timeout', '--timeout'],
];

/** How to read one forest: its DC, the TLS and bind settings, and where messages about it say it came from. */
interface LiveForest {
  /** Prefix of every message about this forest: "" on the command line, "FILE, forest N: " from a forests file. */
  where: string;
  endpoint: Endpoint;
  caFile: string | undefined;
  skipVerify: boolean;
  gc: string | undefined;
  operationTimeoutMs: number | undefined;
  credentials: Credentials;
}

export function isLiveScan(flags: LiveFlags): boolean {
  return flags.server !== undefined || flags.url !== undefined || flags.forests !== undefined;
}

/**
 * One group per forest: each --server or --url, or each entry of --forests FILE. Every DC is connected to and
 * bound before any forest is read, so a wrong password for the third forest is a usage error (exit 2) up front,
 * not after an hour of reading the first two.
 */
export async function openLiveForests(flags: LiveFlags): Promise<ForestGroup[]> {
  const forests = flags.forests === undefined ? await forestsFromFlags(flags) : await forestsFromFile(flags.forests, flags);
  const opened: LdapSource[] = [];
  try {
    for (const forest of forests) {
      const source = await openForest(forest);
      const earlier = [...opened];
      // Kept before the check, so that a refusal releases this connection too: a bound one keeps the process alive.
      opened.push(source);
      refuseSecondDcOfOneForest(source, forest, earlier);
      if (forests.length > 1) await source.release();
    }
  } catch (error) {
    await Promise.all(opened.map((source) => source.release()));
    throw error;
  }
  return opened.map(groupOf);
}

/** A live forest as the scan loop takes it: named by the DC's forest root, its partitions those the DC holds. */
function groupOf(source: LdapSource): ForestGroup {
  const root = source.forestRoot();
  let forest: string | undefined;
  let partitions: string[];
  try {
    forest = root === undefined ? undefined : dnToDnsName(root) || undefined;
    partitions = source.namingContexts().map(dnKey);
  } catch (error) {
    // A malformed DN in the RootDSE names nothing; the scan reports what it reads.
    if (!(error instanceof DnSyntaxError)) throw error;
    return { sources: [source] };
  }
  return { sources: [source], ...(forest === undefined ? {} : { forest }), partitions };
}

/** Two DCs of one forest would read it twice, as two forests with the same objects: said before anything is read. */
function refuseSecondDcOfOneForest(source: LdapSource, forest: LiveForest, opened: readonly LdapSource[]): void {
  const root = source.forestRoot();
  if (root === undefined) return;
  // Compared and shown as the DCs wrote them: a malformed DN from a DC must not stop the scan here.
  const earlier = opened.find((o) => o.forestRoot()?.toLowerCase() === root.toLowerCase());
  if (earlier === undefined) return;
  throw new UserError(
    `${forest.where}${source.label} and ${earlier.label} are DCs of the same forest (its root domain is ${root})`,
    EXIT.usage,
    'name one DC per forest: the forest is read whole from any one of its DCs',
  );
}

/** --server and --url, each given once per forest; all of them read with the same TLS options and bind account. */
async function forestsFromFlags(flags: LiveFlags): Promise<LiveForest[]> {
  const servers = flags.server ?? [];
  const urls = flags.url ?? [];
  if (servers.length > 0 && urls.length > 0) throw new UserError('give --server or --url, not both', EXIT.usage, 'repeat one of them, once per forest');
  if (flags.gc !== undefined && servers.length + urls.length > 1) {
    throw new UserError(
      "--gc names one forest's Global Catalog, but several DCs were given",
      EXIT.usage,
      "name each forest's GC in a forests file (--forests FILE, key gc)",
    );
  }
  const endpoints = [...servers.map((server) => ({ server })), ...urls.map((url) => ({ url }))].map((given) =>
    endpointOf({ ...given, starttls: flags.starttls, gc: flags.gc }, ''),
  );
  const operationTimeoutMs = timeoutFromFlag(flags.timeout);
  const credentials = await readCredentials({ user: flags.user, passwordStdin: flags.passwordStdin });
  return endpoints.map((endpoint) => ({
    where: '',
    endpoint,
    caFile: flags.caFile,
    skipVerify: flags.insecureSkipTlsVerify === true,
    gc: flags.gc,
    operationTimeoutMs,
    credentials,
  }));
}

async function forestsFromFile(path: string, flags: LiveFlags): Promise<LiveForest[]> {
  const clash = PER_FOREST_FLAGS.find(([key]) => flags[key] !== undefined);
  if (clash !== undefined) {
    throw new UserError(`--forests and ${clash[1]} cannot be combined`, EXIT.usage, `the forests file sets ${clash[1]} per forest; set it there`);
  }
  const connections = loadForestsFile(path);
  const forests: LiveForest[] = [];
  // One after another: each may prompt for its password on the terminal.
  for (const connection of connections) forests.push(await forestOf(connection));
  return forests;
}

async function forestOf(connection: ForestConnection): Promise<LiveForest> {
  const where = `${connection.where}: `;
  const endpoint = endpointOf(connection, where);
  // The file's schema has bounded the timeout already.
  const operationTimeoutMs = connection.timeout === undefined ? undefined : Math.round(connection.timeout * 1000);
  let credentials: Credentials;
  try {
    credentials = await readCredentials({ user: connection.user, ...(connection.passwordEnv === undefined ? {} : { passwordEnv: connection.passwordEnv }) });
  } catch (error) {
    if (error instanceof UserError) throw new UserError(`${where}${error.message}`, error.exitCode, error.hint);
    throw error;
  }
  return {
    where,
    endpoint,
    caFile: connection.caFile,
    skipVerify: connection.insecureSkipTlsVerify === true,
    gc: connection.gc,
    operationTimeoutMs,
    credentials,
  };
}

/** Connects and binds before the scan starts, so an unreachable DC or a refused bind is a usage error (exit 2). */
async function openForest(forest: LiveForest): Promise<LdapSource> {
  const url = endpointUrl(forest.endpoint);
  if (forest.skipVerify) {
    process.stderr.write(
      `readiness: WARNING: ${forest.where}${forest.where === '' ? '--insecure-skip-tls-verify' : 'insecureSkipTlsVerify'}: the DC certificate is NOT checked (${url}); anyone on the network path can read the password and the directory\n`,
    );
  } else if (forest.endpoint.tls === 'none') {
    process.stderr.write(
      `readiness: warning: ${forest.where}${url}: simple bind over plain LDAP sends the password unencrypted; use StartTLS or an ldaps:// URL\n`,
    );
  }
  const connect = ldaptsConnector({
    trust: { ...(await readCaFile(forest.caFile, forest.where)), skipVerify: forest.skipVerify },
    ...(forest.operationTimeoutMs === undefined ? {} : { operationTimeoutMs: forest.operationTimeoutMs }),
  });
  const source = new LdapSource({
    endpoint: forest.endpoint,
    credentials: forest.credentials,
    connect,
    ...(forest.gc === undefined ? {} : { globalCatalog: forest.gc }),
  });
  try {
    await source.open();
  } catch (error) {
    if (error instanceof SourceUnavailableError) throw new UserError(`${forest.where}${error.message}`, EXIT.usage, error.hint);
    throw error;
  }
  return source;
}

function endpointOf(given: { server?: string; url?: string; starttls?: boolean; gc?: string }, where: string): Endpoint {
  try {
    const endpoint = parseEndpoint({ server: given.server, url: given.url, startTls: given.starttls === true });
    if (given.gc !== undefined) globalCatalogOf(endpoint, given.gc);
    return endpoint;
  } catch (error) {
    if (error instanceof EndpointSyntaxError) {
      const example =
        where === ''
          ? 'e.g. --server dc1.example.com, --url ldaps://dc1.example.com, --gc gc1.example.com:3268'
          : 'e.g. server: dc1.example.com, url: ldaps://dc1.example.com, gc: gc1.example.com:3268';
      throw new UserError(`${where}${error.message}`, EXIT.usage, example);
    }
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

async function readCaFile(path: string | undefined, where: string): Promise<{ ca?: string }> {
  if (path === undefined) return {};
  try {
    return { ca: await fs.readFile(path, 'utf8') };
  } catch (error) {
    throw new UserError(
      `${where}${where === '' ? '--ca-file ' : 'caFile '}${path}: cannot be read (${(error as NodeJS.ErrnoException).code ?? 'unknown error'})`,
      EXIT.usage,
      'pass the PEM file of the CA that issued the DC certificate',
    );
  }
}
