import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  checkProxyAddress,
  checkSamAccountName,
  checkSmtpAddress,
  checkSmtpAddressRuleByRule,
  checkUpn,
  isRoutableDomain,
  parseProxyAddress,
} from '../../src/checks/support/address-syntax.js';

const kinds = (check: { problems: { kind: string }[] }): string[] => check.problems.map((p) => p.kind);

describe('SMTP addresses (proxyAddresses smtp:, targetAddress, mail)', () => {
  it.each([
    ['ada@contoso.com'],
    ["o'brien+news@contoso.com"],
    ['first.last@sub.contoso.co.uk'],
    ['a_b-c{}~`#$%&*/=?^|!@contoso.com'],
    ['ada@tenant.mail.onmicrosoft.com'],
  ])('%s is valid', (address) => {
    expect(checkSmtpAddress(address)).toEqual({ problems: [] });
  });

  it.each([
    ['user:x@contoso.com', '":" in the address after the type prefix', 'userx@contoso.com'],
    ['.ada@contoso.com', 'local part starts with "."', 'ada@contoso.com'],
    ['ada..lovelace@contoso.com', 'consecutive dots in the local part', 'ada.lovelace@contoso.com'],
    ['ada.@contoso.com', 'local part ends with "."', 'ada@contoso.com'],
    ['ada@contoso.com.', 'domain ends with "."', 'ada@contoso.com'],
    ['ada@.contoso.com', 'domain starts with "."', 'ada@contoso.com'],
    ['ada@contoso..com', 'consecutive dots in the domain', 'ada@contoso.com'],
    ['ada lovelace@contoso.com', 'invalid character', 'adalovelace@contoso.com'],
    ['ada"x"@contoso.com', 'invalid character', 'adax@contoso.com'],
    ['adé@contoso.com', 'non-ASCII character', 'ade@contoso.com'],
    ['ada@-contoso.com', 'invalid domain name', undefined],
    ['ada@contoso.local', 'non-routable domain', undefined],
    ['ada.contoso.com', 'not an address (user@domain)', undefined],
    ['ada@bob@contoso.com', 'not an address (user@domain)', 'adabob@contoso.com'],
  ])('%s: %s, suggested %s', (address, kind, suggestion) => {
    const check = checkSmtpAddress(address);
    expect(kinds(check)).toContain(kind);
    expect(check.suggestion).toBe(suggestion);
  });

  it.each([
    ['contoso.com', true],
    ['contoso.co.uk', true],
    ['tenant.mail.onmicrosoft.com', true],
    ['corp.local', false],
    ['ad.internal', false],
    ['contoso.test', false],
    ['corp', false],
    ['', false],
  ])('%s routable: %s', (domain, routable) => {
    expect(isRoutableDomain(domain)).toBe(routable);
  });

  it('splits proxy addresses by type and tells the primary SMTP address', () => {
    expect(parseProxyAddress('SMTP:Ada@Contoso.com')).toEqual({ type: 'smtp', prefix: 'SMTP', primary: true, address: 'Ada@Contoso.com' });
    expect(parseProxyAddress('smtp:ada@contoso.com').primary).toBe(false);
    expect(parseProxyAddress("X500:/o=Contoso/ou=Exchange Administrative Group (FYDIBOHF23SPDLT)/cn=O'Brien")).toMatchObject({ type: 'x500', primary: false });
    expect(parseProxyAddress('ada@contoso.com').type).toBe('');
  });

  it('a trailing dot does not pass the public-suffix test', () => {
    expect(isRoutableDomain('contoso.com')).toBe(true);
    expect(isRoutableDomain('contoso.com.')).toBe(false);
    expect(isRoutableDomain('.contoso.com')).toBe(false);
    expect(isRoutableDomain('contoso..com')).toBe(false);
    expect(isRoutableDomain('corp.local')).toBe(false);
  });

  it('the shortcut for plain addresses answers as the rules do, one by one', () => {
    // Mostly characters the shortcut accepts, so that many generated values take it, plus some it must refuse.
    const character = fc.constantFrom(...'aZ09.-_+@@..--', ' ', ':', 'é', '"', '(', ',', '\\', '\u0001');
    const part = fc.string({ unit: character, maxLength: 12 });
    const domain = fc.constantFrom('contoso.com', 'corp.local', 'a-b.co.uk', 'a--b.org', 'x.internal', 'localhost', '1.2.3.4', '');
    const address = fc.oneof(
      fc.tuple(part, domain).map(([local, d]) => `${local}@${d}`),
      fc.tuple(part, part).map(([a, b]) => a + b),
    );
    fc.assert(
      fc.property(address, (value) => {
        expect(checkSmtpAddress(value)).toEqual(checkSmtpAddressRuleByRule(value));
      }),
      { numRuns: 3000 },
    );
  });
});

describe('proxyAddresses of every type', () => {
  it.each([
    ['SMTP:ada@contoso.com'],
    ['X500:/o=ExchangeLabs/ou=Exchange Administrative Group (FYDIBOHF23SPDLT)/cn=Recipients/cn=5c5f3b0e-ada'],
    ["x500:/o=Contoso/ou=First Administrative Group/cn=Recipients/cn=O'Brien (Pat)"],
    ['X400:c=US;a= ;p=Contoso;o=Exchange;s=Lovelace;g=Ada;'],
    ['EUM:4711;phone-context=dialplan.contoso.com'],
    ['SIP:ada@contoso.com'],
    ['SPO:SPO_1c1c1c1c-0000-4000-8000-000000000000@SPO_2d2d2d2d-0000-4000-8000-000000000000'],
  ])('%s is valid', (value) => {
    expect(checkProxyAddress(value)).toEqual({ problems: [] });
  });

  it.each([
    ['smtp:user:x@contoso.com', '":" in the address after the type prefix', 'smtp:userx@contoso.com'],
    ['SIP:ada lovelace@contoso.com', 'invalid character', 'SIP:adalovelace@contoso.com'],
    ['sip:ada"x@contoso.com', 'invalid character', 'sip:adax@contoso.com'],
    ['X500:/o=Contoso/cn=Recipients/cn=a"b', 'invalid character', 'X500:/o=Contoso/cn=Recipients/cn=ab'],
    ['X500:/o=Contoso/cn=Recipients/cn=a[1]', 'invalid character', 'X500:/o=Contoso/cn=Recipients/cn=a1'],
    ['X500:/o=Contoso/cn=Recipients/cn=a\tb', 'control or invalid character', 'X500:/o=Contoso/cn=Recipients/cn=ab'],
    ['X400:c=US;a= ;p=Contoso;s=<Lovelace>;', 'invalid character', 'X400:c=US;a= ;p=Contoso;s=Lovelace;'],
    ['EUM:47 11;phone-context=dialplan.contoso.com', 'invalid character', 'EUM:4711;phone-context=dialplan.contoso.com'],
    ['SPO:SPO_a,b', 'invalid character', 'SPO:SPO_ab'],
    ['SIP:jürgen@contoso.com', 'non-ASCII character', 'SIP:jurgen@contoso.com'],
    ['ada@contoso.com', 'no address type (smtp:, x500: ...)', undefined],
    ['smtp:', 'empty address', ''],
  ])('%s: %s, suggested %s', (value, kind, suggestion) => {
    const check = checkProxyAddress(value);
    expect(kinds(check)).toContain(kind);
    expect(check.suggestion).toBe(suggestion);
  });
});

describe('userPrincipalName', () => {
  const user64 = 'a'.repeat(64);
  const domain48 = `${'d'.repeat(44)}.com`;
  it.each([["pat.o'brien@contoso.com"], ['a.b-c_d!e#f^g~h@contoso.com'], [`${user64}@contoso.com`], [`ada@${domain48}`]])('%s is valid', (upn) => {
    expect(checkUpn(upn)).toEqual({ problems: [] });
  });

  it.each([
    ['.ada@contoso.com', 'user name starts with "."', 'ada@contoso.com'],
    ['ada..lovelace@contoso.com', 'consecutive dots in the user name', 'ada.lovelace@contoso.com'],
    ['ada.@contoso.com', 'user name ends with ".", "&" or a space', 'ada@contoso.com'],
    ['ada@contoso.com.', 'suffix ends with "."', 'ada@contoso.com'],
    ['price$@contoso.com', 'invalid character', 'price@contoso.com'],
    ['back`tick@contoso.com', 'invalid character', 'backtick@contoso.com'],
    ['john doe@contoso.com', 'invalid character', 'johndoe@contoso.com'],
    ['ada@con_toso.com', 'invalid character', 'ada@contoso.com'],
    ['jürgen@contoso.com', 'non-ASCII or accented character', 'jurgen@contoso.com'],
    [`${user64}b@contoso.com`, 'more than 64 characters before "@"', `${user64}@contoso.com`],
    [`ada@d${domain48}`, 'more than 48 characters after "@"', undefined],
    ['@contoso.com', '"@" is the first character', undefined],
    ['ada.contoso.com', 'no "@"', undefined],
  ])('%s: %s, suggested %s', (upn, kind, suggestion) => {
    const check = checkUpn(upn);
    expect(kinds(check)).toContain(kind);
    expect(check.suggestion).toBe(suggestion);
  });
});

describe('sAMAccountName of a user without a UPN', () => {
  it('20 characters pass, 21 are cut to 20; forbidden characters are removed', () => {
    expect(checkSamAccountName('a'.repeat(20))).toEqual({ problems: [] });
    expect(checkSamAccountName('a'.repeat(21))).toMatchObject({ suggestion: 'a'.repeat(20) });
    expect(checkSamAccountName("o'brien*")).toMatchObject({ problems: [{ kind: 'invalid character' }], suggestion: 'obrien' });
  });
});
