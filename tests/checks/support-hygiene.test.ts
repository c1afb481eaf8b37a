import { describe, expect, it } from 'vitest';
import { Entry } from '../../src/model/entry.js';
import { hygieneSkipReason, isRoutableDomain, parseProxyAddress, smtpProblems } from '../../src/checks/support/hygiene.js';

function user(dn: string, attributes: Record<string, string>): Entry {
  const map = new Map<string, string[]>([['objectclass', ['top', 'person', 'organizationalPerson', 'user']]]);
  for (const [name, value] of Object.entries(attributes)) map.set(name, [value]);
  return new Entry(dn, map);
}

describe('hygiene support', () => {
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
    expect(parseProxyAddress('SMTP:Ada@Contoso.com')).toEqual({ type: 'smtp', primary: true, address: 'Ada@Contoso.com' });
    expect(parseProxyAddress('smtp:ada@contoso.com').primary).toBe(false);
    expect(parseProxyAddress('X500:/o=Contoso/ou=Exchange Administrative Group (FYDIBOHF23SPDLT)/cn=O\'Brien')).toMatchObject({ type: 'x500', primary: false });
    expect(parseProxyAddress('ada@contoso.com').type).toBe('');
  });

  it('holds SMTP addresses to the address rules', () => {
    expect(smtpProblems('ada@contoso.com')).toEqual([]);
    expect(smtpProblems('ada lovelace@contoso.com')).toEqual(['invalid character']);
    expect(smtpProblems('adä@contoso.com')).toEqual(['non-ASCII character']);
    expect(smtpProblems('ada@corp.local')).toEqual(['non-routable domain']);
    expect(smtpProblems('ada')).toEqual(['not an address (user@domain)']);
  });

  it("skips Connect's exclusions first, then IdFix's well-known names from sAMAccountName or the RDN", () => {
    expect(hygieneSkipReason(user('CN=Ada,OU=Staff,DC=x', { samaccountname: 'ada' }))).toBeUndefined();
    expect(hygieneSkipReason(user('CN=krbtgt,CN=Users,DC=x', { samaccountname: 'krbtgt', iscriticalsystemobject: 'TRUE' }))).toBe('critical-system-object');
    expect(hygieneSkipReason(user('CN=MSOL_0123456789ab,CN=Users,DC=x', { samaccountname: 'MSOL_0123456789ab' }))).toBe('connect-service-account');
    expect(hygieneSkipReason(user('CN=SystemMailbox{1f05a927},CN=Users,DC=x', { samaccountname: 'SM_abc' }))).toBe('idfix-well-known');
    expect(hygieneSkipReason(user('CN=Svc,CN=Users,DC=x', { samaccountname: 'svc$' }))).toBe('idfix-well-known');
    expect(hygieneSkipReason(user('CN=Ada\\0ACNF:1234,OU=Staff,DC=x', { samaccountname: 'ada' }))).toBe('conflict-object');
  });
});
