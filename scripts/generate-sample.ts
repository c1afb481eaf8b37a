/**
 * Generates the bundled sample forest, corp.contoso.test with the child domain emea.corp.contoso.test,
 * in both export dialects:
 *   fixtures/sample/ldifde/{domain,domain-emea,configuration,schema}.ldf
 *   fixtures/sample/ldapsearch/{domain,domain-emea,configuration,schema}.ldif
 *
 *   npx tsx scripts/generate-sample.ts [output-folder]
 *
 * Deterministic (seeded PRNG, fixed dates): running it again gives byte-identical files, which a test checks.
 * What the forest holds, and which OU carries which problem, is described in fixtures/sample/README.md.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type DirectoryRecord, type ExportWriter, LdapsearchWriter, LdifdeWriter, type Value } from './ldif-dialects.js';

const ROOT = 'DC=corp,DC=contoso,DC=test';
const CHILD = 'DC=emea,DC=corp,DC=contoso,DC=test';
const CONFIG = `CN=Configuration,${ROOT}`;
const SCHEMA = `CN=Schema,${CONFIG}`;
const TENANT = 'contoso.onmicrosoft.com';
const TENANT_ID = '8f2c1d3e-5a4b-4c6d-9e7f-0a1b2c3d4e5f';
/** "Now" for every generated timestamp, so files never change between runs. */
const EXPORTED_AT = Date.UTC(2026, 7, 14, 9, 30, 0);
const DAY = 86_400_000;

// ---------------------------------------------------------------- deterministic values

/** mulberry32: small, fast, and the same sequence on every platform. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SEED = 0x5eed2026;
let random = prng(SEED);
const int = (lo: number, hi: number): number => lo + Math.floor(random() * (hi - lo + 1));
function pick<T>(items: readonly T[]): T {
  return items[Math.floor(random() * items.length)] as T;
}
const bytes = (n: number): Buffer => Buffer.from(Array.from({ length: n }, () => int(0, 255)));
const guid = (): Buffer => bytes(16);

function guidText(g: Buffer): string {
  const h = g.toString('hex');
  // objectGUID bytes are little-endian in the first three groups.
  const le = (s: string): string => s.match(/../g)?.reverse().join('') ?? s;
  return `${le(h.slice(0, 8))}-${le(h.slice(8, 12))}-${le(h.slice(12, 16))}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** Binary SID: revision 1, authority 5 (NT), sub-authorities little-endian. */
function sid(subAuthorities: readonly number[]): Buffer {
  const out = Buffer.alloc(8 + 4 * subAuthorities.length);
  out[0] = 1;
  out[1] = subAuthorities.length;
  out.writeUIntBE(5, 2, 6);
  subAuthorities.forEach((s, i) => out.writeUInt32LE(s >>> 0, 8 + 4 * i));
  return out;
}

const generalizedTime = (ms: number): string => `${new Date(ms).toISOString().replace(/[-:T]/g, '').slice(0, 14)}.0Z`;
const fileTime = (ms: number): string => ((BigInt(ms) + 11_644_473_600_000n) * 10_000n).toString();
const daysAgo = (lo: number, hi: number): number => EXPORTED_AT - int(lo, hi) * DAY - int(0, 86_399) * 1000;

/** A DER-looking certificate blob: only its presence matters to the checks. */
const certificate = (): Buffer => Buffer.concat([Buffer.from([0x30, 0x82, 0x03, 0x5a]), bytes(858)]);

// ---------------------------------------------------------------- record building

type Attrs = Record<string, Value | readonly Value[] | number | undefined>;

function record(dn: string, attrs: Attrs): DirectoryRecord {
  const attributes: [string, Value[]][] = [];
  for (const [name, v] of Object.entries(attrs)) {
    if (v === undefined) continue;
    const values = Array.isArray(v) ? [...(v as readonly Value[])] : [typeof v === 'number' ? String(v) : (v as Value)];
    if (values.length > 0) attributes.push([name, values]);
  }
  return { dn, attributes };
}

const leafCn = (dn: string): string =>
  dn
    .slice(dn.indexOf('=') + 1)
    .split(/(?<!\\),/)[0]
    ?.replace(/\\(.)/g, '$1') ?? '';

/** Attributes every object carries, in the order AD returns them around the class-specific ones. */
function stamped(dn: string, classes: readonly string[], category: string, attrs: Attrs, created = daysAgo(200, 3600)): DirectoryRecord {
  const name = leafCn(dn);
  return record(dn, {
    objectClass: classes,
    cn: classes.includes('organizationalUnit') ? undefined : name,
    ou: classes.includes('organizationalUnit') ? name : undefined,
    distinguishedName: dn,
    instanceType: 4,
    whenCreated: generalizedTime(created),
    whenChanged: generalizedTime(Math.min(EXPORTED_AT, created + int(0, 400) * DAY)),
    ...attrs,
    name,
    objectGUID: guid(),
    objectCategory: `CN=${category},${SCHEMA}`,
  });
}

const container = (dn: string, critical = true): DirectoryRecord =>
  stamped(dn, ['top', 'container'], 'Container', { showInAdvancedViewOnly: 'FALSE', isCriticalSystemObject: critical ? 'TRUE' : undefined });
const ou = (dn: string, description?: string): DirectoryRecord => stamped(dn, ['top', 'organizationalUnit'], 'Organizational-Unit', { description });

// ---------------------------------------------------------------- people

const FIRST = [
  'Ada',
  'Alan',
  'Grace',
  'Linus',
  'Margaret',
  'Ken',
  'Barbara',
  'Dennis',
  'Frances',
  'John',
  'Hedy',
  'Tim',
  'Radia',
  'Vint',
  'Karen',
  'Niklaus',
  'Shafi',
  'Edsger',
  'Leslie',
  'Donald',
  'Anita',
  'Sophie',
  'Omar',
  'Priya',
  'Mateo',
  'Aisha',
  'Lukas',
  'Mei',
  'Noah',
  'Elena',
  'Kwame',
  'Ingrid',
  'Ravi',
  'Chloe',
  'Yuki',
  'Fatima',
];
const LAST = [
  'Lovelace',
  'Turing',
  'Hopper',
  'Torvalds',
  'Hamilton',
  'Thompson',
  'Liskov',
  'Ritchie',
  'Allen',
  'Backus',
  'Lamarr',
  'Berners-Lee',
  'Perlman',
  'Cerf',
  'Jones',
  'Wirth',
  'Goldwasser',
  'Dijkstra',
  'Lamport',
  'Knuth',
  'Borg',
  'Wilson',
  'Haddad',
  'Sharma',
  'Garcia',
  'Bello',
  'Fischer',
  'Chen',
  'Martin',
  'Rossi',
  'Mensah',
  'Larsen',
  'Iyer',
  'Dubois',
  'Tanaka',
  'Khan',
];
/** Names that need base64 in both dialects (and in the DN). */
const ACCENTED = [
  ['José', 'Álvarez'],
  ['Zoë', 'Brontë'],
  ['Søren', 'Kierkegård'],
  ['Björn', 'Müller'],
  ['Łucja', 'Wójcik'],
] as const;

interface Domain {
  dn: string;
  dns: string;
  netbios: string;
  sid: readonly number[];
  mailDomain: string;
  nextRid: number;
}

/** sAMAccountNames already given out, forest-wide: mail and routing addresses derive from them and must not collide by accident. */
let usedNames = new Set<string>();
let usedDns = new Set<string>();

const newRoot = (): Domain => ({
  dn: ROOT,
  dns: 'corp.contoso.test',
  netbios: 'CORP',
  sid: [21, 1004336348, 1177238915, 682003330],
  mailDomain: 'contoso.com',
  nextRid: 1103,
});
const newChild = (): Domain => ({
  dn: CHILD,
  dns: 'emea.corp.contoso.test',
  netbios: 'EMEA',
  sid: [21, 2351216793, 3141592653, 1618033988],
  mailDomain: 'emea.contoso.com',
  nextRid: 1103,
});
let root = newRoot();
let child = newChild();

interface Person {
  first: string;
  last: string;
  sam: string;
}

function person(names?: readonly [string, string]): Person {
  const [first, last] = names ?? [pick(FIRST), pick(LAST)];
  const base = `${first}.${last}`
    .normalize('NFD')
    .replace(/[^A-Za-z.-]/g, '')
    .toLowerCase()
    .slice(0, 18);
  let sam = base;
  for (let n = 2; usedNames.has(sam); n++) sam = `${base.slice(0, 18)}${n}`;
  usedNames.add(sam);
  return { first, last, sam };
}

const escapeRdn = (value: string): string => value.replace(/[,+"\\<>;=]/g, (c) => `\\${c}`);

/** AD refuses a second object of one name in a container; admins tell namesakes apart with a number. */
function uniqueCn(name: string, parent: string): string {
  let cn = name;
  for (let n = 2; usedDns.has(`${cn},${parent}`.toLowerCase()); n++) cn = `${name} ${n}`;
  usedDns.add(`${cn},${parent}`.toLowerCase());
  return cn;
}

interface UserOptions {
  domain: Domain;
  parent: string;
  person?: Person;
  /** CN as written (defaults to "First Last"). */
  cn?: string;
  upn?: string | null;
  mail?: string | null;
  extraProxies?: readonly string[];
  x500?: boolean;
  displayName?: string;
  consistencyGuid?: 'same' | 'different' | 'none';
  adminCount?: boolean;
  classes?: readonly string[];
  uac?: number;
  description?: string;
  department?: string;
  critical?: boolean;
  remoteMailbox?: boolean;
  rid?: number;
}

const USER_CLASSES = ['top', 'person', 'organizationalPerson', 'user'];
const NORMAL_ACCOUNT = 0x200;
const DONT_EXPIRE_PASSWORD = 0x10000;
const ACCOUNTDISABLE = 0x2;
const WORKSTATION_TRUST = 0x1000;
const SERVER_TRUST = 0x2000;
const TRUSTED_FOR_DELEGATION = 0x80000;

function user(o: UserOptions): DirectoryRecord {
  const p = o.person ?? person();
  const cn = o.cn ?? uniqueCn(`${p.first} ${p.last}`, o.parent);
  const dn = `CN=${escapeRdn(cn)},${o.parent}`;
  const mail = o.mail === null ? undefined : (o.mail ?? `${p.sam}@${o.domain.mailDomain}`);
  const proxies: string[] = [];
  if (mail !== undefined) {
    proxies.push(`SMTP:${mail}`, `smtp:${p.sam}@${TENANT.replace('onmicrosoft', 'mail.onmicrosoft')}`);
    if (o.x500 === true) {
      proxies.push(`X500:/o=Contoso (Legacy)/ou=Exchange Administrative Group (FYDIBOHF23SPDLT)/cn=Recipients/cn=${p.sam.replace(/\./g, '')}${int(100, 999)}`);
    }
  }
  proxies.push(...(o.extraProxies ?? []));
  const objectGuid = guid();
  const created = daysAgo(60, 3900);
  const rid = o.rid ?? o.domain.nextRid++;
  // Built-in and service accounts are not people: no name parts, no company.
  const builtin = p.last === '';
  return record(dn, {
    objectClass: o.classes ?? USER_CLASSES,
    cn,
    sn: builtin ? undefined : p.last,
    description: o.description,
    givenName: builtin ? undefined : p.first,
    distinguishedName: dn,
    instanceType: 4,
    whenCreated: generalizedTime(created),
    whenChanged: generalizedTime(Math.min(EXPORTED_AT, created + int(1, 700) * DAY)),
    displayName: builtin ? undefined : (o.displayName ?? cn),
    department: o.department,
    company: builtin ? undefined : 'Contoso Ltd',
    name: cn,
    objectGUID: objectGuid,
    userAccountControl: o.uac ?? NORMAL_ACCOUNT,
    pwdLastSet: fileTime(daysAgo(1, 180)),
    primaryGroupID: 513,
    objectSid: sid([...o.domain.sid, rid]),
    adminCount: o.adminCount === true ? 1 : undefined,
    sAMAccountName: p.sam,
    sAMAccountType: 805306368,
    userPrincipalName: o.upn === null ? undefined : (o.upn ?? `${p.sam}@${o.domain.mailDomain}`),
    objectCategory: `CN=Person,${SCHEMA}`,
    isCriticalSystemObject: o.critical === true ? 'TRUE' : undefined,
    lastLogonTimestamp: fileTime(daysAgo(0, 30)),
    mail,
    proxyAddresses: proxies,
    mailNickname: mail === undefined ? undefined : p.sam,
    msExchRecipientTypeDetails: mail === undefined ? undefined : o.remoteMailbox === true ? '2147483648' : '1',
    targetAddress: o.remoteMailbox === true ? `SMTP:${p.sam}@${TENANT.replace('onmicrosoft', 'mail.onmicrosoft')}` : undefined,
    'mS-DS-ConsistencyGuid': o.consistencyGuid === 'same' ? objectGuid : o.consistencyGuid === 'different' ? guid() : undefined,
  });
}

// ---------------------------------------------------------------- computers and groups

const WORKSTATION_OS = [
  ['Windows 10 Enterprise', '10.0 (19045)'],
  ['Windows 11 Enterprise', '10.0 (22631)'],
  ['Windows 11 Enterprise', '10.0 (26100)'],
] as const;

interface ComputerOptions {
  domain: Domain;
  parent: string;
  name: string;
  os: readonly [string, string];
  certificate?: boolean;
  dc?: boolean;
  extra?: Attrs;
}

function computer(o: ComputerOptions): DirectoryRecord {
  const dn = `CN=${o.name},${o.parent}`;
  const host = `${o.name.toLowerCase()}.${o.domain.dns}`;
  const created = daysAgo(30, 2500);
  return record(dn, {
    objectClass: ['top', 'person', 'organizationalPerson', 'user', 'computer'],
    cn: o.name,
    userCertificate: o.certificate === true ? certificate() : undefined,
    distinguishedName: dn,
    instanceType: 4,
    whenCreated: generalizedTime(created),
    whenChanged: generalizedTime(Math.min(EXPORTED_AT, created + int(1, 300) * DAY)),
    name: o.name,
    objectGUID: guid(),
    userAccountControl: o.dc === true ? SERVER_TRUST | TRUSTED_FOR_DELEGATION : WORKSTATION_TRUST,
    primaryGroupID: o.dc === true ? 516 : 515,
    objectSid: sid([...o.domain.sid, o.domain.nextRid++]),
    sAMAccountName: `${o.name}$`,
    sAMAccountType: 805306369,
    operatingSystem: o.os[0],
    operatingSystemVersion: o.os[1],
    dNSHostName: host,
    servicePrincipalName: o.os[0].startsWith('Windows Server') ? [`HOST/${host}`, `HOST/${o.name}`] : undefined,
    objectCategory: `CN=Computer,${SCHEMA}`,
    isCriticalSystemObject: o.dc === true ? 'TRUE' : undefined,
    ...o.extra,
  });
}

const GLOBAL_SECURITY = -2147483646;
const DOMAIN_LOCAL_SECURITY = -2147483644;
const UNIVERSAL_SECURITY = -2147483640;
const UNIVERSAL_DISTRIBUTION = 8;

function group(domain: Domain, dn: string, groupType: number, members: readonly string[], extra: Attrs = {}, rid?: number): DirectoryRecord {
  const name = leafCn(dn);
  return stamped(dn, ['top', 'group'], 'Group', {
    member: members,
    objectSid: sid([...domain.sid, rid ?? domain.nextRid++]),
    sAMAccountName: name,
    sAMAccountType: groupType === UNIVERSAL_DISTRIBUTION ? 268435457 : groupType === DOMAIN_LOCAL_SECURITY ? 536870912 : 268435456,
    groupType,
    ...extra,
  });
}

function contact(parent: string, p: Person, company: string, mailDomain: string): DirectoryRecord {
  const cn = uniqueCn(`${p.first} ${p.last}`, parent);
  const mail = `${p.sam}@${mailDomain}`;
  return stamped(`CN=${escapeRdn(cn)},${parent}`, ['top', 'person', 'organizationalPerson', 'contact'], 'Person', {
    sn: p.last,
    givenName: p.first,
    displayName: `${cn} (${company})`,
    company,
    mail,
    proxyAddresses: [`SMTP:${mail}`],
    mailNickname: p.sam.replace(/\./g, ''),
    targetAddress: `SMTP:${mail}`,
  });
}

// ---------------------------------------------------------------- the domains

const dnOf = (r: DirectoryRecord): string => r.dn;
const FOREIGN_SID = [21, 3623811015, 3361044348, 30300820, 1105];

interface Partition {
  file: string;
  base: string;
  records: DirectoryRecord[];
  references: string[];
}

function domainHead(d: Domain, behaviour: number): DirectoryRecord {
  const name = d.dn.split(',')[0]?.slice(3) ?? '';
  return record(d.dn, {
    objectClass: ['top', 'domain', 'domainDNS'],
    distinguishedName: d.dn,
    instanceType: 5,
    whenCreated: generalizedTime(EXPORTED_AT - 3950 * DAY),
    whenChanged: generalizedTime(EXPORTED_AT - 2 * DAY),
    minPwdAge: '-864000000000',
    maxPwdAge: '-36288000000000',
    minPwdLength: 12,
    name,
    objectGUID: guid(),
    objectSid: sid(d.sid),
    'msDS-Behavior-Version': behaviour,
    objectCategory: `CN=Domain-DNS,${SCHEMA}`,
    isCriticalSystemObject: 'TRUE',
    dc: name,
  });
}

/** The containers every domain has, the built-in accounts, and the domain controllers. */
function domainSkeleton(d: Domain, dcs: readonly (readonly [string, readonly [string, string]])[]): DirectoryRecord[] {
  const users = `CN=Users,${d.dn}`;
  const admin = user({
    domain: d,
    parent: users,
    person: { first: 'Administrator', last: '', sam: 'Administrator' },
    cn: 'Administrator',
    upn: null,
    mail: null,
    adminCount: true,
    critical: true,
    uac: NORMAL_ACCOUNT | DONT_EXPIRE_PASSWORD,
    rid: 500,
    description: 'Built-in account for administering the computer/domain',
  });
  const records = [
    container(`CN=Users,${d.dn}`),
    container(`CN=Computers,${d.dn}`),
    stamped(`OU=Domain Controllers,${d.dn}`, ['top', 'organizationalUnit'], 'Organizational-Unit', {
      description: 'Default container for domain controllers',
      isCriticalSystemObject: 'TRUE',
    }),
    stamped(`CN=Builtin,${d.dn}`, ['top', 'builtinDomain'], 'Builtin-Domain', { isCriticalSystemObject: 'TRUE' }),
    container(`CN=ForeignSecurityPrincipals,${d.dn}`),
    container(`CN=System,${d.dn}`),
    container(`CN=Managed Service Accounts,${d.dn}`),
    // Every AD domain has these; without them auth.federation cannot tell "no AD FS" from "not exported".
    container(`CN=Program Data,${d.dn}`),
    container(`CN=Microsoft,CN=Program Data,${d.dn}`),
    admin,
    user({
      domain: d,
      parent: users,
      person: { first: 'Guest', last: '', sam: 'Guest' },
      cn: 'Guest',
      upn: null,
      mail: null,
      critical: true,
      uac: NORMAL_ACCOUNT | DONT_EXPIRE_PASSWORD | ACCOUNTDISABLE,
      rid: 501,
      description: 'Built-in account for guest access to the computer/domain',
    }),
    user({
      domain: d,
      parent: users,
      person: { first: 'krbtgt', last: '', sam: 'krbtgt' },
      cn: 'krbtgt',
      upn: null,
      mail: null,
      adminCount: true,
      critical: true,
      uac: NORMAL_ACCOUNT | ACCOUNTDISABLE,
      rid: 502,
      description: 'Key Distribution Center Service Account',
    }),
  ];
  for (const [name, os] of dcs) records.push(computer({ domain: d, parent: `OU=Domain Controllers,${d.dn}`, name, os, dc: true }));
  return records;
}

function builtinGroups(d: Domain, admins: readonly string[], forestRoot: boolean): DirectoryRecord[] {
  const users = `CN=Users,${d.dn}`;
  const crit = { isCriticalSystemObject: 'TRUE', adminCount: 1 };
  const records = [
    group(d, `CN=Domain Admins,${users}`, GLOBAL_SECURITY, admins, crit, 512),
    group(d, `CN=Domain Users,${users}`, GLOBAL_SECURITY, [], { isCriticalSystemObject: 'TRUE' }, 513),
    group(d, `CN=Domain Computers,${users}`, GLOBAL_SECURITY, [], { isCriticalSystemObject: 'TRUE' }, 515),
  ];
  if (forestRoot) {
    records.push(
      group(d, `CN=Enterprise Admins,${users}`, UNIVERSAL_SECURITY, [`CN=Administrator,${users}`], crit, 519),
      group(d, `CN=Schema Admins,${users}`, UNIVERSAL_SECURITY, [`CN=Administrator,${users}`], crit, 518),
    );
  }
  return records;
}

function rootDomain(): Partition {
  const d = root;
  const corp = `OU=Corp,${d.dn}`;
  const staff = `OU=Users,${corp}`;
  const groups = `OU=Groups,${corp}`;
  const records: DirectoryRecord[] = [domainHead(d, 7)];
  records.push(
    ...domainSkeleton(d, [
      ['DC01', ['Windows Server 2022 Datacenter', '10.0 (20348)']],
      ['DC02', ['Windows Server 2025 Datacenter', '10.0 (26100)']],
    ]),
  );

  // Connect Sync's footprint: the AD DS connector account, Seamless SSO's computer account, the Cloud Sync agent's gMSA.
  const installId = bytes(16).toString('hex');
  const connector = `MSOL_${bytes(6).toString('hex')}`;
  records.push(
    user({
      domain: d,
      parent: `CN=Users,${d.dn}`,
      person: { first: connector, last: '', sam: connector },
      cn: connector,
      upn: null,
      mail: null,
      uac: NORMAL_ACCOUNT | DONT_EXPIRE_PASSWORD,
      description:
        `Account created by Microsoft Azure Active Directory Connect with installation identifier ${installId} running on computer AADC01 ` +
        `configured to synchronize to tenant ${TENANT}. This account must have directory replication permissions in the local Active Directory ` +
        'and write permission on certain attributes to enable Hybrid Deployment.',
    }),
    computer({
      domain: d,
      parent: `CN=Computers,${d.dn}`,
      name: 'AZUREADSSOACC',
      os: ['', ''],
      extra: {
        operatingSystem: undefined,
        operatingSystemVersion: undefined,
        dNSHostName: undefined,
        description: 'Computer account that represents the Microsoft Entra ID tenant for Seamless single sign-on',
        servicePrincipalName: ['HTTP/autologon.microsoftazuread-sso.com', 'HOST/autologon.microsoftazuread-sso.com'],
        // RC4 only, and the Kerberos key not rolled over for a long time: the hygiene the SSO page asks for.
        'msDS-SupportedEncryptionTypes': 4,
        pwdLastSet: fileTime(EXPORTED_AT - 540 * DAY),
      },
    }),
    stamped(
      `CN=provAgentgMSA,CN=Managed Service Accounts,${d.dn}`,
      ['top', 'person', 'organizationalPerson', 'user', 'computer', 'msDS-GroupManagedServiceAccount'],
      'ms-DS-Group-Managed-Service-Account',
      {
        sAMAccountName: 'provAgentgMSA$',
        userAccountControl: WORKSTATION_TRUST,
        objectSid: sid([...d.sid, d.nextRid++]),
        'msDS-ManagedPasswordInterval': 30,
        dNSHostName: `provAgentgMSA.${d.dns}`,
      },
    ),
  );

  // The OU tree. Research and HR carry nothing a check flags: they are the pilot scope.
  records.push(
    ou(corp, 'Contoso corporate objects'),
    ou(staff),
    ou(`OU=Finance,${staff}`),
    ou(`OU=Sales,${staff}`),
    ou(`OU=Engineering,${staff}`),
    ou(`OU=Marketing,${staff}`),
    ou(`OU=Research,${staff}`, 'Pilot candidate for Cloud Sync'),
    ou(`OU=HR,${staff}`, 'Pilot candidate for Cloud Sync'),
    ou(`OU=Admins,${corp}`, 'Tier 0 administrative accounts'),
    ou(`OU=Service Accounts,${corp}`),
    ou(`OU=Partners,${corp}`, 'External contacts and partner accounts'),
    ou(groups),
    ou(`OU=Workstations,${corp}`),
    ou(`OU=Servers,${corp}`),
  );

  const department = (name: string, count: number, options: (i: number) => Partial<UserOptions>): DirectoryRecord[] =>
    Array.from({ length: count }, (_, i) => user({ domain: d, parent: `OU=${name},${staff}`, department: name, ...options(i) }));

  // Finance: Exchange-migrated mailboxes (X500), source anchor already written back by Connect, two with a foreign anchor.
  const finance = department('Finance', 60, (i) => ({
    x500: true,
    consistencyGuid: i === 7 || i === 31 ? 'different' : 'same',
    description: i === 7 || i === 31 ? 'Migrated from fabrikam.test (ADMT)' : undefined,
    extraProxies: i === 12 ? ['smtp:invoices@contoso.com'] : [],
  }));
  // Sales: one duplicate proxy address (also on a Finance user), a UPN with a space, a CN with an escaped comma, remote mailboxes.
  const sales = department('Sales', 90, (i) => ({
    x500: i % 3 === 0,
    consistencyGuid: 'same',
    remoteMailbox: i % 4 === 1,
    extraProxies: i === 5 ? ['smtp:invoices@contoso.com'] : [],
    ...(i === 9 ? { person: person(['Kim', 'Nguyen']), upn: 'kim nguyen@contoso.com' } : {}),
    ...(i === 21 ? { person: person(['John', 'Smith']), cn: 'Smith, John' } : {}),
  }));
  // Engineering: UPNs on the non-routable .local suffix, names that need base64.
  const engineering = department('Engineering', 110, (i) => ({
    consistencyGuid: i % 2 === 0 ? 'same' : 'none',
    ...(i < ACCENTED.length ? { person: person(ACCENTED[i] as readonly [string, string]) } : {}),
  })).map((r, i) => (i % 25 === 3 ? withUpnSuffix(r, 'contoso.local') : r));
  // Marketing: a displayName over the 256-character limit, an apostrophe in mail (legal).
  const marketing = department('Marketing', 45, (i) => ({
    consistencyGuid: 'same',
    ...(i === 4 ? { displayName: `Campaign Coordinator - ${'Global Brand, Digital Channels, Events and Partner Marketing / '.repeat(4)}Contoso` } : {}),
    ...(i === 11 ? { person: person(['Seán', "O'Brien"]), mail: "sean.o'brien@contoso.com", upn: "sean.o'brien@contoso.com" } : {}),
  }));
  const research = department('Research', 50, () => ({ consistencyGuid: 'same' }));
  const hr = department('HR', 30, () => ({}));
  const admins = Array.from({ length: 6 }, (_, i) => {
    const p = person();
    return user({
      domain: d,
      parent: `OU=Admins,${corp}`,
      person: { ...p, sam: `adm-${p.sam}`.slice(0, 20) },
      cn: `${p.first} ${p.last} (Admin)`,
      upn: `adm-${p.sam}@${d.mailDomain}`,
      mail: null,
      adminCount: true,
      description: i < 2 ? 'Enterprise administrator' : 'Domain administrator',
    });
  });
  const services = ['svc-sql', 'svc-backup', 'svc-web', 'svc-print', 'svc-scan', 'svc-erp', 'svc-legacyapp', 'svc-monitor'].map((sam, i) =>
    user({
      domain: d,
      parent: `OU=Service Accounts,${corp}`,
      person: { first: sam, last: '', sam },
      cn: sam,
      upn: i < 2 ? null : `${sam}@${d.mailDomain}`,
      mail: null,
      uac: NORMAL_ACCOUNT | DONT_EXPIRE_PASSWORD,
      description: `Service account for ${sam.slice(4)}`,
    }),
  );
  const partner = user({
    domain: d,
    parent: `OU=Partners,${corp}`,
    classes: ['top', 'person', 'organizationalPerson', 'inetOrgPerson', 'user'],
    mail: 'l.berg@fabrikam.test',
    upn: 'l.berg@contoso.com',
    person: person(['Lena', 'Berg']),
    description: 'Fabrikam consultant (inetOrgPerson)',
  });
  const contacts = Array.from({ length: 40 }, () =>
    contact(
      `OU=Partners,${corp}`,
      person(),
      pick(['Fabrikam', 'Northwind Traders', 'Tailspin Toys']),
      pick(['fabrikam.test', 'northwind.test', 'tailspin.test']),
    ),
  );
  records.push(...finance, ...sales, ...engineering, ...marketing, ...research, ...hr, ...admins, ...services, partner, ...contacts);

  // Workstations, 1 in 20 hybrid joined (userCertificate). With the staff they fill a group past the 1,500-value range limit.
  const workstations = Array.from({ length: 1150 }, (_, i) =>
    computer({
      domain: d,
      parent: `OU=Workstations,${corp}`,
      name: `WS-${String(i + 1).padStart(5, '0')}`,
      os: pick(WORKSTATION_OS),
      certificate: i % 20 === 7,
    }),
  );
  const servers = (
    [
      ['APP01', ['Windows Server 2016 Standard', '10.0 (14393)']],
      ['PRINT01', ['Windows Server 2016 Standard', '10.0 (14393)']],
      ['APP02', ['Windows Server 2019 Standard', '10.0 (17763)']],
      ['SQL01', ['Windows Server 2019 Datacenter', '10.0 (17763)']],
      ['FS01', ['Windows Server 2022 Standard', '10.0 (20348)']],
      ['AADC01', ['Windows Server 2022 Standard', '10.0 (20348)']],
      ['SYNC01', ['Windows Server 2025 Standard', '10.0 (26100)']],
      ['SYNC02', ['Windows Server 2025 Standard', '10.0 (26100)']],
    ] as const
  ).map(([name, os]) => computer({ domain: d, parent: `OU=Servers,${corp}`, name, os, certificate: name === 'FS01' }));
  records.push(...workstations, ...servers);

  // The foreign security principal a trusted forest's user is known by, used in a domain local group.
  const fsp = `CN=S-1-5-21-${FOREIGN_SID.slice(1).join('-')},CN=ForeignSecurityPrincipals,${d.dn}`;
  records.push(
    stamped(fsp, ['top', 'foreignSecurityPrincipal'], 'Foreign-Security-Principal', { objectSid: sid(FOREIGN_SID) }),
    stamped(`CN=S-1-5-11,CN=ForeignSecurityPrincipals,${d.dn}`, ['top', 'foreignSecurityPrincipal'], 'Foreign-Security-Principal', {
      objectSid: sid([11]),
      isCriticalSystemObject: 'TRUE',
    }),
  );

  const g = (name: string): string => `CN=${name},${groups}`;
  records.push(
    ...builtinGroups(d, [`CN=Administrator,CN=Users,${d.dn}`, ...admins.map(dnOf)], true),
    group(d, g('GG-Finance'), GLOBAL_SECURITY, finance.map(dnOf)),
    group(d, g('GG-Sales'), GLOBAL_SECURITY, sales.map(dnOf)),
    group(d, g('GG-Engineering'), GLOBAL_SECURITY, engineering.map(dnOf)),
    group(d, g('GG-Marketing'), GLOBAL_SECURITY, marketing.map(dnOf)),
    group(d, g('GG-Research'), GLOBAL_SECURITY, research.map(dnOf)),
    group(d, g('GG-HR'), GLOBAL_SECURITY, hr.map(dnOf)),
    // Nested across domains: the EMEA sales group sits inside the forest-wide sales group.
    group(d, g('UG-Sales-Worldwide'), UNIVERSAL_SECURITY, [g('GG-Sales'), `CN=GG-EMEA-Sales,OU=Groups,OU=EMEA,${CHILD}`]),
    group(d, g('UG-All-Staff'), UNIVERSAL_SECURITY, ['GG-Finance', 'UG-Sales-Worldwide', 'GG-Engineering', 'GG-Marketing', 'GG-Research', 'GG-HR'].map(g)),
    group(d, g('DL-Announcements'), UNIVERSAL_DISTRIBUTION, [g('UG-All-Staff')], {
      mail: 'announcements@contoso.com',
      proxyAddresses: ['SMTP:announcements@contoso.com'],
      mailNickname: 'announcements',
    }),
    group(d, g('DL-Fabrikam-Project'), DOMAIN_LOCAL_SECURITY, [fsp, partner.dn, ...contacts.slice(0, 5).map(dnOf)], {
      description: 'Shared project with fabrikam.test (forest trust)',
    }),
    group(d, g('UG-Intune-Managed'), UNIVERSAL_SECURITY, [...finance, ...sales, ...engineering, ...marketing, ...research, ...hr, ...workstations].map(dnOf), {
      description: 'Intune assignments: all staff and their workstations',
    }),
  );

  // Trusts: the parent-child trust inside the forest and a forest trust to fabrikam.test.
  records.push(
    trust(`CN=${child.dns},CN=System,${d.dn}`, child.dns, child.netbios, 32, sid(child.sid)),
    trust(`CN=fabrikam.test,CN=System,${d.dn}`, 'fabrikam.test', 'FABRIKAM', 8, sid(FOREIGN_SID.slice(0, 4))),
  );

  return {
    file: 'domain',
    base: d.dn,
    records,
    references: [
      `ldap://${child.dns}/${CHILD}`,
      `ldap://ForestDnsZones.${d.dns}/DC=ForestDnsZones,${d.dn}`,
      `ldap://DomainDnsZones.${d.dns}/DC=DomainDnsZones,${d.dn}`,
      `ldap://${d.dns}/${CONFIG}`,
    ],
  };
}

function withUpnSuffix(r: DirectoryRecord, suffix: string): DirectoryRecord {
  return {
    dn: r.dn,
    attributes: r.attributes.map(([name, values]) =>
      name === 'userPrincipalName' ? [name, values.map((v) => `${String(v).split('@')[0] ?? ''}@${suffix}`)] : [name, values],
    ),
  };
}

function trust(dn: string, partner: string, flatName: string, attributes: number, securityIdentifier: Buffer): DirectoryRecord {
  return stamped(dn, ['top', 'leaf', 'trustedDomain'], 'Trusted-Domain', {
    securityIdentifier,
    trustDirection: 3,
    trustPartner: partner,
    trustPosixOffset: -2147483648,
    trustType: 2,
    trustAttributes: attributes,
    flatName,
    isCriticalSystemObject: 'TRUE',
  });
}

function childDomain(): Partition {
  const d = child;
  const emea = `OU=EMEA,${d.dn}`;
  const records: DirectoryRecord[] = [domainHead(d, 7)];
  records.push(...domainSkeleton(d, [['EMEA-DC01', ['Windows Server 2016 Datacenter', '10.0 (14393)']]]));
  records.push(ou(emea), ou(`OU=London,${emea}`), ou(`OU=Paris,${emea}`), ou(`OU=Groups,${emea}`), ou(`OU=Workstations,${emea}`));
  const london = Array.from({ length: 60 }, () => user({ domain: d, parent: `OU=London,${emea}`, department: 'Sales', consistencyGuid: 'same' }));
  const paris = Array.from({ length: 60 }, (_, i) =>
    user({ domain: d, parent: `OU=Paris,${emea}`, department: i % 2 === 0 ? 'Sales' : 'Operations', consistencyGuid: 'same', x500: i % 5 === 0 }),
  );
  const workstations = Array.from({ length: 40 }, (_, i) =>
    computer({ domain: d, parent: `OU=Workstations,${emea}`, name: `EMEA-WS-${String(i + 1).padStart(4, '0')}`, os: pick(WORKSTATION_OS) }),
  );
  records.push(...london, ...paris, ...workstations);
  records.push(
    ...builtinGroups(d, [`CN=Administrator,CN=Users,${d.dn}`], false),
    group(d, `CN=GG-EMEA-Sales,OU=Groups,${emea}`, GLOBAL_SECURITY, [...london, ...paris.filter((_, i) => i % 2 === 0)].map(dnOf)),
    group(d, `CN=GG-EMEA-Operations,OU=Groups,${emea}`, GLOBAL_SECURITY, paris.filter((_, i) => i % 2 === 1).map(dnOf)),
    trust(`CN=${root.dns},CN=System,${d.dn}`, root.dns, root.netbios, 32, sid(root.sid)),
  );
  return { file: 'domain-emea', base: d.dn, records, references: [`ldap://${root.dns}/${CONFIG}`] };
}

// ---------------------------------------------------------------- configuration and schema

function crossRef(name: string, nc: string, dnsRoot: string, systemFlags: number, extra: Attrs = {}): DirectoryRecord {
  return stamped(
    `CN=${name},CN=Partitions,${CONFIG}`,
    ['top', 'crossRef'],
    'Cross-Ref',
    { nCName: nc, dnsRoot, systemFlags, ...extra, showInAdvancedViewOnly: 'TRUE' },
    EXPORTED_AT - 3950 * DAY,
  );
}

function configuration(): Partition {
  const services = `CN=Services,${CONFIG}`;
  const site = `CN=Default-First-Site-Name,CN=Sites,${CONFIG}`;
  const kdsCreated = EXPORTED_AT - 2300 * DAY;
  const records: DirectoryRecord[] = [
    stamped(CONFIG, ['top', 'configuration'], 'Configuration', { instanceType: 13 }, EXPORTED_AT - 3950 * DAY),
    stamped(`CN=Partitions,${CONFIG}`, ['top', 'crossRefContainer'], 'Cross-Ref-Container', {
      'msDS-Behavior-Version': 7,
      uPNSuffixes: ['contoso.com', 'contoso.local'],
      systemFlags: -2147483648,
    }),
    crossRef('Enterprise Configuration', CONFIG, root.dns, 1),
    crossRef('Enterprise Schema', SCHEMA, root.dns, 1),
    crossRef(root.netbios, root.dn, root.dns, 3, { nETBIOSName: root.netbios, 'msDS-Behavior-Version': 7 }),
    crossRef(child.netbios, child.dn, child.dns, 3, {
      nETBIOSName: child.netbios,
      'msDS-Behavior-Version': 7,
      trustParent: `CN=${root.netbios},CN=Partitions,${CONFIG}`,
    }),
    crossRef('ForestDnsZones', `DC=ForestDnsZones,${ROOT}`, `ForestDnsZones.${root.dns}`, 5),
    crossRef('DomainDnsZones', `DC=DomainDnsZones,${ROOT}`, `DomainDnsZones.${root.dns}`, 5),
    container(`CN=Sites,${CONFIG}`, false),
    stamped(site, ['top', 'site'], 'Site', {}),
    container(`CN=Servers,${site}`, false),
  ];
  for (const [name, domain] of [
    ['DC01', root],
    ['DC02', root],
    ['EMEA-DC01', child],
  ] as const) {
    const server = `CN=${name},CN=Servers,${site}`;
    records.push(
      stamped(server, ['top', 'server'], 'Server', {
        dNSHostName: `${name.toLowerCase()}.${domain.dns}`,
        serverReference: `CN=${name},OU=Domain Controllers,${domain.dn}`,
      }),
      stamped(`CN=NTDS Settings,${server}`, ['top', 'applicationSettings', 'nTDSDSA'], 'NTDS-DSA', {
        options: 1,
        invocationId: guid(),
        'msDS-hasMasterNCs': [domain.dn, CONFIG, SCHEMA],
        'msDS-Behavior-Version': 7,
      }),
    );
  }
  records.push(
    container(services, false),
    container(`CN=Device Registration Configuration,${services}`, false),
    stamped(
      `CN=62a0ff2e-97b9-4513-943f-0d221bd30080,CN=Device Registration Configuration,${services}`,
      ['top', 'leaf', 'connectionPoint', 'serviceConnectionPoint'],
      'Service-Connection-Point',
      {
        keywords: [`azureADName:${TENANT.replace('.onmicrosoft.com', '.com')}`, `azureADId:${TENANT_ID}`],
      },
    ),
    container(`CN=Group Key Distribution Service,${services}`, false),
    container(`CN=Master Root Keys,CN=Group Key Distribution Service,${services}`, false),
  );
  const kdsId = guid();
  records.push(
    stamped(
      `CN=${guidText(kdsId)},CN=Master Root Keys,CN=Group Key Distribution Service,${services}`,
      ['top', 'msKds-ProvRootKey'],
      'ms-Kds-Prov-RootKey',
      {
        'msKds-KDFAlgorithmID': 'SP800_108_CTR_HMAC',
        'msKds-KDFParam': bytes(44),
        'msKds-SecretAgreementAlgorithmID': 'DH',
        'msKds-PrivateKeyLength': 512,
        'msKds-PublicKeyLength': 2048,
        'msKds-RootKeyData': bytes(64),
        'msKds-Version': 1,
        'msKds-DomainID': `CN=DC01,OU=Domain Controllers,${ROOT}`,
        // Add-KdsRootKey without -EffectiveImmediately: usable 10 days after creation.
        'msKds-UseStartTime': fileTime(kdsCreated + 10 * DAY),
        'msKds-CreateTime': fileTime(kdsCreated),
      },
      kdsCreated,
    ),
    stamped(`CN=Microsoft Exchange,${services}`, ['top', 'container', 'msExchConfigurationContainer'], 'ms-Exch-Configuration-Container', {}),
    stamped(`CN=Contoso,CN=Microsoft Exchange,${services}`, ['top', 'container', 'msExchOrganizationContainer'], 'ms-Exch-Organization-Container', {
      objectVersion: 16763,
    }),
  );
  return { file: 'configuration', base: CONFIG, records, references: [`ldap://${root.dns}/${SCHEMA}`] };
}

/** Schema attributes the checks look for, with their real attributeID and schemaIDGUID (Windows Server 2016 schema). */
const SCHEMA_ATTRIBUTES = [
  ['ms-DS-External-Directory-Object-Id', 'msDS-ExternalDirectoryObjectId', '1.2.840.113556.1.4.2310', '2.5.5.12', 64, true, 'kL8pva1m4UCIexDfBwQZpg==', 256],
  ['MS-DS-Consistency-Guid', 'mS-DS-ConsistencyGuid', '1.2.840.113556.1.4.1360', '2.5.5.10', 4, true, 'wj13Izq20hGQ4QDAT9kasQ==', undefined],
  ['User-Principal-Name', 'userPrincipalName', '1.2.840.113556.1.4.656', '2.5.5.12', 64, true, 'uw5jKNVB0RGpwQAA+ANnwQ==', 1024],
  ['Proxy-Addresses', 'proxyAddresses', '1.2.840.113556.1.2.210', '2.5.5.12', 64, false, 'BnqWv+YN0BGihQCqADBJ4g==', 1123],
  ['E-mail-Addresses', 'mail', '0.9.2342.19200300.100.1.3', '2.5.5.12', 64, true, 'YXmWv+YN0BGihQCqADBJ4g==', 256],
  ['Display-Name', 'displayName', '1.2.840.113556.1.2.13', '2.5.5.12', 64, true, 'U3mWv+YN0BGihQCqADBJ4g==', 256],
  ['Member', 'member', '2.5.4.31', '2.5.5.1', 127, false, 'wHmWv+YN0BGihQCqADBJ4g==', undefined],
  ['Object-Guid', 'objectGUID', '1.2.840.113556.1.4.2', '2.5.5.10', 4, true, '53mWv+YN0BGihQCqADBJ4g==', 16],
  ['ms-DS-Key-Credential-Link', 'msDS-KeyCredentialLink', '1.2.840.113556.1.4.2328', '2.5.5.7', 127, false, 'D9ZHW5BgskCfNypN6I8wYw==', undefined],
  ['X509-Cert', 'userCertificate', '2.5.4.36', '2.5.5.10', 4, false, 'f3qWv+YN0BGihQCqADBJ4g==', 32768],
] as const;

function schema(): Partition {
  const created = EXPORTED_AT - 3950 * DAY;
  const records: DirectoryRecord[] = [
    stamped(
      SCHEMA,
      ['top', 'dMD'],
      'DMD',
      { objectVersion: 88, fSMORoleOwner: `CN=NTDS Settings,CN=DC01,CN=Servers,CN=Default-First-Site-Name,CN=Sites,${CONFIG}` },
      created,
    ),
  ];
  for (const [cn, ldapName, oid, syntax, omSyntax, single, schemaGuid, rangeUpper] of SCHEMA_ATTRIBUTES) {
    records.push(
      stamped(
        `CN=${cn},${SCHEMA}`,
        ['top', 'attributeSchema'],
        'Attribute-Schema',
        {
          attributeID: oid,
          attributeSyntax: syntax,
          isSingleValued: single ? 'TRUE' : 'FALSE',
          rangeUpper,
          oMSyntax: omSyntax,
          lDAPDisplayName: ldapName,
          schemaIDGUID: Buffer.from(schemaGuid, 'base64'),
        },
        created,
      ),
    );
  }
  // Exchange 2019 CU10 or later prepared the schema.
  records.push(
    stamped(
      `CN=ms-Exch-Schema-Version-Pt,${SCHEMA}`,
      ['top', 'attributeSchema'],
      'Attribute-Schema',
      {
        attributeID: '1.2.840.113556.1.4.7000.102.10',
        attributeSyntax: '2.5.5.9',
        isSingleValued: 'TRUE',
        rangeUpper: 17003,
        oMSyntax: 2,
        lDAPDisplayName: 'msExchSchemaVersionPt',
        schemaIDGUID: guid(),
      },
      EXPORTED_AT - 900 * DAY,
    ),
  );
  for (const [cn, ldapName, oid] of [
    ['User', 'user', '1.2.840.113556.1.5.9'],
    ['Group', 'group', '1.2.840.113556.1.5.8'],
    ['Contact', 'contact', '1.2.840.113556.1.5.15'],
    ['Computer', 'computer', '1.2.840.113556.1.3.30'],
    ['inetOrgPerson', 'inetOrgPerson', '2.16.840.1.113730.3.2.2'],
    ['ms-DS-Group-Managed-Service-Account', 'msDS-GroupManagedServiceAccount', '1.2.840.113556.1.5.282'],
    ['ms-Kds-Prov-RootKey', 'msKds-ProvRootKey', '1.2.840.113556.1.5.278'],
    ['ms-DS-Device', 'msDS-Device', '1.2.840.113556.1.5.286'],
  ] as const) {
    records.push(
      stamped(`CN=${cn},${SCHEMA}`, ['top', 'classSchema'], 'Class-Schema', { governsID: oid, lDAPDisplayName: ldapName, schemaIDGUID: guid() }, created),
    );
  }
  return { file: 'schema', base: SCHEMA, records, references: [] };
}

// ---------------------------------------------------------------- output

/** Builds the forest from a fresh PRNG and fresh RID counters, so every call gives the same records. */
function forest(): Partition[] {
  random = prng(SEED);
  root = newRoot();
  child = newChild();
  usedNames = new Set();
  usedDns = new Set();
  return [rootDomain(), childDomain(), configuration(), schema()];
}

function render(partition: Partition, writer: ExportWriter): string {
  let text = writer.header();
  for (const r of partition.records) text += writer.entry(r);
  for (const url of partition.references) text += writer.reference(url);
  return text + writer.trailer();
}

/** Writes the sample into `folder` (ldifde/ and ldapsearch/ below it); returns the files written. */
export async function generateSample(folder: string): Promise<string[]> {
  const partitions = forest();
  const written: string[] = [];
  for (const dialect of ['ldifde', 'ldapsearch'] as const) {
    await mkdir(path.join(folder, dialect), { recursive: true });
    let pages = 0;
    for (const partition of partitions) {
      const writer = dialect === 'ldifde' ? new LdifdeWriter() : new LdapsearchWriter(partition.base, () => `page-${++pages}`);
      const file = path.join(folder, dialect, `${partition.file}.${writer.extension}`);
      await writeFile(file, render(partition, writer));
      written.push(file);
    }
  }
  return written;
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const folder = process.argv[2] ?? path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'sample');
  for (const file of await generateSample(folder)) console.log(file);
}
