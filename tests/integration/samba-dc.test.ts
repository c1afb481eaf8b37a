// The throwaway DCs from scripts/samba-dc.sh carry what the scanner must handle, and behave like AD where the
// LDAP source depends on it. Read-only: binds and searches only.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client, type Entry, escapeFilter, InvalidCredentialsError, StrongAuthRequiredError } from 'ldapts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Dc, describeWithDc, readSeedManifest } from './dc.js';

const PAGED_RESULTS = '1.2.840.113556.1.4.319';

const values = (entry: Entry | undefined, attribute: string): (string | Buffer)[] => {
  const v = entry?.[attribute];
  return v === undefined ? [] : Array.isArray(v) ? v : [v];
};
const strings = (entry: Entry | undefined, attribute: string): string[] => values(entry, attribute).map(String);

async function bound(dc: Dc, url = dc.ldapUrl): Promise<Client> {
  const client = new Client(url.startsWith('ldaps:') ? { url, tlsOptions: { ca: [dc.ca] } } : { url });
  await client.bind(dc.bindUpn, dc.password());
  return client;
}

describeWithDc('seeded Samba DC', 'plain', (dc) => {
  let client: Client;
  const seed = () => {
    if (!dc.seed) throw new Error(`${dc.work} has no seed.json: run scripts/samba-dc.sh seed`);
    return dc.seed;
  };
  const search = async (base: string, filter = '(objectClass=*)', attributes: string[] = [], scope: 'base' | 'one' | 'sub' = 'sub') =>
    (
      await client.search(base, {
        scope,
        filter,
        attributes,
        paged: { pageSize: 500 },
        explicitBufferAttributes: ['objectGUID', 'mS-DS-ConsistencyGuid', 'userCertificate'],
      })
    ).searchEntries;
  const one = async (dn: string, attributes: string[]) => {
    const [entry] = await search(dn, '(objectClass=*)', attributes, 'base');
    if (!entry) throw new Error(`${dn} not found`);
    return entry;
  };

  beforeAll(async () => {
    client = await bound(dc);
  });
  afterAll(async () => {
    await client?.unbind();
  });

  it('publishes a RootDSE with the naming contexts, GC readiness and the paged-results control', async () => {
    const [root] = (await client.search('', { scope: 'base', filter: '(objectClass=*)', attributes: ['*', '+'] })).searchEntries;
    expect(strings(root, 'defaultNamingContext')).toEqual([dc.baseDn]);
    expect(strings(root, 'namingContexts')).toEqual(expect.arrayContaining([dc.baseDn, dc.configDn, `CN=Schema,${dc.configDn}`]));
    expect(strings(root, 'isGlobalCatalogReady')).toEqual(['TRUE']);
    expect(strings(root, 'supportedControl')).toContain(PAGED_RESULTS);
    expect(strings(root, 'dnsHostName')[0]).toMatch(new RegExp(`\\.${dc.dnsDomain}$`, 'i'));
  });

  it('holds every seeded object, with the same count directly below each OU', async () => {
    const ous = Object.entries(seed().children).filter(([parent]) => parent.startsWith('OU='));
    expect(ous.length).toBeGreaterThan(8);
    for (const [ou, expected] of ous) {
      expect({ ou, count: (await search(ou, '(objectClass=*)', ['1.1'], 'one')).length }).toEqual({ ou, count: expected });
    }
    const users = await search(dc.baseDn, '(&(objectCategory=person)(objectClass=user)(sAMAccountName=u*))', ['1.1']);
    expect(users).toHaveLength(seed().users);
  });

  it('returns all members of the group larger than a 1,500-value range window when asked for member;range=0-*', async () => {
    const big = await one(seed().bigGroup.dn, ['member;range=0-*']);
    expect(seed().bigGroup.members).toBeGreaterThan(1500);
    expect(values(big, 'member;range=0-*')).toHaveLength(seed().bigGroup.members);
    const window = await one(seed().bigGroup.dn, ['member;range=0-1499']);
    expect(values(window, 'member;range=0-1499')).toHaveLength(1500);
  });

  it('nests groups three deep, with a user, a contact and a computer at the bottom', async () => {
    const { outer, middle, inner } = seed().nestedGroups;
    expect(strings(await one(outer, ['member']), 'member')).toEqual([middle]);
    expect(strings(await one(middle, ['member']), 'member')).toContain(inner);
    const innerMembers = strings(await one(inner, ['member']), 'member');
    expect(innerMembers.some((dn) => dn.startsWith('CN=Contact '))).toBe(true);
    expect(innerMembers.some((dn) => dn.includes('OU=Computers'))).toBe(true);
    expect(innerMembers).toContain(seed().special.localUpn);
  });

  it('has the hybrid-join SCP with the tenant keywords', async () => {
    const scp = await one(seed().scp.dn, ['objectClass', 'keywords']);
    expect(strings(scp, 'objectClass')).toContain('serviceConnectionPoint');
    expect(strings(scp, 'keywords').sort()).toEqual(['azureADId:' + seed().scp.tenantId, 'azureADName:example.com']);
  });

  it('has the Seamless SSO computer AZUREADSSOACC$ and the Connect MSOL_ account', async () => {
    const [sso] = await search(dc.baseDn, '(sAMAccountName=AZUREADSSOACC$)', ['objectClass', 'servicePrincipalName']);
    expect(sso?.dn).toBe(seed().ssoComputer);
    expect(strings(sso, 'objectClass')).toContain('computer');
    const [msol] = await search(`CN=Users,${dc.baseDn}`, '(sAMAccountName=MSOL_*)', ['description'], 'one');
    expect(strings(msol, 'description')[0]).toMatch(
      /^Account created by Microsoft Azure Active Directory Connect with installation identifier [0-9a-f]{32} running on computer AADC01 configured to synchronize to tenant contoso\.onmicrosoft\.com\./,
    );
  });

  it('has a KDS root key in the Master Root Keys container', async () => {
    const keys = await search(seed().kdsRootKeyContainer, '(objectClass=msKds-ProvRootKey)', ['msKds-Version'], 'one');
    expect(keys).toHaveLength(1);
  });

  it('carries the UPN, proxyAddresses and mail cases, duplicates included', async () => {
    const { special, duplicates } = seed();
    expect(strings(await one(special.localUpn, ['userPrincipalName']), 'userPrincipalName')[0]).toMatch(/@corp\.local$/);
    const x500 = strings(await one(special.x500, ['proxyAddresses']), 'proxyAddresses').find((p) => p.startsWith('X500:'));
    expect(x500).toMatch(/\(FYDIBOHF23SPDLT\)/);
    // the parentheses must survive a filter too, escaped as RFC 4515 demands
    expect(await search(dc.baseDn, escapeFilter`(proxyAddresses=${x500 ?? ''})`, ['1.1'])).toHaveLength(1);
    const sameProxy = await search(dc.baseDn, `(proxyAddresses=${duplicates.proxyAddress})`, ['1.1']);
    expect(sameProxy.map((e) => e.dn).sort()).toEqual([...duplicates.proxyAddressHolders].sort());
    const sameMail = await search(dc.baseDn, `(mail=${duplicates.mail})`, ['1.1']);
    expect(sameMail.map((e) => e.dn).sort()).toEqual([...duplicates.mailHolders].sort());
  });

  it('has one user whose mS-DS-ConsistencyGuid is its objectGUID and one where it differs', async () => {
    const attrs = ['objectGUID', 'mS-DS-ConsistencyGuid'];
    const same = await one(seed().special.consistencySame, attrs);
    expect(values(same, 'mS-DS-ConsistencyGuid')).toEqual(values(same, 'objectGUID'));
    const differs = await one(seed().special.consistencyDiffers, attrs);
    const [guid] = values(differs, 'mS-DS-ConsistencyGuid');
    expect(Buffer.isBuffer(guid) && guid.length).toBe(16);
    expect(guid).not.toEqual(values(differs, 'objectGUID')[0]);
  });

  it('has adminCount=1 on a user and an inetOrgPerson', async () => {
    expect(strings(await one(seed().special.adminCount, ['adminCount']), 'adminCount')).toEqual(['1']);
    expect(strings(await one(seed().special.inetOrgPerson, ['objectClass']), 'objectClass')).toContain('inetOrgPerson');
  });

  it('has computers with operatingSystem (Windows Server 2022 and 2025 among them) and userCertificate', async () => {
    // below OU=Corp only: the DC's own account has an operatingSystem too
    const corp = `OU=Corp,${dc.baseDn}`;
    const computers = await search(corp, '(&(objectCategory=computer)(operatingSystem=*))', ['operatingSystem']);
    expect(computers).toHaveLength(seed().computers);
    const systems = new Set(computers.flatMap((c) => strings(c, 'operatingSystem')));
    expect([...systems]).toEqual(expect.arrayContaining(['Windows Server 2022 Standard', 'Windows Server 2025 Datacenter']));
    const [withCert] = await search(corp, '(&(objectCategory=computer)(userCertificate=*))', ['userCertificate']);
    const [cert] = values(withCert, 'userCertificate');
    expect(Buffer.isBuffer(cert) && cert[0]).toBe(0x30); // a DER SEQUENCE
  });

  it('answers the Global Catalog for the whole forest, and lets an ordinary user bind', async () => {
    const gc = await bound(dc, dc.gcUrl);
    try {
      const users = await gc.search('', {
        scope: 'sub',
        filter: '(&(objectCategory=person)(objectClass=user)(sAMAccountName=u*))',
        attributes: ['1.1'],
        paged: { pageSize: 1000 },
      });
      expect(users.searchEntries).toHaveLength(seed().users);
    } finally {
      await gc.unbind();
    }
    const reader = new Client({ url: dc.ldapUrl });
    await reader.bind(dc.readerUpn, dc.password());
    await reader.unbind();
    const wrong = new Client({ url: dc.ldapUrl });
    await expect(wrong.bind(dc.readerUpn, `${dc.password()}x`)).rejects.toBeInstanceOf(InvalidCredentialsError);
  });

  it('listens on loopback only', () => {
    const dcPorts = new Set([88, 135, 389, 464, 636, 3268, 3269]);
    const exposed = ['/proc/net/tcp', '/proc/net/tcp6']
      .flatMap((file) => readFileSync(file, 'utf8').split('\n').slice(1))
      .map((line) => line.trim().split(/\s+/))
      .filter((cols) => cols[3] === '0A') // LISTEN
      .map((cols) => {
        const [addr = '', port = ''] = (cols[1] ?? '').split(':');
        return { addr, port: parseInt(port, 16) };
      })
      .filter(({ addr, port }) => dcPorts.has(port) && !isLoopback(addr));
    expect(exposed).toEqual([]);
  });
});

/** /proc/net/tcp{,6} addresses: IPv4 as little-endian hex (127.x.y.z ends in 7F), IPv6 as four such words */
function isLoopback(hex: string): boolean {
  if (hex.length === 8) return hex.endsWith('7F');
  return hex === '00000000000000000000000001000000' || (hex.startsWith('0000000000000000FFFF0000') && hex.endsWith('7F'));
}

describeWithDc('Samba DC that requires strong auth', 'strong', (dc) => {
  it('refuses a simple bind on plain 389 and 3268 with strongerAuthRequired (8)', async () => {
    for (const url of [dc.ldapUrl, dc.gcUrl]) {
      const client = new Client({ url });
      const bind = client.bind(dc.bindUpn, dc.password());
      await expect(bind).rejects.toBeInstanceOf(StrongAuthRequiredError);
      await expect(bind).rejects.toMatchObject({ code: 8 });
      await client.unbind();
    }
  });

  it('accepts the bind after StartTLS verified against the generated CA', async () => {
    const client = new Client({ url: dc.ldapUrl });
    try {
      await client.startTLS({ ca: [dc.ca], servername: 'localhost' });
      await client.bind(dc.bindUpn, dc.password());
      const { searchEntries } = await client.search(dc.baseDn, { scope: 'base', attributes: ['objectGUID'], explicitBufferAttributes: ['objectGUID'] });
      expect(searchEntries[0]?.dn).toBe(dc.baseDn);
    } finally {
      await client.unbind();
    }
  });

  it('accepts the bind over LDAPS and GC-over-TLS, and refuses TLS without the CA', async () => {
    for (const url of [dc.ldapsUrl, dc.gcsUrl]) {
      const client = await bound(dc, url);
      await client.unbind();
    }
    const untrusted = new Client({ url: dc.ldapsUrl });
    await expect(untrusted.bind(dc.bindUpn, dc.password())).rejects.toMatchObject({ code: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE' });
  });
});

describe('seed generator (scripts/samba-seed-ldif.mjs)', () => {
  const generator = new URL('../../scripts/samba-seed-ldif.mjs', import.meta.url).pathname;
  const baseDn = 'DC=corp,DC=example,DC=test';
  const generate = (manifest: string) =>
    execFileSync(
      process.execPath,
      [
        generator,
        '--base-dn',
        baseDn,
        '--dns-domain',
        'corp.example.test',
        '--users',
        '1600',
        '--groups',
        '3',
        '--computers',
        '20',
        '--contacts',
        '2',
        '--big-group',
        '1600',
        '--now',
        '2026-01-01',
        '--manifest',
        manifest,
      ],
      { encoding: 'utf8' },
    );
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'readiness-seed-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('writes the same LDIF and manifest for the same arguments, and the manifest matches the LDIF', () => {
    const [a, b] = [path.join(dir, 'a.json'), path.join(dir, 'b.json')];
    const ldif = generate(a);
    expect(generate(b)).toBe(ldif);
    expect(readFileSync(b, 'utf8')).toBe(readFileSync(a, 'utf8'));
    const manifest = readSeedManifest(a);
    const dns = ldif
      .split('\n')
      .filter((line) => line.startsWith('dn: '))
      .map((line) => line.slice(4));
    expect(dns).toHaveLength(manifest.objects);
    expect(new Set(dns).size).toBe(dns.length);
    expect(Object.values(manifest.children).reduce((sum, n) => sum + n, 0)).toBe(dns.length);
    expect(dns).toEqual(expect.arrayContaining(Object.values(manifest.special)));
    // a parent the seed creates comes before its children, or ldapadd would stop at the first orphan
    const all = new Set(dns);
    const seen = new Set<string>();
    const orphans = dns.filter((dn) => {
      const parent = dn.slice(dn.indexOf(',') + 1);
      seen.add(dn);
      return all.has(parent) && !seen.has(parent);
    });
    expect(orphans).toEqual([]);
  });
});
