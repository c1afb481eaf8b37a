import { defineCheck } from '../check.js';
import { attribute, partition, toPass } from '../evidence.js';
import type { Entry } from '../../model/entry.js';
import { CLOUD_SYNC_PREREQUISITES, CONNECT_DEFAULT_CONFIGURATION } from '../support/sources.js';
import { checkSamAccountName, checkUpn, SAM_MAX, UPN_MAX_DOMAIN, UPN_MAX_USER } from '../support/address-syntax.js';
import { IDFIX_RULES, M365_PREPARE_DIRECTORY_SYNC, perObjectRule, type Problem, valueProblems } from '../support/hygiene.js';

type Kind = 'invalid-upn' | 'invalid-sam-account-name';

function inspect(entry: Entry): Problem<Kind>[] {
  const upn = entry.text('userprincipalname');
  if (upn !== undefined) return valueProblems('invalid-upn', 'userPrincipalName', upn, checkUpn(upn));
  // Without a UPN, Entra ID builds the sign-in name from sAMAccountName.
  const sam = entry.kind === 'user' ? entry.text('samaccountname') : undefined;
  return sam === undefined ? [] : valueProblems('invalid-sam-account-name', 'sAMAccountName', sam, checkSamAccountName(sam));
}

export default defineCheck({
  meta: {
    id: 'hygiene.upn-format',
    title: 'userPrincipalName values Entra ID will not accept as they are',
    severity: 'warning',
    category: 'hygiene',
    tags: ['hygiene', 'idfix'],
    rationale:
      `Entra ID needs an Internet-style UPN: one "@", not first; at most ${UPN_MAX_USER} characters before it and ${UPN_MAX_DOMAIN} after it; before it only ` +
      'letters, digits and \' . - _ ! # ^ ~ (so \\ % & * + / = ? { } | < > ( ) ; : , [ ] " $ ` and whitespace are out), no leading dot, no two dots in a row, ' +
      'not ending with ".", "&" or a space; after it a DNS name, not ending with "." (contoso.com. is not contoso.com); no accented letters. Invalid characters ' +
      `are replaced (Unicode becomes "_") or the object fails. A user without a UPN is created from sAMAccountName, which must then be valid (at most ${SAM_MAX} ` +
      'characters, none of [ ] \\ " | , / : < > + = ; ? * \'). IdFix 2.6.0.3 checks only the 113-character total, not the 64 and 48 limits its documentation ' +
      'names, and flags the apostrophe Microsoft allows; this check follows the Microsoft 365 page. The suggested value removes what is not allowed, folds ' +
      'accents, collapses dots and cuts the user name to 64 characters; it is offered only when it passes the same rules. Whether the suffix is routable is ' +
      'judged by identity.upn-suffix, the total length by hygiene.attribute-lengths, uniqueness by hygiene.duplicate-values.',
    remediation:
      'Correct each listed value in AD (the CSV fix list, --format csv, proposes a value where a mechanical repair exists), keeping a record of the old ' +
      'values for sign-in support, then rescan and compare with readiness diff.',
    sources: [M365_PREPARE_DIRECTORY_SYNC, CONNECT_DEFAULT_CONFIGURATION, IDFIX_RULES, CLOUD_SYNC_PREREQUISITES],
    evidence: [partition('domain'), toPass(attribute('sAMAccountName', 'user'))],
    kinds: {
      'invalid-upn': { title: 'userPrincipalName values Entra ID will not accept as they are' },
      'invalid-sam-account-name': { title: 'Users without a UPN whose sAMAccountName Entra ID cannot build one from' },
    },
  },
  create() {
    return perObjectRule<Kind>(
      {
        'invalid-upn': 'have a userPrincipalName Entra ID will not take as it is',
        'invalid-sam-account-name': 'have no UPN and a sAMAccountName Entra ID cannot build one from',
      },
      inspect,
    );
  },
});
