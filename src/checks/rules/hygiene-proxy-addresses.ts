import { defineCheck } from '../check.js';
import { attribute, partition, toPass } from '../evidence.js';
import type { Entry } from '../../model/entry.js';
import { CLOUD_SYNC_PREREQUISITES } from '../support/sources.js';
import { IDFIX_SUPPORTED_ERRORS, M365_PREPARE_DIRECTORY_SYNC, parseProxyAddress, perObjectRule, smtpProblems, type Problem } from '../support/hygiene.js';

/**
 * SMTP values are held to the address rules. Other types (X500, X400, SIP ...) follow their own
 * syntax: X500 legacyExchangeDN values contain spaces, parentheses and apostrophes legitimately
 * (IdFix flagged them until its 2.3 release), so they are only required to have a value.
 */
function addressProblems(attribute: string, value: string): Problem[] {
  const parsed = parseProxyAddress(value);
  const offending = { detail: value, attribute, value };
  if (parsed.type === '') return [{ kind: `${attribute} value without an address type (smtp:, x500: ...)`, ...offending }];
  if (parsed.address.trim() === '') return [{ kind: `${attribute} value with an empty address`, ...offending }];
  if (parsed.type !== 'smtp') return [];
  return smtpProblems(parsed.address).map((kind) => ({ kind: `${attribute} ${kind}`, ...offending }));
}

function inspect(entry: Entry): Problem[] {
  const proxies = entry.texts('proxyaddresses');
  const problems = proxies.flatMap((value) => addressProblems('proxyAddresses', value));
  const primaries = proxies.filter((value) => parseProxyAddress(value).primary);
  if (primaries.length > 1) problems.push({ kind: 'more than one primary (upper-case SMTP) address', detail: primaries.join(', '), attribute: 'proxyAddresses', value: primaries.join(', ') });
  const target = entry.text('targetaddress');
  if (target !== undefined) problems.push(...addressProblems('targetAddress', target));
  const alias = entry.text('mailnickname');
  if (alias?.startsWith('.') === true) problems.push({ kind: 'mailNickname begins with "."', detail: alias, attribute: 'mailNickname', value: alias });
  return problems;
}

export default defineCheck({
  meta: {
    id: 'hygiene.proxy-addresses',
    title: 'proxyAddresses, targetAddress or mailNickname values Entra ID rejects',
    severity: 'warning',
    category: 'hygiene',
    tags: ['hygiene', 'idfix', 'exchange'],
    rationale:
      'SMTP proxy addresses and targetAddress must be valid addresses (user@domain) on a routable domain, without spaces, accented letters or < > ( ) ; , [ ] " \\; ' +
      'an object has at most one primary (upper-case "SMTP:") address; mailNickname must not begin with ".". Invalid values are dropped or make the object fail. ' +
      'X500 and other non-SMTP addresses legitimately contain spaces, parentheses and apostrophes (Exchange legacyExchangeDN values) and are not flagged: IdFix did so ' +
      'until version 2.3 and its users reported them as false positives. Lengths are checked by hygiene.attribute-lengths, duplicates by hygiene.duplicate-values.',
    remediation:
      'Correct or remove the listed values with the Exchange management tools (or Set-ADUser -Remove @{proxyAddresses=...} when Exchange is gone), then rescan.',
    sources: [M365_PREPARE_DIRECTORY_SYNC, IDFIX_SUPPORTED_ERRORS, CLOUD_SYNC_PREREQUISITES],
    evidence: [partition('domain'), toPass(attribute('sAMAccountName', 'user'))],
    kinds: { 'invalid-address': {} },
  },
  create() {
    return perObjectRule('invalid-address', 'have e-mail address values Entra ID will not take as they are', inspect);
  },
});
