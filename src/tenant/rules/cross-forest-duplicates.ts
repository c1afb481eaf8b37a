import { plural } from '../../checks/support/ad-values.js';
import { sharedValueRefs, uniqueAttribute } from '../../checks/support/unique-values.js';
import { M365_PREPARE_DIRECTORY_SYNC } from '../../checks/support/hygiene.js';
import { CLOUD_SYNC_TOPOLOGIES } from '../../checks/support/sources.js';
import type { SharedAcrossForests } from '../cross-forest.js';
import { CONNECT_USERS_AND_CONTACTS } from '../sources.js';
import { defineTenantRule, offHeap, type TenantFindingInput, type TenantObjectRef } from '../rule.js';

/** Every holder of one shared value, each naming its forest and the others; a hashed value is shown as its hash, never guessed at. */
function holderRefs(shared: SharedAcrossForests): TenantObjectRef[] {
  const holders = shared.holders.map((h) => ({ ref: h.ref, attribute: uniqueAttribute(h.attribute), where: h.forest }));
  const refs = sharedValueRefs(shared.key, holders, shared.hashed ? `(hashed) ${shared.key}` : undefined);
  return refs.map((ref, i) => ({ ...ref, forest: shared.holders[i]?.forest ?? '' }));
}

export default defineTenantRule({
  meta: {
    id: 'tenant.cross-forest-duplicates',
    title: 'Values that must be unique in the tenant are held in more than one forest',
    severity: 'blocker',
    category: 'tenant',
    tags: ['hygiene', 'multi-forest'],
    rationale:
      'Entra ID requires userPrincipalName, mail, proxyAddresses, targetAddress and mailNickname to be unique across the whole tenant, compared across ' +
      "attributes and without regard to case, and Cloud Sync's topologies require users and groups to be uniquely identified across all forests: it matches " +
      'nothing across forests. Each forest may be clean on its own (hygiene.duplicate-values) while two forests hold the same value; the second object ' +
      'then fails to synchronise. The usual case after a merger is GAL synchronisation: a contact in one forest for each user of the other, with the ' +
      "user's addresses; Connect Sync's default rules join such a contact to the user on mail, Cloud Sync does not. " +
      'The values are compared exactly as hygiene.duplicate-values compares them, across every forest of the run, or across ' +
      'merged reports through keyed hashes (--value-hashes) without sharing the values.',
    remediation:
      'For each value, decide which forest keeps it and change or remove it on the object in the other forest; if both objects are the same person, keep ' +
      'one of them in Cloud Sync scope (see tenant.account-resource-pairs); keep GAL synchronisation contacts out of Cloud Sync scope (their own OU, not ' +
      'selected). Then rescan the forests together.',
    sources: [CLOUD_SYNC_TOPOLOGIES, M365_PREPARE_DIRECTORY_SYNC, CONNECT_USERS_AND_CONTACTS],
    evidence: [],
    readsObjects: true,
    kinds: { 'shared-across-forests': {} },
  },
  judge(tenant) {
    if (tenant.digests.length < 2) return { status: 'passed', note: 'One forest: hygiene.duplicate-values compares its values.' };
    const { shared, notCompared } = tenant.comparison;
    const findings: TenantFindingInput<'shared-across-forests'>[] = [];
    if (shared.length > 0) {
      const forests = new Set(shared.flatMap((s) => s.holders.map((h) => h.forest)));
      let contacts = 0;
      const objects = offHeap(
        (function* () {
          for (const value of shared)
            for (const ref of holderRefs(value)) {
              if (ref.objectClass === 'contact') contacts++;
              yield ref;
            }
        })(),
      );
      findings.push({
        kind: 'shared-across-forests',
        message:
          `${plural(shared.length, 'value')} ${shared.length === 1 ? 'is' : 'are'} held in more than one forest (${[...forests].join(', ')}), compared case-insensitively across ` +
          'userPrincipalName, mail, proxyAddresses, targetAddress and mailNickname, and sAMAccountName among users without a UPN; ' +
          `${objects.length.toLocaleString('en-US')} objects are involved${contacts === 0 ? '' : `, ${contacts.toLocaleString('en-US')} of them contacts (GAL synchronisation, most likely)`}.`,
        objects,
      });
    }
    if (notCompared !== undefined) return { status: 'not-evaluated', reason: notCompared, findings };
    if (findings.length > 0) return { status: 'failed', findings };
    return { status: 'passed', note: `No value is held in more than one of ${tenant.digests.map((d) => d.forest).join(', ')}.` };
  },
});
