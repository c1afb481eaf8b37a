import { describe, expect, it } from 'vitest';
import { InventoryBuilder, groupSize } from '../../src/inventory/builder.js';
import { connectSyncExclusion } from '../../src/inventory/exclusions.js';
import type { Inventory } from '../../src/inventory/inventory.js';
import type { InputProblem } from '../../src/sources/source.js';
import { Entry } from '../../src/model/entry.js';
import { parse } from '../ldif/parse.js';

const ROOT = 'DC=corp,DC=example,DC=com';
const CONFIG = `CN=Configuration,${ROOT}`;
const SCHEMA = `CN=Schema,${CONFIG}`;
const CHILD = `DC=emea,${ROOT}`;

function inventoryOf(...ldif: string[]): Inventory {
  const builder = new InventoryBuilder();
  for (const text of ldif) {
    const { entries, problems } = parse(text);
    expect(problems).toEqual([]);
    for (const entry of entries) builder.add(entry, 'test.ldif');
  }
  return builder.finish();
}

const record = (dn: string, ...lines: string[]): string => `dn: ${dn}\n${lines.join('\n')}\n\n`;
const domainHead = (dn: string, level = 7): string =>
  record(dn, 'objectClass: top', 'objectClass: domain', 'objectClass: domainDNS', `msDS-Behavior-Version: ${level}`);
const ou = (dn: string): string => record(dn, 'objectClass: top', 'objectClass: organizationalUnit');
const container = (dn: string): string => record(dn, 'objectClass: top', 'objectClass: container');
// Users have a sAMAccountName and contacts are mail-enabled, as Connect needs to synchronise them.
const samOf = (dn: string): string => `sAMAccountName: ${dn.slice(3, dn.indexOf(',')).replace(/\\0A.*/, '')}`;
const user = (dn: string, ...extra: string[]): string =>
  record(
    dn,
    'objectClass: top',
    'objectClass: person',
    'objectClass: organizationalPerson',
    'objectClass: user',
    ...(extra.some((e) => e.startsWith('sAMAccountName')) ? [] : [samOf(dn)]),
    ...extra,
  );
const computer = (dn: string, ...extra: string[]): string => record(dn, 'objectClass: top', 'objectClass: user', 'objectClass: computer', ...extra);
const contact = (dn: string): string =>
  record(dn, 'objectClass: top', 'objectClass: person', 'objectClass: contact', 'mail: c@example.com', 'proxyAddresses: SMTP:c@example.com');
const group = (dn: string, members: number, option = ''): string =>
  record(dn, 'objectClass: top', 'objectClass: group', ...Array.from({ length: members }, (_, i) => `member${option}: CN=U${i},${ROOT}`));
const crossRef = (nc: string, dnsRoot: string, netbios: string, flags = 3): string =>
  record(
    `CN=${netbios},CN=Partitions,${CONFIG}`,
    'objectClass: top',
    'objectClass: crossRef',
    `nCName: ${nc}`,
    `dnsRoot: ${dnsRoot}`,
    `nETBIOSName: ${netbios}`,
    `systemFlags: ${flags}`,
    'msDS-Behavior-Version: 7',
  );
const configuration =
  record(CONFIG, 'objectClass: top', 'objectClass: configuration') +
  record(
    `CN=Partitions,${CONFIG}`,
    'objectClass: top',
    'objectClass: crossRefContainer',
    'msDS-Behavior-Version: 7',
    'uPNSuffixes: contoso.com',
    'uPNSuffixes: corp.local',
  ) +
  crossRef(ROOT, 'corp.example.com', 'CORP') +
  crossRef(CHILD, 'emea.corp.example.com', 'EMEA') +
  crossRef(`DC=DomainDnsZones,${ROOT}`, 'DomainDnsZones.corp.example.com', 'DDZ', 5);
const schema =
  record(SCHEMA, 'objectClass: top', 'objectClass: dMD', 'objectVersion: 88') +
  record(
    `CN=ms-DS-External-Directory-Object-Id,${SCHEMA}`,
    'objectClass: top',
    'objectClass: attributeSchema',
    'lDAPDisplayName: msDS-ExternalDirectoryObjectId',
  ) +
  record(`CN=User,${SCHEMA}`, 'objectClass: top', 'objectClass: classSchema', 'lDAPDisplayName: user');

describe('forest and domains', () => {
  it('takes domains from crossRefs, with DNS and NetBIOS names, and marks the ones whose partition was read', () => {
    const inventory = inventoryOf(configuration, domainHead(ROOT), user(`CN=A,CN=Users,${ROOT}`));
    expect(inventory.forest).toMatchObject({ rootDomainDn: ROOT, configurationDn: CONFIG, functionalLevel: 7, upnSuffixes: ['contoso.com', 'corp.local'] });
    expect(inventory.domains.map((d) => ({ dn: d.dn, dnsName: d.dnsName, netbiosName: d.netbiosName, partitionRead: d.partitionRead }))).toEqual([
      { dn: ROOT, dnsName: 'corp.example.com', netbiosName: 'CORP', partitionRead: true },
      { dn: CHILD, dnsName: 'emea.corp.example.com', netbiosName: 'EMEA', partitionRead: false },
    ]);
    expect(inventory.partitions).toEqual({ configuration: true, schema: false });
  });

  it('finds domains from their heads when there is no configuration partition', () => {
    const inventory = inventoryOf(domainHead(ROOT, 6), domainHead(CHILD), user(`CN=A,CN=Users,${CHILD}`));
    expect(inventory.domains.map((d) => [d.dnsName, d.functionalLevel, d.partitionRead, d.counts.users])).toEqual([
      ['corp.example.com', 6, true, 0],
      ['emea.corp.example.com', 7, true, 1],
    ]);
    expect(inventory.partitions).toEqual({ configuration: false, schema: false });
    expect(inventory.forest.rootDomainDn).toBeUndefined();
  });

  it('falls back to the DC= suffix of objects when neither head nor crossRef was exported, without calling the partition read', () => {
    const inventory = inventoryOf(user(`CN=A,OU=Staff,${ROOT}`), user(`CN=B,OU=Staff,${ROOT}`));
    expect(inventory.domains).toMatchObject([{ dn: ROOT, dnsName: 'corp.example.com', partitionRead: false, counts: { users: 2 } }]);
  });

  it('counts an exported OU subtree (OU entry present, domain head absent) in its domain', () => {
    const inventory = inventoryOf(ou(`OU=Staff,${ROOT}`), ou(`OU=Sub,OU=Staff,${ROOT}`), user(`CN=A,OU=Staff,${ROOT}`), user(`CN=B,OU=Sub,OU=Staff,${ROOT}`));
    expect(inventory.domains).toMatchObject([{ dn: ROOT, partitionRead: false, counts: { users: 2 } }]);
    expect(inventory.totals.users).toBe(2);
  });

  it('does not take application partitions (DomainDnsZones, ForestDnsZones, or any crossRef without the domain flag) for domains', () => {
    const dnsZones = `DC=DomainDnsZones,${ROOT}`;
    const custom = 'DC=AppPartition,DC=corp,DC=example,DC=com';
    const inventory = inventoryOf(
      configuration,
      record(`CN=App,CN=Partitions,${CONFIG}`, 'objectClass: crossRef', `nCName: ${custom}`, 'systemFlags: 5'),
      domainHead(ROOT),
      domainHead(dnsZones),
      domainHead(`DC=ForestDnsZones,${ROOT}`),
      domainHead(custom),
      record(`DC=host,DC=corp.example.com,CN=MicrosoftDNS,${dnsZones}`, 'objectClass: top', 'objectClass: dnsNode'),
    );
    expect(inventory.domains.map((d) => d.dn)).toEqual([ROOT, CHILD]);
  });

  it('reads the RootDSE for the root domain and partition names', () => {
    const inventory = inventoryOf(
      record(
        '',
        `rootDomainNamingContext: ${ROOT}`,
        `configurationNamingContext: ${CONFIG}`,
        `schemaNamingContext: ${SCHEMA}`,
        'forestFunctionality: 7',
        'dnsHostName: dc1.corp.example.com',
      ),
    );
    expect(inventory.forest).toMatchObject({ rootDomainDn: ROOT, configurationDn: CONFIG, schemaDn: SCHEMA, functionalLevel: 7 });
    expect(inventory.rootDse?.dnsHostName).toBe('dc1.corp.example.com');
    // A RootDSE names the partitions; it does not mean they were read.
    expect(inventory.partitions).toEqual({ configuration: false, schema: false });
  });
});

describe('order', () => {
  it('gives the same inventory whatever order the entries come in (children before their containers)', () => {
    const records = [
      configuration,
      schema,
      domainHead(ROOT),
      domainHead(CHILD),
      ou(`OU=Staff,${ROOT}`),
      user(`CN=A,OU=Staff,${ROOT}`),
      group(`CN=G,OU=Staff,${ROOT}`, 1500),
      user(`CN=B,CN=Users,${CHILD}`),
    ];
    const summary = (inventory: Inventory) => ({
      forest: inventory.forest,
      domains: inventory.domains,
      containers: [...inventory.containers.values()].sort((a, b) => a.key.localeCompare(b.key)),
      groups: inventory.groups,
      totals: inventory.totals,
    });
    expect(summary(inventoryOf(...[...records].reverse()))).toEqual(summary(inventoryOf(...records)));
  });

  it('reads trusts from trustedDomain objects', () => {
    const inventory = inventoryOf(
      domainHead(ROOT),
      record(
        `CN=fabrikam.com,CN=System,${ROOT}`,
        'objectClass: top',
        'objectClass: leaf',
        'objectClass: trustedDomain',
        'trustPartner: fabrikam.com',
        'trustDirection: 3',
        'trustType: 2',
        'trustAttributes: 8',
      ),
    );
    expect(inventory.trusts).toEqual([{ dn: `CN=fabrikam.com,CN=System,${ROOT}`, partner: 'fabrikam.com', direction: 3, type: 2, attributes: 8 }]);
  });
});

describe('partitions', () => {
  it('reads schema facts only from a schema partition that was exported', () => {
    const withSchema = inventoryOf(schema);
    expect(withSchema.partitions.schema).toBe(true);
    expect(withSchema.schema.objectVersion).toBe(88);
    expect([...withSchema.schema.attributes]).toEqual(['msds-externaldirectoryobjectid']);
    expect([...withSchema.schema.classes]).toEqual(['user']);

    const without = inventoryOf(configuration, domainHead(ROOT));
    expect(without.partitions.schema).toBe(false);
    expect(without.schema.objectVersion).toBeUndefined();
    expect(without.schema.attributes.size).toBe(0);
  });

  it('knows nothing of the forest configuration when only a domain partition was exported', () => {
    const inventory = inventoryOf(domainHead(ROOT), user(`CN=A,CN=Users,${ROOT}`));
    expect(inventory.partitions).toEqual({ configuration: false, schema: false });
    expect(inventory.forest.functionalLevel).toBeUndefined();
    expect(inventory.forest.upnSuffixes).toEqual([]);
    expect(inventory.forest.configurationDn).toBeUndefined();
  });

  it('does not count configuration or schema objects in any domain', () => {
    const inventory = inventoryOf(
      configuration,
      schema,
      domainHead(ROOT),
      container(`CN=Services,${CONFIG}`),
      user(`CN=Odd user,CN=Services,${CONFIG}`),
      user(`CN=A,CN=Users,${ROOT}`),
    );
    expect(inventory.domains.find((d) => d.dn === ROOT)?.counts.users).toBe(1);
    expect(inventory.totals.users).toBe(2);
  });
});

describe('counts', () => {
  it('counts users, groups, contacts, computers and managed service accounts per container and per domain', () => {
    const inventory = inventoryOf(
      configuration,
      domainHead(ROOT),
      domainHead(CHILD),
      ou(`OU=Staff,${ROOT}`),
      ou(`OU=Sub,OU=Staff,${ROOT}`),
      container(`CN=Users,${ROOT}`),
      user(`CN=A,OU=Staff,${ROOT}`),
      user(`CN=B,OU=Sub,OU=Staff,${ROOT}`),
      contact(`CN=C,OU=Sub,OU=Staff,${ROOT}`),
      group(`CN=G,CN=Users,${ROOT}`, 2),
      computer(`CN=PC,OU=Staff,${ROOT}`),
      record(
        `CN=svc,CN=Managed Service Accounts,${ROOT}`,
        'objectClass: top',
        'objectClass: user',
        'objectClass: computer',
        'objectClass: msDS-GroupManagedServiceAccount',
      ),
      user(`CN=E,CN=Users,${CHILD}`),
      user(`CN=F,OU=Implied,${CHILD}`),
    );
    const counts = (dn: string) => inventory.containers.get(dn.toLowerCase())?.direct;
    expect(counts(`OU=Staff,${ROOT}`)).toEqual({ users: 1, groups: 0, contacts: 0, computers: 1, managedServiceAccounts: 0, excluded: 0, privileged: 0 });
    expect(counts(`OU=Sub,OU=Staff,${ROOT}`)).toMatchObject({ users: 1, contacts: 1 });
    expect(counts(`CN=Users,${ROOT}`)).toMatchObject({ groups: 1 });
    expect(inventory.containers.get(`ou=implied,${CHILD}`.toLowerCase())).toMatchObject({ kind: 'implied', dn: `OU=Implied,${CHILD}` });
    const root = inventory.domains.find((d) => d.dn === ROOT);
    expect(root?.counts).toEqual({ users: 2, groups: 1, contacts: 1, computers: 1, managedServiceAccounts: 1, excluded: 0, privileged: 0 });
    expect(inventory.domains.find((d) => d.dn === CHILD)?.counts.users).toBe(2);
    expect(inventory.totals).toMatchObject({ users: 4, groups: 1, contacts: 1, computers: 1, managedServiceAccounts: 1 });
  });

  it('counts privileged accounts where they live: adminCount=1, and direct members of a protected group, once each', () => {
    const inventory = inventoryOf(
      domainHead(ROOT),
      ou(`OU=Admins,${ROOT}`),
      ou(`OU=Staff,${ROOT}`),
      user(`CN=Protected,OU=Admins,${ROOT}`, 'adminCount: 1'),
      // SDProp has not run yet: a member of Domain Admins without adminCount.
      user(`CN=New Admin,OU=Admins,${ROOT}`),
      user(`CN=Ordinary,OU=Staff,${ROOT}`, 'adminCount: 0'),
      record(
        `CN=Domain Admins,CN=Users,${ROOT}`,
        'objectClass: top',
        'objectClass: group',
        'adminCount: 1',
        `member: CN=Protected,OU=Admins,${ROOT}`,
        `member: CN=New Admin,OU=Admins,${ROOT}`,
        'member: not a DN',
      ),
    );
    const privileged = (dn: string) => inventory.containers.get(dn.toLowerCase())?.direct.privileged;
    expect(privileged(`OU=Admins,${ROOT}`)).toBe(2);
    expect(privileged(`OU=Staff,${ROOT}`)).toBe(0);
    expect(privileged(`CN=Users,${ROOT}`)).toBe(1);
  });

  it('counts the objects Connect Sync excludes by default', () => {
    const inventory = inventoryOf(
      domainHead(ROOT),
      user(`CN=Administrator,CN=Users,${ROOT}`, 'isCriticalSystemObject: TRUE'),
      user(`CN=MSOL_0123456789ab,CN=Users,${ROOT}`, 'sAMAccountName: MSOL_0123456789ab'),
      user(`CN=AAD_0123456789ab,CN=Users,${ROOT}`, 'sAMAccountName: AAD_0123456789ab'),
      user(`CN=Bob\\0ACNF:0b8e2f5c-1d2e-4f3a-9b8c-7d6e5f4a3b2c,CN=Users,${ROOT}`),
      // Connect tests IsPresent([isCriticalSystemObject]), so even FALSE excludes.
      user(`CN=Marked,CN=Users,${ROOT}`, 'isCriticalSystemObject: FALSE', 'sAMAccountName: marked'),
      user(`CN=Normal,CN=Users,${ROOT}`, 'sAMAccountName: normal'),
      computer(`CN=DC1,OU=Domain Controllers,${ROOT}`, 'isCriticalSystemObject: TRUE'),
    );
    expect(inventory.domains[0]?.counts).toMatchObject({ users: 6, computers: 1, excluded: 5 });
  });

  it("names each exclusion reason, from Connect's documented rules and nothing else", () => {
    const entry = (dn: string, objectClass: string, attributes: Record<string, string | string[]>) =>
      new Entry(
        dn,
        new Map([
          ['objectclass', ['top', objectClass]],
          ...Object.entries(attributes).map(([k, v]): [string, string[]] => [k, typeof v === 'string' ? [v] : v]),
        ]),
      );
    const person = (attributes: Record<string, string | string[]>) => connectSyncExclusion(entry('CN=a,DC=x', 'user', { samaccountname: 'a', ...attributes }));
    expect(connectSyncExclusion(entry('CN=a,DC=x', 'user', { iscriticalsystemobject: 'TRUE', samaccountname: 'a' }))).toBe('critical-system-object');
    // IsPresent([isCriticalSystemObject]): the value does not matter.
    expect(connectSyncExclusion(entry('CN=a,DC=x', 'user', { iscriticalsystemobject: 'FALSE', samaccountname: 'a' }))).toBe('critical-system-object');
    expect(connectSyncExclusion(entry('CN=a\\0ACNF:1234,DC=x', 'user', { samaccountname: 'a' }))).toBe('conflict-object');
    expect(person({ samaccountname: 'msol_abc' })).toBe('connect-service-account');
    expect(person({ samaccountname: 'AAD_abc' })).toBe('connect-service-account');
    expect(connectSyncExclusion(entry('CN=a,DC=x', 'user', {}))).toBe('no-sam-account-name');
    expect(person({ samaccountname: 'SUPPORT_388945a0' })).toBe('exchange-system-object');
    expect(person({ mailnickname: 'SystemMailbox{1f05a927-7c52-4c4a-9d5b-2f1c3b7a2e11}' })).toBe('exchange-system-object');
    expect(person({ mailnickname: 'CAS_{abc}' })).toBe('exchange-system-object');
    expect(person({ samaccountname: 'CAS_x}' })).toBe('exchange-system-object');
    // msExchRecipientTypeDetails is stored in decimal: arbitration 8388608, discovery 536870912, system mailbox 16384.
    for (const details of ['8388608', '536870912', '16384', '4096', '8192', '4194304', '16777216'])
      expect(person({ msexchrecipienttypedetails: details }), details).toBe('exchange-system-object');
    // Real people IdFix's name prefixes skip are not excluded, nor are user, shared and remote mailboxes.
    for (const sam of ['iwamotok', 'guestlect01', 'adminjones', 'krbtgtfan', 'svc$', 'SystemMailboxFan', 'CAS_nobrace', 'healthmailboxer'])
      expect(person({ samaccountname: sam }), sam).toBeUndefined();
    for (const details of ['1', '4', '2147483648', '34359738368']) expect(person({ msexchrecipienttypedetails: details }), details).toBeUndefined();
    expect(connectSyncExclusion(entry('CN=Guest Lecturer,DC=x', 'user', { samaccountname: 'guest.lecturer' }))).toBeUndefined();

    const mailEnabled = { mail: 'c@example.com', proxyaddresses: 'SMTP:c@example.com' };
    expect(connectSyncExclusion(entry('CN=c,DC=x', 'contact', mailEnabled))).toBeUndefined();
    // mailEnabled: an SMTP: proxy address with "@", or a mail value with "@".
    expect(connectSyncExclusion(entry('CN=c,DC=x', 'contact', { mail: 'c@example.com' }))).toBeUndefined();
    expect(connectSyncExclusion(entry('CN=c,DC=x', 'contact', { mail: 'c', proxyaddresses: ['x500:/o=x', 'smtp:c@example.com'] }))).toBe('not-mail-enabled');
    expect(connectSyncExclusion(entry('CN=c,DC=x', 'contact', {}))).toBe('not-mail-enabled');
    expect(connectSyncExclusion(entry('CN=c,DC=x', 'contact', { ...mailEnabled, displayname: 'Old (MSOL)', msexchhidefromaddresslists: 'TRUE' }))).toBe(
      'connect-service-account',
    );
    expect(connectSyncExclusion(entry('CN=c,DC=x', 'contact', { ...mailEnabled, mailnickname: 'CAS_{x}' }))).toBe('exchange-system-object');

    const group = (groupType: string, attributes: Record<string, string> = {}) =>
      connectSyncExclusion(entry('CN=g,DC=x', 'group', { grouptype: groupType, ...attributes }));
    expect(group('-2147483646')).toBeUndefined();
    expect(group('2')).toBe('not-mail-enabled');
    expect(group('8', { proxyaddresses: 'smtp:g@example.com', mail: 'g@example.com' })).toBeUndefined();
    expect(group('8', { proxyaddresses: 'SMTP:g@example.com' })).toBeUndefined();
    expect(group('8', { mail: 'g@example.com' })).toBeUndefined();
    expect(group('-2147483646', { samaccountname: 'MSOL_AD_Sync_RichCoexistence' })).toBe('connect-service-account');
    expect(group('-2147483640', { msexchrecipienttypedetails: '1073741824' })).toBe('exchange-system-object');
  });

  it('counts entries without objectClass as unclassified, naming the first', () => {
    const inventory = inventoryOf(domainHead(ROOT), record(`CN=X,${ROOT}`, 'cn: X'), record(`CN=Y,${ROOT}`, 'cn: Y'));
    expect(inventory.unclassified).toEqual({ count: 2, firstDn: `CN=X,${ROOT}` });
    expect(inventory.totals.entries).toBe(3);
  });
});

describe('group sizes', () => {
  const sizeOf = (ldif: string) => groupSize(parse(ldif).entries[0]!);

  it.each([
    [1499, 'exact'],
    [1500, 'may-be-truncated'],
    [1501, 'exact'],
    [999, 'exact'],
    [1000, 'may-be-truncated'],
    [1001, 'exact'],
    [0, 'exact'],
  ])('%i values without a range marker: %s', (members, completeness) => {
    expect(sizeOf(group(`CN=G,${ROOT}`, members))).toEqual({ dn: `CN=G,${ROOT}`, members, completeness });
  });

  it('1,500 values in complete range windows are exact; a window that never reaches "*" is truncated', () => {
    expect(sizeOf(group(`CN=G,${ROOT}`, 1500, ';range=0-*')).completeness).toBe('exact');
    expect(sizeOf(group(`CN=G,${ROOT}`, 1500, ';range=0-1499'))).toMatchObject({ members: 1500, completeness: 'truncated' });
  });

  it('lists groups of 1,000 members or more, and every group whose count cannot be trusted, largest first', () => {
    const inventory = inventoryOf(
      domainHead(ROOT),
      group(`CN=Small,${ROOT}`, 10),
      group(`CN=Cut,${ROOT}`, 1500),
      group(`CN=Big,${ROOT}`, 2500),
      group(`CN=Thousand,${ROOT}`, 1000),
      group(`CN=Ranged,${ROOT}`, 20, ';range=0-19'),
    );
    expect(inventory.groups.total).toBe(5);
    expect(inventory.groups.large.map((g) => [g.dn.split(',')[0], g.members, g.completeness])).toEqual([
      ['CN=Big', 2500, 'exact'],
      ['CN=Cut', 1500, 'may-be-truncated'],
      ['CN=Thousand', 1000, 'may-be-truncated'],
      ['CN=Ranged', 20, 'truncated'],
    ]);
  });
});

describe('input integrity', () => {
  function built(...inputs: [label: string, ldif: string][]): { inventory: Inventory; problems: InputProblem[] } {
    const builder = new InventoryBuilder();
    for (const [label, text] of inputs) for (const entry of parse(text).entries) builder.add(entry, label);
    const inventory = builder.finish();
    return { inventory, problems: builder.problems };
  }

  it('does not invent a phantom domain for an object outside every domain the forest names: an error naming file and line', () => {
    // A forest's exports with one stray object (CN=x,DC=evil,DC=example) pasted into the domain file.
    const domain = domainHead(ROOT) + user(`CN=A,CN=Users,${ROOT}`) + user('CN=x,DC=evil,DC=example') + user('CN=y,DC=evil,DC=example');
    const { inventory, problems } = built(['configuration.ldf', configuration], ['domain.ldf', domain]);
    expect(inventory.domains.map((d) => d.dnsName)).toEqual(['corp.example.com', 'emea.corp.example.com']);
    expect(problems).toEqual([
      expect.objectContaining({
        severity: 'error',
        input: 'domain.ldf',
        location: 'line 14 (CN=x,DC=evil,DC=example)',
        message: expect.stringMatching(/outside every domain the forest names.*1 other objects under DC=evil,DC=example/),
      }),
    ]);
  });

  it('does not take a domain head the forest does not name for one of its domains', () => {
    const { inventory, problems } = built(
      ['configuration.ldf', configuration],
      ['domain.ldf', domainHead(ROOT)],
      ['other.ldf', domainHead('DC=evil,DC=example')],
    );
    expect(inventory.domains.map((d) => d.dnsName)).toEqual(['corp.example.com', 'emea.corp.example.com']);
    expect(problems).toEqual([expect.objectContaining({ input: 'other.ldf', location: 'line 1 (DC=evil,DC=example)' })]);
  });

  it('does not invent a domain for a configuration subtree exported without its head', () => {
    const sites = container(`CN=Sites,${CONFIG}`) + container(`CN=Default-First-Site-Name,CN=Sites,${CONFIG}`);
    const { inventory, problems } = built(['sites.ldf', sites]);
    expect(inventory.domains).toEqual([]);
    expect(problems).toEqual([]);
  });
});
