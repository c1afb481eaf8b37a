import { plural } from '../../checks/support/ad-values.js';
import { COMMON_SCENARIOS, CLOUD_SYNC_TOPOLOGIES, CONNECT_TOPOLOGIES } from '../../checks/support/sources.js';
import { uniqueAttribute } from '../../checks/support/unique-values.js';
import { dnKey } from '../../model/dn.js';
import { type ComparableDigest, type ForestHolder, linkedPairs } from '../cross-forest.js';
import type { TenantDigest } from '../digest.js';
import { CONNECT_USERS_AND_CONTACTS } from '../sources.js';
import { defineTenantRule, offHeap, type Tenant, type TenantFindingInput, type TenantObjectRef } from '../rule.js';

type Kind = 'linked-accounts' | 'linked-domains' | 'same-address';

const USER_CLASSES = new Set(['user', 'inetOrgPerson']);
/** Addresses that name a person; aliases and sAMAccountNames collide between different people too often to say so. */
const PERSON_ADDRESSES = new Set(['userPrincipalName', 'mail', 'proxyAddresses', 'targetAddress']);

function listed(holder: ForestHolder, detail: string): TenantObjectRef {
  return { ...holder.ref, forest: holder.forest, detail };
}

function sameAs(person: ForestHolder, other: ForestHolder): TenantObjectRef {
  return listed(person, `its ${uniqueAttribute(person.attribute)} is the ${uniqueAttribute(other.attribute)} of ${other.ref.dn} (${other.forest})`);
}

const pairKey = (a: ForestHolder, b: ForestHolder): string =>
  [`${a.forest}\u0000${dnKey(a.ref.dn)}`, `${b.forest}\u0000${dnKey(b.ref.dn)}`].sort().join('\u0001');

/** Linked mailboxes whose account forest could not be compared value by value: counted per account domain, from what every report carries. */
function domainLevelLinks(tenant: Tenant): TenantFindingInput<Kind>[] {
  const groupOf = new Map<string, ComparableDigest[]>();
  for (const group of tenant.comparison.groups) for (const d of group) groupOf.set(d.forest, group);
  const comparedTogether = (a: TenantDigest, b: TenantDigest): boolean =>
    groupOf.get(a.forest) !== undefined && groupOf.get(a.forest) === groupOf.get(b.forest);
  const findings: TenantFindingInput<Kind>[] = [];
  for (const resource of tenant.digests) {
    for (const [domainSid, mailboxes] of resource.linkedAccountDomains) {
      for (const accountForest of tenant.digests) {
        if (accountForest === resource || comparedTogether(resource, accountForest)) continue;
        const domain = accountForest.domains.find((d) => d.sid === domainSid);
        if (domain === undefined) continue;
        findings.push({
          kind: 'linked-domains',
          message:
            `${plural(mailboxes, 'linked mailbox', 'linked mailboxes')} in ${resource.forest} ${mailboxes === 1 ? 'belongs to an account' : 'belong to accounts'} in ${domain.dnsName} (${domainSid}) of ${accountForest.forest}. ` +
            'Without --value-hashes in both reports the accounts cannot be named one by one.',
          objects: [
            {
              dn: domain.dn,
              forest: accountForest.forest,
              detail: `account domain of ${plural(mailboxes, 'linked mailbox', 'linked mailboxes')} in ${resource.forest}`,
            },
          ],
          tally: { count: mailboxes, of: 'linked mailboxes' },
          about: `${resource.forest}\u0000${domainSid}`,
        });
      }
    }
  }
  return findings;
}

export default defineTenantRule({
  meta: {
    id: 'tenant.account-resource-pairs',
    title: 'The same person in two forests',
    severity: 'blocker',
    category: 'tenant',
    tags: ['exchange', 'topology', 'multi-forest'],
    rationale:
      'In an account-resource topology a user signs in with an account in one forest and has a linked mailbox in another, whose msExchMasterAccountSID is ' +
      'the account\'s objectSid; Connect Sync joins the two into one Entra user. Cloud Sync matches nothing across forests and lists "user accounts in one ' +
      'forest, mailboxes in a resource forest" as not supported: with both objects in scope it creates two users, and their shared addresses collide. ' +
      'Forests joined by a merger often hold the same person twice too, seen here as two users with the same address. Each pair is named with both ' +
      'objects and their forests; without keyed hashes in merged reports, linked mailboxes are counted per account domain instead.',
    remediation:
      'Cloud Sync needs one object per person in scope. For each pair decide which object is the person in Entra ID (usually the enabled account the user ' +
      'signs in with), keep it in scope and scope the other out of Cloud Sync: move the linked mailbox to the account forest or to Exchange Online first, ' +
      "or keep Connect Sync for these forests. Cloud Sync's preview merge of disconnected sources needs Connect Sync for the first forest, " +
      'ms-DS-ConsistencyGuid anchors and matching UPN and alias values, so it is not a way to move both forests off Connect.',
    sources: [CLOUD_SYNC_TOPOLOGIES, COMMON_SCENARIOS, CONNECT_TOPOLOGIES, CONNECT_USERS_AND_CONTACTS],
    evidence: [],
    readsObjects: true,
    kinds: {
      'linked-accounts': { title: 'Linked mailboxes whose accounts are in another forest' },
      'linked-domains': { title: 'Linked mailboxes whose account domain is another forest' },
      'same-address': { title: 'Users in two forests with the same address', severity: 'warning' },
    },
  },
  judge(tenant) {
    if (tenant.digests.length < 2) return { status: 'passed', note: 'One forest: exchange.resource-forest judges its linked mailboxes.' };
    const findings: TenantFindingInput<Kind>[] = [];
    const pairs = tenant.comparison.groups.flatMap((group) => linkedPairs(group));
    if (pairs.length > 0) {
      findings.push({
        kind: 'linked-accounts',
        message: `${plural(pairs.length, 'linked mailbox', 'linked mailboxes')} ${pairs.length === 1 ? 'belongs to an account' : 'belong to accounts'} in another forest (msExchMasterAccountSID = the account's objectSid): ${[
          ...new Set(pairs.map((p) => `${p.mailbox.forest} → ${p.account.forest}`)),
        ].join(', ')}.`,
        objects: offHeap(
          (function* () {
            for (const { mailbox, account } of pairs) {
              yield listed(mailbox, `linked mailbox of ${account.ref.dn} (${account.forest})`);
              yield listed(account, `account of the linked mailbox ${mailbox.ref.dn} (${mailbox.forest})`);
            }
          })(),
        ),
      });
    }
    findings.push(...domainLevelLinks(tenant));
    const linked = new Set(pairs.map((p) => pairKey(p.mailbox, p.account)));
    const sameAddress = new Map<string, { a: ForestHolder; b: ForestHolder }>();
    for (const shared of tenant.comparison.shared) {
      const people = shared.holders.filter((h) => USER_CLASSES.has(h.ref.objectClass ?? '') && PERSON_ADDRESSES.has(uniqueAttribute(h.attribute)));
      // Each user is paired with the first user of every other forest, not with all of them: a value on thousands of objects stays linear.
      const firstPerForest = new Map<string, ForestHolder>();
      for (const person of people) if (!firstPerForest.has(person.forest)) firstPerForest.set(person.forest, person);
      for (const a of people) {
        for (const b of firstPerForest.values()) {
          const key = pairKey(a, b);
          if (a.forest !== b.forest && !linked.has(key) && !sameAddress.has(key)) sameAddress.set(key, { a, b });
        }
      }
    }
    if (sameAddress.size > 0) {
      findings.push({
        kind: 'same-address',
        message: `${plural(sameAddress.size, 'pair')} of users in different forests share an address (see tenant.cross-forest-duplicates for the values): most likely one person with an account in each forest.`,
        objects: offHeap(
          (function* () {
            for (const { a, b } of sameAddress.values()) yield* [sameAs(a, b), sameAs(b, a)];
          })(),
        ),
      });
    }
    const notCompared = tenant.comparison.notCompared;
    if (notCompared !== undefined) return { status: 'not-evaluated', reason: notCompared, findings };
    if (findings.length > 0) return { status: 'failed', findings };
    return { status: 'passed', note: 'No linked mailbox belongs to an account in another forest, and no two users in different forests share an address.' };
  },
});
