import { connectConfigOf, defineCheck, type FindingInput, type ObjectRef } from '../check.js';
import { connectExport, partition } from '../evidence.js';
import { dnKey } from '../../model/dn.js';
import { adConnectors } from '../../sources/connect-config/model.js';
import { CLOUD_SYNC_TOPOLOGIES, CONNECT_ACCOUNTS, DECISION_GUIDE, MIGRATION_TOOL, WHAT_IS_CLOUD_SYNC_2023 } from '../support/sources.js';

/** Connect's AD DS connector accounts and sync service accounts as the installer names them. */
const CONNECT_ACCOUNT = /^(MSOL_|AAD_)/i;

export default defineCheck({
  meta: {
    id: 'connect.connectors',
    title: 'What Connect Sync connects: forests, other sources, and its accounts in AD',
    severity: 'warning',
    category: 'connect-config',
    tags: ['connect', 'connect-config', 'topology', 'migration-tool'],
    rationale:
      'Cloud Sync synchronises Active Directory forests only: a connector to an LDAP directory, a database or another source has no Cloud Sync ' +
      'counterpart (2023 comparison: "Connect to LDAP directories: no"). Several AD connectors mean several forests, which Cloud Sync supports (one agent ' +
      'configuration per domain) but the guided migration tool does not (one forest in its current wave). The export names the AD DS connector account of ' +
      'each forest; an MSOL_ account in AD that no connector of this export uses belongs to another Connect installation (a staging server, or one left ' +
      'behind with replication rights), and a connector account missing from AD means the export and the forest do not match.',
    remediation:
      'Plan a Cloud Sync configuration per domain of every forest; keep Connect Sync (or another tool) for non-AD sources. Find the server behind every ' +
      "other MSOL_ account (its description names it): export that server's configuration too if it is active, remove the account if the server is gone.",
    sources: [WHAT_IS_CLOUD_SYNC_2023, CLOUD_SYNC_TOPOLOGIES, DECISION_GUIDE, MIGRATION_TOOL, CONNECT_ACCOUNTS],
    evidence: [connectExport(), partition('domain')],
    kinds: {
      'several-forests': { title: 'Connect synchronises several forests', severity: 'info' },
      'non-ad-source': { title: 'Connect synchronises a source other than Active Directory', severity: 'blocker' },
      'connector-account-missing': { title: "The export's connector account is not in AD", severity: 'warning' },
      'other-installation': { title: "Connect installations in AD that are not this export's", severity: 'warning' },
    },
  },
  create(context) {
    const migrationTool = context.target === 'migration-tool';
    const config = connectConfigOf(context);
    const logins = new Set(
      adConnectors(config)
        .map((c) => c.loginUser?.toLowerCase() ?? '')
        .filter((l) => l !== ''),
    );
    const accountsInAd = new Map<string, ObjectRef>();
    return {
      visits: ['user'],
      visit(entry) {
        const sam = entry.text('samaccountname');
        if (sam !== undefined && (CONNECT_ACCOUNT.test(sam) || logins.has(sam.toLowerCase())))
          accountsInAd.set(sam.toLowerCase(), { dn: entry.dn, samAccountName: sam });
      },
      finish(inventory) {
        const findings: FindingInput<'several-forests' | 'non-ad-source' | 'connector-account-missing' | 'other-installation'>[] = [];
        const ad = adConnectors(config);
        if (ad.length > 1) {
          findings.push({
            kind: 'several-forests',
            severity: migrationTool ? 'blocker' : 'info',
            message:
              `${ad.length} AD connectors: ${ad.map((c) => `${c.name} (${c.file})`).join(', ')}. Cloud Sync needs a configuration per domain of each forest` +
              `${migrationTool ? '; the migration tool takes one forest only' : ''}. Only the forest scanned is judged here.`,
          });
        }
        for (const other of config.connectors.filter((c) => c.kind === 'other')) {
          findings.push({
            kind: 'non-ad-source',
            coexistence: true,
            message: `Connector "${other.name}" (${other.category}${other.subtype === '' ? '' : `, ${other.subtype}`}; ${other.file}) is not an AD forest: Cloud Sync cannot read it, so Connect Sync (or another tool) must keep it.`,
          });
        }
        const domainsRead = new Set(inventory.domains.filter((d) => d.partitionRead).map((d) => d.key));
        const thisForest = ad.filter((c) => c.partitions.some((p) => p.selected && domainsRead.has(dnKey(p.dn))));
        const missing = thisForest.filter((c) => c.loginUser !== undefined && c.loginUser !== '' && !accountsInAd.has(c.loginUser.toLowerCase()));
        for (const connector of missing) {
          findings.push({
            kind: 'connector-account-missing',
            message:
              `Connector ${connector.name} (${connector.file}) signs in as ${connector.loginDomain ?? '?'}\\${connector.loginUser ?? '?'}, which is not in the domains read: ` +
              'the account was removed or renamed, sits in a domain that was not exported, or the export is not from the installation that synchronises this forest.',
          });
        }
        const others = [...accountsInAd.entries()].filter(([sam]) => /^msol_/.test(sam) && !logins.has(sam)).map(([, ref]) => ref);
        if (others.length > 0) {
          findings.push({
            kind: 'other-installation',
            message: `${others.length} MSOL_ connector account(s) in AD belong to no connector of this export: another Connect server (a staging server, or one left behind) synchronises, or did, from this forest.`,
            objects: others,
          });
        }
        const named = thisForest.map((c) => c.loginUser ?? '').filter((l) => l !== '');
        const note = `${ad.length} AD connector(s), no other source; the connector account ${named.join(', ') || '(not named)'} is in AD and no other MSOL_ account is.`;
        if (findings.length === 0) return { status: 'passed', note };
        return { status: 'failed', findings: findings.map((f) => ({ ...f, scope: f.objects === undefined ? { kind: 'forest' } : { kind: 'objects' } })) };
      },
    };
  },
});
