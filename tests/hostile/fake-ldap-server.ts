import { createServer, type Server, type Socket } from 'node:net';

/**
 * A loopback server that speaks just enough LDAP (or deliberately not) to inject faults a real DC would
 * not produce on demand. Listens on 127.0.0.5 and above, away from the shared Samba DCs.
 */
export interface FakeServer {
  url: string;
  host: string;
  port: number;
  /** Connections accepted: one per attempt, so retries show. */
  accepted(): number;
  close(): Promise<void>;
}

export type Behaviour = (socket: Socket, request: LdapRequest) => void;

export interface LdapRequest {
  messageId: number;
  /** The protocol operation's application tag: 0 bind, 2 unbind, 3 search, 23 extended. */
  operation: number;
}

const BIND_RESPONSE = 1;
const SEARCH_DONE = 5;

function berLength(length: number): Buffer {
  if (length < 0x80) return Buffer.from([length]);
  const bytes: number[] = [];
  for (let rest = length; rest > 0; rest >>= 8) bytes.unshift(rest & 0xff);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

function tlv(tag: number, value: Buffer): Buffer {
  return Buffer.concat([Buffer.from([tag]), berLength(value.length), value]);
}

/** An LDAPResult-shaped response: result code, matched DN, diagnostic message. */
export function ldapResponse(messageId: number, operation: number, resultCode: number, diagnostic = ''): Buffer {
  const body = Buffer.concat([tlv(0x0a, Buffer.from([resultCode])), tlv(0x04, Buffer.alloc(0)), tlv(0x04, Buffer.from(diagnostic, 'utf8'))]);
  return tlv(0x30, Buffer.concat([tlv(0x02, Buffer.from([messageId])), tlv(0x60 | operation, body)]));
}

/** Reads the message id and operation of each complete request in `buffer`; returns what is left over. */
function readRequests(buffer: Buffer, onRequest: (request: LdapRequest) => void): Buffer {
  let rest = buffer;
  for (;;) {
    if (rest.length < 2 || rest[0] !== 0x30) return rest;
    const first = rest[1] ?? 0;
    const lengthBytes = first & 0x80 ? first & 0x7f : 0;
    if (rest.length < 2 + lengthBytes) return rest;
    const length = lengthBytes === 0 ? first : rest.subarray(2, 2 + lengthBytes).reduce((n, b) => n * 256 + b, 0);
    const start = 2 + lengthBytes;
    if (rest.length < start + length) return rest;
    const message = rest.subarray(start, start + length);
    const idLength = message[1] ?? 0;
    const messageId = message.subarray(2, 2 + idLength).reduce((n, b) => n * 256 + b, 0);
    onRequest({ messageId, operation: (message[2 + idLength] ?? 0) & 0x1f });
    rest = rest.subarray(start + length);
  }
}

export async function fakeServer(host: string, behaviour: Behaviour): Promise<FakeServer> {
  let accepted = 0;
  const open = new Set<Socket>();
  const server: Server = createServer((socket) => {
    accepted++;
    open.add(socket);
    socket.on('close', () => open.delete(socket));
    socket.on('error', () => undefined);
    let pending: Buffer = Buffer.alloc(0);
    socket.on('data', (chunk: Buffer) => {
      pending = readRequests(Buffer.concat([pending, chunk]), (request) => behaviour(socket, request));
    });
  });
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(0, host, resolve));
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  return {
    url: `ldap://${host}:${port}`,
    host,
    port,
    accepted: () => accepted,
    close: () =>
      new Promise((resolve) => {
        for (const socket of open) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** Binds succeed; every search ends at once with no entry (so no RootDSE). */
export const bindsButFindsNothing: Behaviour = (socket, request) => {
  if (request.operation === 0) socket.write(ldapResponse(request.messageId, BIND_RESPONSE, 0));
  if (request.operation === 3) socket.write(ldapResponse(request.messageId, SEARCH_DONE, 0));
};

/** Answers the first request with an HTTP error page, as a web server on the wrong port would. */
export const answersGarbage: Behaviour = (socket) => {
  socket.write('HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n');
};

/** Reads every request and never answers. */
export const neverAnswers: Behaviour = () => undefined;

/** AD's answer to a wrong password (49, sub-code 52e). */
export const WRONG_PASSWORD = { resultCode: 49, diagnostic: '80090308: LdapErr: DSID-0C090447, comment: AcceptSecurityContext error, data 52e, v3839' };

/** Refuses every bind with this result code and diagnostic message (which may echo what the client sent). */
export function refusesBind(refusal: { resultCode: number; diagnostic: string }): Behaviour {
  return (socket, request) => {
    if (request.operation === 0) socket.write(ldapResponse(request.messageId, BIND_RESPONSE, refusal.resultCode, refusal.diagnostic));
  };
}
