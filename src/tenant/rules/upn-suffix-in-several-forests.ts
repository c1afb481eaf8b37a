import { plural } from '../../checks/support/ad-values.js';
import { compareText } from '../../model/order.js';
import { isRoutableDomain } from '../../checks/support/address-syntax.js';
import { M365_PREPARE_DIRECTORY_SYNC } from '../../checks/support/hygiene.js';
import { CLOUD_SYNC_TOPOLOGIES } from '../../checks/support/sources.js';
import { PTA_FAQ } from '../sources.js';
import { defineTenantRule, forestList } from '../rule.js';

export default defineTenantRule({
  meta: {
    id: 'tenant.upn-suffix-in-several-forests',
    title: 'UPN suffixes used in more than one forest',
    severity: 'warning',
    category: 'tenant',
    tags: ['identity', 'upn', 'multi-forest'],
    rationale:
      'A UPN suffix is one verified domain in the tenant, however many forests its users live in. Synchronising users of one suffix from several ' +
      'forests works with password hash synchronization, but sign-in that goes back to AD does not follow them: pass-through authentication supports ' +
      'several forests only with two-way forest trusts and correct name suffix routing, which routes a suffix to one forest, and a federated ' +
      'domain points at one federation service. Two forests sharing a suffix are also where UPNs collide (see tenant.cross-forest-duplicates). Only ' +
      'routable suffixes count: the others cannot be verified in the tenant at all (identity.upn-suffix).',
    remediation:
      "Use password hash synchronization (Cloud Sync's own sign-in) for these users, or give each forest a suffix of its own before the move; " +
      'with federation or pass-through authentication, check that every user of the suffix can authenticate where the domain points.',
    sources: [M365_PREPARE_DIRECTORY_SYNC, PTA_FAQ, CLOUD_SYNC_TOPOLOGIES],
    evidence: [],
    readsObjects: true,
    kinds: { 'shared-suffixes': {} },
  },
  judge(tenant) {
    if (tenant.digests.length < 2) return { status: 'passed', note: 'One forest: its suffixes are judged by identity.upn-suffix.' };
    const forestsBySuffix = new Map<string, { forest: string; figure: number }[]>();
    for (const digest of tenant.digests) {
      for (const [suffix, users] of digest.upnSuffixes) {
        if (!isRoutableDomain(suffix)) continue;
        forestsBySuffix.set(suffix, [...(forestsBySuffix.get(suffix) ?? []), { forest: digest.forest, figure: users }]);
      }
    }
    const shared = [...forestsBySuffix].filter(([, forests]) => forests.length > 1).sort(([a], [b]) => compareText(a, b));
    if (shared.length === 0) return { status: 'passed', note: `Each routable UPN suffix in use is used in one forest only.` };
    return {
      status: 'failed',
      findings: [
        {
          kind: 'shared-suffixes',
          message: `${plural(shared.length, 'UPN suffix', 'UPN suffixes')} ${shared.length === 1 ? 'is' : 'are'} used by users in more than one forest (users per forest): ${shared
            .map(([suffix, forests]) => `${suffix}: ${forestList(forests)}`)
            .join('; ')}.`,
          tally: { count: shared.length, of: 'UPN suffixes' },
        },
      ],
    };
  },
});
