import { defineCheck, type CheckContext, type FindingInput, type ObjectRef } from '../check.js';
import { container, objects, partition, toPass } from '../evidence.js';
import { HYBRID_JOIN_SCP_PREFIX } from '../support/hybrid-join.js';
import { ObjectList } from '../support/object-list.js';
import { objectRef } from '../support/object-ref.js';
import { CONNECT_DEFAULT_CONFIGURATION, DECISION_GUIDE, DEVICE_SYNC_PREVIEW, HYBRID_JOIN_MANUAL, MIGRATION_TOOL } from '../support/sources.js';

export default defineCheck({
  meta: {
    id: 'devices.hybrid-join',
    title: 'Hybrid-joined devices are synchronised by Connect Sync',
    severity: 'blocker',
    category: 'devices',
    tags: ['devices', 'preview'],
    rationale:
      'Connect Sync synchronises computers that carry a userCertificate so they can complete Microsoft Entra hybrid join. ' +
      'Cloud Sync device sync exists only as a preview (July 2026); on GA features alone, moving these computers to Cloud Sync stops hybrid join for new devices. ' +
      'Judged per profile: GA only (default) → blocker that Connect can carry side by side; --allow-preview → warning (device sync preview, agent 1.1.1107 or later); ' +
      '--target migration-tool → blocker without that way out, because the guided migration tool refuses device synchronization.',
    remediation:
      'Keep Connect Sync for devices while Cloud Sync takes users and groups (side by side with mutually exclusive scopes is supported), ' +
      'or, if preview features are acceptable, plan Cloud Sync device sync (agent 1.1.1107 or later, an SCP in every forest). ' +
      'Do not scope these computers into both engines.',
    sources: [DECISION_GUIDE, DEVICE_SYNC_PREVIEW, HYBRID_JOIN_MANUAL, CONNECT_DEFAULT_CONFIGURATION, MIGRATION_TOOL],
    evidence: [
      toPass(partition('configuration', 'where the SCP lives')),
      toPass(container('CN=Services', 'configuration', 'where the SCP lives')),
      toPass(partition('domain', 'where computers live')),
      toPass(objects('computer')),
    ],
    kinds: {
      'hybrid-join-scp': { title: 'Hybrid join service connection point is configured' },
      'certified-computers': { title: 'Computers with userCertificate are synchronised as devices' },
    },
  },
  create(context) {
    const profile = deviceProfile(context);
    const scps: { ref: ObjectRef; keywords: string[] }[] = [];
    const certifiedComputers = new ObjectList();
    return {
      visit(entry) {
        if (entry.kind === 'computer') {
          if (entry.has('usercertificate')) {
            const os = entry.text('operatingsystem');
            certifiedComputers.add(entry, os === undefined ? {} : { detail: os });
          }
        } else if (entry.key.startsWith(HYBRID_JOIN_SCP_PREFIX)) {
          scps.push({ ref: objectRef(entry), keywords: entry.texts('keywords') });
        }
      },
      finish() {
        const findings: FindingInput<'hybrid-join-scp' | 'certified-computers'>[] = [];
        for (const scp of scps) {
          const tenant = scp.keywords.filter((k) => /^azureAD(Name|Id):/i.test(k)).join(', ');
          findings.push({
            kind: 'hybrid-join-scp',
            message: `The device registration SCP exists${tenant === '' ? '' : ` (${tenant})`}: this forest is set up for Microsoft Entra hybrid join. ${profile.consequence}`,
            objects: [tenant === '' ? scp.ref : { ...scp.ref, detail: tenant }],
            scope: { kind: 'forest' },
            ...profile.judgement,
          });
        }
        if (certifiedComputers.length > 0) {
          findings.push({
            kind: 'certified-computers',
            message: `${certifiedComputers.length.toLocaleString('en-US')} computer(s) carry a userCertificate, which Connect Sync's default rules use to synchronise them as hybrid-joined devices. ${profile.consequence}`,
            objects: certifiedComputers.view(),
            ...profile.judgement,
          });
        }
        if (findings.length > 0) return { status: 'failed', findings };
        return { status: 'passed' };
      },
    };
  },
});

/** How hybrid join weighs under the chosen profile: the migration tool is strictest, the preview most lenient. */
function deviceProfile(context: CheckContext): { judgement: Pick<FindingInput, 'severity' | 'coexistence'>; consequence: string } {
  if (context.target === 'migration-tool') {
    return {
      judgement: { severity: 'blocker', coexistence: false },
      consequence: 'The guided migration tool refuses device synchronization: the tool cannot be used for this forest as it is.',
    };
  }
  if (context.allowPreview) {
    return {
      judgement: { severity: 'warning', coexistence: false },
      consequence: 'With preview features allowed, Cloud Sync device sync (agent 1.1.1107 or later, an SCP in every forest) can take these devices over.',
    };
  }
  return {
    judgement: { severity: 'blocker', coexistence: true },
    consequence: 'Cloud Sync has no GA device sync: keep Connect Sync for devices side by side (mutually exclusive scopes).',
  };
}
