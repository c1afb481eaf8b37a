import { defineCheck } from '../check.js';
import { partition } from '../evidence.js';
import { syncedObjects } from '../../inventory/inventory.js';
import { DECISION_GUIDE } from '../support/sources.js';

export default defineCheck({
  meta: {
    id: 'scale.objects-per-domain',
    title: 'Domains above the Cloud Sync object limit',
    severity: 'blocker',
    category: 'scale',
    tags: ['limits'],
    rationale:
      'Cloud Sync supports up to 150,000 objects (users, groups and contacts) per AD domain; Connect Sync has no such limit. ' +
      "Objects Connect's default rules skip (critical system objects, MSOL_/AAD_ accounts, conflict objects) are not counted.",
    remediation:
      'Keep Connect Sync for this domain, or scope Cloud Sync to OUs that together stay under the limit and leave the rest on Connect Sync with mutually exclusive scopes.',
    sources: [DECISION_GUIDE],
    evidence: [partition('domain')],
    options: { maxObjects: 150_000 },
    kinds: { 'over-limit': {} },
  },
  create(context) {
    return {
      finish(inventory) {
        const limit = context.option('maxObjects');
        const over = inventory.domains.filter((d) => syncedObjects(d.counts) > limit);
        if (over.length === 0) return { status: 'passed' };
        return {
          status: 'failed',
          findings: over.map((d) => {
            const c = d.counts;
            return {
              kind: 'over-limit' as const,
              message: `${d.dnsName} has ${syncedObjects(c).toLocaleString('en-US')} objects Cloud Sync would synchronise (${c.users.toLocaleString('en-US')} users, ${c.groups.toLocaleString('en-US')} groups, ${c.contacts.toLocaleString('en-US')} contacts, less ${c.excluded.toLocaleString('en-US')} excluded), above ${limit.toLocaleString('en-US')}.`,
              tally: { count: syncedObjects(c), of: 'users, groups and contacts Cloud Sync would synchronise' },
              objects: [{ dn: d.dn, detail: `${syncedObjects(c).toLocaleString('en-US')} objects` }],
              scope: { kind: 'domain', dn: d.dn },
            };
          }),
        };
      },
    };
  },
});
