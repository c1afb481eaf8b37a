import { defineCheck, learn, type FindingInput, type ObjectRef } from '../check.js';
import { objects, partition, toPass } from '../evidence.js';
import { parentDn } from '../../model/dn.js';
import { WRITTEN_BACK_ID, connectWritebackSigns } from '../support/group-writeback.js';
import { objectRef } from '../support/object-ref.js';
import { DECISION_GUIDE } from '../support/sources.js';

const MIGRATE_GROUP_WRITEBACK = learn(
  'identity/hybrid/cloud-sync/migrate-group-writeback',
  'Migrate Microsoft Entra Connect Sync group writeback V2 to Microsoft Entra Cloud Sync',
  '2023-11-06',
);

const UNIVERSAL = 0x8;
const OUS_LISTED = 5;

function ouTally(objects: readonly ObjectRef[]): string {
  const perOu = new Map<string, number>();
  for (const o of objects) perOu.set(parentDn(o.dn), (perOu.get(parentDn(o.dn)) ?? 0) + 1);
  const listed = [...perOu].sort((a, b) => b[1] - a[1]).slice(0, OUS_LISTED);
  return `${perOu.size} container(s): ${listed.map(([ou, n]) => `${ou} (${n})`).join('; ')}${perOu.size > OUS_LISTED ? '; ...' : ''}`;
}

export default defineCheck({
  meta: {
    id: 'writeback.groups',
    title: 'Groups written back from Entra ID by Connect Sync',
    severity: 'warning',
    category: 'writeback',
    tags: ['writeback', 'groups'],
    rationale:
      'Connect Sync group writeback (V1 for Microsoft 365 groups, V2 now deprecated) creates AD groups named and stamped "Group_<Entra object id>" ' +
      '(adminDescription), usually all in one OU. Whether the feature is on is only visible on the Connect server; these groups are the footprint in AD. ' +
      'Cloud Sync provisions cloud security groups to AD instead, and Microsoft documents a migration for groups Connect V2 wrote back: it covers only cloud ' +
      'security groups with Universal scope. Mail-enabled groups and distribution lists written back by Connect V1 or V2 are not supported by that migration. ' +
      'The decision guide still lists "Group writeback V1" as supported by both engines, which the migration page does not bear out for mail-enabled groups.',
    remediation:
      'Mail-enabled written-back groups: plan them separately (keep Connect Sync for their OU with mutually exclusive scopes, or recreate them as cloud groups without ' +
      'writeback). Security groups: follow the group writeback migration (copy adminDescription to msDS-ExternalDirectoryObjectId, exclude them from Connect with the ' +
      'cloudNoFlow rules, then provision them with Cloud Sync); non-Universal ones must be converted to Universal first.',
    sources: [MIGRATE_GROUP_WRITEBACK, DECISION_GUIDE],
    evidence: [partition('domain'), toPass(objects('group'))],
    kinds: {
      'mail-enabled': { title: 'Mail-enabled groups written back by Connect: no Cloud Sync migration path' },
      'security-groups': { title: 'Security groups written back by Connect: follow the group writeback migration', severity: 'info' },
    },
  },
  create() {
    const mailEnabled: ObjectRef[] = [];
    const security: ObjectRef[] = [];
    let provisionedByCloudSync = 0;
    return {
      visit(entry) {
        if (entry.kind !== 'group') return;
        const signs = connectWritebackSigns(entry);
        if (signs.length === 0) {
          if (WRITTEN_BACK_ID.test(entry.text('msds-externaldirectoryobjectid') ?? '')) provisionedByCloudSync++;
          return;
        }
        const universal = ((entry.int('grouptype') ?? 0) & UNIVERSAL) !== 0;
        if (entry.has('mail') || entry.has('proxyaddresses')) {
          mailEnabled.push(objectRef(entry, { detail: `mail-enabled; ${signs.join(', ')}` }));
        } else {
          security.push(objectRef(entry, { detail: `${universal ? 'Universal' : 'not Universal: convert first'}; ${signs.join(', ')}` }));
        }
      },
      finish() {
        const findings: FindingInput<'mail-enabled' | 'security-groups'>[] = [];
        if (mailEnabled.length > 0) {
          findings.push({
            kind: 'mail-enabled',
            message: `${mailEnabled.length.toLocaleString('en-US')} mail-enabled group(s) were written back from Entra ID, in ${ouTally(mailEnabled)}. The Cloud Sync group writeback migration does not cover them.`,
            objects: mailEnabled,
            scope: { kind: 'objects' },
            coexistence: true,
          });
        }
        if (security.length > 0) {
          findings.push({
            kind: 'security-groups',
            message: `${security.length.toLocaleString('en-US')} security group(s) were written back from Entra ID, in ${ouTally(security)}; ${security.filter((o) => o.detail?.startsWith('not Universal') === true).length} of them are not Universal.`,
            objects: security,
            scope: { kind: 'objects' },
          });
        }
        const provisioned =
          provisionedByCloudSync === 0
            ? ''
            : `${provisionedByCloudSync.toLocaleString('en-US')} group(s) carry only msDS-ExternalDirectoryObjectId Group_<id>: provisioned by Cloud Sync already (or migrated).`;
        if (findings.length === 0) return { status: 'passed', ...(provisioned === '' ? {} : { note: provisioned }) };
        for (const finding of findings) finding.message = `${finding.message} ${provisioned}`.trim();
        return { status: 'failed', findings };
      },
    };
  },
});
