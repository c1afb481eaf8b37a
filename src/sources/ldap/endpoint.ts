import { isIP } from 'node:net';

/** Where and how to reach one DC: plain LDAP (optionally upgraded with StartTLS) or LDAPS. */
export interface Endpoint {
  host: string;
  port: number;
  tls: 'none' | 'starttls' | 'ldaps';
}

/** How certificates are checked. `ca` replaces Node's bundled roots when given. */
export interface TlsTrust {
  ca?: string;
  skipVerify: boolean;
}

const LDAPS_PORTS = new Set([636, 3269]);
const NO_CREDENTIALS = 'put no credentials in the URL or server name: use --user and READINESS_PASSWORD (it was not repeated here)';
export const GC_PORT = 3268;
export const GC_TLS_PORT = 3269;

/** The server URL shown in the report and in messages: never carries a credential. */
export function endpointUrl(endpoint: Endpoint): string {
  const host = isIP(endpoint.host) === 6 ? `[${endpoint.host}]` : endpoint.host;
  return `${endpoint.tls === 'ldaps' ? 'ldaps' : 'ldap'}://${host}:${endpoint.port}`;
}

export class EndpointSyntaxError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EndpointSyntaxError';
  }
}

/**
 * `--server HOST[:PORT]` (ldap:// on 389; 636 and 3269 mean LDAPS) or `--url ldap://…|ldaps://…`.
 * StartTLS applies to plain LDAP only.
 */
export function parseEndpoint(input: { server?: string; url?: string; startTls: boolean; defaultPort?: number }): Endpoint {
  let endpoint: Endpoint;
  if (input.url !== undefined) {
    // Checked before anything is parsed, so that no message below can echo a password written into the URL.
    if (/^[^/]*\/\/[^/?#]*@/.test(input.url)) throw new EndpointSyntaxError(NO_CREDENTIALS);
    let url: URL;
    try {
      url = new URL(input.url);
    } catch {
      throw new EndpointSyntaxError(`"${input.url}" is not a URL like ldap://dc1.example.com or ldaps://dc1.example.com:636`);
    }
    if (url.protocol !== 'ldap:' && url.protocol !== 'ldaps:') throw new EndpointSyntaxError(`"${input.url}": only ldap:// and ldaps:// URLs are supported`);
    if ((url.pathname !== '' && url.pathname !== '/') || url.search !== '')
      throw new EndpointSyntaxError(`"${url.protocol}//${url.host}": give only the scheme, host and port`);
    const ldaps = url.protocol === 'ldaps:';
    endpoint = {
      host: stripBrackets(url.hostname),
      port: url.port === '' ? (ldaps ? 636 : (input.defaultPort ?? 389)) : Number(url.port),
      tls: ldaps ? 'ldaps' : 'none',
    };
  } else if (input.server !== undefined) {
    const { host, port } = splitHostPort(input.server);
    const chosen = port ?? input.defaultPort ?? 389;
    endpoint = { host, port: chosen, tls: LDAPS_PORTS.has(chosen) ? 'ldaps' : 'none' };
  } else {
    throw new EndpointSyntaxError('no server given');
  }
  if (input.startTls) {
    if (endpoint.tls === 'ldaps') throw new EndpointSyntaxError('--starttls is for ldap:// (389, 3268); ldaps:// is already encrypted');
    endpoint.tls = 'starttls';
  }
  return endpoint;
}

/**
 * The Global Catalog next to a DC: same host, 3268, with the same kind of transport security
 * (3269 when the DC was reached over LDAPS).
 */
export function globalCatalogOf(dc: Endpoint, explicit: string | undefined): Endpoint {
  if (explicit !== undefined) {
    const { host, port } = splitHostPort(explicit);
    const chosen = port ?? (dc.tls === 'ldaps' ? GC_TLS_PORT : GC_PORT);
    return { host, port: chosen, tls: LDAPS_PORTS.has(chosen) ? 'ldaps' : dc.tls === 'starttls' ? 'starttls' : 'none' };
  }
  return { host: dc.host, port: dc.tls === 'ldaps' ? GC_TLS_PORT : GC_PORT, tls: dc.tls };
}

/** Another DC reached the way the user reached the first one (same port and transport security). */
export function sameTransportTo(dc: Endpoint, host: string): Endpoint {
  return { ...dc, host };
}

function splitHostPort(value: string): { host: string; port: number | undefined } {
  if (value.includes('@')) throw new EndpointSyntaxError(NO_CREDENTIALS);
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(value);
  const plain = /^([^:\s/]+)(?::(\d+))?$/.exec(value);
  const match = bracketed ?? plain;
  if (match === null || match[1] === undefined) {
    throw new EndpointSyntaxError(`"${value}" is not HOST or HOST:PORT (use [::1]:389 for IPv6, or --url)`);
  }
  const port = match[2] === undefined ? undefined : Number(match[2]);
  if (port !== undefined && (port < 1 || port > 65535)) throw new EndpointSyntaxError(`"${value}": port out of range`);
  return { host: match[1], port };
}

function stripBrackets(host: string): string {
  return host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
}
