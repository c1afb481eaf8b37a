import { defineCheck } from '../check.js';
import { attribute, partition, toPass } from '../evidence.js';
import type { AttributeName, Entry } from '../../model/entry.js';
import { CLOUD_SYNC_PREREQUISITES } from '../support/sources.js';
import { IDFIX_SUPPORTED_ERRORS, M365_PREPARE_DIRECTORY_SYNC, perObjectRule, type Problem } from '../support/hygiene.js';

/**
 * Maximum characters per value, from the Microsoft 365 directory-sync preparation page (IdFix uses
 * 255 for targetAddress and "less than 256" for displayName and mail; the stricter figure is not used).
 * sAMAccountName only matters for users without a UPN, whose Entra UPN is built from it.
 */
const LIMITS: readonly { attribute: AttributeName; name: string; max: number; onlyWithoutUpn?: boolean }[] = [
  { attribute: 'userprincipalname', name: 'userPrincipalName', max: 113 },
  { attribute: 'displayname', name: 'displayName', max: 256 },
  { attribute: 'givenname', name: 'givenName', max: 64 },
  { attribute: 'mail', name: 'mail', max: 256 },
  { attribute: 'mailnickname', name: 'mailNickname', max: 64 },
  { attribute: 'proxyaddresses', name: 'proxyAddresses', max: 256 },
  { attribute: 'targetaddress', name: 'targetAddress', max: 256 },
  { attribute: 'samaccountname', name: 'sAMAccountName', max: 20, onlyWithoutUpn: true },
];

function inspect(entry: Entry): Problem[] {
  const problems: Problem[] = [];
  const hasUpn = entry.has('userprincipalname');
  for (const limit of LIMITS) {
    if (limit.onlyWithoutUpn === true && (hasUpn || entry.kind !== 'user')) continue;
    for (const value of entry.texts(limit.attribute)) {
      if (value.length > limit.max) {
        problems.push({ kind: `${limit.name} longer than ${limit.max}`, detail: `${value.length} characters: ${value.slice(0, 40)}…`, attribute: limit.name, value });
      }
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
      'IdFix is stricter by one character for targetAddress (255) and says "less than 256" for displayName and mail; this check uses the Microsoft 365 page\'s figures.',
    remediation: 'Shorten each listed value in AD (or remove surplus proxy addresses), then rescan.',
    sources: [M365_PREPARE_DIRECTORY_SYNC, IDFIX_SUPPORTED_ERRORS, CLOUD_SYNC_PREREQUISITES],
    evidence: [partition('domain'), toPass(attribute('sAMAccountName', 'user'))],
    kinds: { 'too-long': {} },
  },
  create() {
    return perObjectRule('too-long', 'have values longer than Entra ID accepts', inspect);
  },
});
