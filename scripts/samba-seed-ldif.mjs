#!/usr/bin/env node
// Deterministic seed data for the throwaway Samba AD DC (scripts/samba-dc.sh seed).
// Writes LDIF (ldapadd format) to stdout and, with --manifest FILE, a JSON summary the integration tests
// assert against, so the tests never hard-code the seed sizes.
//
// Every object exists to exercise a path of the scanner: nested OUs, UPNs (one non-routable .local suffix),
// SMTP and X500 proxyAddresses, deliberate duplicate proxyAddresses/mail across users, a group larger than AD's
// 1,500-value range window, nested groups, contacts, computers with userCertificate and operatingSystem,
// the hybrid-join SCP, AZUREADSSOACC$, an MSOL_ account, a KDS root key, mS-DS-ConsistencyGuid, adminCount
// and an inetOrgPerson.
//
// Same arguments, same output: timestamps are relative to --now (default: today 00:00 UTC), GUIDs are hashes.
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

const { values: opt } = parseArgs({
  options: {
    'base-dn': { type: 'string' },
    'dns-domain': { type: 'string' },
    users: { type: 'string', default: '2000' },
    groups: { type: 'string', default: '100' },
    'group-size': { type: 'string', default: '20' },
    computers: { type: 'string', default: '500' },
    contacts: { type: 'string', default: '200' },
    'big-group': { type: 'string', default: '2000' },
    now: { type: 'string' },
    manifest: { type: 'string' },
    'cross-forest-duplicate-of': { type: 'string' },
  },
});
if (!opt['base-dn'] || !opt['dns-domain']) {
  process.stderr.write('usage: samba-seed-ldif.mjs --base-dn DC=corp,DC=example,DC=test --dns-domain corp.example.test [--users N ...] [--manifest FILE]\n');
  process.exit(2);
}
const count = (name) => {
  const n = Number(opt[name]);
  if (!Number.isInteger(n) || n < 0) {
    process.stderr.write(`--${name} must be a whole number, got "${opt[name]}"\n`);
    process.exit(2);
  }
  return n;
};
const BASE = opt['base-dn'];
const DOMAIN = opt['dns-domain'];
const CONFIG = `CN=Configuration,${BASE}`;
const USERS = count('users');
const GROUPS = count('groups');
const GROUP_SIZE = Math.min(count('group-size'), USERS);
const COMPUTERS = count('computers');
const CONTACTS = count('contacts');
const BIG_GROUP = Math.min(count('big-group'), USERS);
const NOW_MS = opt.now ? Date.parse(opt.now) : new Date().setUTCHours(0, 0, 0, 0);
if (Number.isNaN(NOW_MS)) {
  process.stderr.write(`--now must be a date, got "${opt.now}"\n`);
  process.exit(2);
}

const pad = (n) => String(n).padStart(5, '0');
const fileTime = (daysAgo) => String(BigInt(NOW_MS - daysAgo * 864e5) * 10000n + 116444736000000000n);
/** 16 bytes derived from a name: stable GUIDs and key material without randomness. */
const bytes16 = (name) => createHash('sha256').update(name).digest().subarray(0, 16);
const guidString = (buf) => {
  const h = buf.toString('hex');
  // GUID text form: first three groups little-endian, as AD prints them
  const le = (s) => s.match(/../g).reverse().join('');
  return `${le(h.slice(0, 8))}-${le(h.slice(8, 12))}-${le(h.slice(12, 16))}-${h.slice(16, 20)}-${h.slice(20)}`;
};

const UAC = {
  ACCOUNTDISABLE: 0x2,
  PASSWD_NOTREQD: 0x20,
  NORMAL_ACCOUNT: 0x200,
  WORKSTATION_TRUST: 0x1000,
  SERVER_TRUST: 0x2000,
  DONT_EXPIRE_PASSWORD: 0x10000,
  TRUSTED_FOR_DELEGATION: 0x80000,
  DONT_REQ_PREAUTH: 0x400000,
};

// A real DER certificate (self-signed, EC P-256, CN=<device id>) so parsers of userCertificate get valid input.
const DEVICE_CERT =
  'MIIBszCCAVmgAwIBAgIUDTa20Mo2KX0XyXYY5el6Dp7cry0wCgYIKoZIzj0EAwIwLzEtMCsGA1UEAwwkNmIyYTVmOGUtM2MxZC00ZTdmLTlhMGItMWMyZDNlNGY1YTZiMB4XDTI2MTEyMjAzNTYzMVoXDTM2MTExOTAzNTYzMVowLzEtMCsGA1UEAwwkNmIyYTVmOGUtM2MxZC00ZTdmLTlhMGItMWMyZDNlNGY1YTZiMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE4uMbHM1jNN37aP9V7mtWbw4XcT41Xn4Owf3xpq8hHh6G+ru72S3E5D23TGXs8KWohpVyHMYNi6P7Xy5X2PDWS6NTMFEwHQYDVR0OBBYEFAnUj78+cWvHqq0v9QIte9JkaEDOMB8GA1UdIwQYMBaAFAnUj78+cWvHqq0v9QIte9JkaEDOMA8GA1UdEwEB/wQFMAMBAf8wCgYIKoZIzj0EAwIDSAAwRQIhAJPeajKPuAUeZ9dQDYxBym1YCjDkxMSQgrh8TfUzQujQAiBYXOyeC2A0fOuvUTu/SVB2Gh0Gm0qYt9uUxFTyyasyow==';

const DEPTS = ['Sales', 'Engineering', 'Finance', 'HR', 'Ops', 'Legal', 'IT', 'Marketing'];
const OS = [
  ['Windows Server 2012 R2 Standard', '6.3 (9600)'],
  ['Windows Server 2016 Standard', '10.0 (14393)'],
  ['Windows Server 2019 Datacenter', '10.0 (17763)'],
  ['Windows Server 2022 Standard', '10.0 (20348)'],
  ['Windows Server 2025 Datacenter', '10.0 (26100)'],
  ['Windows 10 Enterprise', '10.0 (19045)'],
  ['Windows 11 Enterprise', '10.0 (22631)'],
  ['Windows 7 Professional', '6.1 (7601)'],
  ['Windows Server 2008 R2 Enterprise', '6.1 (7601)'],
];
const GROUP_TYPES = ['-2147483646', '-2147483644', '-2147483640', '2', '4', '8']; // security/distribution × global/domain-local/universal

const OU = {
  corp: `OU=Corp,${BASE}`,
  people: `OU=People,OU=Corp,${BASE}`,
  dept: (d) => `OU=${d},OU=People,OU=Corp,${BASE}`,
  groups: `OU=Groups,OU=Corp,${BASE}`,
  computers: `OU=Computers,OU=Corp,${BASE}`,
  servers: `OU=Servers,OU=Computers,OU=Corp,${BASE}`,
  workstations: `OU=Workstations,OU=Computers,OU=Corp,${BASE}`,
  contacts: `OU=Contacts,OU=Corp,${BASE}`,
  special: `OU=Special,OU=Corp,${BASE}`,
};
const CN_USERS = `CN=Users,${BASE}`;
const CN_COMPUTERS = `CN=Computers,${BASE}`;

const out = [];
/** children added per parent DN, so tests can compare one-level counts with the DC */
const childCount = {};
const emit = (dn, attrs) => {
  const parent = dn.slice(dn.search(/(?<!\\),/) + 1);
  childCount[parent] = (childCount[parent] ?? 0) + 1;
  const lines = [`dn: ${dn}`];
  for (const [name, value] of attrs) {
    lines.push(Buffer.isBuffer(value) ? `${name}:: ${value.toString('base64')}` : `${name}: ${value}`);
  }
  out.push(lines.join('\n'));
};
const attrs = (record) => Object.entries(record).flatMap(([k, v]) => (Array.isArray(v) ? v.map((x) => [k, x]) : [[k, v]]));

// --- containers ---------------------------------------------------------------------------------------------
for (const dn of [OU.corp, OU.people, ...DEPTS.map(OU.dept), OU.groups, OU.computers, OU.servers, OU.workstations, OU.contacts, OU.special]) {
  emit(dn, [['objectClass', 'organizationalUnit']]);
}

// --- bulk users -----------------------------------------------------------------------------------------------
const userDn = (i) => `CN=User ${pad(i)},${OU.dept(DEPTS[i % DEPTS.length])}`;
const DUPLICATE_SMTP = `shared.mailbox@${DOMAIN}`;
const DUPLICATE_MAIL = `helpdesk@${DOMAIN}`;
const duplicates = { proxyAddress: [], mail: [] };
for (let i = 1; i <= USERS; i++) {
  let uac = UAC.NORMAL_ACCOUNT | UAC.ACCOUNTDISABLE | UAC.PASSWD_NOTREQD; // no password needed to create it
  if (i % 50 === 0) uac |= UAC.DONT_EXPIRE_PASSWORD;
  if (i % 997 === 0) uac |= UAC.DONT_REQ_PREAUTH;
  const sam = `u${pad(i)}`;
  const u = {
    objectClass: 'user',
    sAMAccountName: sam,
    userPrincipalName: `${sam}@${DOMAIN}`,
    givenName: `First${i}`,
    sn: `Last${i}`,
    displayName: `First${i} Last${i}`,
    mail: `${sam}@${DOMAIN}`,
    department: DEPTS[i % DEPTS.length],
    title: `Title ${i % 17}`,
    userAccountControl: String(uac),
    lastLogonTimestamp: fileTime(i % 400),
    proxyAddresses: [`SMTP:${sam}@${DOMAIN}`, `smtp:${sam}@mail.${DOMAIN}`],
  };
  if (i % 500 === 0) u.servicePrincipalName = `HTTP/app${i}.${DOMAIN}`;
  // two users claim the same secondary SMTP address, two others the same mail: duplicates AD itself allows
  if (i === 3 || i === 4) {
    u.proxyAddresses.push(`smtp:${DUPLICATE_SMTP}`);
    duplicates.proxyAddress.push(userDn(i));
  }
  if (i === 5 || i === 6) {
    u.mail = DUPLICATE_MAIL;
    duplicates.mail.push(userDn(i));
  }
  emit(userDn(i), attrs(u));
}

// --- special users: each one is a case a check looks for ----------------------------------------------------
const consistencyGuid = bytes16('consistency-guid:cg.differs');
const special = {
  localUpn: `CN=Local Upn,${OU.special}`,
  x500: `CN=X500 Migrated,${OU.special}`,
  consistencyDiffers: `CN=Consistency Differs,${OU.special}`,
  consistencySame: `CN=Consistency Same,${OU.special}`,
  adminCount: `CN=Former Admin,${OU.special}`,
  inetOrgPerson: `CN=Inet Org Person,${OU.special}`,
  msol: `CN=MSOL_0123456789ab,${CN_USERS}`,
  reader: `CN=Readiness Reader,${CN_USERS}`,
};
const msolInstallationId = bytes16('aadc-installation').toString('hex');
const enabledNoPassword = String(UAC.NORMAL_ACCOUNT | UAC.PASSWD_NOTREQD | UAC.DONT_EXPIRE_PASSWORD);
const x500 = `X500:/o=ExchangeLabs/ou=Exchange Administrative Group (FYDIBOHF23SPDLT)/cn=Recipients/cn=0f1e2d3c4b5a69788796a5b4c3d2e1f0-x500.migrated`;
emit(
  special.localUpn,
  attrs({
    objectClass: 'user',
    sAMAccountName: 'local.upn',
    userPrincipalName: 'local.upn@corp.local',
    mail: `local.upn@${DOMAIN}`,
    userAccountControl: enabledNoPassword,
  }),
);
emit(
  special.x500,
  attrs({
    objectClass: 'user',
    sAMAccountName: 'x500.migrated',
    userPrincipalName: `x500.migrated@${DOMAIN}`,
    mail: `x500.migrated@${DOMAIN}`,
    proxyAddresses: [`SMTP:x500.migrated@${DOMAIN}`, x500],
    userAccountControl: enabledNoPassword,
  }),
);
emit(
  special.consistencyDiffers,
  attrs({
    objectClass: 'user',
    sAMAccountName: 'cg.differs',
    userPrincipalName: `cg.differs@${DOMAIN}`,
    'mS-DS-ConsistencyGuid': consistencyGuid,
    userAccountControl: enabledNoPassword,
  }),
);
// its mS-DS-ConsistencyGuid is set to its own objectGUID after the add (samba-dc.sh), the usual Connect case
emit(
  special.consistencySame,
  attrs({ objectClass: 'user', sAMAccountName: 'cg.same', userPrincipalName: `cg.same@${DOMAIN}`, userAccountControl: enabledNoPassword }),
);
emit(
  special.adminCount,
  attrs({
    objectClass: 'user',
    sAMAccountName: 'former.admin',
    userPrincipalName: `former.admin@${DOMAIN}`,
    adminCount: '1',
    userAccountControl: enabledNoPassword,
  }),
);
emit(
  special.inetOrgPerson,
  attrs({
    objectClass: 'inetOrgPerson',
    sAMAccountName: 'inet.org',
    userPrincipalName: `inet.org@${DOMAIN}`,
    mail: `inet.org@${DOMAIN}`,
    employeeNumber: '4711',
    userAccountControl: enabledNoPassword,
  }),
);
emit(
  special.msol,
  attrs({
    objectClass: 'user',
    sAMAccountName: 'MSOL_0123456789ab',
    description: `Account created by Microsoft Azure Active Directory Connect with installation identifier ${msolInstallationId} running on computer AADC01 configured to synchronize to tenant contoso.onmicrosoft.com. This account must have directory replication permissions in the local Active Directory and write permission on certain attributes to enable Hybrid Deployment.`,
    userAccountControl: enabledNoPassword,
  }),
);
// an ordinary enabled account the tests can bind as (password set by samba-dc.sh), to see what a non-admin reads
emit(
  special.reader,
  attrs({ objectClass: 'user', sAMAccountName: 'readiness.reader', userPrincipalName: `readiness.reader@${DOMAIN}`, userAccountControl: enabledNoPassword }),
);

// a second forest's seed (--cross-forest-duplicate-of corp.example.test) has a twin of the first forest's reader: the
// same UPN (samba-dc.sh gives it the same password, so one account binds to both forests, as an account of a trusted
// forest would) and the mail of the first forest's u00001. Duplicates neither forest shows alone: only a tenant-wide
// comparison finds them.
const TWIN_OF = opt['cross-forest-duplicate-of'];
const crossForest = TWIN_OF ? { dn: `CN=Cross Forest Twin,${OU.special}`, upn: `readiness.reader@${TWIN_OF}`, mail: `u${pad(1)}@${TWIN_OF}` } : undefined;
if (crossForest) {
  emit(
    crossForest.dn,
    attrs({
      objectClass: 'user',
      sAMAccountName: 'cross.twin',
      userPrincipalName: crossForest.upn,
      mail: crossForest.mail,
      userAccountControl: enabledNoPassword,
    }),
  );
}

// --- contacts ---------------------------------------------------------------------------------------------------
const contactDn = (i) => `CN=Contact ${pad(i)},${OU.contacts}`;
for (let i = 1; i <= CONTACTS; i++) {
  emit(
    contactDn(i),
    attrs({ objectClass: 'contact', displayName: `Contact ${i}`, mail: `c${i}@partner.example.test`, proxyAddresses: `SMTP:c${i}@partner.example.test` }),
  );
}

// --- computers --------------------------------------------------------------------------------------------------
const computerDns = [];
for (let i = 1; i <= COMPUTERS; i++) {
  const [os, version] = OS[i % OS.length];
  const server = os.includes('Server');
  const name = (server ? 'SRV' : 'WS') + pad(i);
  const dn = `CN=${name},${server ? OU.servers : OU.workstations}`;
  const c = {
    objectClass: 'computer',
    sAMAccountName: `${name}$`,
    dNSHostName: `${name.toLowerCase()}.${DOMAIN}`,
    operatingSystem: os,
    operatingSystemVersion: version,
    userAccountControl: String(UAC.WORKSTATION_TRUST),
    lastLogonTimestamp: fileTime(i % 200),
  };
  if (!server && i % 3 === 0) c.userCertificate = Buffer.from(DEVICE_CERT, 'base64'); // hybrid-joined workstations
  emit(dn, attrs(c));
  computerDns.push(dn);
}
// Seamless SSO computer account, where Connect's wizard creates it
const ssoDn = `CN=AZUREADSSOACC,${CN_COMPUTERS}`;
emit(
  ssoDn,
  attrs({
    objectClass: 'computer',
    sAMAccountName: 'AZUREADSSOACC$',
    userAccountControl: String(UAC.WORKSTATION_TRUST),
    description: 'Computer account used by Azure AD Seamless Single Sign-On. Do not delete.',
    servicePrincipalName: ['HTTP/autologon.microsoftazuread-sso.com', 'HTTP/aadg.windows.net.nsatc.net'],
  }),
);

// --- groups -----------------------------------------------------------------------------------------------------
const groupDn = (g) => `CN=Group ${pad(g)},${OU.groups}`;
for (let g = 1; g <= GROUPS; g++) {
  const members = new Set();
  for (let k = 0; k < GROUP_SIZE; k++) members.add(userDn(((g * 7919 + k * 31) % USERS) + 1));
  emit(groupDn(g), attrs({ objectClass: 'group', sAMAccountName: `grp${pad(g)}`, groupType: GROUP_TYPES[g % GROUP_TYPES.length], member: [...members] }));
}
const bigGroupDn = `CN=Big Group,${OU.groups}`;
if (BIG_GROUP > 0) {
  emit(
    bigGroupDn,
    attrs({ objectClass: 'group', sAMAccountName: 'biggroup', groupType: '-2147483646', member: Array.from({ length: BIG_GROUP }, (_, k) => userDn(k + 1)) }),
  );
}
// nesting three deep: Nested Outer ∋ Nested Middle ∋ Nested Inner ∋ users, a contact and a computer
const nested = { inner: `CN=Nested Inner,${OU.groups}`, middle: `CN=Nested Middle,${OU.groups}`, outer: `CN=Nested Outer,${OU.groups}` };
emit(
  nested.inner,
  attrs({
    objectClass: 'group',
    sAMAccountName: 'nested.inner',
    groupType: '-2147483646',
    member: [
      special.localUpn,
      ...Array.from({ length: Math.min(2, USERS) }, (_, k) => userDn(k + 1)),
      ...(CONTACTS ? [contactDn(1)] : []),
      ...computerDns.slice(0, 1),
    ],
  }),
);
emit(nested.middle, attrs({ objectClass: 'group', sAMAccountName: 'nested.middle', groupType: '-2147483640', member: [nested.inner, special.x500] }));
emit(nested.outer, attrs({ objectClass: 'group', sAMAccountName: 'nested.outer', groupType: '-2147483640', member: [nested.middle] }));

// --- configuration partition ---------------------------------------------------------------------------------
// hybrid Azure AD join SCP, as the Connect wizard / ConfigureSCP writes it
const drcDn = `CN=Device Registration Configuration,CN=Services,${CONFIG}`;
const scpDn = `CN=62a0ff2e-97b9-4513-943f-0d221bd30080,${drcDn}`;
const tenantId = guidString(bytes16('tenant:contoso.onmicrosoft.com'));
emit(drcDn, attrs({ objectClass: 'container' }));
emit(scpDn, attrs({ objectClass: 'serviceConnectionPoint', keywords: ['azureADName:example.com', `azureADId:${tenantId}`] }));
// KDS root key (needed for gMSAs): Samba 4.17 has the msKds-ProvRootKey class but provisions no container
const kdsDn = `CN=Group Key Distribution Service,CN=Services,${CONFIG}`;
const rootKeysDn = `CN=Master Root Keys,${kdsDn}`;
const rootKeyId = guidString(bytes16('kds-root-key'));
emit(kdsDn, attrs({ objectClass: 'container' }));
emit(rootKeysDn, attrs({ objectClass: 'container' }));
emit(
  `CN=${rootKeyId},${rootKeysDn}`,
  attrs({
    objectClass: 'msKds-ProvRootKey',
    'msKds-Version': '1',
    'msKds-DomainID': `CN=DC1,OU=Domain Controllers,${BASE}`,
    'msKds-CreateTime': fileTime(30),
    'msKds-UseStartTime': fileTime(30),
    'msKds-KDFAlgorithmID': 'SP800_108_CTR_HMAC',
    'msKds-SecretAgreementAlgorithmID': 'DH',
    'msKds-PrivateKeyLength': '512',
    'msKds-PublicKeyLength': '2048',
    'msKds-RootKeyData': Buffer.concat([
      bytes16('kds-root-key-data-1'),
      bytes16('kds-root-key-data-2'),
      bytes16('kds-root-key-data-3'),
      bytes16('kds-root-key-data-4'),
    ]),
  }),
);

process.stdout.write(out.join('\n\n') + '\n');

if (opt.manifest) {
  const manifest = {
    baseDn: BASE,
    dnsDomain: DOMAIN,
    now: new Date(NOW_MS).toISOString(),
    objects: out.length,
    users: USERS,
    groups: GROUPS,
    computers: COMPUTERS,
    contacts: CONTACTS,
    bigGroup: { dn: bigGroupDn, members: BIG_GROUP },
    nestedGroups: nested,
    duplicates: { proxyAddress: `smtp:${DUPLICATE_SMTP}`, proxyAddressHolders: duplicates.proxyAddress, mail: DUPLICATE_MAIL, mailHolders: duplicates.mail },
    special,
    ssoComputer: ssoDn,
    scp: { dn: scpDn, tenantId },
    kdsRootKeyContainer: rootKeysDn,
    consistencyGuid: guidString(consistencyGuid),
    children: childCount,
    ...(crossForest ? { crossForest } : {}),
  };
  writeFileSync(opt.manifest, JSON.stringify(manifest, null, 2) + '\n');
}
