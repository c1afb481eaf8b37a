import { defineCheck } from '../check.js';
import { attribute, partition, toPass } from '../evidence.js';
import type { Entry } from '../../model/entry.js';
import { IDFIX_SUPPORTED_ERRORS, M365_PREPARE_DIRECTORY_SYNC, perObjectRule, type Problem } from '../support/hygiene.js';

// Tabs, line breaks and other control characters: ldifde exports them base64-encoded and they rarely survive a GAL.
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f]/;

function inspect(entry: Entry): Problem[] {
  const name = entry.text('displayname');
  if (name === undefined) return [];
  const value = { attribute: 'displayName', value: name };
  if (name.trim() === '') return [{ kind: 'blank displayName', ...value }];
  const problems: Problem[] = [];
  if (name !== name.trim()) problems.push({ kind: 'leading or trailing whitespace', detail: JSON.stringify(name), ...value });
  if (CONTROL_CHARACTERS.test(name)) problems.push({ kind: 'control character (tab, line break ...)', detail: JSON.stringify(name), ...value });
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
      'IdFix, in its dedicated-tenant rules only, also flags leading or trailing whitespace, which makes names look alike in the address book and in Entra ID, ' +
      'and groups without a displayName; the latter is not flagged here because most groups created with the AD tools have none and IdFix\'s multi-tenant rules ' +
      'do not check displayName at all. Apart from blank values these are quality findings rather than sync failures. The length limit (256) is checked by hygiene.attribute-lengths.',
    remediation: 'Trim or fill in the listed values in AD, then rescan.',
    sources: [M365_PREPARE_DIRECTORY_SYNC, IDFIX_SUPPORTED_ERRORS],
    evidence: [partition('domain'), toPass(attribute('sAMAccountName', 'user'))],
    kinds: { untidy: {} },
  },
  create() {
    return perObjectRule('untidy', 'have a blank or untidy displayName', inspect);
  },
});
