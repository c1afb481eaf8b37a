import { defineCheck, learn, type ObjectRef, type SourceRef } from '../check.js';
import { partition } from '../evidence.js';
import { objectRef } from '../support/object-ref.js';
import { DECISION_GUIDE, MIGRATION_TOOL } from '../support/sources.js';

const EXCHANGE_HYBRID_WRITEBACK = learn('identity/hybrid/cloud-sync/exchange-hybrid', 'Exchange hybrid writeback with cloud sync', '2025-04-09');
// The copy read has no ms.date; its tables end at Exchange 2019 CU11 (September 2021), whose release date stands in.
const EXCHANGE_AD_VERSIONS: SourceRef = {
  title: 'Prepare Active Directory and domains for Exchange Server: Exchange Active Directory versions (tables up to 2019 CU11 / 2016 CU22)',
  url: 'https://learn.microsoft.com/exchange/plan-and-deploy/prepare-ad-and-domains',
  date: '2021-09-28',
};

/** rangeUpper of ms-Exch-Schema-Version-Pt → Exchange release (the Exchange AD-versions tables, up to 2019 CU11 and 2016 CU22). */
const SCHEMA_VERSIONS: readonly [number, string][] = [
  [17003, 'Exchange 2019 CU10 or later'],
  [17002, 'Exchange 2019 CU8–CU9'],
  [17001, 'Exchange 2019 CU2–CU7'],
  [17000, 'Exchange 2019 RTM–CU1'],
  [15334, 'Exchange 2016 CU21 or later'],
  [15333, 'Exchange 2016 CU19–CU20'],
  [15332, 'Exchange 2016 CU7–CU18 (or Exchange 2019 Preview)'],
  [15330, 'Exchange 2016 CU6'],
  [15326, 'Exchange 2016 CU3–CU5'],
  [15325, 'Exchange 2016 CU2'],
  [15323, 'Exchange 2016 CU1'],
  [15317, 'Exchange 2016 RTM'],
];

function exchangeRelease(rangeUpper: number): string {
  const exact = SCHEMA_VERSIONS.find(([value]) => value === rangeUpper);
  if (exact !== undefined) return exact[1];
  if (rangeUpper > 17003) return 'a release newer than the version table read (after Exchange 2019 CU11)';
  if (rangeUpper < 15317) return 'Exchange 2013 or older';
  return 'an Exchange release not in the version table';
}

/** msExchRecipientTypeDetails of mailboxes that live in Exchange Online (remote user, room, equipment, shared). */
const REMOTE_MAILBOX_TYPES = new Set([2147483648n, 8589934592n, 17179869184n, 34359738368n]);

export default defineCheck({
  meta: {
    id: 'exchange.hybrid',
    title: 'Exchange in the forest: hybrid writeback must be switched on in Cloud Sync',
    severity: 'info',
    category: 'exchange',
    tags: ['exchange', 'writeback'],
    rationale:
      'Cloud Sync supports Exchange hybrid writeback (msDS-ExternalDirectoryObjectId, proxyAddresses from cloudLegacyExchangeDN, msExchArchiveStatus, the safe/blocked ' +
      'senders hashes, voice-mail settings and hold policies) with provisioning agent 1.1.1107.0 or later and the Exchange schema in AD. It is off by default in each ' +
      'configuration, and an agent installed before the schema was extended must be restarted to see it. The guided migration tool carries Exchange hybrid writeback over. ' +
      'Older texts still call it a preview (the 2023 version of the writeback page); the decision guide and the 2025 page treat it as supported. ' +
      'Remote mailboxes (msExchRecipientTypeDetails 2147483648, 8589934592, 17179869184, 34359738368) and a Hybrid Configuration object show that hybrid is in use.',
    remediation:
      'Make sure every Cloud Sync agent is 1.1.1107.0 or later, enable "Exchange hybrid writeback" in each AD-to-Entra configuration that covers mailbox users, and ' +
      'test one user with provision-on-demand (both steps) before disabling Connect Sync.',
    sources: [EXCHANGE_HYBRID_WRITEBACK, DECISION_GUIDE, MIGRATION_TOOL, EXCHANGE_AD_VERSIONS],
    evidence: [partition('schema')],
    kinds: {
      'hybrid-in-use': { title: 'Exchange hybrid in use: enable Exchange hybrid writeback in Cloud Sync', severity: 'warning' },
      'exchange-present': { title: 'Exchange is in the forest', severity: 'info' },
    },
  },
  create() {
    let schema: { ref: ObjectRef; rangeUpper: number | undefined } | undefined;
    const organizations: ObjectRef[] = [];
    const hybridConfigurations: ObjectRef[] = [];
    let remoteMailboxes = 0;
    let cloudTargets = 0;
    let usersSeen = 0;
    return {
      visit(entry) {
        if (entry.kind === 'user') {
          usersSeen++;
          const type = entry.bigint('msexchrecipienttypedetails');
          if (type !== undefined && REMOTE_MAILBOX_TYPES.has(type)) remoteMailboxes++;
          if (entry.text('targetaddress')?.toLowerCase().endsWith('.mail.onmicrosoft.com') === true) cloudTargets++;
          return;
        }
        if (entry.kind !== 'other' && entry.kind !== 'container') return;
        if (entry.key.startsWith('cn=ms-exch-schema-version-pt,') && entry.isA('attributeschema')) {
          schema = { ref: objectRef(entry), rangeUpper: entry.int('rangeupper') };
        } else if (entry.isA('msexchorganizationcontainer')) {
          organizations.push(objectRef(entry, { detail: `objectVersion ${entry.text('objectversion') ?? 'not read'}` }));
        } else if (entry.isA('msexchhybridconfiguration') || entry.key.startsWith('cn=hybrid configuration,cn=hybrid configuration,')) {
          hybridConfigurations.push(objectRef(entry));
        }
      },
      finish(inventory) {
        if (schema === undefined && organizations.length === 0) {
          return { status: 'passed', note: 'No Exchange schema extension (ms-Exch-Schema-Version-Pt) and no Exchange organization: nothing to write back.' };
        }
        const parts: string[] = [];
        if (schema !== undefined) {
          parts.push(
            schema.rangeUpper === undefined
              ? 'The Exchange schema extension is present (rangeUpper not read).'
              : `Exchange schema rangeUpper ${schema.rangeUpper}: ${exchangeRelease(schema.rangeUpper)}.`,
          );
        }
        parts.push(
          inventory.partitions.configuration
            ? `${organizations.length} Exchange organization(s), ${hybridConfigurations.length} Hybrid Configuration object(s).`
            : 'The configuration partition is not in the input, so the Exchange organization and hybrid configuration are unknown.',
        );
        parts.push(
          usersSeen > 0
            ? `${remoteMailboxes.toLocaleString('en-US')} remote mailbox(es) (mailboxes in Exchange Online), ${cloudTargets.toLocaleString('en-US')} user(s) with a targetAddress in *.mail.onmicrosoft.com.`
            : 'No users are in the input, so remote mailboxes could not be counted.',
        );
        const hybrid = remoteMailboxes > 0 || cloudTargets > 0 || hybridConfigurations.length > 0;
        parts.push(
          hybrid
            ? 'Exchange hybrid is in use: enable Exchange hybrid writeback in Cloud Sync (agent 1.1.1107.0 or later), or the Exchange Online attributes (archive status, safe and blocked senders, the cloud legacyExchangeDN in proxyAddresses ...) are no longer written back to AD.'
            : 'No sign of Exchange hybrid; if mailboxes move to Exchange Online later, enable Exchange hybrid writeback then.',
        );
        return {
          status: 'failed',
          findings: [
            {
              kind: hybrid ? 'hybrid-in-use' : 'exchange-present',
              message: parts.join(' '),
              objects: [
                ...(schema === undefined ? [] : [{ ...schema.ref, detail: `rangeUpper ${schema.rangeUpper ?? 'not read'}` }]),
                ...organizations,
                ...hybridConfigurations,
              ],
              scope: { kind: 'forest' },
            },
          ],
        };
      },
    };
  },
});
