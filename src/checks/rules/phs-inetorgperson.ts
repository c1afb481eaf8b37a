import { defineCheck, learn } from '../check.js';
import { attribute, partition, toPass } from '../evidence.js';
import { ObjectScope } from '../support/hygiene.js';
import { ObjectList } from '../support/object-list.js';

export default defineCheck({
  meta: {
    id: 'phs.inetorgperson',
    title: 'inetOrgPerson users: Cloud Sync does not synchronise their password hashes',
    severity: 'warning',
    category: 'authentication',
    tags: ['password-hash-sync'],
    rationale:
      'Cloud Sync\'s known limitations say "Using password hash sync with InetOrgPerson isn\'t supported", while Connect Sync synchronises their hashes. ' +
      'inetOrgPerson objects are still provisioned as users, but after the move they cannot sign in with their AD password through password hash sync.',
    remediation:
      'Before moving these users to Cloud Sync, give them another way to sign in (pass-through authentication or federation, or cloud-only credentials), ' +
      'or keep their OUs on Connect Sync with mutually exclusive scopes. Recreating them as user objects changes their objectGUID and so their anchor.',
    sources: [learn('identity/hybrid/cloud-sync/how-to-prerequisites', 'Prerequisites for Microsoft Entra Cloud Sync (known limitations)', '2025-04-09')],
    evidence: [partition('domain'), toPass(attribute('sAMAccountName', 'user'))],
    kinds: { 'inetorgperson-users': {} },
  },
  create() {
    const scope = new ObjectScope(['user']);
    const found = new ObjectList();
    return {
      visits: scope.kinds,
      visit(entry) {
        if (scope.admit(entry) && entry.isA('inetorgperson')) found.add(entry);
      },
      finish() {
        if (found.length === 0) return { status: 'passed' };
        return {
          status: 'failed',
          findings: [
            {
              kind: 'inetorgperson-users',
              message: `${found.length.toLocaleString('en-US')} inetOrgPerson user(s) would lose password hash sync under Cloud Sync. ${scope.summary()}`,
              objects: found.view(),
              scope: { kind: 'objects' },
              coexistence: true,
            },
          ],
        };
      },
    };
  },
});
