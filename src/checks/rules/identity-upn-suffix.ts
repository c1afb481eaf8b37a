import { defineCheck, type FindingInput, type SourceRef } from '../check.js';
import { attribute, partition } from '../evidence.js';
import { domainOf, isRoutableDomain } from '../support/address-syntax.js';
import { M365_PREPARE_DIRECTORY_SYNC, ObjectScope } from '../support/hygiene.js';
import { ObjectList } from '../support/object-list.js';
import { CONNECT_DEFAULT_CONFIGURATION } from '../support/sources.js';

const NON_ROUTABLE_DOMAIN_PREP: SourceRef = {
  title: 'Prepare a non-routable domain for directory synchronization',
  url: 'https://learn.microsoft.com/microsoft-365/enterprise/prepare-a-non-routable-domain-for-directory-synchronization',
  date: '2023-12-28',
};
const SUFFIXES_LISTED = 10;

export default defineCheck({
  meta: {
    id: 'identity.upn-suffix',
    title: 'UPN suffixes Entra ID cannot verify, and users without a UPN',
    severity: 'warning',
    category: 'identity',
    tags: ['identity', 'upn'],
    rationale:
      'Users sign in to Entra ID with their UPN, and its suffix must be a domain verified in the tenant. Non-routable suffixes (.local, .internal, single-label names, ' +
      'anything that is not under a public top-level domain, and a suffix ending in "." such as contoso.com.) cannot be verified: such users get a tenant.onmicrosoft.com UPN instead. A user without a UPN needs a ' +
      "valid, unique sAMAccountName. The forest's own suffixes (its domains' DNS roots and the uPNSuffixes list) are compared with what users carry; when none of " +
      'them is routable, users cannot be given a routable UPN until one is added. The guided migration tool also blocks a custom UPN mapping (another attribute ' +
      'used as the Entra UPN), which only the Connect configuration shows. Users Connect Sync does not synchronise (its default exclusions, the same for every ' +
      'check: critical system objects, Exchange system mailboxes, its own accounts ...) are not counted.',
    remediation:
      "Add a routable UPN suffix to the forest (Active Directory Domains and Trusts → UPN suffixes), verify it in the tenant, and change the listed users' UPNs to it; " +
      'give users without a UPN one. Then rescan.',
    sources: [M365_PREPARE_DIRECTORY_SYNC, NON_ROUTABLE_DOMAIN_PREP, CONNECT_DEFAULT_CONFIGURATION],
    evidence: [partition('domain'), attribute('userPrincipalName', 'user')],
    kinds: {
      'no-routable-suffix': { title: 'The forest has no routable UPN suffix', severity: 'blocker' },
      'non-routable-suffix': {},
      'no-upn': { title: 'Users without a UPN' },
      'unregistered-suffix': { title: 'UPN suffixes not registered in the forest', severity: 'info' },
    },
  },
  create() {
    const scope = new ObjectScope(['user']);
    const perSuffix = new Map<string, number>();
    // Only users on non-routable suffixes are kept: every one of them must be listed, and there can be a forest of them.
    const nonRoutable = new ObjectList();
    const perNonRoutableSuffix = new Map<string, number>();
    const routable = new Map<string, boolean>();
    const withoutUpn = new ObjectList();
    return {
      visits: scope.kinds,
      visit(entry) {
        if (!scope.admit(entry)) return;
        const upn = entry.text('userprincipalname');
        const suffix = upn === undefined ? undefined : domainOf(upn.trim());
        if (suffix === undefined) {
          withoutUpn.add(
            entry,
            upn === undefined ? { detail: 'no userPrincipalName' } : { detail: `UPN without "@": ${upn}`, attribute: 'userPrincipalName', value: upn },
          );
          return;
        }
        perSuffix.set(suffix, (perSuffix.get(suffix) ?? 0) + 1);
        let ok = routable.get(suffix);
        if (ok === undefined) routable.set(suffix, (ok = isRoutableDomain(suffix)));
        if (!ok) {
          nonRoutable.add(entry, { detail: `UPN suffix ${suffix}`, attribute: 'userPrincipalName', value: upn });
          perNonRoutableSuffix.set(suffix, (perNonRoutableSuffix.get(suffix) ?? 0) + 1);
        }
      },
      finish(inventory) {
        const findings: FindingInput<'no-routable-suffix' | 'non-routable-suffix' | 'no-upn' | 'unregistered-suffix'>[] = [];
        const tally = [...perSuffix]
          .sort((a, b) => b[1] - a[1])
          .slice(0, SUFFIXES_LISTED)
          .map(([suffix, n]) => `${suffix} (${n.toLocaleString('en-US')})`)
          .join(', ');
        const inUse = perSuffix.size === 0 ? 'No user has a UPN suffix.' : `UPN suffixes in use: ${tally}${perSuffix.size > SUFFIXES_LISTED ? ', ...' : ''}.`;
        const configurationRead = inventory.partitions.configuration;
        const forestSuffixes = new Set([...inventory.forest.upnSuffixes.map((s) => s.toLowerCase()), ...inventory.domains.map((d) => d.dnsName)]);

        if (configurationRead && ![...forestSuffixes].some(isRoutableDomain)) {
          findings.push({
            kind: 'no-routable-suffix',
            message: `None of the forest's UPN suffixes (${[...forestSuffixes].join(', ')}) is routable, so no user can get a UPN Entra ID can verify until one is added.`,
            scope: { kind: 'forest' },
            ...(inventory.forest.configurationDn === undefined
              ? {}
              : { objects: [{ dn: `CN=Partitions,${inventory.forest.configurationDn}`, detail: 'uPNSuffixes' }] }),
          });
        }
        if (nonRoutable.length > 0) {
          findings.push({
            kind: 'non-routable-suffix',
            message: `${nonRoutable.length.toLocaleString('en-US')} user(s) have a UPN suffix Entra ID cannot verify: ${[...perNonRoutableSuffix]
              .map(([suffix, users]) => `${suffix} (${users.toLocaleString('en-US')})`)
              .join(', ')}. ${inUse} ${scope.summary()}`,
            objects: nonRoutable.view(),
            scope: { kind: 'objects' },
          });
        }
        if (withoutUpn.length > 0) {
          findings.push({
            kind: 'no-upn',
            message: `${withoutUpn.length.toLocaleString('en-US')} user(s) have no usable userPrincipalName; their Entra sign-in name is then built from sAMAccountName, which must be valid and unique.`,
            objects: withoutUpn.view(),
            scope: { kind: 'objects' },
          });
        }
        const unregistered = configurationRead ? [...perSuffix.keys()].filter((s) => !forestSuffixes.has(s)) : [];
        if (unregistered.length > 0) {
          findings.push({
            kind: 'unregistered-suffix',
            tally: { count: unregistered.length, of: 'UPN suffixes' },
            message: `${unregistered.length} suffix(es) in use are neither a domain's DNS name nor in the forest's uPNSuffixes: ${unregistered.join(', ')}. They were set over LDAP or left behind by a migration; check they are the ones you mean to verify in the tenant.`,
            scope: { kind: 'forest' },
          });
        }
        if (findings.length === 0) return { status: 'passed', note: `${inUse} ${scope.summary()}` };
        return { status: 'failed', findings };
      },
    };
  },
});
