import {
  BusyError,
  ConfidentialityRequiredError,
  InsufficientAccessError,
  InvalidCredentialsError,
  NoSuchObjectError,
  OperationsError,
  StrongAuthRequiredError,
  UnavailableError,
  UnknownStatusCodeError,
} from 'ldapts';
import { describe, expect, it } from 'vitest';
import { ConnectionLostError, explainLdapError, redact } from '../../src/sources/ldap/errors.js';

const URL = 'ldaps://dc1.example.test:636';
const adBindError = (code: string) =>
  new InvalidCredentialsError(`80090308: LdapErr: DSID-0C0903A9, comment: AcceptSecurityContext error, data ${code}, v1db1`);
const nodeError = (code: string, message = code) => Object.assign(new Error(message), { code });

describe('explainLdapError', () => {
  it.each([
    ['52e', 'wrong user name or password'],
    ['525', 'the user does not exist'],
    ['533', 'the account is disabled'],
    ['701', 'the account has expired'],
    ['773', 'the password must be changed'],
    ['775', 'the account is locked out'],
  ])('reads AD bind sub-code %s from the message', (code, words) => {
    const failure = explainLdapError(adBindError(code), URL);
    expect(failure.message).toContain(words);
    expect(failure.message).toContain(`AD code ${code}`);
    expect(failure.hint).toMatch(/--user/);
    expect(failure.transient).toBe(false);
  });

  it('explains invalid credentials without a sub-code', () => {
    expect(explainLdapError(new InvalidCredentialsError('Invalid credentials'), URL).message).toBe(`${URL}: bind refused: invalid credentials`);
  });

  it.each([new StrongAuthRequiredError('BindSimple: Transport encryption required.'), new ConfidentialityRequiredError('x')])(
    'tells to use StartTLS or LDAPS on %s',
    (error) => {
      const failure = explainLdapError(error, URL);
      expect(failure.message).toMatch(/requires signing or TLS/);
      expect(failure.hint).toMatch(/--starttls or an ldaps:\/\//);
    },
  );

  it.each([
    ['ERR_TLS_CERT_ALTNAME_INVALID', /not issued for this host name/],
    ['UNABLE_TO_VERIFY_LEAF_SIGNATURE', /not trusted/],
    ['SELF_SIGNED_CERT_IN_CHAIN', /not trusted/],
    ['DEPTH_ZERO_SELF_SIGNED_CERT', /not trusted/],
  ])('points TLS failure %s to --ca-file', (code, message) => {
    const failure = explainLdapError(nodeError(code), URL);
    expect(failure.message).toMatch(message);
    expect(failure.hint).toMatch(/--ca-file/);
    expect(failure.transient).toBe(false);
  });

  it('names ports and the firewall when the connection is refused', () => {
    const failure = explainLdapError(nodeError('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:389'), URL);
    expect(failure).toMatchObject({ message: `${URL} refused the connection`, transient: true });
    expect(failure.hint).toMatch(/389.*636.*3268/);
  });

  it.each([new Error('BindRequest: Operation timed out'), new Error('Connection timeout'), nodeError('ETIMEDOUT')])(
    'treats %s as a transient timeout',
    (error) => {
      const failure = explainLdapError(error, URL);
      expect(failure.message).toMatch(/no answer in time/);
      expect(failure.transient).toBe(true);
    },
  );

  it('explains a referral (code 10)', () => {
    const failure = explainLdapError(new UnknownStatusCodeError(10, 'Referral'), URL);
    expect(failure.message).toMatch(/referral/);
    expect(failure.hint).toMatch(/--server|--gc/);
  });

  it.each([
    [new BusyError('busy'), /busy/],
    [new UnavailableError('unavailable'), /unavailable/],
  ])('retries busy and unavailable DCs: %s', (error, message) => {
    const failure = explainLdapError(error, URL);
    expect(failure.message).toMatch(message);
    expect(failure.transient).toBe(true);
  });

  it('explains a lost connection as transient', () => {
    expect(explainLdapError(new ConnectionLostError(), URL)).toMatchObject({ transient: true, message: `${URL}: the connection to the DC was lost` });
    expect(explainLdapError(new Error('Connection closed before message response was received. Message type: SearchRequest (0x63)'), URL).transient).toBe(true);
  });

  it('explains denied reads, missing bases and searches without a bind', () => {
    expect(explainLdapError(new InsufficientAccessError('x'), URL).message).toMatch(/access denied/);
    expect(explainLdapError(new NoSuchObjectError('x'), URL).message).toMatch(/does not exist/);
    expect(explainLdapError(new OperationsError('00002020: Operation unavailable without authentication'), URL).hint).toMatch(/--user/);
  });

  it('keeps every explanation to one line', () => {
    const all = [
      adBindError('52e'),
      new StrongAuthRequiredError('x'),
      nodeError('ECONNREFUSED'),
      new Error('Socket error. Message type: SearchRequest (0x63)\nread ECONNRESET'),
    ].map((e) => explainLdapError(e, URL));
    for (const failure of all) expect(failure.message).not.toContain('\n');
  });
});

describe('redact', () => {
  it('removes every occurrence of every secret', () => {
    expect(redact('pw=hunter2, again hunter2', ['hunter2'])).toBe('pw=***, again ***');
    expect(redact('nothing here', [''])).toBe('nothing here');
  });
});
