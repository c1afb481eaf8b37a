import { defineCheck, type FindingInput, type ObjectRef } from '../check.js';
import { container, partition, toPass } from '../evidence.js';
import type { TrustInfo } from '../../inventory/inventory.js';
import { dnKey } from '../../model/dn.js';
import { plural } from '../support/ad-values.js';
import { objectRef } from '../support/object-ref.js';
import { CLOUD_SYNC_TOPOLOGIES, DECISION_GUIDE, MS_ADTS_TRUST_ATTRIBUTES } from '../support/sources.js';

/** trustDirection, trustType and trustAttributes as MS-ADTS 6.1.6.7 defines them. */
const DIRECTION = ['disabled', 'inbound (users here can use the partner)', 'outbound (partner users can use resources here)', 'two-way'];
const TYPE = ['', 'downlevel (Windows NT or non-AD)', 'uplevel (Active Directory)', 'MIT Kerberos realm', 'DCE'];
const ATTRIBUTES: readonly [number, string][] = [
  [0x1, 'non-transitive'],
  [0x2, 'uplevel only'],
  [0x4, 'SID filtering (quarantined)'],
  [0x8, 'forest trust'],
  [0x10, 'selective authentication'],
  [0x20, 'within forest'],
  [0x40, 'treated as external'],
  [0x80, 'RC4 encryption'],
  [0x200, 'no TGT delegation'],
  [0x400, 'PIM trust'],
  [0x800, 'TGT delegation enabled'],
];
const WITHIN_FOREST = 0x20;
const FOREST_TRANSITIVE = 0x8;
const TYPE_MIT = 3;

function decode(t: TrustInfo): string {
  const flags = ATTRIBUTES.filter(([bit]) => ((t.attributes ?? 0) & bit) !== 0).map(([, name]) => name);
  return [
    t.direction === undefined ? 'direction unknown' : (DIRECTION[t.direction] ?? `direction ${t.direction}`),
    t.type === undefined ? 'type unknown' : (TYPE[t.type] ?? `type ${t.type}`),
    ...flags,
  ].join(', ');
}

type TrustKind = 'within-forest' | 'forest' | 'external' | 'realm' | 'disabled';

function kindOf(t: TrustInfo): TrustKind {
  const attributes = t.attributes ?? 0;
  if (t.direction === 0) return 'disabled';
  if ((attributes & WITHIN_FOREST) !== 0) return 'within-forest';
  if (t.type === TYPE_MIT) return 'realm';
  return (attributes & FOREST_TRANSITIVE) !== 0 ? 'forest' : 'external';
}

const EXPLAIN: Record<'forest' | 'external', string> = {
  forest:
    'another forest. Cloud Sync can synchronise it too, but only as a separate forest with its own agents and configurations, objects unique across both; ' +
    'group members from that forest are cross-forest references, which Cloud Sync does not resolve (Connect joins them through foreign security principals).',
  external:
    'a single domain outside this forest. Its users can be members of groups here as foreign security principals, cross-forest references Cloud Sync does ' +
    'not resolve; synchronising that domain itself needs Cloud Sync in its own forest.',
};

export default defineCheck({
  meta: {
    id: 'topology.trusts',
    title: 'Trusts to other forests and external domains',
    severity: 'info',
    category: 'topology',
    tags: ['topology', 'trusts'],
    rationale:
      'trustedDomain objects in CN=System of each domain describe its trusts (direction, type, attributes per MS-ADTS 6.1.6.7). Trusts inside the forest ' +
      'do not matter: Cloud Sync supports cross-domain references. Forest and external trusts mean identities from elsewhere: Cloud Sync supports several ' +
      "forests, disconnected ones too, each scanned and configured on its own, but it does not support cross-forest references or merging one person's " +
      'attributes from several forests (decision guide). A single scan cannot see the other forest: run the scanner there too.',
    remediation:
      'For every forest or external trust, decide whether the partner forest synchronises to the same tenant; if so, scan it as well, make sure no identity ' +
      'exists in both, and review topology.cross-forest-references for memberships that Cloud Sync would drop.',
    sources: [DECISION_GUIDE, CLOUD_SYNC_TOPOLOGIES, MS_ADTS_TRUST_ATTRIBUTES],
    evidence: [partition('domain'), toPass(container('CN=System', 'every-domain', 'where trusts are stored'))],
    kinds: { 'forest-trusts': { title: 'Forest trusts' }, 'external-trusts': { title: 'External trusts' } },
  },
  create() {
    const trustObjects = new Map<string, ObjectRef>();
    return {
      visit(entry) {
        if (entry.isA('trusteddomain')) trustObjects.set(entry.key, objectRef(entry));
      },
      finish(inventory) {
        const findings: FindingInput<'forest-trusts' | 'external-trusts'>[] = [];
        for (const kind of ['forest', 'external'] as const) {
          const trusts = inventory.trusts.filter((t) => kindOf(t) === kind);
          if (trusts.length === 0) continue;
          findings.push({
            kind: kind === 'forest' ? 'forest-trusts' : 'external-trusts',
            message: `${plural(trusts.length, `${kind} trust`)} (${trusts.map((t) => t.partner).join(', ')}): each partner is ${EXPLAIN[kind]}`,
            objects: trusts.map((t) => ({ ...(trustObjects.get(dnKey(t.dn)) ?? { dn: t.dn }), detail: `${t.partner}: ${decode(t)}` })),
            scope: { kind: 'forest' },
          });
        }
        if (findings.length > 0) return { status: 'failed', findings };
        const others = inventory.trusts.map((t) => `${t.partner} (${kindOf(t)})`);
        return { status: 'passed', note: others.length === 0 ? 'no trusts' : `only trusts that do not leave the forest: ${others.join(', ')}` };
      },
    };
  },
});
