import { defineCheck, type FindingInput, type ObjectRef } from '../check.js';
import { attribute, container, partition, toPass } from '../evidence.js';
import type { Entry } from '../../model/entry.js';
import { plural } from '../support/ad-values.js';
import { objectRef } from '../support/object-ref.js';
import { ADSYNC_SERVICE_ACCOUNT, CONNECT_ACCOUNTS, MIGRATION_TOOL } from '../support/sources.js';

/**
 * "Account created by Microsoft Azure Active Directory Connect with installation identifier <hex> running on computer <HOST>
 * configured to synchronize to tenant <tenant>. This account must have ..." (the express installer's description).
 */
const MSOL_DESCRIPTION =
  /installation identifier\s+'?([0-9a-f]+)'?\s+running on computer\s+'?([^\s']+)'?\s+configured to synchronize to tenant\s+(\S+?)\.?(?:\s|$)/i;

interface ConnectorAccount {
  ref: ObjectRef;
  installId: string | undefined;
  server: string | undefined;
  tenant: string | undefined;
}

function connectorAccount(entry: Entry): ConnectorAccount {
  const m = MSOL_DESCRIPTION.exec(entry.text('description') ?? '');
  return { ref: objectRef(entry), installId: m?.[1], server: m?.[2], tenant: m?.[3]?.toLowerCase() };
}

function detail(a: ConnectorAccount): string {
  if (a.server === undefined) return 'description does not name the server (edited, or not exported)';
  return `server ${a.server}, tenant ${a.tenant ?? '?'}, installation ${a.installId ?? '?'}`;
}

export default defineCheck({
  meta: {
    id: 'connect.footprint',
    title: 'Connect Sync installations visible in Active Directory',
    severity: 'info',
    category: 'connect',
    tags: ['connect', 'inventory'],
    rationale:
      'An express install of Connect creates the AD DS connector account MSOL_<12 hex> with a description naming the installation id, the Connect server ' +
      'and the tenant; every installation (staging servers too) creates its own, so several MSOL_ accounts mean several Connect servers, or leftovers that ' +
      'still hold directory replication rights. The sync service account is an sMSA ADSyncMSA_ (installs on a DC since March 2021) or a user AAD_ ' +
      '(older builds); a virtual service account leaves no trace, and a custom connector account cannot be recognised. The guided migration tool must be ' +
      'started on the active Connect server and refuses staging servers.',
    remediation:
      'Match each MSOL_ account to a running Connect server (active or staging) and its tenant; run the migration from the active one; remove the accounts ' +
      'of servers that no longer exist (they keep replication rights).',
    sources: [CONNECT_ACCOUNTS, ADSYNC_SERVICE_ACCOUNT, MIGRATION_TOOL],
    evidence: [
      partition('domain'),
      toPass(container('CN=Users', 'every-domain', 'where the Connect installer creates the MSOL_ account')),
      toPass(attribute('sAMAccountName', 'user')),
    ],
    kinds: {
      'connect-accounts': {},
      'several-installations': { title: 'Several Connect Sync installations', severity: 'warning' },
      'several-tenants': { title: 'Connect Sync installations synchronise to different tenants', severity: 'warning' },
    },
  },
  create() {
    const connectors: ConnectorAccount[] = [];
    const serviceAccounts: ObjectRef[] = [];
    return {
      visits: ['user', 'managed-service-account'],
      visit(entry) {
        const kind = entry.kind;
        const sam = entry.text('samaccountname') ?? '';
        if (kind === 'user' && /^MSOL_/i.test(sam)) connectors.push(connectorAccount(entry));
        else if ((kind === 'user' && /^AAD_/i.test(sam)) || (kind === 'managed-service-account' && /^ADSyncMSA/i.test(sam))) {
          serviceAccounts.push(objectRef(entry, { detail: `sync service account ${sam}` }));
        }
      },
      finish() {
        const findings: FindingInput<'connect-accounts' | 'several-installations' | 'several-tenants'>[] = [];
        const described = (c: ConnectorAccount): ObjectRef => ({ ...c.ref, detail: detail(c) });
        if (connectors.length + serviceAccounts.length > 0) {
          const servers = [...new Set(connectors.map((c) => c.server).filter((s) => s !== undefined))];
          findings.push({
            kind: 'connect-accounts',
            message:
              `Connect Sync left ${plural(connectors.length, 'MSOL_ connector account')} and ${plural(serviceAccounts.length, 'AAD_/ADSyncMSA service account')}` +
              `${servers.length === 0 ? '' : `; Connect servers named: ${servers.join(', ')}`}. Connect's default rules do not synchronise these accounts.`,
            objects: [...connectors.map(described), ...serviceAccounts],
            scope: { kind: 'forest' },
          });
        }
        if (connectors.length > 1) {
          findings.push({
            kind: 'several-installations',
            message: `${plural(connectors.length, 'MSOL_ account')}: one per Connect installation, so there are staging servers or leftovers of removed servers. The migration must start on the active server; leftovers still hold replication rights.`,
            objects: connectors.map(described),
            scope: { kind: 'forest' },
          });
        }
        const tenants = [...new Set(connectors.map((c) => c.tenant).filter((t) => t !== undefined))];
        if (tenants.length > 1) {
          findings.push({
            kind: 'several-tenants',
            message: `The MSOL_ descriptions name ${tenants.length} tenants (${tenants.join(', ')}): plan Cloud Sync per tenant, and confirm which installation is current.`,
            objects: connectors.filter((c) => c.tenant !== undefined).map(described),
            scope: { kind: 'forest' },
          });
        }
        if (findings.length > 0) return { status: 'failed', findings };
        return {
          status: 'passed',
          note: 'no MSOL_, AAD_ or ADSyncMSA account: Connect was not installed with express settings, or uses a custom connector account (not detectable)',
        };
      },
    };
  },
});
