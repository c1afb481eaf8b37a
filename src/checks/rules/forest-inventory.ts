import { defineCheck, type FindingInput } from '../check.js';
import { partition } from '../evidence.js';
import type { DomainInfo } from '../../inventory/inventory.js';
import { plural } from '../support/ad-values.js';
import { CLOUD_SYNC_CONFIGURE, CONNECT_PREREQUISITES } from '../support/sources.js';

function describeDomain(d: DomainInfo): string {
  return `${d.dnsName}${d.netbiosName === undefined ? ' (NetBIOS name not read)' : ` (${d.netbiosName})`}`;
}

export default defineCheck({
  meta: {
    id: 'forest.inventory',
    title: 'Forest layout: domains, UPN suffixes, Cloud Sync configurations',
    severity: 'info',
    category: 'topology',
    tags: ['topology', 'inventory'],
    rationale:
      'Cloud Sync is configured per AD domain: each domain is its own configuration (how-to-configure: "select your domain"), so the domain list ' +
      'is the list of configurations to create. Connect Sync does not support forests or domains with "dotted" NetBIOS names (names containing a period); ' +
      'the Cloud Sync prerequisites say nothing either way, so such a domain is flagged for as long as Connect still runs beside Cloud Sync.',
    remediation:
      'Plan one Cloud Sync configuration per domain listed. For a dotted NetBIOS name, test Cloud Sync in a lab or confirm support with Microsoft before ' +
      'relying on side-by-side operation with Connect Sync.',
    sources: [CLOUD_SYNC_CONFIGURE, CONNECT_PREREQUISITES],
    evidence: [partition('configuration')],
    kinds: { domains: {}, 'dotted-netbios': { title: 'Dotted NetBIOS domain name', severity: 'warning' } },
  },
  create() {
    return {
      finish(inventory) {
        const domains = inventory.domains;
        const suffixes = inventory.forest.upnSuffixes;
        const summary =
          `${plural(domains.length, 'domain')}: ${domains.map(describeDomain).join(', ') || 'none'}; ` +
          `forest root ${inventory.forest.rootDomainDn ?? 'unknown'}; ` +
          `alternative UPN suffixes: ${suffixes.length === 0 ? 'none' : suffixes.join(', ')}`;
        const findings: FindingInput<'domains' | 'dotted-netbios'>[] = [];
        if (domains.length > 1) {
          findings.push({
            kind: 'domains',
            message: `${summary}. Cloud Sync needs ${plural(domains.length, 'configuration')}, one per domain.`,
            objects: domains.map((d) => ({ dn: d.dn, detail: describeDomain(d) })),
            scope: { kind: 'forest' },
          });
        }
        for (const d of domains.filter((x) => x.netbiosName?.includes('.') === true)) {
          findings.push({
            kind: 'dotted-netbios',
            message: `Domain ${d.dnsName} has the NetBIOS name "${d.netbiosName ?? ''}", which contains a period: Connect Sync does not support dotted NetBIOS names.`,
            objects: [{ dn: d.dn, detail: `NetBIOS name ${d.netbiosName ?? ''}` }],
            scope: { kind: 'domain', dn: d.dn },
          });
        }
        return findings.length > 0 ? { status: 'failed', findings } : { status: 'passed', note: summary };
      },
    };
  },
});
