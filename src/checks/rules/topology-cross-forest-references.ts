import { defineCheck, type ObjectRef } from '../check.js';
import { attribute, partition, toPass } from '../evidence.js';
import { dnKey, leafValue } from '../../model/dn.js';
import { connectSyncExclusion } from '../../inventory/exclusions.js';
import { plural } from '../support/ad-values.js';
import { objectRef } from '../support/object-ref.js';
import { CLOUD_SYNC_TOPOLOGIES, DECISION_GUIDE } from '../support/sources.js';

/**
 * Foreign security principals named after a domain SID (S-1-5-21-...) stand for accounts of another domain.
 * Well-known ones (S-1-5-4 Interactive, S-1-5-11 Authenticated Users, ...) exist in every domain and are not references.
 */
const FOREIGN_ACCOUNT = /^cn=s-1-5-21-[^,]*,cn=foreignsecurityprincipals,/;
/** Cheap pre-test, so that only member values that can match are normalised (groups can have 50,000 members). */
const MENTIONS_FSP = /foreignsecurityprincipals/i;

export default defineCheck({
  meta: {
    id: 'topology.cross-forest-references',
    title: 'Groups with members from other forests',
    severity: 'blocker',
    category: 'topology',
    tags: ['topology', 'groups', 'trusts'],
    rationale:
      'A user or group of a trusted forest or external domain becomes a member of a group here through a foreignSecurityPrincipal ' +
      '(CN=<SID>,CN=ForeignSecurityPrincipals). Connect Sync joins those to the real objects of the other forest; Cloud Sync does not support ' +
      'cross-forest references (decision guide), so these memberships would be missing from the synchronised groups. Only account SIDs (S-1-5-21-...) ' +
      'count; well-known principals such as Authenticated Users are not references. Groups Connect skips (critical system objects such as the Builtin ' +
      'groups, conflict objects) are skipped and counted.',
    remediation:
      'For each group listed, decide whether the foreign members matter in the cloud. If they do, keep the group on Connect Sync, or replace the ' +
      'membership with cloud groups (for example dynamic or access-package based); if not, accept that they will be missing. Scan the other forest too.',
    sources: [DECISION_GUIDE, CLOUD_SYNC_TOPOLOGIES],
    evidence: [partition('domain'), toPass(attribute('member', 'group'))],
    kinds: { 'foreign-members': {} },
  },
  create() {
    const groups: ObjectRef[] = [];
    const foreign = new Map<string, { dn: string; groups: number }>();
    let skipped = 0;
    return {
      visit(entry) {
        if (entry.kind !== 'group') return;
        const members = entry.texts('member').filter((dn) => MENTIONS_FSP.test(dn) && FOREIGN_ACCOUNT.test(dnKey(dn)));
        if (members.length === 0) return;
        if (connectSyncExclusion(entry) !== undefined) {
          skipped++;
          return;
        }
        groups.push(objectRef(entry, { detail: `${plural(members.length, 'foreign member')}: ${members.map(leafValue).join(', ')}` }));
        for (const dn of members) {
          const key = dnKey(dn);
          const fsp = foreign.get(key) ?? { dn, groups: 0 };
          fsp.groups++;
          foreign.set(key, fsp);
        }
      },
      finish() {
        const skippedNote = skipped === 0 ? '' : ` ${plural(skipped, 'group')} that Connect Sync skips (critical system objects, conflicts) not counted.`;
        if (groups.length === 0) return { status: 'passed', note: `no group has members from another forest or domain.${skippedNote}` };
        return {
          status: 'failed',
          findings: [
            {
              kind: 'foreign-members',
              message:
                `${plural(groups.length, 'group')} ${groups.length === 1 ? 'has' : 'have'} members from other forests or external domains (${plural(foreign.size, 'distinct foreign security principal')}); ` +
                `Cloud Sync does not resolve cross-forest references, so these memberships would be lost.${skippedNote}`,
              objects: [
                ...groups,
                ...[...foreign.values()].map((f) => ({ dn: f.dn, detail: `foreign security principal, member of ${plural(f.groups, 'group')}` })),
              ],
            },
          ],
        };
      },
    };
  },
});
