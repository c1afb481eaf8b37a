import { connect as connectTcp, isIP, type Socket } from 'node:net';
import { type ConnectionOptions, connect as connectTls } from 'node:tls';
import { BerWriter, Client, Control } from 'ldapts';
import { explicitBufferAttributes } from './attributes.js';
import { type Endpoint, type TlsTrust } from './endpoint.js';
import { ConnectionLostError, ProtocolError } from './errors.js';
import type { RawEntry } from './normalise.js';

/** AD's MaxPageSize: a DC never returns more per page, whatever the client asks. */
export const MAX_PAGE_SIZE = 1000;

export interface SearchRequest {
  base: string;
  scope: 'base' | 'sub';
  filter: string;
  attributes: readonly string[];
  pageSize: number;
}

/**
 * Everything the scanner may do on a DC. There is deliberately no add, modify, delete, rename,
 * compare or extended operation here: the tool is read-only by construction, not by promise.
 * `search` yields one page of entries at a time, as the server sends them.
 */
export interface ReadOnlyDirectory {
  bind(user: string, password: string): Promise<void>;
  search(request: SearchRequest): AsyncIterable<RawEntry[]>;
  unbind(): Promise<void>;
}

/**
 * LDAP_SERVER_SD_FLAGS_OID with DACL_SECURITY_INFORMATION: without it AD returns nTSecurityDescriptor
 * only to accounts that may read the SACL, so an ordinary account would see no descriptor at all.
 * Not critical: a server that does not know it just ignores it.
 */
class DaclOnlyControl extends Control {
  constructor() {
    super('1.2.840.113556.1.4.801', { critical: false });
  }

  protected override writeControl(writer: BerWriter): void {
    const value = new BerWriter();
    value.startSequence();
    value.writeInt(0x4);
    value.endSequence();
    writer.writeBuffer(value.buffer, 0x04);
  }
}

/** Opens a connection (and StartTLS when asked); bind is left to the caller. */
export type Connector = (endpoint: Endpoint) => Promise<ReadOnlyDirectory>;

export interface ConnectorOptions {
  trust: TlsTrust;
  /** How long one request may wait for its answer (`--timeout`); connecting waits at most CONNECT_TIMEOUT_MS of it. */
  operationTimeoutMs?: number;
}

export const DEFAULT_OPERATION_TIMEOUT_MS = 120_000;
const CONNECT_TIMEOUT_MS = 10_000;
/** Every LDAP message is a BER SEQUENCE: a first byte other than this is a server that does not speak LDAP. */
const LDAP_MESSAGE_TAG = 0x30;

/**
 * The ldapts connector. The Client stays inside this closure: the object handed out has only
 * bind, search and unbind, so no other part of the program can reach a write operation.
 */
export function ldaptsConnector(options: ConnectorOptions): Connector {
  return async (endpoint) => {
    const tls = tlsOptions(endpoint, options.trust);
    const timeout = options.operationTimeoutMs ?? DEFAULT_OPERATION_TIMEOUT_MS;
    const client = new Client({
      url: `${endpoint.tls === 'ldaps' ? 'ldaps' : 'ldap'}://${isIP(endpoint.host) === 6 ? `[${endpoint.host}]` : endpoint.host}:${endpoint.port}`,
      connectTimeout: Math.min(CONNECT_TIMEOUT_MS, timeout),
      timeout,
      // ldapts ignores what it cannot parse and waits for the timeout; a server that is not LDAP ends at its first byte.
      createConnection: ((port: number, host: string) => expectingLdap(connectTcp(port, host))) as typeof connectTcp,
      createSecureConnection: ((...args: Parameters<typeof connectTls>) => expectingLdap(connectTls(...args))) as typeof connectTls,
      // ldapts speaks TLS at once when tlsOptions is set, even on an ldap:// URL: only for LDAPS.
      ...(endpoint.tls === 'ldaps' ? { tlsOptions: tls } : {}),
    });
    if (endpoint.tls === 'starttls') {
      try {
        await client.startTLS(tls);
      } catch (error) {
        await client.unbind().catch(() => undefined);
        throw error;
      }
    }
    return wrap(client);
  };
}

function expectingLdap<T extends Socket>(socket: T): T {
  socket.once('data', (chunk: Buffer) => {
    if (chunk[0] !== LDAP_MESSAGE_TAG) socket.destroy(new ProtocolError());
  });
  return socket;
}

function wrap(client: Client): ReadOnlyDirectory {
  const buffers = explicitBufferAttributes();
  let bound = false;
  return {
    async bind(user, password) {
      await client.bind(user, password);
      bound = true;
    },
    async *search(request) {
      assertStillBound(client, bound);
      const pages = client.searchPaginated(
        request.base,
        {
          scope: request.scope,
          filter: request.filter,
          attributes: [...request.attributes],
          explicitBufferAttributes: buffers,
          paged: { pageSize: Math.min(request.pageSize, MAX_PAGE_SIZE) },
        },
        new DaclOnlyControl(),
      );
      // The next page is asked for before this one is handed on, so the DC prepares it while the
      // scan processes this one (at most two pages in memory).
      const iterator = pages[Symbol.asyncIterator]();
      try {
        for (let next = iterator.next(); ;) {
          const page = await next;
          if (page.done === true) return;
          assertStillBound(client, bound);
          next = iterator.next();
          next.catch(() => undefined); // surfaces at the await above, or not at all if the caller stops
          yield page.value.searchEntries;
        }
      } finally {
        await iterator.return?.(undefined).catch(() => undefined);
      }
    },
    async unbind() {
      bound = false;
      await client.unbind();
    },
  };
}

/**
 * ldapts reconnects on its own after a drop, unauthenticated and without StartTLS. A scan must
 * never go on over such a connection (it would read less, or in clear text), so it stops here.
 */
function assertStillBound(client: Client, bound: boolean): void {
  if (bound && !(client.isConnected && client.isBound)) throw new ConnectionLostError();
}

function tlsOptions(endpoint: Endpoint, trust: TlsTrust): ConnectionOptions {
  return {
    host: endpoint.host,
    // SNI takes names only; without servername Node would verify a StartTLS certificate against "localhost".
    ...(isIP(endpoint.host) === 0 ? { servername: endpoint.host } : {}),
    ...(trust.ca === undefined ? {} : { ca: [trust.ca] }),
    rejectUnauthorized: !trust.skipVerify,
  };
}
