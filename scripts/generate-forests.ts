/**
 * Writes fixtures/forests: small forests of one tenant, exported as an admin would export each forest
 * (its configuration partition and its domains, one file each), to test grouping per forest and the
 * tenant report. See fixtures/forests/README.md for what is planted where.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type DirectoryRecord, type ExportWriter, LdapsearchWriter, LdifdeWriter, type Value } from './ldif-dialects.js';

interface DomainSpec {
  dn: string;
  netbios: string;
  /** The domain's SID sub-authorities after S-1-5-21. */
  sid: readonly [number, number, number];
  users: readonly UserSpec[];
}

interface UserSpec {
  cn: string;
  sam: string;
  upn: string;
  mail?: string;
  rid: number;
  /** A mailbox in a resource forest points at the account it belongs to in the account forest. */
  masterAccount?: { domain: DomainSpec; rid: number };
}

interface ForestSpec {
  /** The file name prefix: "contoso" gives contoso-configuration.ldf, contoso-domain.ldf ... */
  name: string;
  domains: readonly [DomainSpec, ...DomainSpec[]];
  upnSuffixes: readonly string[];
  schema: boolean;
}

const guid = (seed: string): Buffer => {
  const out = Buffer.alloc(16);
  for (let i = 0; i < seed.length; i++) out[i % 16] = ((out[i % 16] ?? 0) * 31 + seed.charCodeAt(i)) & 0xff;
  return out;
};

function sid(domain: DomainSpec, rid?: number): Buffer {
  const subs = [21, ...domain.sid, ...(rid === undefined ? [] : [rid])];
  const out = Buffer.alloc(8 + subs.length * 4);
  out[0] = 1;
  out[1] = subs.length;
  out[7] = 5;
  subs.forEach((s, i) => out.writeUInt32LE(s, 8 + i * 4));
  return out;
}

const dnsOf = (dn: string): string =>
  dn
    .split(',')
    .map((p) => p.slice(3))
    .join('.');

function record(dn: string, attributes: Record<string, Value | readonly Value[] | undefined>): DirectoryRecord {
  return {
    dn,
    attributes: Object.entries(attributes)
      .filter((a): a is [string, Value | readonly Value[]] => a[1] !== undefined)
      .map(([name, v]) => [name, Array.isArray(v) ? (v as readonly Value[]) : [v as Value]] as const),
  };
}

function configuration(forest: ForestSpec): DirectoryRecord[] {
  const root = forest.domains[0].dn;
  const config = `CN=Configuration,${root}`;
  const partitions = `CN=Partitions,${config}`;
  return [
    record(config, { objectClass: ['top', 'configuration'], cn: 'Configuration', objectGUID: guid(config) }),
    record(partitions, {
      objectClass: ['top', 'crossRefContainer'],
      cn: 'Partitions',
      'msDS-Behavior-Version': '7',
      uPNSuffixes: forest.upnSuffixes.length === 0 ? undefined : forest.upnSuffixes,
    }),
    ...forest.domains.map((d) =>
      record(`CN=${d.netbios},${partitions}`, {
        objectClass: ['top', 'crossRef'],
        cn: d.netbios,
        nCName: d.dn,
        dnsRoot: dnsOf(d.dn),
        nETBIOSName: d.netbios,
        systemFlags: '3',
        'msDS-Behavior-Version': '7',
      }),
    ),
    record(`CN=${guid(`dnszones${root}`).toString('hex')},${partitions}`, {
      objectClass: ['top', 'crossRef'],
      nCName: `DC=DomainDnsZones,${root}`,
      dnsRoot: `DomainDnsZones.${dnsOf(root)}`,
      systemFlags: '5',
    }),
    record(`CN=Services,${config}`, { objectClass: ['top', 'container'], cn: 'Services' }),
  ];
}

function schema(forest: ForestSpec): DirectoryRecord[] {
  const head = `CN=Schema,CN=Configuration,${forest.domains[0].dn}`;
  return [
    record(head, { objectClass: ['top', 'dMD'], cn: 'Schema', objectVersion: '88' }),
    record(`CN=ms-DS-External-Directory-Object-Id,${head}`, {
      objectClass: ['top', 'attributeSchema'],
      lDAPDisplayName: 'msDS-ExternalDirectoryObjectId',
      attributeID: '1.2.840.113556.1.4.2310',
    }),
    record(`CN=ms-DS-Consistency-Guid,${head}`, {
      objectClass: ['top', 'attributeSchema'],
      lDAPDisplayName: 'mS-DS-ConsistencyGuid',
      attributeID: '1.2.840.113556.1.4.1360',
    }),
  ];
}

function domain(d: DomainSpec): DirectoryRecord[] {
  const staff = `OU=Staff,${d.dn}`;
  return [
    record(d.dn, {
      objectClass: ['top', 'domain', 'domainDNS'],
      'msDS-Behavior-Version': '7',
      objectSid: sid(d),
      objectGUID: guid(d.dn),
      minPwdAge: '-864000000000',
    }),
    record(`CN=Users,${d.dn}`, { objectClass: ['top', 'container'], cn: 'Users' }),
    record(`CN=Computers,${d.dn}`, { objectClass: ['top', 'container'], cn: 'Computers' }),
    record(staff, { objectClass: ['top', 'organizationalUnit'], ou: 'Staff', objectGUID: guid(staff) }),
    ...d.users.map((u) => {
      const dn = `CN=${u.cn},${staff}`;
      return record(dn, {
        objectClass: ['top', 'person', 'organizationalPerson', 'user'],
        cn: u.cn,
        sAMAccountName: u.sam,
        userPrincipalName: u.upn,
        mail: u.mail,
        proxyAddresses: u.mail === undefined ? undefined : `SMTP:${u.mail}`,
        userAccountControl: '512',
        objectGUID: guid(dn),
        objectSid: sid(d, u.rid),
        msExchMasterAccountSid: u.masterAccount === undefined ? undefined : sid(u.masterAccount.domain, u.masterAccount.rid),
      });
    }),
  ];
}

const CONTOSO: DomainSpec = {
  dn: 'DC=corp,DC=contoso,DC=test',
  netbios: 'CORP',
  sid: [1004336348, 1177238915, 682003330],
  users: [
    { cn: 'Ada Lovelace', sam: 'ada', upn: 'ada@contoso.com', mail: 'ada@contoso.com', rid: 1105 },
    { cn: 'Grace Hopper', sam: 'grace', upn: 'grace@contoso.com', mail: 'grace@contoso.com', rid: 1106 },
  ],
};
const EMEA: DomainSpec = {
  dn: 'DC=emea,DC=corp,DC=contoso,DC=test',
  netbios: 'EMEA',
  sid: [1004336349, 1177238916, 682003331],
  users: [{ cn: 'Alan Turing', sam: 'alan', upn: 'alan@emea.contoso.com', mail: 'alan@contoso.com', rid: 1201 }],
};
const FABRIKAM: DomainSpec = {
  dn: 'DC=fabrikam,DC=test',
  netbios: 'FABRIKAM',
  sid: [2004336348, 1277238915, 782003330],
  users: [
    // The same mail address as contoso's Ada: one tenant cannot hold both.
    { cn: 'Ada Lovelace', sam: 'alovelace', upn: 'alovelace@fabrikam.com', mail: 'ada@contoso.com', rid: 1105 },
    // A resource-forest mailbox of contoso's Grace: one person, two forests.
    { cn: 'Grace Hopper (mailbox)', sam: 'grace.mbx', upn: 'grace.mbx@fabrikam.com', rid: 1106, masterAccount: { domain: CONTOSO, rid: 1106 } },
    { cn: 'Edsger Dijkstra', sam: 'edsger', upn: 'edsger@fabrikam.com', mail: 'edsger@fabrikam.com', rid: 1107 },
  ],
};
const TAILSPIN: DomainSpec = {
  dn: 'DC=tailspin,DC=test',
  netbios: 'TAILSPIN',
  sid: [3004336348, 1377238915, 882003330],
  users: [{ cn: 'Barbara Liskov', sam: 'barbara', upn: 'barbara@tailspin.com', mail: 'barbara@tailspin.com', rid: 1105 }],
};
const WOODGROVE: DomainSpec = {
  dn: 'DC=woodgrove,DC=test',
  netbios: 'WOODGROVE',
  sid: [4004336348, 1477238915, 982003330],
  users: [{ cn: 'Donald Knuth', sam: 'donald', upn: 'donald@woodgrove.com', rid: 1105 }],
};

const CONTOSO_FOREST: ForestSpec = { name: 'contoso', domains: [CONTOSO, EMEA], upnSuffixes: ['contoso.com', 'emea.contoso.com'], schema: true };
const FABRIKAM_FOREST: ForestSpec = { name: 'fabrikam', domains: [FABRIKAM], upnSuffixes: ['fabrikam.com'], schema: false };
const TAILSPIN_FOREST: ForestSpec = { name: 'tailspin', domains: [TAILSPIN], upnSuffixes: ['tailspin.com'], schema: true };

/** One file per partition, named after its forest: what each team hands over. */
function partitions(forest: ForestSpec): { file: string; base: string; records: DirectoryRecord[] }[] {
  const root = forest.domains[0].dn;
  return [
    { file: `${forest.name}-configuration`, base: `CN=Configuration,${root}`, records: configuration(forest) },
    ...(forest.schema ? [{ file: `${forest.name}-schema`, base: `CN=Schema,CN=Configuration,${root}`, records: schema(forest) }] : []),
    ...forest.domains.map((d, i) => ({ file: `${forest.name}-domain${i === 0 ? '' : `-${d.netbios.toLowerCase()}`}`, base: d.dn, records: domain(d) })),
  ];
}

function render(records: readonly DirectoryRecord[], writer: ExportWriter): string {
  let text = writer.header();
  for (const r of records) text += writer.entry(r);
  return text + writer.trailer();
}

const SETS = [
  { folder: 'two-forests-ldifde', dialect: 'ldifde', forests: [CONTOSO_FOREST, FABRIKAM_FOREST] },
  { folder: 'three-forests-ldapsearch', dialect: 'ldapsearch', forests: [CONTOSO_FOREST, FABRIKAM_FOREST, TAILSPIN_FOREST] },
] as const;

/** Writes every set into `folder` (fixtures/forests); returns the files written. */
export async function generateForests(folder: string): Promise<string[]> {
  const written: string[] = [];
  const write = async (subfolder: string, file: string, text: string): Promise<void> => {
    await mkdir(path.join(folder, subfolder), { recursive: true });
    await writeFile(path.join(folder, subfolder, file), text);
    written.push(path.join(folder, subfolder, file));
  };
  for (const set of SETS) {
    for (const forest of set.forests) {
      for (const p of partitions(forest)) {
        const writer = set.dialect === 'ldifde' ? new LdifdeWriter() : new LdapsearchWriter(p.base, (page) => `page-${page}`);
        await write(set.folder, `${p.file}.${writer.extension}`, render(p.records, writer));
      }
    }
  }
  // A domain whose forest sent no configuration partition: its forest cannot be told.
  await write('unknown-forest', 'woodgrove-domain.ldf', render(domain(WOODGROVE), new LdifdeWriter()));
  return written;
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const folder = process.argv[2] ?? path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'forests');
  for (const file of await generateForests(folder)) console.log(file);
}
