import { plural } from '../support/ad-values.js';
import { defineCheck, type ObjectRef } from '../check.js';
import { attribute, partition, toPass } from '../evidence.js';
import { CLOUD_SYNC_PREREQUISITES, CONNECT_DEFAULT_CONFIGURATION } from '../support/sources.js';
import { IDFIX_RULES, M365_PREPARE_DIRECTORY_SYNC, ObjectScope } from '../support/hygiene.js';
import { identityText, sharedValueRefs, uniqueAttribute, valueKeys } from '../support/unique-values.js';
import { HeldValues, Holders } from '../support/value-index.js';

export default defineCheck({
  meta: {
    id: 'hygiene.duplicate-values',
    title: 'Values that must be unique are shared by several objects',
    severity: 'blocker',
    category: 'hygiene',
    tags: ['hygiene', 'idfix'],
    rationale:
      'Entra ID requires userPrincipalName, mail, proxyAddresses, targetAddress and mailNickname to be unique across the tenant, and it compares ' +
      'them across attributes and without regard to case: a UPN equal to another object\'s "smtp:" proxy address is rejected just like two equal UPNs. ' +
      'An object with a duplicate fails to synchronise (for mail, only the first object with the value appears). IdFix compares each attribute only ' +
      'with itself and shows one of the colliding objects; this check compares across the five attributes, forest-wide (every input of the forest), ' +
      'and lists every object involved. A user without a UPN gets one built from sAMAccountName, which AD keeps unique only within a domain: two such users ' +
      "in different domains with the same sAMAccountName collide too. Cloud Sync's prerequisites tell you to run IdFix before you start; IdFix is " +
      'deprecated on 2026-06-30, and the hygiene checks cover its rules.',
    remediation:
      'For each value, decide which object keeps it and change or remove it on the others (Set-ADUser / the Exchange cmdlets for proxy addresses), ' +
      'then rescan. Scan every forest that synchronises to the same tenant in one run, or merge their reports: tenant.cross-forest-duplicates compares the forests.',
    sources: [M365_PREPARE_DIRECTORY_SYNC, CONNECT_DEFAULT_CONFIGURATION, IDFIX_RULES, CLOUD_SYNC_PREREQUISITES],
    evidence: [partition('domain'), toPass(attribute('sAMAccountName', 'user'))],
    kinds: { 'shared-values': {} },
  },
  create() {
    const scope = new ObjectScope();
    /*
     * Index for a million-object forest, kept off the V8 heap: every distinct value key is written once into a
     * byte arena, and a hash set maps it to the first holder (object number and attribute, packed in one 32-bit
     * number); lists are built only for the rare values that collide. Each holder's DN (with its GUID,
     * sAMAccountName and class, for the finding's object list) goes to pages and a temporary file, read back only
     * for collisions and the finding. Values an object repeats in its own attributes (UPN = mail = primary SMTP,
     * the usual case) count once. upn-local at 1M users, this check alone: peak RSS 339 MB against 169 MB with
     * no checks, 392 MB with the holders in the arena (npx tsx bench/scan-bench.ts --shapes upn-local --sizes
     * 1000000 --runs 1 --no-refs --checks hygiene.duplicate-values). Keys stay exact: a hashed key could report a
     * false duplicate.
     */
    const values = new HeldValues(new Holders());
    return {
      visits: scope.kinds,
      visit(entry) {
        if (!scope.admit(entry)) return;
        const keys = valueKeys(entry);
        if (keys.size === 0) return;
        const holder = values.holders.add(identityText(entry));
        for (const [key, attribute] of keys) values.add(key, { holder, attribute });
      },
      finish() {
        const { shared } = values;
        if (shared.size === 0) return { status: 'passed', note: scope.summary() };
        const objects: ObjectRef[] = [];
        const involved = new Set<number>();
        for (const [key, holdings] of shared) {
          for (const { holder } of holdings) involved.add(holder);
          objects.push(
            ...sharedValueRefs(
              key,
              holdings.map((h) => ({ ref: values.holders.ref(h.holder), attribute: uniqueAttribute(h.attribute) })),
            ),
          );
        }
        return {
          status: 'failed',
          findings: [
            {
              kind: 'shared-values',
              message:
                `${plural(shared.size, 'value')} ${shared.size === 1 ? 'is' : 'are'} held by more than one object (case-insensitive, compared across ` +
                `userPrincipalName, mail, proxyAddresses, targetAddress and mailNickname, and sAMAccountName among users without a UPN); ${involved.size.toLocaleString('en-US')} objects are involved. ` +
                scope.summary(),
              objects,
              scope: { kind: 'objects' },
            },
          ],
        };
      },
    };
  },
});
