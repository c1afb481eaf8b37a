// An in-memory DC behind the ReadOnlyDirectory interface, answering the way AD does (member lists
// in windows of 1,500) or the way Samba does (all values at once), with faults on demand.
import { dnKey, isAtOrBelow } from '../../src/model/dn.js';
import type { Connector, ReadOnlyDirectory, SearchRequest } from '../../src/sources/ldap/directory.js';
import type { Endpoint } from '../../src/sources/ldap/endpoint.js';
import type { RawEntry } from '../../src/sources/ldap/normalise.js';

export type StoredEntry = { dn: string } & Record<string, string | string[] | Buffer | Buffer[]>;

export interface Fault {
  /** Fails searches of this base after serving this many pages. */
  base: string;
  scope?: 'base' | 'sub';
  /** Only searches with this filter (one part of a base read in parts); any filter when absent. */
  filter?: string;
  afterPages: number;
  error: () => unknown;
  /** How many searches fail this way; Infinity for a DC that never comes back. */
  times: number;
}

export interface FakeDc {
  entries: StoredEntry[];
  /** 1500 like AD's MaxValRange; undefined answers like Samba (everything at once). */
  rangeWindow?: number;
  faults?: Fault[];
  /** Fails connecting or binding to these hosts. */
  unreachable?: Map<string, () => unknown>;
  bindError?: () => unknown;
  /** Awaited before each bind is answered: a bind under way for as long as the test wants. */
  beforeBind?: () => Promise<void>;
  /** Called as each search arrives, before it is answered: changes the directory at a precise point of the read. */
  beforeSearch?: (request: SearchRequest) => void;
}

export interface FakeLog {
  connects: Endpoint[];
  searches: (SearchRequest & { host: string; port: number })[];
  pagesServed: number;
  /** Connections opened (bound or not) and not closed again. */
  open: number;
  /** The most connections open at once. */
  mostOpen: number;
  /** Every member of a directory the source used: bind, search and unbind, if it is read-only. */
  operations: Set<string>;
}

export function fakeConnector(dcs: Record<string, FakeDc> | FakeDc): { connect: Connector; log: FakeLog } {
  const log: FakeLog = { connects: [], searches: [], pagesServed: 0, open: 0, mostOpen: 0, operations: new Set() };
  const connect: Connector = async (endpoint) => {
    log.connects.push(endpoint);
    const dc = 'entries' in dcs ? (dcs as FakeDc) : dcs[`${endpoint.host}:${endpoint.port}`];
    const refusal = dc?.unreachable?.get(endpoint.host);
    if (refusal !== undefined) throw refusal();
    if (dc === undefined) throw Object.assign(new Error(`connect ECONNREFUSED ${endpoint.host}:${endpoint.port}`), { code: 'ECONNREFUSED' });
    log.open++;
    log.mostOpen = Math.max(log.mostOpen, log.open);
    const directory = fakeDirectory(dc, endpoint, log);
    return new Proxy(directory, {
      get(target, name, receiver) {
        // await asks every value it is handed for a `then`: not an operation.
        if (name !== 'then') log.operations.add(String(name));
        return Reflect.get(target, name, receiver) as unknown;
      },
    });
  };
  return { connect, log };
}

function fakeDirectory(dc: FakeDc, endpoint: Endpoint, log: FakeLog): ReadOnlyDirectory {
  return {
    async bind() {
      await dc.beforeBind?.();
      if (dc.bindError !== undefined) throw dc.bindError();
    },
    async *search(request) {
      log.searches.push({ ...request, host: endpoint.host, port: endpoint.port });
      dc.beforeSearch?.(request);
      const baseKey = dnKey(request.base);
      const matches = dc.entries.filter((e) =>
        request.scope === 'base' ? dnKey(e.dn) === baseKey : request.base !== '' && dnKey(e.dn) !== '' && isAtOrBelow(dnKey(e.dn), baseKey),
      );
      const selected = matches.filter((e) => matchesFilter(e, request.filter)).map((e) => project(e, request.attributes, dc.rangeWindow));
      const fault = dc.faults?.find(
        (f) => f.base === request.base && (f.scope ?? 'sub') === request.scope && (f.filter ?? request.filter) === request.filter && f.times > 0,
      );
      for (let start = 0, page = 0; start < selected.length || page === 0; start += request.pageSize, page++) {
        if (fault !== undefined && page === fault.afterPages) {
          fault.times--;
          throw fault.error();
        }
        log.pagesServed++;
        yield selected.slice(start, start + request.pageSize);
        if (selected.length === 0) break;
      }
    },
    async unbind() {
      log.open--;
    },
  };
}

function matchesFilter(entry: StoredEntry, filter: string): boolean {
  if (filter === '(objectClass=*)') return true;
  // A domain read in parts: an entry without uSNCreated fails the comparison, so it matches its negation (RFC 4511).
  const created = /^(\(!)?\(uSNCreated>=(\d+)\)\)?$/.exec(filter);
  if (created !== null) {
    const usn = entry.uSNCreated === undefined ? undefined : Number(entry.uSNCreated.toString());
    const atOrAbove = usn !== undefined && usn >= Number(created[2]);
    return created[1] === undefined ? atOrAbove : !atOrAbove;
  }
  const wanted = [...filter.matchAll(/objectClass=(\w+)/g)].map((m) => (m[1] ?? '').toLowerCase());
  return classesOf(entry).some((c) => wanted.includes(c));
}

function classesOf(entry: StoredEntry): string[] {
  const value = entry.objectClass;
  return (Array.isArray(value) ? value : value === undefined ? [] : [value]).map((v) => v.toString().toLowerCase());
}

/** The requested attributes in ldapts's shape: one value a scalar, several an array, a requested absent one []. */
function project(entry: StoredEntry, attributes: readonly string[], rangeWindow: number | undefined): RawEntry {
  const out: RawEntry = { dn: entry.dn };
  for (const requested of attributes) {
    const range = /^member;range=(\d+)-\*$/i.exec(requested);
    if (range !== null) {
      const all = asArray(entry.member);
      const start = Number(range[1]);
      if (all.length === 0 || start >= all.length) continue; // a range past the end returns no attribute at all
      const end = rangeWindow === undefined ? all.length : Math.min(all.length, start + rangeWindow);
      const name = end >= all.length ? `member;range=${start}-*` : `member;range=${start}-${end - 1}`;
      out[name] = scalarOrArray(all.slice(start, end));
      continue;
    }
    const stored = Object.keys(entry).find((k) => k.toLowerCase() === requested.toLowerCase());
    out[stored ?? requested] = stored === undefined ? [] : scalarOrArray(asArray(entry[stored]));
  }
  return out;
}

function asArray(value: StoredEntry[string] | undefined): (string | Buffer)[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

function scalarOrArray(values: (string | Buffer)[]): string | string[] | Buffer | Buffer[] {
  if (values.length === 1) return values[0] as string | Buffer;
  return values as string[] | Buffer[];
}

/** A small forest: RootDSE, configuration with crossRefs, a schema, one domain with an AD-sized group. */
export function sampleForest(options: { bigGroupMembers?: number; extraDomain?: { dn: string; dnsRoot: string } } = {}): StoredEntry[] {
  const base = 'DC=corp,DC=example,DC=test';
  const config = `CN=Configuration,${base}`;
  const schema = `CN=Schema,${config}`;
  const members = Array.from({ length: options.bigGroupMembers ?? 3200 }, (_, i) => `CN=User ${i},OU=People,${base}`);
  const entries: StoredEntry[] = [
    {
      dn: '',
      namingContexts: [base, config, schema, `DC=DomainDnsZones,${base}`],
      defaultNamingContext: base,
      configurationNamingContext: config,
      schemaNamingContext: schema,
      rootDomainNamingContext: base,
      domainFunctionality: '4',
      forestFunctionality: '4',
      dnsHostName: 'dc1.corp.example.test',
      highestCommittedUSN: '4242',
      isGlobalCatalogReady: 'TRUE',
      supportedControl: ['1.2.840.113556.1.4.319', '1.2.840.113556.1.4.1413', '1.2.840.113556.1.4.1413', '1.2.840.113556.1.4.801'],
      supportedSASLMechanisms: ['GSS-SPNEGO', 'GSSAPI', 'NTLM'],
    },
    { dn: config, objectClass: ['top', 'configuration'] },
    { dn: `CN=Partitions,${config}`, objectClass: ['top', 'crossRefContainer'], 'msDS-Behavior-Version': '4', uPNSuffixes: 'corp.example.com' },
    {
      dn: `CN=CORP,CN=Partitions,${config}`,
      objectClass: ['top', 'crossRef'],
      nCName: base,
      dnsRoot: 'corp.example.test',
      nETBIOSName: 'CORP',
      systemFlags: '3',
    },
    { dn: `CN=Enterprise Configuration,CN=Partitions,${config}`, objectClass: ['top', 'crossRef'], nCName: config, systemFlags: '1' },
    { dn: schema, objectClass: ['top', 'dMD'], objectVersion: '69' },
    { dn: `CN=User,${schema}`, objectClass: ['top', 'classSchema'], lDAPDisplayName: 'user' },
    { dn: `CN=Object-Guid,${schema}`, objectClass: ['top', 'attributeSchema'], lDAPDisplayName: 'objectGUID', isMemberOfPartialAttributeSet: 'TRUE' },
    { dn: `CN=SAM-Account-Name,${schema}`, objectClass: ['top', 'attributeSchema'], lDAPDisplayName: 'sAMAccountName', isMemberOfPartialAttributeSet: 'TRUE' },
    { dn: `CN=ms-DS-Consistency-Guid,${schema}`, objectClass: ['top', 'attributeSchema'], lDAPDisplayName: 'mS-DS-ConsistencyGuid' },
    { dn: `CN=Some-Setting,${schema}`, objectClass: ['top', 'subSchema'] },
    { dn: base, objectClass: ['top', 'domain', 'domainDNS'], 'msDS-Behavior-Version': '4' },
    { dn: `OU=People,${base}`, objectClass: ['top', 'organizationalUnit'] },
    {
      dn: `CN=Alice,OU=People,${base}`,
      objectClass: ['top', 'person', 'organizationalPerson', 'user'],
      sAMAccountName: 'alice',
      userPrincipalName: 'alice@corp.example.test',
      objectGUID: Buffer.from('00112233445566778899aabbccddeeff', 'hex'),
      'mS-DS-ConsistencyGuid': Buffer.from('ffeeddccbbaa99887766554433221100', 'hex'),
      proxyAddresses: ['SMTP:alice@corp.example.test', 'smtp:a@corp.example.test'],
      userAccountControl: '512',
    },
    { dn: `CN=Big Group,OU=People,${base}`, objectClass: ['top', 'group'], sAMAccountName: 'big', groupType: '-2147483646', member: members },
    { dn: `CN=Empty Group,OU=People,${base}`, objectClass: ['top', 'group'], sAMAccountName: 'empty', groupType: '-2147483646' },
    { dn: `CN=One Member,OU=People,${base}`, objectClass: ['top', 'group'], sAMAccountName: 'one', groupType: '2', member: `CN=Alice,OU=People,${base}` },
    { dn: `CN=Zone,DC=DomainDnsZones,${base}`, objectClass: ['top', 'dnsZone'] },
  ];
  if (options.extraDomain !== undefined) {
    const { dn, dnsRoot } = options.extraDomain;
    entries.push(
      { dn: `CN=CHILD,CN=Partitions,${config}`, objectClass: ['top', 'crossRef'], nCName: dn, dnsRoot, nETBIOSName: 'CHILD', systemFlags: '3' },
      { dn, objectClass: ['top', 'domain', 'domainDNS'] },
      { dn: `CN=Bob,${dn}`, objectClass: ['top', 'user'], sAMAccountName: 'bob' },
    );
  }
  return entries;
}
