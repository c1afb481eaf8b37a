import { connectConfigOf, defineCheck, learn, type FindingInput, type FindingKind, type Severity } from '../check.js';
import { connectExport } from '../evidence.js';
import { settingValue } from '../../sources/connect-config/model.js';
import { CONNECT_DEVICE_WRITEBACK, DECISION_GUIDE, MIGRATION_TOOL } from '../support/sources.js';

const CLOUD_SYNC_EXCHANGE_HYBRID = learn('identity/hybrid/cloud-sync/exchange-hybrid', 'Exchange hybrid writeback with cloud sync', '2025-04-09');

type Kind =
  | 'device-writeback'
  | 'group-writeback'
  | 'user-writeback'
  | 'exchange-hybrid'
  | 'exchange-mail-public-folders'
  | 'password-writeback'
  | 'directory-extensions'
  | 'attribute-filtering';

interface Feature {
  kind: Kind;
  /** The Microsoft.OptionalFeature.* flag that switches it on. */
  flag: string;
  title: string;
  /** Related settings shown with it (forest, container, attribute list). */
  details?: string[];
  severity: Severity;
  /** Severity under --target migration-tool, when the tool treats it differently. */
  migrationTool?: Severity;
  /** Connect can keep this workload side by side while users and groups move. */
  coexistence?: boolean;
  what: string;
}

const FEATURES: readonly Feature[] = [
  {
    kind: 'device-writeback',
    flag: 'Microsoft.OptionalFeature.DeviceWriteBack',
    title: 'Device writeback',
    details: ['Microsoft.DeviceWriteBack.Forest', 'Microsoft.DeviceWriteBack.Container'],
    severity: 'blocker',
    coexistence: true,
    what: 'Cloud Sync has no device writeback (discontinued; Windows Hello for Business uses Cloud Kerberos trust instead). Keep Connect Sync for it or retire it.',
  },
  {
    kind: 'group-writeback',
    flag: 'Microsoft.OptionalFeature.GroupWriteBack',
    title: 'Group writeback (v1)',
    details: ['Microsoft.GroupWriteBack.Forest', 'Microsoft.GroupWriteBack.Container'],
    severity: 'warning',
    migrationTool: 'blocker',
    what: 'Cloud Sync provisions groups to AD in its own way (security groups, its own configuration); mail-enabled groups written back by Connect are not carried over, and the migration tool does not move group writeback.',
  },
  {
    kind: 'user-writeback',
    flag: 'Microsoft.OptionalFeature.UserWriteBack',
    title: 'User writeback',
    details: ['Microsoft.UserWriteBack.Forest', 'Microsoft.UserWriteBack.Container'],
    severity: 'warning',
    migrationTool: 'blocker',
    what: "Cloud Sync's user provisioning to AD is a separate preview feature; the migration tool does not move user writeback.",
  },
  {
    kind: 'exchange-hybrid',
    flag: 'Microsoft.OptionalFeature.HybridExchange',
    title: 'Exchange hybrid writeback',
    severity: 'info',
    what: 'Cloud Sync supports Exchange hybrid writeback, but it is switched on per configuration: enable it there (the migration tool carries it over).',
  },
  {
    kind: 'exchange-mail-public-folders',
    flag: 'Microsoft.OptionalFeature.ExchangeMailPublicFolder',
    title: 'Exchange mail public folders',
    severity: 'info',
    migrationTool: 'warning',
    what: 'Check that Cloud Sync covers mail-enabled public folders for this tenant before the move; the migration tool does not list them among what it carries over.',
  },
  {
    kind: 'password-writeback',
    flag: 'Microsoft.OptionalFeature.PasswordWriteback',
    title: 'Password writeback',
    severity: 'info',
    what: 'Cloud Sync supports password writeback: switch it on in the Cloud Sync configuration and for SSPR in the tenant (the migration tool carries it over).',
  },
  {
    kind: 'directory-extensions',
    flag: 'Microsoft.OptionalFeature.DirectoryExtension',
    title: 'Directory extension attributes',
    details: ['Microsoft.OptionalFeature.DirectoryExtensionAttributes', 'Microsoft.DirectoryExtension.SourceTargetAttributesMap'],
    severity: 'warning',
    migrationTool: 'blocker',
    what: 'Cloud Sync can synchronise directory extensions, but each must be set up again as a custom attribute mapping; the migration tool refuses directory extensions.',
  },
  {
    kind: 'attribute-filtering',
    flag: 'Microsoft.OptionalFeature.FilterAAD',
    title: 'Entra app and attribute filtering',
    details: ['Microsoft.AADFilter.ApplicationList', 'Microsoft.AADFilter.AttributeExclusionList'],
    severity: 'warning',
    what: 'Connect sends only a trimmed attribute set. Cloud Sync sends its default set unless mappings are removed: remove the same ones, or more attributes reach Entra ID than today.',
  },
];

export default defineCheck({
  meta: {
    id: 'connect.features',
    title: 'Connect Sync optional features: writeback, Exchange, directory extensions, attribute filtering',
    severity: 'warning',
    category: 'connect-config',
    tags: ['connect', 'connect-config', 'writeback', 'migration-tool'],
    rationale:
      'The optional features switched on in Connect are the workloads a move must carry over, and Cloud Sync covers them differently: no device ' +
      'writeback, group provisioning to AD instead of group writeback v1, user provisioning to AD only in preview, Exchange hybrid and password ' +
      'writeback supported but switched on per configuration, directory extensions as custom mappings, and no app-based attribute filter. The migration ' +
      'tool carries over user and group sync, PHS, password writeback and Exchange hybrid writeback, and refuses directory extensions and unsupported ' +
      'writeback scenarios.',
    remediation: 'For each feature listed, plan its Cloud Sync counterpart before the move (the message says which), or keep Connect Sync side by side for it.',
    sources: [DECISION_GUIDE, MIGRATION_TOOL, CONNECT_DEVICE_WRITEBACK, CLOUD_SYNC_EXCHANGE_HYBRID],
    evidence: [connectExport()],
    kinds: {
      'device-writeback': { title: 'Device writeback', severity: 'blocker' },
      'group-writeback': { title: 'Group writeback (v1)' },
      'user-writeback': { title: 'User writeback' },
      'exchange-hybrid': { title: 'Exchange hybrid writeback', severity: 'info' },
      'exchange-mail-public-folders': { title: 'Exchange mail public folders', severity: 'info' },
      'password-writeback': { title: 'Password writeback', severity: 'info' },
      'directory-extensions': { title: 'Directory extension attributes' },
      'attribute-filtering': { title: 'Entra app and attribute filtering' },
    } satisfies Record<Kind, FindingKind>,
  },
  create(context) {
    const migrationTool = context.target === 'migration-tool';
    return {
      finish() {
        const config = connectConfigOf(context);
        const entraWriteback = config.connectors.find((c) => c.kind === 'entra' && c.passwordWriteback === true);
        const findings: FindingInput<Kind>[] = [];
        for (const feature of FEATURES) {
          const flagOn = settingValue(config, feature.flag)?.toLowerCase() === 'true';
          const connectorOn = feature.kind === 'password-writeback' && entraWriteback !== undefined;
          if (!flagOn && !connectorOn) continue;
          const details = (feature.details ?? [])
            .map((name) => [name, settingValue(config, name)] as const)
            .filter(([, value]) => value !== undefined)
            .map(([name, value]) => `${name} = ${value}`);
          const where = flagOn ? `${feature.flag} True` : `aad-password-reset-config enabled in ${entraWriteback?.file ?? '?'}`;
          findings.push({
            kind: feature.kind,
            title: feature.title,
            severity: migrationTool ? (feature.migrationTool ?? feature.severity) : feature.severity,
            ...(feature.coexistence === true ? { coexistence: true } : {}),
            message: `${feature.title} is on in Connect (${where}${details.length === 0 ? '' : `; ${details.join('; ')}`}). ${feature.what}`,
            scope: { kind: 'forest' },
          });
        }
        const unread = FEATURES.filter((f) => settingValue(config, f.flag) === undefined && !(f.kind === 'password-writeback' && entraWriteback !== undefined));
        if (findings.length === 0 && unread.length > 0) {
          return { status: 'not-evaluated', reason: `the export does not say whether these are on: ${unread.map((f) => `${f.title} (${f.flag})`).join(', ')}` };
        }
        if (findings.length === 0) return { status: 'passed', note: `None of these optional features is on: ${FEATURES.map((f) => f.title).join(', ')}.` };
        return { status: 'failed', findings };
      },
    };
  },
});
