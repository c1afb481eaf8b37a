import { defineCheck } from '../check.js';
import { attribute, partition, toPass } from '../evidence.js';
import type { Entry } from '../../model/entry.js';
import { CLOUD_SYNC_PREREQUISITES, CONNECT_DEFAULT_CONFIGURATION } from '../support/sources.js';
import { checkProxyAddress, checkSmtpAddress, parseProxyAddress } from '../support/address-syntax.js';
import { IDFIX_RULES, M365_PREPARE_DIRECTORY_SYNC, perObjectRule, type Problem, valueProblems } from '../support/hygiene.js';

type Kind = 'invalid-smtp-address' | 'invalid-proxy-address' | 'several-primary-addresses' | 'mail-nickname-leading-dot';

/** A proxyAddresses or targetAddress value: SMTP ones are addresses, other types are held to the characters. */
function addressProblems(attribute: string, value: string): Problem<Kind>[] {
  const finding = parseProxyAddress(value).type === 'smtp' ? 'invalid-smtp-address' : 'invalid-proxy-address';
  return valueProblems(finding, attribute, value, checkProxyAddress(value));
}

function inspect(entry: Entry): Problem<Kind>[] {
  const proxies = entry.texts('proxyaddresses');
  const problems = proxies.flatMap((value) => addressProblems('proxyAddresses', value));
  const target = entry.text('targetaddress');
  if (target !== undefined) problems.push(...addressProblems('targetAddress', target));
  const mail = entry.text('mail');
  if (mail !== undefined) problems.push(...valueProblems('invalid-smtp-address', 'mail', mail, checkSmtpAddress(mail)));
  // The first primary stays; the others are proposed as secondary ("smtp:") addresses.
  const primaries = proxies.filter((value) => parseProxyAddress(value).primary);
  for (const extra of primaries.slice(1)) {
    problems.push({
      finding: 'several-primary-addresses',
      kind: 'more than one primary (upper-case SMTP) address',
      attribute: 'proxyAddresses',
      value: extra,
      suggestion: `smtp:${parseProxyAddress(extra).address}`,
    });
  }
  const alias = entry.text('mailnickname');
  if (alias?.startsWith('.') === true) {
    const repaired = alias.replace(/^\.+/, '');
    problems.push({
      finding: 'mail-nickname-leading-dot',
      kind: 'mailNickname begins with "."',
      attribute: 'mailNickname',
      value: alias,
      ...(repaired === '' ? {} : { suggestion: repaired }),
    });
  }
  return problems;
}

export default defineCheck({
  meta: {
    id: 'hygiene.proxy-addresses',
    title: 'E-mail addresses (proxyAddresses, targetAddress, mail) and aliases Entra ID rejects',
    severity: 'warning',
    category: 'hygiene',
    tags: ['hygiene', 'idfix', 'exchange'],
    rationale:
      'Every proxyAddresses and targetAddress value must be free of whitespace, accented letters, control characters and < > ( ) ; , [ ] "; an SMTP address ' +
      '(an "smtp:" value, or mail) must also be a real address: one "@", no ":" after the type prefix (smtp:user:x@contoso.com is refused), an RFC 5322 ' +
      'dot-atom before the "@" (no leading, trailing or doubled dot), and a routable DNS name after it, not ending with ".". An object has at most one primary ' +
      '(upper-case "SMTP:") address, and mailNickname must not begin with ".". Invalid values are dropped or make the object fail. The characters a type needs ' +
      'stay legal: Exchange\'s X500 addresses contain spaces, parentheses and apostrophes ("/o=ExchangeLabs/ou=Exchange Administrative Group (FYDIBOHF23SPDLT)/..."), ' +
      'X400 addresses separate their fields with ";" and EUM addresses carry ";phone-context=". IdFix 2.6.0.3 no longer flags spaces and parentheses in X500 values ' +
      'but still flags the apostrophe, [ ] " and control characters. Contacts and distribution groups Connect does not synchronise (not mail-enabled) are skipped. ' +
      'Lengths are checked by hygiene.attribute-lengths, duplicates by hygiene.duplicate-values.',
    remediation:
      'Correct or remove the listed values with the Exchange management tools (or Set-ADUser -Remove @{proxyAddresses=...} when Exchange is gone); the CSV fix ' +
      'list (--format csv) proposes a repaired value where one exists. Then rescan and compare with readiness diff.',
    sources: [M365_PREPARE_DIRECTORY_SYNC, CONNECT_DEFAULT_CONFIGURATION, IDFIX_RULES, CLOUD_SYNC_PREREQUISITES],
    evidence: [partition('domain'), toPass(attribute('sAMAccountName', 'user'))],
    kinds: {
      'invalid-smtp-address': { title: 'SMTP addresses (proxyAddresses, targetAddress, mail) Entra ID will not take as they are' },
      'invalid-proxy-address': { title: 'Non-SMTP proxy addresses (X500, SIP, EUM ...) with characters Entra ID rejects' },
      'several-primary-addresses': { title: 'Objects with more than one primary SMTP address' },
      'mail-nickname-leading-dot': { title: 'mailNickname values beginning with "."' },
    },
  },
  create() {
    return perObjectRule<Kind>(
      {
        'invalid-smtp-address': 'have SMTP addresses Entra ID will not take as they are',
        'invalid-proxy-address': 'have non-SMTP proxy addresses Entra ID will not take as they are',
        'several-primary-addresses': 'have more than one primary SMTP address',
        'mail-nickname-leading-dot': 'have a mailNickname beginning with "."',
      },
      inspect,
    );
  },
});
