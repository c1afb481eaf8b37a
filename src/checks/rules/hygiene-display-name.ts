import { defineCheck } from '../check.js';
import { attribute, partition, toPass } from '../evidence.js';
import type { Entry } from '../../model/entry.js';
import { CONNECT_DEFAULT_CONFIGURATION } from '../support/sources.js';
import { IDFIX_RULES, M365_PREPARE_DIRECTORY_SYNC, perObjectRule, type Problem } from '../support/hygiene.js';

// Tabs, line breaks and other control characters: ldifde exports them base64-encoded and they rarely survive a GAL.
const CONTROL_CHARACTER = /[\u0000-\u001f\u007f]/;
const CONTROL_RUNS = /[\u0000-\u001f\u007f]+/g;

function inspect(entry: Entry): Problem<'untidy'>[] {
  const name = entry.text('displayname');
  if (name === undefined) return [];
  const value = { finding: 'untidy' as const, attribute: 'displayName', value: name };
  // Like IdFix, a blank name is proposed to become the object's cn.
  const cn = entry.text('cn');
  if (name.trim() === '') return [{ kind: 'blank displayName', ...value, ...(cn === undefined ? {} : { suggestion: cn }) }];
  const tidy = name.replace(CONTROL_RUNS, ' ').replace(/ {2,}/g, ' ').trim();
  const problems: Problem<'untidy'>[] = [];
  if (name !== name.trim()) problems.push({ kind: 'leading or trailing whitespace', detail: JSON.stringify(name), ...value, suggestion: tidy });
  if (CONTROL_CHARACTER.test(name))
    problems.push({ kind: 'control character (tab, line break ...)', detail: JSON.stringify(name), ...value, suggestion: tidy });
  return problems;
}

export default defineCheck({
  meta: {
    id: 'hygiene.display-name',
    title: 'displayName values that are blank or carry stray whitespace',
    severity: 'warning',
    category: 'hygiene',
    tags: ['hygiene', 'idfix'],
    rationale:
      'The Microsoft 365 preparation page says a displayName that exists must not be blank (AD cannot store an empty value, but it stores one made of spaces). ' +
      'Leading or trailing whitespace and control characters make names look alike or break in the address book and in Entra ID. IdFix 2.6.0.3 checks ' +
      'displayName in both rule sets: its multi-tenant rules flag a missing or blank displayName (proposing the cn) and one over 255 characters, its dedicated ' +
      'rules leading or trailing whitespace and groups without one. A missing displayName is not flagged here, since Microsoft requires a value only where the ' +
      'attribute exists and most groups created with the AD tools have none; the length limit (256, per the Microsoft 365 page) is checked by ' +
      'hygiene.attribute-lengths. Apart from blank values these are quality findings rather than sync failures. The suggested value is the name trimmed, ' +
      'with control characters turned into spaces, or the cn for a blank one.',
    remediation: 'Trim or fill in the listed values in AD (the CSV fix list, --format csv, proposes each), then rescan.',
    sources: [M365_PREPARE_DIRECTORY_SYNC, CONNECT_DEFAULT_CONFIGURATION, IDFIX_RULES],
    evidence: [partition('domain'), toPass(attribute('sAMAccountName', 'user'))],
    kinds: { untidy: {} },
  },
  create() {
    return perObjectRule({ untidy: 'have a blank or untidy displayName' }, inspect);
  },
});
