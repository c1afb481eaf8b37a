import { defineCheck, type FindingInput } from '../check.js';
import { partition } from '../evidence.js';
import { CONNECT_PREREQUISITES } from '../support/sources.js';

/** msDS-Behavior-Version values (MS-ADTS 6.1.4.x); 2019 and 2022 added no level of their own. */
const LEVELS: ReadonlyMap<number, string> = new Map([
  [0, 'Windows 2000'],
  [1, 'Windows Server 2003 interim'],
  [2, 'Windows Server 2003'],
  [3, 'Windows Server 2008'],
  [4, 'Windows Server 2008 R2'],
  [5, 'Windows Server 2012'],
  [6, 'Windows Server 2012 R2'],
  [7, 'Windows Server 2016'],
  [10, 'Windows Server 2025'],
]);

/** Connect Sync (still running beside Cloud Sync during a migration) needs forest and domain level 2003 or later. */
const CONNECT_MINIMUM = 2;

function levelName(level: number | undefined): string {
  if (level === undefined) return 'unknown';
  return `${level} (${LEVELS.get(level) ?? 'unlisted level'})`;
}

export default defineCheck({
  meta: {
    id: 'forest.functional-levels',
    title: 'Forest or domain functional level below Windows Server 2003',
    severity: 'warning',
    category: 'topology',
    tags: ['topology'],
    rationale:
      'Cloud Sync states no functional-level requirement of its own. Connect Sync requires forest functional level Windows Server 2003 or later, and ' +
      'during a migration Connect keeps running beside Cloud Sync, so a lower level is an unsupported state to fix first. ' +
      "The agent's gMSA needs a Windows Server 2012+ DC per domain: dc.inventory checks that from the DCs themselves.",
    remediation: 'Raise the domain and forest functional levels (Set-ADDomainMode, Set-ADForestMode) once every DC runs a supported Windows Server release.',
    sources: [CONNECT_PREREQUISITES],
    evidence: [partition('configuration')],
    kinds: { 'forest-level': {}, 'domain-level': {} },
  },
  create() {
    const dsaLevels = new Map<number | undefined, number>();
    return {
      visits: ['other'],
      visit(entry) {
        if (!entry.isA('ntdsdsa')) return;
        const level = entry.int('msds-behavior-version');
        dsaLevels.set(level, (dsaLevels.get(level) ?? 0) + 1);
      },
      finish(inventory) {
        const forestLevel = inventory.forest.functionalLevel;
        if (forestLevel === undefined) {
          return { status: 'not-evaluated', reason: 'CN=Partitions,CN=Configuration,... (msDS-Behavior-Version of the forest) is not in the input' };
        }
        const findings: FindingInput<'forest-level' | 'domain-level'>[] = [];
        if (forestLevel < CONNECT_MINIMUM) {
          findings.push({
            kind: 'forest-level',
            message: `The forest functional level is ${levelName(forestLevel)}, below Windows Server 2003, which Connect Sync requires.`,
            objects:
              inventory.forest.configurationDn === undefined
                ? []
                : [{ dn: `CN=Partitions,${inventory.forest.configurationDn}`, detail: levelName(forestLevel) }],
            scope: { kind: 'forest' },
          });
        }
        const lowDomains = inventory.domains.filter((d) => d.functionalLevel !== undefined && d.functionalLevel < CONNECT_MINIMUM);
        for (const d of lowDomains) {
          findings.push({
            kind: 'domain-level',
            message: `Domain ${d.dnsName} runs at functional level ${levelName(d.functionalLevel)}, below Windows Server 2003.`,
            objects: [{ dn: d.dn, detail: levelName(d.functionalLevel) }],
            scope: { kind: 'domain', dn: d.dn },
          });
        }
        if (findings.length > 0) return { status: 'failed', findings };
        const dcs = [...dsaLevels].map(([level, count]) => `${count} × ${levelName(level)}`).join(', ');
        return {
          status: 'passed',
          note:
            `forest ${levelName(forestLevel)}; ` +
            inventory.domains.map((d) => `${d.dnsName} ${levelName(d.functionalLevel)}`).join(', ') +
            (dcs === '' ? '' : `; DCs (nTDSDSA): ${dcs}`),
        };
      },
    };
  },
});
