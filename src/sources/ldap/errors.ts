import { ResultCodeError } from 'ldapts';

/**
 * What went wrong talking to a DC, in words an administrator can act on. `transient` failures
 * (busy, unavailable, timeouts, a dropped connection) may succeed when tried again.
 */
export interface LdapFailure {
  message: string;
  hint: string;
  transient: boolean;
  /** No answer came in time: worth another try in the middle of a read, not when a DC never answered at all. */
  timedOut?: boolean;
}

/** Thrown by the connection wrapper when the socket closed under a running operation. */
export class ConnectionLostError extends Error {
  constructor(message = 'the connection to the DC was lost') {
    super(message);
    this.name = 'ConnectionLostError';
  }
}

/** AD's sub-codes in "data 52e," of an invalidCredentials (49) message. */
const BIND_SUB_CODES: Record<string, string> = {
  '525': 'the user does not exist',
  '52e': 'wrong user name or password',
  '530': 'the account may not log on at this time',
  '531': 'the account may not log on from this computer',
  '532': 'the password has expired',
  '533': 'the account is disabled',
  '701': 'the account has expired',
  '773': 'the password must be changed before the account can log on',
  '775': 'the account is locked out',
};

const TLS_TRUST_CODES = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_UNTRUSTED',
]);

const TLS_HINT = 'pass the CA that issued the DC certificate with --ca-file FILE (PEM); --insecure-skip-tls-verify only for a throwaway lab';

const NOT_LDAP = 'the server does not speak LDAP';

/** Destroys a socket on which what came back is not LDAP (an HTTP, SSH or SMTP server, say). */
export class ProtocolError extends Error {
  constructor() {
    super(NOT_LDAP);
    this.name = 'ProtocolError';
  }
}

/**
 * Turns anything ldapts or Node throws into one line and a hint. `server` is the URL the user gave
 * (never a credential). The secrets are removed from the server's own words before anything else is
 * done to them: normalising first could join a secret that contains a line break and let it through.
 */
export function explainLdapError(error: unknown, server: string, secrets: readonly string[] = []): LdapFailure {
  if (error instanceof ConnectionLostError) {
    return { message: `${server}: ${error.message}`, hint: 'check the network and the DC, then scan again', transient: true };
  }
  if (error instanceof ResultCodeError) return explainResultCode(error, server, secrets);
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  const text = oneLine(redact(error instanceof Error ? error.message : String(error), secrets));
  // ldapts hands the socket's error to the pending request inside a message of its own.
  if (error instanceof ProtocolError || text.includes(NOT_LDAP)) {
    return {
      message: `${server}: ${NOT_LDAP} (what it sent back is not an LDAP message)`,
      hint: 'check the host and port: 389 and 3268 speak LDAP, 636 and 3269 LDAPS',
      transient: false,
    };
  }
  if (code === 'ECONNREFUSED') {
    return {
      message: `${server} refused the connection`,
      hint: 'check the host and port (389 LDAP, 636 LDAPS, 3268/3269 Global Catalog) and that a firewall lets them through',
      transient: true,
    };
  }
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
    return {
      message: `${server}: the host name does not resolve`,
      hint: 'check the name, or pass the DC by IP address with --server',
      transient: code === 'EAI_AGAIN',
    };
  }
  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID') {
    return {
      message: `${server}: the DC's TLS certificate is not issued for this host name`,
      hint: 'connect with a name the certificate lists (usually the DC dnsHostName), or fix the certificate; ' + TLS_HINT,
      transient: false,
    };
  }
  if (code === 'CERT_HAS_EXPIRED') return { message: `${server}: the DC's TLS certificate has expired`, hint: 'renew the DC certificate', transient: false };
  if (code !== undefined && TLS_TRUST_CODES.has(code)) {
    return { message: `${server}: the DC's TLS certificate is not trusted (${code})`, hint: TLS_HINT, transient: false };
  }
  if (code === 'ECONNRESET' || code === 'EPIPE' || /Connection closed|Socket connection not established|Socket error/i.test(text)) {
    return {
      message: `${server}: the DC closed the connection`,
      hint: 'if this happens at once, check that the port speaks what the URL says (ldaps:// on 636/3269, ldap:// on 389/3268); otherwise scan again',
      transient: true,
    };
  }
  if (code === 'ETIMEDOUT' || /timed? ?out/i.test(text)) {
    return {
      message: `${server}: no answer in time (${text.replace(/^\w+: /, '')})`,
      hint: 'check that the DC is reachable and not overloaded (a firewall that drops packets also looks like this); --timeout SECONDS waits longer',
      transient: true,
      timedOut: true,
    };
  }
  if (/wrong version number|EPROTO|ssl3_get_record|packet length too long/i.test(text) || code === 'EPROTO') {
    return {
      message: `${server}: the TLS handshake failed`,
      hint: 'use ldaps:// only with the TLS ports (636, 3269), and --starttls only with 389 or 3268',
      transient: false,
    };
  }
  return { message: `${server}: ${text}`, hint: 'run again with READINESS_DEBUG=1 for details', transient: false };
}

function explainResultCode(error: ResultCodeError, server: string, secrets: readonly string[]): LdapFailure {
  const detail = oneLine(redact(error.message, secrets));
  switch (error.code) {
    case 49: {
      const sub = /data ([0-9a-f]{3}),/i.exec(detail)?.[1]?.toLowerCase();
      const reason = (sub === undefined ? undefined : BIND_SUB_CODES[sub]) ?? 'invalid credentials';
      return {
        message: `${server}: bind refused: ${reason}${sub === undefined ? '' : ` (AD code ${sub})`}`,
        hint: 'check --user (user@domain, DOMAIN\\user or a DN; a bare account name is refused) and the password in READINESS_PASSWORD or --password-stdin',
        transient: false,
      };
    }
    case 8:
    case 13:
      return {
        message: `${server}: the DC requires signing or TLS for a simple bind (${error.code === 8 ? 'strongerAuthRequired' : 'confidentialityRequired'})`,
        hint: 'use --starttls or an ldaps:// URL (port 636), with --ca-file if the DC certificate comes from a private CA',
        transient: false,
      };
    case 1:
      if (/00002020|without authentication|successful bind/i.test(detail)) {
        return { message: `${server}: the DC refuses to search without a bind`, hint: 'pass --user and a password', transient: false };
      }
      break;
    case 10:
      return {
        message: `${server}: the DC answered with a referral: it does not hold that naming context`,
        hint: 'point --server at a DC of the domain that holds it, or let the scan read it from the Global Catalog (--gc)',
        transient: false,
      };
    case 32:
      return { message: `${server}: the base object does not exist on this DC`, hint: 'check the naming contexts the RootDSE lists', transient: false };
    case 50:
      return {
        message: `${server}: access denied`,
        hint: 'the bind account needs read access to the whole forest (a member of Domain Users is enough by default); see docs/live-scan.md',
        transient: false,
      };
    case 3:
      return { message: `${server}: the DC stopped the search at its time limit`, hint: 'scan again when the DC is less busy', transient: true };
    case 11:
      return {
        message: `${server}: the DC's administrative limit was exceeded (MaxPageSize or MaxValRange policy)`,
        hint: 'scan again; if it persists, check the DC LDAP policies',
        transient: false,
      };
    case 51:
      return { message: `${server}: the DC is busy`, hint: 'scan again later or use another DC', transient: true };
    case 52:
      return { message: `${server}: the DC is unavailable (shutting down or not yet ready)`, hint: 'scan again later or use another DC', transient: true };
  }
  return { message: `${server}: LDAP error ${error.code}: ${detail}`, hint: 'run again with READINESS_DEBUG=1 for details', transient: false };
}

function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ').trim();
}

/**
 * Removes every secret from a text that is about to be shown, logged or put in a report, in any letter
 * case (a server may echo it upper-cased).
 */
export function redact(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) {
    if (secret.length > 0) out = out.replace(new RegExp(secret.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'giu'), '***');
  }
  return out;
}
