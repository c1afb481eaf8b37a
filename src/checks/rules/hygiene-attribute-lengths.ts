import { defineCheck } from '../check.js';
import { attribute, partition, toPass } from '../evidence.js';
import type { AttributeName, Entry } from '../../model/entry.js';
import { CLOUD_SYNC_PREREQUISITES, CONNECT_DEFAULT_CONFIGURATION } from '../support/sources.js';
import { IDFIX_RULES, M365_PREPARE_DIRECTORY_SYNC, perObjectRule, type Problem } from '../support/hygiene.js';

/**
 * Maximum characters per value, from the Microsoft 365 directory-sync preparation page. sAMAccountName only
 * matters for users without a UPN, whose Entra UPN is built from it. Names are proposed cut to the limit;
 * addresses are not, since a cut address is another address.
 */
const LIMITS: readonly { attribute: AttributeName; name: string; max: number; onlyWithoutUpn?: boolean; cut?: boolean }[] = [
  { attribute: 'userprincipalname', name: 'userPrincipalName', max: 113 },
  { attribute: 'displayname', name: 'displayName', max: 256, cut: true },
  { attribute: 'givenname', name: 'givenName', max: 64, cut: true },
  { attribute: 'mail', name: 'mail', max: 256 },
  { attribute: 'mailnickname', name: 'mailNickname', max: 64, cut: true },
  { attribute: 'proxyaddresses', name: 'proxyAddresses', max: 256 },
  { attribute: 'targetaddress', name: 'targetAddress', max: 256 },
  { attribute: 'samaccountname', name: 'sAMAccountName', max: 20, onlyWithoutUpn: true, cut: true },
];

function inspect(entry: Entry): Problem<'too-long'>[] {
  const problems: Problem<'too-long'>[] = [];
  const hasUpn = entry.has('userprincipalname');
  for (const limit of LIMITS) {
    if (limit.onlyWithoutUpn === true && (hasUpn || entry.kind !== 'user')) continue;
    for (const value of entry.texts(limit.attribute)) {
      if (value.length <= limit.max) continue;
      problems.push({
        finding: 'too-long',
        kind: `${limit.name} longer than ${limit.max}`,
        detail: `${value.length} characters: ${value.slice(0, 40)}…`,
        attribute: limit.name,
        value,
        ...(limit.cut === true ? { suggestion: value.slice(0, limit.max).trimEnd() } : {}),
      });
    }
  }
  return problems;
}

export default defineCheck({
  meta: {
    id: 'hygiene.attribute-lengths',
    title: 'Attribute values longer than Entra ID accepts',
    severity: 'warning',
    category: 'hygiene',
    tags: ['hygiene', 'idfix'],
    rationale:
      'Entra ID limits the length of synchronised values: userPrincipalName 113 characters, displayName 256, givenName 64, mail 256, mailNickname 64, ' +
      'each proxyAddresses value 256, targetAddress 256, and sAMAccountName 20 for a user without a UPN. A longer value makes the object fail to synchronise. ' +
      'IdFix 2.6.0.3 (multi-tenant rules) flags displayName and targetAddress over 255 and givenName over 63, one character stricter than the Microsoft 365 page, ' +
      'whose figures this check uses. Names (displayName, givenName, mailNickname, sAMAccountName) are proposed cut to the limit; addresses are not.',
    remediation: 'Shorten each listed value in AD (or remove surplus proxy addresses); the CSV fix list (--format csv) proposes the cut names. Then rescan.',
    sources: [M365_PREPARE_DIRECTORY_SYNC, CONNECT_DEFAULT_CONFIGURATION, IDFIX_RULES, CLOUD_SYNC_PREREQUISITES],
    evidence: [partition('domain'), toPass(attribute('sAMAccountName', 'user'))],
    kinds: { 'too-long': {} },
  },
  create() {
    return perObjectRule({ 'too-long': 'have values longer than Entra ID accepts' }, inspect);
  },
});
