import { defineCheck, type FindingInput, type ObjectRef } from '../check.js';
import { attribute, partition } from '../evidence.js';
import { isAtOrBelow, leafValue, parentDn } from '../../model/dn.js';
import { UAC, hasFlag, isAtLeast, plural, windowsServerRelease } from '../support/ad-values.js';
import { objectRef } from '../support/object-ref.js';
import { CLOUD_SYNC_GMSA, CLOUD_SYNC_PREREQUISITES, CONNECT_PREREQUISITES } from '../support/sources.js';

const RODC_PRIMARY_GROUP = 521; // Read-only Domain Controllers
const NTDSDSA_OPT_IS_GC = 0x1;

interface DomainController {
  ref: ObjectRef;
  key: string;
  name: string;
  /** operatingSystem as written, for DCs that report no Windows Server release (Samba, say). */
  os: string | undefined;
  release: string | undefined;
  build: number | undefined;
  readOnly: boolean;
}

function describe(dc: DomainController, globalCatalogs: ReadonlySet<string>): string {
  const os =
    dc.release === undefined || dc.release === 'unknown'
      ? `operatingSystem ${dc.os === undefined ? 'not set' : `"${dc.os}"`}`
      : `Windows Server ${dc.release}${dc.build === undefined ? '' : ` (build ${dc.build})`}`;
  return [os, dc.readOnly ? 'RODC' : undefined, globalCatalogs.has(dc.name) ? 'GC' : undefined].filter((x) => x !== undefined).join(', ');
}

export default defineCheck({
  meta: {
    id: 'dc.inventory',
    title: "Domain controllers: no Windows Server 2012+ DC for the agent's gMSA",
    severity: 'blocker',
    category: 'topology',
    tags: ['topology', 'agent'],
    rationale:
      'The agent runs as a group managed service account, which needs at least one domain controller on Windows Server 2012 or later in the domain ' +
      '(Cloud Sync prerequisites, gMSA prerequisites). DCs are the computers with SERVER_TRUST_ACCOUNT (8192) in userAccountControl; read-only DCs carry ' +
      'PARTIAL_SECRETS_ACCOUNT or primary group 521; global catalogs are the nTDSDSA objects with options bit 1 (group provisioning to AD needs a GC on 3268). ' +
      "Connect's prerequisites add that DCs on Windows Server 2016 or older may need a paid support program. AD does not store the patch level.",
    remediation: 'Promote a Windows Server 2022 or 2025 domain controller in each domain listed before installing the agent.',
    sources: [CLOUD_SYNC_PREREQUISITES, CLOUD_SYNC_GMSA, CONNECT_PREREQUISITES],
    evidence: [partition('domain'), attribute('userAccountControl', 'computer')],
    kinds: {
      'no-supported-dc': {},
      'dc-release-unknown': { title: 'Domain controllers report no Windows Server release', severity: 'warning' },
      'old-dcs': { title: 'Domain controllers on Windows Server 2016 or older', severity: 'info' },
    },
  },
  create() {
    const dcs: DomainController[] = [];
    const globalCatalogs = new Set<string>();
    let dsas = 0;
    return {
      visit(entry) {
        if (entry.kind === 'computer') {
          const uac = entry.int('useraccountcontrol');
          const readOnly = hasFlag(uac, UAC.partialSecretsAccount) || entry.int('primarygroupid') === RODC_PRIMARY_GROUP;
          if (!readOnly && !hasFlag(uac, UAC.serverTrustAccount)) return;
          const osName = entry.text('operatingsystem');
          const os = windowsServerRelease(osName, entry.text('operatingsystemversion'));
          dcs.push({
            ref: objectRef(entry),
            key: entry.key,
            name: leafValue(entry.dn).toLowerCase(),
            os: osName,
            release: os?.release,
            build: os?.build,
            readOnly,
          });
        } else if (entry.kind === 'other' && entry.isA('ntdsdsa')) {
          dsas++;
          // CN=NTDS Settings,CN=<server>,CN=Servers,CN=<site>,...: the server object's name is the DC's name.
          if (hasFlag(entry.int('options'), NTDSDSA_OPT_IS_GC)) globalCatalogs.add(leafValue(parentDn(entry.dn)).toLowerCase());
        }
      },
      finish(inventory) {
        if (dcs.length === 0) {
          return {
            status: 'not-evaluated',
            reason: 'no domain controller account (userAccountControl 8192, usually in OU=Domain Controllers) is in the input',
          };
        }
        const findings: FindingInput<'no-supported-dc' | 'dc-release-unknown' | 'old-dcs'>[] = [];
        const described = (dc: DomainController): ObjectRef => ({ ...dc.ref, detail: describe(dc, globalCatalogs) });
        const byDomain = new Map<string, DomainController[]>();
        const domainsLongestFirst = [...inventory.domains].sort((a, b) => b.key.length - a.key.length);
        for (const dc of dcs) {
          const domain = domainsLongestFirst.find((d) => isAtOrBelow(dc.key, d.key))?.dn ?? 'unknown domain';
          byDomain.set(domain, [...(byDomain.get(domain) ?? []), dc]);
        }
        for (const [domain, list] of byDomain) {
          if (list.some((dc) => dc.release !== undefined && isAtLeast(dc.release, '2012'))) continue;
          const unknown = list.every((dc) => dc.release === undefined || dc.release === 'unknown');
          findings.push({
            kind: unknown ? 'dc-release-unknown' : 'no-supported-dc',
            message: unknown
              ? `None of the ${plural(list.length, 'domain controller')} of ${domain} reports a Windows Server release in operatingSystem (not set, not Windows, or not recognised): whether one runs Windows Server 2012 or later, as the agent's gMSA needs, cannot be told.`
              : `No domain controller of ${domain} runs Windows Server 2012 or later (${plural(list.length, 'DC')} found): the agent's group managed service account cannot be used.`,
            objects: list.map(described),
            scope: { kind: 'domain', dn: domain },
          });
        }
        const old: ObjectRef[] = dcs.filter((dc) => dc.release !== undefined && dc.release !== 'unknown' && !isAtLeast(dc.release, '2019')).map(described);
        if (old.length > 0) {
          findings.push({
            kind: 'old-dcs',
            message: `${plural(old.length, 'domain controller')} ${old.length === 1 ? 'runs' : 'run'} Windows Server 2016 or older: Microsoft may require a paid support program for support cases involving them.`,
            objects: old,
            scope: { kind: 'forest' },
          });
        }
        if (findings.length > 0) return { status: 'failed', findings };
        const readOnly = dcs.filter((dc) => dc.readOnly).length;
        return {
          status: 'passed',
          note:
            `${plural(dcs.length, 'domain controller')} (${readOnly} read-only${dsas === 0 ? ', global catalogs unknown: no nTDSDSA objects read' : `, ${globalCatalogs.size} global catalog(s)`}): ` +
            dcs.map((dc) => `${dc.name} ${describe(dc, globalCatalogs)}`).join('; '),
        };
      },
    };
  },
});
