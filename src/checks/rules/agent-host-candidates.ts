import { defineCheck, type FindingInput, type ObjectRef } from '../check.js';
import { attribute, objects, partition } from '../evidence.js';
import { UAC, hasFlag, plural, windowsServerRelease } from '../support/ad-values.js';
import { objectRef } from '../support/object-ref.js';
import { CLOUD_SYNC_PREREQUISITES } from '../support/sources.js';

const RECOMMENDED = new Set(['2025', '2022']);
const EXTENDED_SUPPORT = new Set(['2019', '2016']);

/** What the prerequisites ask of the host that no directory attribute shows. */
const MANUAL_PRE_CHECKS =
  'Check on the chosen host (not visible over LDAP): Desktop Experience, not Server Core; 4 GB RAM or more; .NET Framework 4.7.1 or later; ' +
  'TLS 1.2 enabled; PowerShell execution policy Undefined or RemoteSigned; the Credential Manager service (VaultSvc) not disabled; NTLM disabled; ' +
  'outbound 443 and 80 to the Microsoft endpoints; on Windows Server 2025, KB5070773 (OS build 26100.6901) or later, then a restart.';

const LISTED_IN_NOTE = 10;

function listed(hosts: readonly Host[]): string {
  const more = hosts.length - LISTED_IN_NOTE;
  return (
    hosts
      .slice(0, LISTED_IN_NOTE)
      .map((h) => h.ref.dn)
      .join('; ') + (more > 0 ? `; and ${more} more` : '')
  );
}

interface Host {
  release: string;
  ref: ObjectRef;
}

export default defineCheck({
  meta: {
    id: 'agent.host-candidates',
    title: 'Servers that can host the provisioning agent',
    severity: 'info',
    category: 'agent',
    tags: ['agent', 'manual'],
    rationale:
      'The agent runs on a domain-joined Windows Server. The prerequisites (07/2026) recommend Windows Server 2025 or 2022; older releases still in ' +
      'extended support (2019, 2016) may need a paid support program; Windows Server 2025 needs KB5070773 or later because of a known sync problem. ' +
      'Older texts (2023–10/2025) said "2016 or later" and listed only 2016/2019/2022, so blog posts that say 2025 is unsupported are out of date. ' +
      'A DC is a supported host; Microsoft recommends three active agents on Tier 0 servers. AD stores the OS release but not the patch level, ' +
      'Server Core, RAM or TLS settings, so those are listed as manual pre-checks.',
    remediation: 'Pick three Windows Server 2022 or 2025 hosts (treated as Tier 0), run the manual pre-checks on each, and install the agent on all three.',
    sources: [CLOUD_SYNC_PREREQUISITES],
    evidence: [partition('domain'), objects('computer'), attribute('operatingSystem', 'computer')],
    kinds: {
      'needs-kb5070773': { title: 'Windows Server 2025 hosts need KB5070773' },
      'no-recommended-host': { title: 'No Windows Server 2022 or 2025 host', severity: 'warning' },
    },
  },
  create() {
    const servers: Host[] = [];
    return {
      visits: ['computer'],
      visit(entry) {
        const uac = entry.int('useraccountcontrol');
        if (hasFlag(uac, UAC.accountDisabled)) return;
        const os = windowsServerRelease(entry.text('operatingsystem'), entry.text('operatingsystemversion'));
        if (os === undefined) return;
        const role = hasFlag(uac, UAC.serverTrustAccount) ? ', domain controller' : '';
        servers.push({ release: os.release, ref: objectRef(entry, { detail: `Windows Server ${os.release}${role}` }) });
      },
      finish() {
        const recommended = servers.filter((s) => RECOMMENDED.has(s.release));
        const extended = servers.filter((s) => EXTENDED_SUPPORT.has(s.release));
        const refs = (hosts: Host[]): ObjectRef[] => hosts.map((h) => h.ref);
        const findings: FindingInput<'needs-kb5070773' | 'no-recommended-host'>[] = [];
        const on2025 = recommended.filter((s) => s.release === '2025');
        if (on2025.length > 0) {
          findings.push({
            kind: 'needs-kb5070773',
            message: `${plural(on2025.length, 'enabled Windows Server 2025 computer')} can host the agent once KB5070773 or later is installed (AD does not record the patch level). ${MANUAL_PRE_CHECKS}`,
            objects: refs(on2025),
            scope: { kind: 'forest' },
          });
        }
        if (recommended.length === 0) {
          findings.push({
            kind: 'no-recommended-host',
            message:
              extended.length > 0
                ? `No enabled Windows Server 2022 or 2025 computer is in the input; ${plural(extended.length, 'server')} on 2016/2019 could host the agent, but only while in extended support, which may need a paid support program. ${MANUAL_PRE_CHECKS}`
                : `No enabled Windows Server 2016 or later computer is in the input (${plural(servers.length, 'older server')}): the agent needs a domain-joined host, Windows Server 2022 or 2025 recommended. ${MANUAL_PRE_CHECKS}`,
            objects: refs(extended),
            scope: { kind: 'forest' },
          });
        }
        if (findings.length > 0) return { status: 'failed', findings };
        return {
          status: 'passed',
          note: `${plural(recommended.length, 'Windows Server 2022 host candidate')} (${listed(recommended)}). ${MANUAL_PRE_CHECKS}`,
        };
      },
    };
  },
});
