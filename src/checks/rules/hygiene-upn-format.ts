import { defineCheck } from '../check.js';
import { attribute, partition, toPass } from '../evidence.js';
import type { Entry } from '../../model/entry.js';
import { CLOUD_SYNC_PREREQUISITES } from '../support/sources.js';
import { IDFIX_SUPPORTED_ERRORS, M365_PREPARE_DIRECTORY_SYNC, hasNonAscii, perObjectRule, type Problem } from '../support/hygiene.js';

// Microsoft 365's list of characters a UPN must not contain, plus whitespace.
const UPN_BAD_CHARACTERS = /[\s\\%&*+/=?{}|<>();:,[\]"]/g;
// Microsoft 365's list for sAMAccountName, which Entra ID falls back to when a user has no UPN.
const SAM_BAD_CHARACTERS = /[[\]\\"|,/:<>+=;?*']/g;
const MAX_USER_PART = 64;
const MAX_DOMAIN_PART = 48;
const MAX_SAM = 20;

function upnProblems(upn: string): Problem[] {
  const problems: Problem[] = [];
  const bad = [...new Set(upn.match(UPN_BAD_CHARACTERS) ?? [])];
  if (bad.length > 0) problems.push({ kind: 'invalid character', detail: bad.map((c) => JSON.stringify(c)).join(' ') });
  if (hasNonAscii(upn)) problems.push({ kind: 'non-ASCII or accented character' });
  const at = upn.lastIndexOf('@');
  if (at < 0) return [...problems, { kind: 'no "@"' }];
  if (upn.indexOf('@') === 0) problems.push({ kind: '"@" is the first character' });
  if (upn.indexOf('@') !== at) problems.push({ kind: 'more than one "@"' });
  const user = upn.slice(0, upn.indexOf('@'));
  const domain = upn.slice(at + 1);
  if (/[.&\s]$/.test(user)) problems.push({ kind: 'user name ends with ".", "&" or a space' });
  if (user.length > MAX_USER_PART) problems.push({ kind: `more than ${MAX_USER_PART} characters before "@"`, detail: `${user.length}` });
  if (domain.length > MAX_DOMAIN_PART) problems.push({ kind: `more than ${MAX_DOMAIN_PART} characters after "@"`, detail: `${domain.length}` });
  if (domain === '') problems.push({ kind: 'no domain after "@"' });
  return problems;
}

function samProblems(sam: string): Problem[] {
  const problems: Problem[] = [];
  const bad = [...new Set(sam.match(SAM_BAD_CHARACTERS) ?? [])];
  if (bad.length > 0) problems.push({ kind: 'no UPN, and sAMAccountName has an invalid character', detail: bad.map((c) => JSON.stringify(c)).join(' ') });
  if (sam.length > MAX_SAM) problems.push({ kind: `no UPN, and sAMAccountName is longer than ${MAX_SAM} characters`, detail: `${sam.length}` });
  return problems;
}

function inspect(entry: Entry): Problem[] {
  const upn = entry.text('userprincipalname');
  if (upn !== undefined) return upnProblems(upn).map((p) => ({ ...p, attribute: 'userPrincipalName', value: upn }));
  const sam = entry.kind === 'user' ? entry.text('samaccountname') : undefined;
  return sam === undefined ? [] : samProblems(sam).map((p) => ({ ...p, attribute: 'sAMAccountName', value: sam }));
}

export default defineCheck({
  meta: {
    id: 'hygiene.upn-format',
    title: 'userPrincipalName values Entra ID will not accept as they are',
    severity: 'warning',
    category: 'hygiene',
    tags: ['hygiene', 'idfix'],
    rationale:
      'Entra ID needs an Internet-style UPN: one "@", not first; at most 64 characters before it and 48 after it; none of \\ % & * + / = ? { } | < > ( ) ; : , [ ] " ' +
      'or whitespace; no accented letters; the user name must not end with ".", "&" or a space. Invalid characters are replaced (Unicode becomes "_") or the object fails. ' +
      'A user without a UPN is created from sAMAccountName, which must then be valid (at most 20 characters, none of [ ] \\ " | , / : < > + = ; ? * \'). ' +
      'Microsoft\'s pages disagree in the details: IdFix wants fewer than 64 and 48 characters and flags apostrophes, the Microsoft 365 page allows 64 and 48 and lists "\'" as allowed; ' +
      'this check follows the Microsoft 365 page. Whether the suffix is routable is judged by identity.upn-suffix, the total length by hygiene.attribute-lengths.',
    remediation:
      'Correct each listed UPN in AD (or give the user one), then rescan. IdFix can apply the same fixes in bulk; keep a record of the old values for sign-in support.',
    sources: [M365_PREPARE_DIRECTORY_SYNC, IDFIX_SUPPORTED_ERRORS, CLOUD_SYNC_PREREQUISITES],
    evidence: [partition('domain'), toPass(attribute('sAMAccountName', 'user'))],
    kinds: { 'invalid-upn': {} },
  },
  create() {
    return perObjectRule('invalid-upn', 'have a userPrincipalName (or, lacking one, a sAMAccountName) Entra ID will not take as it is', inspect);
  },
});
