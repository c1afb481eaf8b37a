import { BusyError, InsufficientAccessError, InvalidCredentialsError, StrongAuthRequiredError } from 'ldapts';
import { describe, expect, it } from 'vitest';
import { scan } from '../../src/checks/engine.js';
import { CHECKS } from '../../src/checks/registry.js';
import type { Entry } from '../../src/model/entry.js';
import { buildReport } from '../../src/report/build.js';
import type { SearchRequest } from '../../src/sources/ldap/directory.js';
import type { Endpoint } from '../../src/sources/ldap/endpoint.js';
import { ConnectionLostError } from '../../src/sources/ldap/errors.js';
import { LdapSource } from '../../src/sources/ldap/source.js';
import { type InputProblem, SourceUnavailableError } from '../../src/sources/source.js';
import { type FakeDc, type FakeLog, fakeConnector, sampleForest, type StoredEntry } from './fake-directory.js';

const endpoint: Endpoint = { host: 'dc1.corp.example.test', port: 389, tls: 'none' };
const PASSWORD = 'S3cret-Pa55!';
const BASE = 'DC=corp,DC=example,DC=test';

function source(dcs: Record<string, FakeDc> | FakeDc, extra: Partial<ConstructorParameters<typeof LdapSource>[0]> = {}) {
  const fake = fakeConnector(dcs);
  const ldap = new LdapSource({
    endpoint,
    credentials: { user: 'admin@corp.example.test', password: PASSWORD },
    connect: fake.connect,
    retryDelaysMs: [0, 0],
    ...extra,
  });
  return { ldap, log: fake.log };
}

async function collect(ldap: LdapSource): Promise<{ entries: Entry[]; problems: InputProblem[] }> {
  const entries: Entry[] = [];
  const problems: InputProblem[] = [];
  for await (const event of ldap.events()) {
    if (event.type === 'entry') entries.push(event.entry);
    else problems.push(event.problem);
  }
  return { entries, problems };
}

const byDn = (entries: Entry[], dn: string): Entry => {
  const found = entries.find((e) => e.dn === dn);
  if (found === undefined) throw new Error(`no ${dn}`);
  return found;
};

describe('LdapSource', () => {
  it('yields the RootDSE first, as dn "", with repeated controls listed once', async () => {
    const { ldap } = source({ entries: sampleForest() });
    const { entries, problems } = await collect(ldap);
    expect(problems).toEqual([]);
    expect(entries[0]?.dn).toBe('');
    expect(entries[0]?.texts('supportedcontrol')).toEqual(['1.2.840.113556.1.4.319', '1.2.840.113556.1.4.1413', '1.2.840.113556.1.4.801']);
    expect(entries[0]?.text('highestcommittedusn')).toBe('4242');
    expect(ldap.label).toBe('ldap://dc1.corp.example.test:389');
  });

  it('normalises like the LDIF reader: lower-case names, arrays, binary as Buffers, absent attributes left out', async () => {
    const { entries } = await collect(source({ entries: sampleForest() }).ldap);
    const alice = byDn(entries, `CN=Alice,OU=People,${BASE}`);
    expect([...alice.attributes.keys()].every((k) => k === k.toLowerCase())).toBe(true);
    expect(alice.values('objectguid')[0]).toBeInstanceOf(Buffer);
    expect(alice.bytes('ms-ds-consistencyguid')?.toString('hex')).toBe('ffeeddccbbaa99887766554433221100');
    expect(alice.values('samaccountname')).toEqual(['alice']);
    expect(alice.texts('proxyaddresses')).toHaveLength(2);
    expect(alice.attributes.has('mail')).toBe(false);
    expect(alice.attributes.has('member')).toBe(false);
    const one = byDn(entries, `CN=One Member,OU=People,${BASE}`);
    expect(one.values('member')).toEqual([`CN=Alice,OU=People,${BASE}`]);
    expect(one.ranged.get('member')).toBe('complete');
    expect(byDn(entries, `CN=Empty Group,OU=People,${BASE}`).ranged.size).toBe(0);
  });

  it('follows AD-shaped member windows of 1,500 until the range ends in "*"', async () => {
    const { ldap, log } = source({ entries: sampleForest({ bigGroupMembers: 3200 }), rangeWindow: 1500 });
    const { entries, problems } = await collect(ldap);
    expect(problems).toEqual([]);
    const big = byDn(entries, `CN=Big Group,OU=People,${BASE}`);
    expect(big.values('member')).toHaveLength(3200);
    expect(new Set(big.texts('member')).size).toBe(3200);
    expect(big.ranged.get('member')).toBe('complete');
    const followUps = log.searches.filter((s) => s.base === big.dn);
    expect(followUps.map((s) => [s.scope, s.attributes])).toEqual([
      ['base', ['member;range=1500-*']],
      ['base', ['member;range=3000-*']],
    ]);
  });

  it('takes a Samba-shaped reply (all values in member;range=0-*) in one request', async () => {
    const { ldap, log } = source({ entries: sampleForest({ bigGroupMembers: 3200 }) });
    const { entries } = await collect(ldap);
    expect(byDn(entries, `CN=Big Group,OU=People,${BASE}`).values('member')).toHaveLength(3200);
    expect(log.searches.filter((s) => s.scope === 'base' && s.base !== '')).toEqual([]);
  });

  it('marks a member list that shrank between windows as incomplete, with a warning', async () => {
    const entries = sampleForest({ bigGroupMembers: 3000 });
    // Just before the window after 1,499 is asked for, the group shrinks so that the window is past the end.
    const shrink = (request: SearchRequest): void => {
      const group = entries.find((e) => e.dn.startsWith('CN=Big Group'));
      if (group !== undefined && request.base === group.dn && request.attributes.includes('member;range=1500-*'))
        group.member = (group.member as string[]).slice(0, 1500);
    };
    const { ldap } = source({ entries, rangeWindow: 1500, beforeSearch: shrink });
    const { entries: seen, problems } = await collect(ldap);
    expect(byDn(seen, `CN=Big Group,OU=People,${BASE}`).ranged.get('member')).toBe('incomplete');
    expect(problems.map((p) => p.severity)).toEqual(['warning']);
  });

  it('always pages, never above 1,000 per page, and yields entries before later pages are fetched', async () => {
    const people = Array.from({ length: 2500 }, (_, i) => ({ dn: `CN=P${i},OU=People,${BASE}`, objectClass: ['top', 'contact'] }));
    const { ldap, log } = source({ entries: [...sampleForest(), ...people] }, { pageSize: 5000 });
    expect(log.searches).toEqual([]);
    const events = ldap.events()[Symbol.asyncIterator]();
    let first: Entry | undefined;
    for (let next = await events.next(); next.done !== true; next = await events.next()) {
      if (next.value.type === 'entry' && next.value.entry.dn.startsWith('CN=P0,')) {
        first = next.value.entry;
        break;
      }
    }
    expect(first).toBeDefined();
    const domainPagesBefore = log.pagesServed;
    await events.return?.(undefined);
    expect(log.searches.every((s) => s.pageSize <= 1000)).toBe(true);
    // The domain search (>2,500 objects) had served only its first page when its first entry arrived.
    const served = log.searches.filter((s) => s.base === BASE).length;
    expect(served).toBe(1);
    expect(domainPagesBefore).toBeLessThan(6);
  });

  it('reads the schema and its own domain over connections of their own while the configuration is read, yielding partitions in order', async () => {
    const people = Array.from({ length: 2500 }, (_, i) => ({ dn: `CN=P${i},OU=People,${BASE}`, objectClass: ['top', 'contact'] }));
    const { ldap, log } = source({ entries: [...sampleForest(), ...people] });
    const dns: string[] = [];
    let domainSearchedBeforeSchemaConsumed = false;
    for await (const event of ldap.events()) {
      if (event.type !== 'entry') continue;
      if (event.entry.dn === `CN=Schema,CN=Configuration,${BASE}`)
        domainSearchedBeforeSchemaConsumed = log.searches.some((s) => s.base === BASE && s.scope === 'sub');
      dns.push(event.entry.dn);
    }
    expect(domainSearchedBeforeSchemaConsumed).toBe(true);
    expect(log.connects).toHaveLength(3);
    const partitionOf = (dn: string): number =>
      dn === '' ? 0 : dn.endsWith(`CN=Schema,CN=Configuration,${BASE}`) ? 2 : dn.endsWith(`CN=Configuration,${BASE}`) ? 1 : 3;
    const order = dns.map(partitionOf);
    expect(order).toEqual([...order].sort((a, b) => a - b));
    expect(dns.filter((dn) => /^CN=P\d/.test(dn))).toEqual(people.map((p) => p.dn));
  });

  it('stops the reads ahead and closes every connection when the scan stops early', async () => {
    const people = Array.from({ length: 5000 }, (_, i) => ({ dn: `CN=P${i},OU=People,${BASE}`, objectClass: ['top', 'contact'] }));
    const { ldap, log } = source({ entries: [...sampleForest(), ...people] });
    const events = ldap.events()[Symbol.asyncIterator]();
    await events.next(); // the RootDSE
    await events.next(); // the configuration head
    await events.return?.(undefined);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const served = log.pagesServed;
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(log.pagesServed).toBe(served);
    expect(served).toBeLessThan(6); // the domain's 5,000 objects were never read to the end
    expect(log.open).toBe(0);
  });

  it('asks only for the listed attributes and the first member window', async () => {
    const { ldap, log } = source({ entries: sampleForest() });
    await collect(ldap);
    const domainSearch = log.searches.find((s) => s.base === BASE && s.scope === 'sub');
    expect(domainSearch?.attributes).toContain('member;range=0-*');
    expect(domainSearch?.attributes).not.toContain('*');
    expect(domainSearch?.attributes).not.toContain('member');
  });

  it('reads only the schema objects checks need, and keeps schema objects out of the configuration read', async () => {
    const { entries } = await collect(source({ entries: sampleForest() }).ldap);
    const schemaObjects = entries.filter((e) => e.dn.includes('CN=Schema,'));
    expect(schemaObjects.map((e) => e.dn.split(',')[0])).toEqual([
      'CN=Schema',
      'CN=User',
      'CN=Object-Guid',
      'CN=SAM-Account-Name',
      'CN=ms-DS-Consistency-Guid',
    ]);
    expect(new Set(entries.map((e) => e.dn)).size).toBe(entries.length);
    expect(entries.some((e) => e.dn.includes('DomainDnsZones'))).toBe(false);
  });

  it('re-issues a search from the start of its base on the same DC after a transient failure, without duplicates', async () => {
    const people = Array.from({ length: 2500 }, (_, i) => ({ dn: `CN=P${i},OU=People,${BASE}`, objectClass: ['top', 'contact'] }));
    const dc: FakeDc = { entries: [...sampleForest(), ...people], faults: [{ base: BASE, afterPages: 2, times: 1, error: () => new BusyError('busy') }] };
    const { ldap, log } = source(dc);
    const { entries, problems } = await collect(ldap);
    expect(problems).toEqual([]);
    expect(entries.filter((e) => /^CN=P\d/.test(e.dn))).toHaveLength(2500);
    expect(new Set(entries.map((e) => e.dn)).size).toBe(entries.length);
    const domainSearches = log.searches.filter((s) => s.base === BASE && s.scope === 'sub');
    expect(domainSearches).toHaveLength(2);
    expect(new Set(domainSearches.map((s) => `${s.host}:${s.port}`))).toEqual(new Set(['dc1.corp.example.test:389']));
  });

  it('does not lose a group when fetching its member windows fails once', async () => {
    const group = `CN=Big Group,OU=People,${BASE}`;
    const dc: FakeDc = {
      entries: sampleForest({ bigGroupMembers: 3200 }),
      rangeWindow: 1500,
      faults: [{ base: group, scope: 'base', afterPages: 0, times: 1, error: () => new ConnectionLostError() }],
    };
    const { entries, problems } = await collect(source(dc).ldap);
    expect(problems).toEqual([]);
    const copies = entries.filter((e) => e.dn === group);
    expect(copies).toHaveLength(1);
    expect(copies[0]?.values('member')).toHaveLength(3200);
    expect(new Set(entries.map((e) => e.dn)).size).toBe(entries.length);
  });

  it('reports a connection lost for good as an error on the base not fully read, and the report is incomplete', async () => {
    const people = Array.from({ length: 2500 }, (_, i) => ({ dn: `CN=P${i},OU=People,${BASE}`, objectClass: ['top', 'contact'] }));
    const dc: FakeDc = {
      entries: [...sampleForest(), ...people],
      faults: [{ base: BASE, afterPages: 1, times: Infinity, error: () => new ConnectionLostError() }],
    };
    const { ldap } = source(dc);
    const result = await scan([ldap], { checks: CHECKS });
    const errors = result.problems.filter((p) => p.severity === 'error');
    expect(errors).toHaveLength(1);
    expect(errors[0]?.affectsDn).toBe(BASE);
    expect(errors[0]?.input).toBe('ldap://dc1.corp.example.test:389');
    expect(errors[0]?.message).toMatch(/connection to the DC was lost.*stopped after 1,000 objects/);
    const report = buildReport(result, { toolVersion: 'test', target: 'cloud-sync', now: new Date(0), allowPreview: false });
    expect(report.complete).toBe(false);
    expect(report.verdict).toBe('incomplete');
  });

  it('explains a refused bind before the scan starts, without the password', async () => {
    const { ldap } = source({
      entries: sampleForest(),
      bindError: () => new InvalidCredentialsError(`80090308: LdapErr: DSID-0C0903A9, comment: AcceptSecurityContext error, data 52e, v1db1 (${PASSWORD})`),
    });
    const error = await ldap.open().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SourceUnavailableError);
    expect((error as Error).message).toMatch(/wrong user name or password \(AD code 52e\)/);
    expect((error as Error).message).not.toContain(PASSWORD);
  });

  it('closes its connection on every failure while opening: no RootDSE, a refused search, a bind refused', async () => {
    const withoutRootDse = source({ entries: sampleForest().filter((e) => e.dn !== '') });
    await expect(withoutRootDse.ldap.open()).rejects.toThrow(/returned no RootDSE/);
    expect(withoutRootDse.log.open).toBe(0);
    const denied = source({
      entries: sampleForest(),
      faults: [{ base: '', scope: 'base', afterPages: 0, error: () => new InsufficientAccessError('denied'), times: Infinity }],
    });
    await expect(denied.ldap.open()).rejects.toThrow(/access denied/);
    expect(denied.log.open).toBe(0);
    const refused = source({ entries: sampleForest(), bindError: () => new InvalidCredentialsError('data 52e,') });
    await expect(refused.ldap.open()).rejects.toThrow(/bind refused/);
    expect(refused.log.open).toBe(0);
  });

  it('does not retry a DC that never answered in time while opening', async () => {
    const { ldap, log } = source({
      entries: sampleForest(),
      faults: [{ base: '', scope: 'base', afterPages: 0, error: () => new Error('SearchRequest: Operation timed out'), times: Infinity }],
    });
    await expect(ldap.open()).rejects.toThrow(/no answer in time/);
    expect(log.connects).toHaveLength(1);
    expect(log.open).toBe(0);
  });

  it('explains strongerAuthRequired with what to do', async () => {
    const { ldap } = source({ entries: sampleForest(), bindError: () => new StrongAuthRequiredError('BindSimple: Transport encryption required.') });
    const error = (await ldap.open().catch((e: unknown) => e)) as SourceUnavailableError;
    expect(error.message).toMatch(/requires signing or TLS/);
    expect(error.hint).toMatch(/--starttls or an ldaps:\/\/ URL/);
  });

  it('retries a refused connection with back-off, then gives up with a usage-level error', async () => {
    const { ldap, log } = source({});
    const error = (await ldap.open().catch((e: unknown) => e)) as SourceUnavailableError;
    expect(error).toBeInstanceOf(SourceUnavailableError);
    expect(error.message).toBe('ldap://dc1.corp.example.test:389 refused the connection');
    expect(log.connects).toHaveLength(3);
  });

  it('reads a domain whose DCs cannot be reached from the Global Catalog, saying which attributes it lacks', async () => {
    const child = { dn: `DC=child,${BASE}`, dnsRoot: 'child.corp.example.test' };
    const forest = sampleForest({ extraDomain: child });
    const refused = () => Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
    const dc: FakeDc = { entries: forest, unreachable: new Map([['child.corp.example.test', refused]]) };
    const { ldap, log } = source({ 'dc1.corp.example.test:389': dc, 'dc1.corp.example.test:3268': dc });
    const { entries, problems } = await collect(ldap);
    expect(problems).toHaveLength(1);
    expect(problems[0]?.severity).toBe('warning');
    expect(problems[0]?.location).toBe(child.dn);
    expect(problems[0]?.message).toMatch(/Global Catalog ldap:\/\/dc1\.corp\.example\.test:3268.*member.*mS-DS-ConsistencyGuid/);
    expect(problems[0]?.message).not.toMatch(/objectGUID|sAMAccountName/);
    expect(entries.filter((e) => e.dn === `CN=Bob,${child.dn}`)).toHaveLength(1);
    // The parent domain's read skipped the child partition, which the GC read supplied once.
    expect(log.searches.find((s) => s.base === child.dn)?.port).toBe(3268);
  });

  it('reports a domain it could read neither from a DC nor from a GC as an error', async () => {
    const child = { dn: `DC=child,${BASE}`, dnsRoot: 'child.corp.example.test' };
    const forest = sampleForest({ extraDomain: child });
    const root = forest[0] as Record<string, unknown>;
    root.isGlobalCatalogReady = 'FALSE';
    const { ldap } = source({ 'dc1.corp.example.test:389': { entries: forest } });
    const { problems } = await collect(ldap);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ severity: 'error', affectsDn: child.dn });
  });
});

describe('LdapSource reading the DC its own domain in two parts and other domains ahead', () => {
  const SPLIT = 10_000;
  /** A DC whose highestCommittedUSN splits its domain at 10,000: `below` people created before it, `above` after. */
  function splitForest(below: number, above: number, options: Parameters<typeof sampleForest>[0] = {}): StoredEntry[] {
    const forest = sampleForest(options);
    (forest[0] as StoredEntry).highestCommittedUSN = String(2 * SPLIT);
    const person = (i: number, usn: number): StoredEntry => ({ dn: `CN=P${i},OU=People,${BASE}`, objectClass: ['top', 'contact'], uSNCreated: String(usn) });
    return [
      ...forest,
      ...Array.from({ length: below }, (_, i) => person(i, SPLIT - below + i)),
      ...Array.from({ length: above }, (_, i) => person(below + i, SPLIT + i)),
    ];
  }
  const people = (entries: Entry[]): string[] => entries.filter((e) => /^CN=P\d/.test(e.dn)).map((e) => e.dn);
  /** Whether the object is in the second part: the people numbered from `below` on were created after the split. */
  const createdAfterSplit = (dn: string, below: number): boolean => Number(/^CN=P(\d+),/.exec(dn)?.[1] ?? -1) >= below;
  const parts = (log: FakeLog): string[] => log.searches.filter((s) => s.base === BASE && s.scope === 'sub').map((s) => s.filter);
  const BELOW = `(!(uSNCreated>=${SPLIT}))`;
  const ABOVE = `(uSNCreated>=${SPLIT})`;

  it('splits by uSNCreated at half the highestCommittedUSN, over two connections, each object once, a page of each in turn', async () => {
    const stored = splitForest(2500, 2500);
    const { ldap, log } = source({ entries: stored });
    const { entries, problems } = await collect(ldap);
    expect(problems).toEqual([]);
    expect(parts(log)).toEqual([BELOW, ABOVE]);
    expect(log.connects).toHaveLength(4); // configuration, schema, two parts
    expect(people(entries).sort()).toEqual(
      stored
        .filter((e) => /^CN=P\d/.test(e.dn))
        .map((e) => e.dn)
        .sort(),
    );
    expect(new Set(entries.map((e) => e.dn)).size).toBe(entries.length);
    // Runs of the domain's entries by part, a page of 1,000 each; the first part's first page also holds the 11 objects
    // of the nested partitions (configuration, schema, DomainDnsZones) that this fake returns and the read skips.
    const domain = entries.filter((e) => e.dn.endsWith(BASE) && !e.dn.includes('CN=Configuration'));
    const runs: number[] = [];
    domain.forEach((e, i) => {
      if (i === 0 || createdAfterSplit(e.dn, 2500) !== createdAfterSplit(domain[i - 1]?.dn ?? '', 2500)) runs.push(0);
      runs[runs.length - 1] = (runs[runs.length - 1] ?? 0) + 1;
    });
    expect(runs).toEqual([989, 1000, 1000, 1000, 517, 500]);
  });

  it('reads in one part a DC whose highestCommittedUSN is small or absent', async () => {
    const small = source({ entries: sampleForest() }); // highestCommittedUSN 4242
    await collect(small.ldap);
    expect(parts(small.log)).toEqual(['(objectClass=*)']);
    const withoutUsn = sampleForest();
    delete (withoutUsn[0] as StoredEntry).highestCommittedUSN;
    const none = source({ entries: withoutUsn });
    await collect(none.ldap);
    expect(parts(none.log)).toEqual(['(objectClass=*)']);
    const lowered = source({ entries: sampleForest() }, { splitFromUsn: 4000 });
    await collect(lowered.ldap);
    expect(parts(lowered.log)).toEqual(['(!(uSNCreated>=2121))', '(uSNCreated>=2121)']);
  });

  it('holds at most a few pages of each part ahead of a consumer that does not go on', async () => {
    const { ldap, log } = source({ entries: splitForest(10_000, 10_000) });
    const events = ldap.events()[Symbol.asyncIterator]();
    for (let next = await events.next(); next.done !== true; next = await events.next()) {
      if (next.value.type === 'entry' && next.value.entry.dn === BASE) break;
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
    const domainSearches = log.searches.filter((s) => s.base === BASE && s.scope === 'sub');
    expect(domainSearches).toHaveLength(2);
    const pagesAhead = log.pagesServed;
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(log.pagesServed).toBe(pagesAhead);
    // Configuration and schema: one page each; each part: what its read ahead holds, not its 10 pages.
    expect(pagesAhead).toBeLessThanOrEqual(2 + 2 * 4);
    await events.return?.(undefined);
    expect(log.open).toBe(0);
  });

  it('retries only the part that failed for a moment, and still delivers each object once', async () => {
    const dc: FakeDc = {
      entries: splitForest(2500, 2500),
      faults: [{ base: BASE, filter: ABOVE, afterPages: 1, times: 1, error: () => new BusyError('busy') }],
    };
    const { ldap, log } = source(dc);
    const { entries, problems } = await collect(ldap);
    expect(problems).toEqual([]);
    expect(parts(log)).toEqual([BELOW, ABOVE, ABOVE]);
    expect(people(entries)).toHaveLength(5000);
    expect(new Set(entries.map((e) => e.dn)).size).toBe(entries.length);
  });

  it('reports a part lost for good as an error on its base, and the other part still arrives whole', async () => {
    const dc: FakeDc = {
      entries: splitForest(2500, 2500),
      faults: [{ base: BASE, filter: BELOW, afterPages: 1, times: Infinity, error: () => new ConnectionLostError() }],
    };
    const { ldap } = source(dc);
    const { entries, problems } = await collect(ldap);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ severity: 'error', location: BASE, affectsDn: BASE });
    expect(problems[0]?.message).toMatch(/the read of DC=corp,DC=example,DC=test \(objects created before USN 10000\) stopped after 1,000 objects/);
    expect(people(entries).filter((dn) => createdAfterSplit(dn, 2500))).toHaveLength(2500);
    expect(new Set(entries.map((e) => e.dn)).size).toBe(entries.length);
  });

  it('reads the other domains ahead, each over its own DC connection or its own GC connection, yielded in crossRef order', async () => {
    const child = { dn: `DC=child,${BASE}`, dnsRoot: 'child.corp.example.test' };
    const second = { dn: `DC=second,${BASE}`, dnsRoot: 'second.corp.example.test' };
    const third = { dn: `DC=third,${BASE}`, dnsRoot: 'third.corp.example.test' };
    const forest = [...splitForest(2500, 2500, { extraDomain: child }), ...domainOf(second), ...domainOf(third)];
    const refused = () => Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
    const dc: FakeDc = {
      entries: forest,
      unreachable: new Map([
        ['second.corp.example.test', refused],
        ['third.corp.example.test', refused],
      ]),
    };
    const { ldap, log } = source({ 'dc1.corp.example.test:389': dc, 'dc1.corp.example.test:3268': dc, 'child.corp.example.test:389': dc });
    const dns: string[] = [];
    let childSearchedBeforeOwnDomain = false;
    const problems: InputProblem[] = [];
    for await (const event of ldap.events()) {
      if (event.type === 'problem') problems.push(event.problem);
      if (event.type !== 'entry') continue;
      if (event.entry.dn === BASE) childSearchedBeforeOwnDomain = log.searches.some((s) => s.base === child.dn);
      dns.push(event.entry.dn);
    }
    expect(childSearchedBeforeOwnDomain).toBe(true);
    expect(problems.map((p) => [p.severity, p.location])).toEqual([
      ['warning', second.dn],
      ['warning', third.dn],
    ]);
    const gcSearches = log.searches.filter((s) => s.port === 3268 && s.scope === 'sub');
    expect(gcSearches.map((s) => s.base)).toEqual([second.dn, third.dn]);
    expect(log.connects.filter((c) => c.port === 3268)).toHaveLength(2);
    const heads = [BASE, child.dn, second.dn, third.dn].map((dn) => dns.indexOf(dn));
    expect(heads).toEqual([...heads].sort((a, b) => a - b));
    expect(dns.indexOf(`CN=Bob,${third.dn}`)).toBe(dns.length - 1);
    // Configuration, schema, two parts and at most DOMAINS_AHEAD other domains at once.
    expect(log.mostOpen).toBeLessThanOrEqual(6);
    expect(log.open).toBe(0);
  });

  it('closes every connection when the consumer stops, a bind still under way included', async () => {
    const child = { dn: `DC=child,${BASE}`, dnsRoot: 'child.corp.example.test' };
    const dc: FakeDc = { entries: splitForest(5000, 5000, { extraDomain: child }) };
    let answerBind: () => void = () => undefined;
    const slowBind = new Promise<void>((resolve) => (answerBind = resolve));
    const { ldap, log } = source({ 'dc1.corp.example.test:389': dc, 'child.corp.example.test:389': { ...dc, beforeBind: () => slowBind } });
    const events = ldap.events()[Symbol.asyncIterator]();
    for (let next = await events.next(); next.done !== true; next = await events.next()) {
      if (next.value.type === 'entry' && next.value.entry.dn === `CN=Schema,CN=Configuration,${BASE}`) break;
    }
    expect(log.connects.map((c) => c.host)).toContain('child.corp.example.test');
    await events.return?.(undefined);
    expect(log.open).toBe(0);
    answerBind();
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(log.open).toBe(0);
    expect(log.searches.some((s) => s.base === child.dn)).toBe(false);
  });

  it('uses bind, search and unbind only: no write or extended operation, whatever it reads or fails to read', async () => {
    const child = { dn: `DC=child,${BASE}`, dnsRoot: 'child.corp.example.test' };
    const refused = () => Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
    const dc: FakeDc = {
      entries: splitForest(2500, 2500, { extraDomain: child, bigGroupMembers: 3200 }),
      rangeWindow: 1500,
      unreachable: new Map([['child.corp.example.test', refused]]),
      faults: [{ base: BASE, filter: ABOVE, afterPages: 1, times: 1, error: () => new ConnectionLostError() }],
    };
    const { ldap, log } = source({ 'dc1.corp.example.test:389': dc, 'dc1.corp.example.test:3268': dc });
    await collect(ldap);
    expect([...log.operations].sort()).toEqual(['bind', 'search', 'unbind']);
  });
});

/** A further domain of the sample forest: its crossRef, its head and one user. */
function domainOf({ dn, dnsRoot }: { dn: string; dnsRoot: string }): StoredEntry[] {
  const name = dnsRoot.split('.')[0]?.toUpperCase() ?? '';
  return [
    { dn: `CN=${name},CN=Partitions,CN=Configuration,${BASE}`, objectClass: ['top', 'crossRef'], nCName: dn, dnsRoot, nETBIOSName: name, systemFlags: '3' },
    { dn, objectClass: ['top', 'domain', 'domainDNS'] },
    { dn: `CN=Bob,${dn}`, objectClass: ['top', 'user'], sAMAccountName: `bob-${name}` },
  ];
}
