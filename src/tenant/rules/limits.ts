import { plural } from '../../checks/support/ad-values.js';
import { PROVISIONING_TO_AD_PREREQUISITES } from '../../checks/support/sources.js';
import { SERVICE_LIMITS } from '../sources.js';
import { defineTenantRule, forestList, type TenantFindingInput } from '../rule.js';

type Kind = 'directory-quota' | 'provisioning-to-ad-objects' | 'provisioning-to-ad-configurations';

/** Entra ID's default directory quota for a tenant with a verified domain (service limits: "Resources"). */
const DIRECTORY_QUOTA = 300_000;
/** Group provisioning to AD: tenants whose users plus groups exceed this are not supported. */
const PROVISIONING_TO_AD_OBJECTS = 150_000;
/** Group provisioning to AD: configurations (one per domain) per tenant. */
const PROVISIONING_TO_AD_CONFIGURATIONS = 20;

export default defineTenantRule({
  meta: {
    id: 'tenant.limits',
    title: 'Tenant-wide limits, summed over every forest',
    severity: 'info',
    category: 'scale',
    tags: ['limits', 'multi-forest'],
    rationale:
      "Some limits count the whole tenant, whatever forest the objects come from. Entra ID's default quota is 300,000 directory objects in a tenant with a " +
      "verified domain (users, groups, contacts, devices, applications and service principals together; Microsoft Support raises it). Cloud Sync's " +
      "group provisioning to AD (what replaces Connect's group writeback) does not support a tenant whose users plus groups exceed 150,000, and takes at " +
      'most 20 configurations (domains) per tenant. The per-domain limit of 150,000 objects is judged per forest (scale.objects-per-domain). Only the ' +
      'objects Connect Sync would synchronise are counted here; cloud-only objects add to the same totals.',
    remediation:
      'Above the directory quota, ask Microsoft Support to raise it before the forests are synchronised together. Before planning group provisioning to ' +
      'AD, compare the totals with its limits.',
    sources: [SERVICE_LIMITS, PROVISIONING_TO_AD_PREREQUISITES],
    evidence: [],
    readsObjects: true,
    kinds: {
      'directory-quota': { title: "More objects than Entra ID's default directory quota", severity: 'warning' },
      'provisioning-to-ad-objects': { title: 'More users and groups than group provisioning to AD supports' },
      'provisioning-to-ad-configurations': { title: 'More domains than group provisioning to AD has configurations for' },
    },
  },
  judge(tenant) {
    const { digests } = tenant;
    const sum = (of: (d: (typeof digests)[number]) => number): number => digests.reduce((n, d) => n + of(d), 0);
    const objects = sum((d) => d.counts.users + d.counts.groups + d.counts.contacts);
    const usersAndGroups = sum((d) => d.counts.users + d.counts.groups);
    const domains = sum((d) => d.domains.length);
    const totals =
      `Over ${plural(digests.length, 'forest')}: ${objects.toLocaleString('en-US')} users, groups and contacts Connect Sync would synchronise ` +
      `(${forestList(digests.map((d) => ({ forest: d.forest, figure: d.counts.users + d.counts.groups + d.counts.contacts })))}), ` +
      `${sum((d) => d.counts.devices).toLocaleString('en-US')} computer accounts, ${plural(domains, 'domain')}.`;
    if (digests.length < 2) return { status: 'passed', note: `One forest: its limits are judged per domain. ${totals}` };
    const findings: TenantFindingInput<Kind>[] = [];
    if (objects > DIRECTORY_QUOTA) {
      findings.push({
        kind: 'directory-quota',
        message: `${objects.toLocaleString('en-US')} objects, above the default quota of ${DIRECTORY_QUOTA.toLocaleString('en-US')} directory objects. ${totals}`,
        tally: { count: objects, of: 'users, groups and contacts' },
      });
    }
    if (usersAndGroups > PROVISIONING_TO_AD_OBJECTS) {
      findings.push({
        kind: 'provisioning-to-ad-objects',
        message: `${usersAndGroups.toLocaleString('en-US')} users and groups, above the ${PROVISIONING_TO_AD_OBJECTS.toLocaleString('en-US')} group provisioning to AD supports. ${totals}`,
        tally: { count: usersAndGroups, of: 'users and groups' },
      });
    }
    if (domains > PROVISIONING_TO_AD_CONFIGURATIONS) {
      findings.push({
        kind: 'provisioning-to-ad-configurations',
        message: `${domains} domains, above the ${PROVISIONING_TO_AD_CONFIGURATIONS} configurations group provisioning to AD takes per tenant. ${totals}`,
        tally: { count: domains, of: 'domains' },
      });
    }
    if (findings.length > 0) return { status: 'failed', findings };
    return { status: 'passed', note: totals };
  },
});
