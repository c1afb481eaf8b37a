import { connectConfigOf, defineCheck, learn, type FindingInput } from '../check.js';
import { connectExport } from '../evidence.js';
import { settingValue } from '../../sources/connect-config/model.js';
import { MIGRATION_TOOL } from '../support/sources.js';

const STAGING_SERVER = learn(
  'identity/hybrid/connect/how-to-connect-sync-staging-server',
  'Microsoft Entra Connect: staging server and disaster recovery',
  '2024-12-26',
);
const CONNECT_VERSIONS = learn(
  'identity/hybrid/connect/reference-connect-version-history',
  'Microsoft Entra Connect: version release history (retiring 1.x and 2.x versions)',
  '2023-11-06',
);
const CLOUD_SYNC_ACCIDENTAL_DELETES = learn(
  'identity/hybrid/cloud-sync/how-to-accidental-deletes',
  'Microsoft Entra Cloud Sync accidental deletes',
  '2025-04-09',
);

const SETTING = {
  staging: 'Microsoft.Synchronize.StagingMode',
  version: 'Microsoft.Synchronize.ServerConfigurationVersion',
  threshold: 'Microsoft.OptionalFeature.ExportDeletionThreshold',
  thresholdValue: 'Microsoft.OptionalFeature.ExportDeletionThresholdValue',
} as const;

export default defineCheck({
  meta: {
    id: 'connect.server',
    title: 'The Connect Sync server the export came from: staging mode, version, deletion threshold',
    severity: 'warning',
    category: 'connect-config',
    tags: ['connect', 'connect-config', 'migration-tool'],
    rationale:
      'A server in staging mode imports and synchronises but exports nothing, and its configuration is kept in step with the active server by hand, so ' +
      'what it says may not be what the active server does; the guided migration tool cannot be run from it. Connect Sync 1.x stopped synchronising on ' +
      '1 October 2023 and 2.x builds are retired 12 months after they are superseded; the migration tool needs a supported version. The export deletion ' +
      "threshold protects the tenant from mass deletes; Cloud Sync has its own accidental-delete threshold per configuration, and the migration tool's " +
      "readiness review shows Connect's.",
    remediation:
      'Export the configuration on the active Connect server (Get-ADSyncServerConfiguration) and scan again. Upgrade Connect to a supported 2.x build before ' +
      "using the migration tool. Set Cloud Sync's accidental-delete prevention and threshold to match Connect's.",
    sources: [STAGING_SERVER, CONNECT_VERSIONS, MIGRATION_TOOL, CLOUD_SYNC_ACCIDENTAL_DELETES],
    evidence: [connectExport()],
    kinds: {
      'staging-mode': { title: 'The export comes from a server in staging mode', severity: 'warning' },
      'retired-version': { title: 'Connect Sync 1.x: retired, and too old for the migration tool', severity: 'blocker' },
      'deletion-threshold-off': { title: "Connect's accidental-delete protection is off", severity: 'warning' },
    },
  },
  create(context) {
    const config = connectConfigOf(context);
    return {
      finish() {
        const setting = (name: string): string | undefined => settingValue(config, name);
        const findings: FindingInput<'staging-mode' | 'retired-version' | 'deletion-threshold-off'>[] = [];
        const version = setting(SETTING.version);
        if (setting(SETTING.staging)?.toLowerCase() === 'true') {
          findings.push({
            kind: 'staging-mode',
            severity: context.target === 'migration-tool' ? 'blocker' : 'warning',
            message:
              `${SETTING.staging} is True in ${config.globalSettings.get(SETTING.staging)?.file}: this server exports nothing, and its configuration is kept in step ` +
              "with the active server by hand, so the active server's settings may differ. The migration tool cannot be run from a staging server.",
          });
        }
        const major = Number.parseInt(version ?? '', 10);
        if (version !== undefined && major < 2) {
          findings.push({
            kind: 'retired-version',
            message: `The server runs Connect ${version} (${SETTING.version}). Connect 1.x stopped synchronising on 1 October 2023; the migration tool needs a supported 2.x build.`,
          });
        }
        const thresholdOn = setting(SETTING.threshold)?.toLowerCase() === 'true';
        if (setting(SETTING.threshold)?.toLowerCase() === 'false') {
          findings.push({
            kind: 'deletion-threshold-off',
            message: `Connect's accidental-delete protection is off (${SETTING.threshold} False). Cloud Sync offers a threshold per configuration: switch it on there.`,
          });
        }
        if (findings.length === 0 && (version === undefined || setting(SETTING.staging) === undefined)) {
          return {
            status: 'not-evaluated',
            reason: `the export has no ${version === undefined ? SETTING.version : SETTING.staging} setting, so the server cannot be judged`,
          };
        }
        const threshold = thresholdOn
          ? ` Connect stops exports that delete more than ${setting(SETTING.thresholdValue) ?? '?'} objects (${SETTING.thresholdValue}): set the same threshold in each Cloud Sync configuration.`
          : '';
        if (findings.length === 0) return { status: 'passed', note: `Connect ${version ?? ''}, not in staging mode.${threshold}` };
        return { status: 'failed', findings: findings.map((f) => ({ ...f, scope: { kind: 'forest' } })) };
      },
    };
  },
});
