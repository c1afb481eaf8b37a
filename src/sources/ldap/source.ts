import { dnKey, isAtOrBelow } from '../../model/dn.js';
import { Entry, type RangeState } from '../../model/entry.js';
import { type EntrySource, type InputProblem, type SourceEvent, type SourcePosition, SourceUnavailableError } from '../source.js';
import { ENTRY_ATTRIBUTES, MEMBER_FIRST_WINDOW, ROOT_DSE_ATTRIBUTES, SCHEMA_FILTER } from './attributes.js';
import { type Connector, MAX_PAGE_SIZE, type ReadOnlyDirectory, type SearchRequest } from './directory.js';
import { type Endpoint, endpointUrl, globalCatalogOf, sameTransportTo } from './endpoint.js';
import { explainLdapError, type LdapFailure, redact } from './errors.js';
import { dedupeValues, type RawEntry, readRawEntry, toEntry } from './normalise.js';
import { ReadAhead, takingTurns } from './read-ahead.js';

export interface Credentials {
  /** A UPN, DOMAIN\user or a DN, as AD accepts for a simple bind. */
  user: string;
  password: string;
}

export interface LdapSourceOptions {
  endpoint: Endpoint;
  credentials: Credentials;
  connect: Connector;
  /** `--gc HOST[:PORT]`; by default the same server on 3268 when its RootDSE says it is a GC. */
  globalCatalog?: string;
  /** Never above MAX_PAGE_SIZE. */
  pageSize?: number;
  /** Waits before each retry of a transient failure; one retry per element. */
  retryDelaysMs?: readonly number[];
  /** The DC's own domain is read in two parts when its RootDSE's highestCommittedUSN is at least this; SPLIT_FROM_USN by default. */
  splitFromUsn?: number;
}

const ALL_OBJECTS = '(objectClass=*)';
const DOMAIN_PARTITION_FLAG = 0x2;
const REQUESTED = [...ENTRY_ATTRIBUTES, MEMBER_FIRST_WINDOW];
/** Pages a partition read on its own connection may hold before they are consumed. */
const READ_AHEAD_PAGES = 2;
/**
 * Domains other than the DC's own read at once, each over one connection (to a DC of it, else to the GC): with the
 * configuration's, the schema's and the own domain's two, a scan holds at most six connections however many
 * domains the forest has, and at most READ_AHEAD_PAGES pages on each.
 */
const DOMAINS_AHEAD = 2;
/**
 * Every object created took a USN, so a DC whose highestCommittedUSN is below this holds fewer objects than ten
 * pages: its domain is read in one part, as a second connection and bind would gain little.
 */
const SPLIT_FROM_USN = 10 * MAX_PAGE_SIZE;

/** A bound connection to one DC, which can be re-opened after a transient failure, until the read ends. */
interface Session {
  endpoint: Endpoint;
  url: string;
  directory: ReadOnlyDirectory | undefined;
  /** Connected, bind not answered yet: ending the scan closes it too. */
  binding?: ReadOnlyDirectory;
  closed?: boolean;
}

/** One paged subtree search; `part` says which share of the base it reads when the base is read in parts. */
interface PartitionRead {
  base: string;
  filter: string;
  skip: (key: string) => boolean;
  part?: string;
}

/** A domain read ahead: where it is read from is known once a connection was bound (undefined: nowhere). */
interface DomainRead {
  connected: Promise<{ session: Session; fromGc: boolean } | undefined>;
  pages: ReadAhead<SourceEvent[]>;
}

class SessionClosed extends Error {}

/** A read ahead of a scan that has ended must not go on, nor bind. */
function assertOpen(session: Session): void {
  if (session.closed === true) throw new SessionClosed();
}

interface DomainRef {
  dn: string;
  key: string;
  dnsRoot: string | undefined;
}

class ReadStopped extends Error {
  constructor(readonly failure: LdapFailure) {
    super(failure.message);
  }
}

/**
 * A live forest read over LDAP, yielding the same entries as the LDIF reader: the RootDSE, the
 * configuration partition, the schema objects checks need, then every domain of the forest.
 * Pages are yielded as they arrive, so memory holds one page plus the member list of one group.
 */
export class LdapSource implements EntrySource {
  readonly kind = 'ldap';
  readonly label: string;
  private reading = 'RootDSE';
  private readonly main: Session;
  private readonly pageSize: number;
  private readonly retryDelays: readonly number[];
  private rootDse: RawEntry | undefined;
  private readonly sessions: Session[] = [];
  private readonly readsAhead: ReadAhead<SourceEvent[]>[] = [];
  /** Set when events() ends: a session made after that (a GC fallback whose DC bind just failed) starts closed. */
  private ended = false;

  constructor(private readonly options: LdapSourceOptions) {
    this.label = endpointUrl(options.endpoint);
    this.main = { endpoint: options.endpoint, url: this.label, directory: undefined };
    this.pageSize = Math.min(options.pageSize ?? MAX_PAGE_SIZE, MAX_PAGE_SIZE);
    this.retryDelays = options.retryDelaysMs ?? [1000, 4000];
  }

  /** Connects, binds and reads the RootDSE before the scan starts: failures here are usage errors (exit 2). */
  async open(): Promise<void> {
    try {
      // A DC that does not answer in time now will not in a few seconds either: no retry waits for it again.
      await this.withRetries(
        this.main,
        async () => {
          await this.bindSession(this.main);
          this.rootDse = await this.readOne(this.main, '', ROOT_DSE_ATTRIBUTES);
        },
        { retryTimeouts: false },
      );
    } catch (error) {
      await this.drop(this.main);
      const failure = this.explain(error, this.main.url);
      throw new SourceUnavailableError(failure.message, failure.hint);
    }
    if (this.rootDse === undefined) {
      await this.drop(this.main);
      throw new SourceUnavailableError(`${this.label}: the server returned no RootDSE`, 'check that this is an Active Directory domain controller');
    }
  }

  /**
   * Unbinds the connection open() made and keeps what it read: events() binds again when this source's turn comes.
   * A run over several forests checks every DC before reading any, then reads them one after another, and a DC drops
   * a bound connection left idle that long (AD's MaxConnIdleTime: 15 minutes by default).
   */
  async release(): Promise<void> {
    await this.drop(this.main);
  }

  /** The forest root domain's DN from the RootDSE open() read (rootDomainNamingContext): which forest this DC is in. */
  forestRoot(): string | undefined {
    return this.rootDse === undefined ? undefined : toEntry(this.rootDse).text('rootdomainnamingcontext');
  }

  /** The naming contexts the DC holds (namingContexts of the RootDSE open() read): its domain, configuration, schema, application partitions. */
  namingContexts(): string[] {
    return this.rootDse === undefined ? [] : toEntry(this.rootDse).texts('namingcontexts');
  }

  /** The naming context being read, for the progress line. */
  position(): SourcePosition {
    return { reading: this.reading };
  }

  async *events(): AsyncGenerator<SourceEvent> {
    if (this.rootDse === undefined) await this.open();
    const dse = toEntry(this.rootDse as RawEntry);
    yield { type: 'entry', entry: dedupeValues(dse, ['supportedcontrol', 'supportedsaslmechanisms', 'supportedldapversion']) };
    try {
      yield* this.readForest(dse);
    } finally {
      this.ended = true;
      const sessions = [this.main, ...this.sessions];
      for (const session of sessions) session.closed = true;
      for (const read of this.readsAhead) read.stop();
      await Promise.all(sessions.map((s) => this.drop(s)));
    }
  }

  /**
   * The same pages as the read when its turn comes, but read now over a connection of its own (bound already, or
   * bound by the read), at most READ_AHEAD_PAGES ahead of the consumer: the server works while what comes before is
   * consumed. The connection is closed as soon as the read ends.
   */
  private readAhead(connected: Promise<Session | undefined>, read: PartitionRead): ReadAhead<SourceEvent[]> {
    const pages = new ReadAhead(this.readOver(connected, read), READ_AHEAD_PAGES);
    this.readsAhead.push(pages);
    return pages;
  }

  private async *readOver(connected: Promise<Session | undefined>, read: PartitionRead): AsyncGenerator<SourceEvent[]> {
    const session = await connected;
    if (session === undefined) return;
    try {
      yield* this.readBase(session, read);
    } finally {
      await this.drop(session);
    }
  }

  /**
   * The DC's own domain, in one part or, on a DC whose highestCommittedUSN says it holds many objects, in two split
   * by uSNCreated at half of it, each over a connection of its own, so that the DC serves both at once. uSNCreated is
   * set once, when the object is created, so the parts never share an object; an object created during the read
   * falls in the second part. The first part's filter, a negation, can use no index on AD: that DC walks the whole
   * domain for it, as it does for (objectClass=*).
   */
  private ownDomainParts(dn: string, highestUsn: number | undefined, skip: (key: string) => boolean): PartitionRead[] {
    if (highestUsn === undefined || highestUsn < (this.options.splitFromUsn ?? SPLIT_FROM_USN)) return [{ base: dn, filter: ALL_OBJECTS, skip }];
    const middle = Math.floor(highestUsn / 2);
    return [
      { base: dn, filter: `(!(uSNCreated>=${middle}))`, skip, part: `objects created before USN ${middle}` },
      { base: dn, filter: `(uSNCreated>=${middle})`, skip, part: `objects created at USN ${middle} or later` },
    ];
  }

  /** Binds to a DC of the domain, else to the Global Catalog, now, and reads the domain ahead over that connection. */
  private readDomainAhead(domain: DomainRef, elsewhere: (key: string) => boolean): DomainRead {
    const connected = this.connectToDomain(domain);
    const pages = this.readAhead(
      connected.then((c) => c?.session),
      { base: domain.dn, filter: ALL_OBJECTS, skip: elsewhere },
    );
    return { connected, pages };
  }

  private async *readForest(dse: Entry): AsyncGenerator<SourceEvent> {
    const configDn = dse.text('configurationnamingcontext');
    const schemaDn = dse.text('schemanamingcontext');
    const defaultDn = dse.text('defaultnamingcontext');
    const namingContexts = new Set(dse.texts('namingcontexts').map(dnKey));
    const domains: DomainRef[] = [];
    const partialAttributeSet = new Set<string>();
    // The schema and the DC's own domain do not depend on what the configuration holds: their reads start now, each
    // over its own connection, and are consumed in the sequential order (configuration, schema, domains).
    // The domain read skips naming contexts nested in it as they are learnt; the DC itself returns none of them
    // (only a GC's subtree search crosses into them), so learning a crossRef late changes nothing here.
    const schemaRead = schemaDn === undefined ? undefined : this.readAhead(this.connecting(), { base: schemaDn, filter: SCHEMA_FILTER, skip: () => false });
    const defaultKey = defaultDn === undefined ? undefined : dnKey(defaultDn);
    const defaultParts =
      defaultDn === undefined || defaultKey === undefined
        ? []
        : this.ownDomainParts(defaultDn, dse.int('highestcommittedusn'), (key) => inNestedContext(key, defaultKey, namingContexts)).map((part) =>
            this.readAhead(this.connecting(), part),
          );

    if (configDn === undefined) {
      yield this.problem('error', 'RootDSE', 'the RootDSE names no configuration partition; configuration and schema were not read', undefined);
    } else {
      const schemaKey = schemaDn === undefined ? undefined : dnKey(schemaDn);
      const inSchema = (key: string): boolean => schemaKey !== undefined && isAtOrBelow(key, schemaKey);
      this.reading = configDn;
      for await (const page of this.readBase(this.main, { base: configDn, filter: ALL_OBJECTS, skip: inSchema })) {
        for (const event of page) {
          if (event.type === 'entry') noteCrossRef(event.entry, domains, namingContexts);
          yield event;
        }
      }
    }
    if (domains.length === 0 && defaultDn !== undefined) domains.push({ dn: defaultDn, key: dnKey(defaultDn), dnsRoot: undefined });
    if (!domains.some((d) => d.key === defaultKey)) for (const part of defaultParts) part.stop();

    // A subtree search stops at the DC's own naming contexts, but the GC's does not: keep each object in its own partition.
    const elsewhereThan = (domain: DomainRef): ((key: string) => boolean) => {
      const nested = [...namingContexts].filter((nc) => nc !== domain.key && isAtOrBelow(nc, domain.key));
      return (key) => nested.some((nc) => isAtOrBelow(key, nc));
    };
    // The other domains are read ahead DOMAINS_AHEAD at a time, and consumed in crossRef order like the rest.
    const others = domains.filter((d) => d.key !== defaultKey);
    const othersRead: DomainRead[] = [];
    const readOthersUpTo = (count: number): void => {
      for (const domain of others.slice(othersRead.length, count)) othersRead.push(this.readDomainAhead(domain, elsewhereThan(domain)));
    };
    readOthersUpTo(DOMAINS_AHEAD);

    if (schemaDn !== undefined && schemaRead !== undefined) {
      this.reading = schemaDn;
      for await (const page of schemaRead.items()) {
        for (const event of page) {
          if (event.type === 'entry' && event.entry.bool('ismemberofpartialattributeset') === true) {
            partialAttributeSet.add(event.entry.text('ldapdisplayname')?.toLowerCase() ?? '');
          }
          yield event;
        }
      }
    }

    for (const domain of domains) {
      const elsewhere = elsewhereThan(domain);
      this.reading = domain.dn;
      if (domain.key === defaultKey) {
        // Started before every crossRef was known: what the read-time skip could not know yet is dropped here.
        for await (const page of takingTurns(defaultParts)) for (const event of page) if (event.type !== 'entry' || !elsewhere(event.entry.key)) yield event;
        continue;
      }
      const index = others.indexOf(domain);
      readOthersUpTo(index + DOMAINS_AHEAD);
      const { connected, pages } = othersRead[index] as DomainRead;
      const connection = await connected;
      if (connection === undefined) {
        pages.stop();
        yield this.problem(
          'error',
          domain.dn,
          `no DC of ${domain.dnsRoot ?? domain.dn} could be reached and no Global Catalog is available; the domain was not read`,
          domain.dn,
          `make a DC of that domain reachable on port ${this.options.endpoint.port}, or pass --gc HOST`,
        );
        continue;
      }
      if (connection.fromGc) {
        yield this.problem(
          'warning',
          domain.dn,
          `read from the Global Catalog ${connection.session.url}, which lacks ${missingFromGc(partialAttributeSet)}; checks that need them see less in this domain`,
          undefined,
          `make a DC of ${domain.dnsRoot ?? 'that domain'} reachable on port ${this.options.endpoint.port} for a full read`,
        );
      }
      for await (const page of pages.items()) yield* page;
    }
  }

  /**
   * One paged subtree search, yielding the events of each page together. A transient failure re-issues the search
   * from the start on the same server (a paging cookie is only valid on the DC that issued it) and skips what was
   * already yielded; when that fails too, the base (or its part) is reported as not fully read and the scan goes on.
   */
  private async *readBase(session: Session, read: PartitionRead): AsyncGenerator<SourceEvent[]> {
    const { base, filter, skip, part } = read;
    const request: SearchRequest = { base, scope: 'sub', filter, attributes: REQUESTED, pageSize: this.pageSize };
    let delivered = 0;
    let lastDn: string | undefined;
    for (let attempt = 0; ; attempt++) {
      let seen = 0;
      try {
        if (session.directory === undefined) await this.bindSession(session);
        for await (const page of (session.directory as ReadOnlyDirectory).search(request)) {
          const events: SourceEvent[] = [];
          for (const raw of page) {
            if (++seen <= delivered) {
              if (seen === delivered && raw.dn !== lastDn) throw new ReadStopped(resumeFailed(session.url, base));
              continue;
            }
            const key = dnKey(raw.dn);
            if (skip(key)) continue;
            const { entry, problems } = await this.complete(session, raw, key);
            events.push({ type: 'entry', entry }, ...problems.map((problem): SourceEvent => ({ type: 'problem', problem })));
          }
          if (events.length > 0) yield events;
          // Counted only once yielded: a failure while fetching member windows re-reads the page.
          if (seen > delivered) {
            delivered = seen;
            lastDn = page[page.length - 1]?.dn;
          }
        }
        return;
      } catch (error) {
        if (session.closed === true) return; // the scan ended (or stopped) while this read was ahead of it
        const failure = this.explain(error, session.url);
        const delay = this.retryDelays[attempt];
        if (failure.transient && !(error instanceof ReadStopped) && delay !== undefined) {
          await this.drop(session);
          await sleep(delay);
          continue;
        }
        await this.drop(session);
        const what = part === undefined ? base : `${base} (${part})`;
        yield [
          this.problem(
            'error',
            base,
            `${failure.message}; the read of ${what} stopped after ${delivered.toLocaleString('en-US')} objects, the rest of it was not read`,
            base,
            failure.hint,
          ),
        ];
        return;
      }
    }
  }

  /** Fetches the remaining member windows ("member;range=1500-*" ...) until the server says "*". */
  private async complete(session: Session, raw: RawEntry, key: string): Promise<{ entry: Entry; problems: InputProblem[] }> {
    const { attributes, ranges } = readRawEntry(raw);
    const problems: InputProblem[] = [];
    let ranged: Map<string, RangeState> | undefined;
    for (const [name, first] of ranges) {
      let window: typeof first | undefined = first;
      while (window?.end !== undefined) {
        const next = await this.readOne(session, raw.dn, [`${name};range=${window.end + 1}-*`], 'base');
        const more = next === undefined ? undefined : readRawEntry(next);
        window = more?.ranges.get(name);
        const values = more?.attributes.get(name) ?? [];
        if (values.length > 0) (attributes.get(name) ?? attributes.set(name, []).get(name))?.push(...values);
        if (window === undefined) {
          problems.push(this.problemOf('warning', raw.dn, `the values of ${name} changed while they were read in windows; the count may be off`, undefined));
        }
      }
      ranged ??= new Map();
      ranged.set(name, window === undefined ? 'incomplete' : 'complete');
    }
    return { entry: new Entry(raw.dn, attributes, ranged, key), problems };
  }

  private async readOne(session: Session, base: string, attributes: readonly string[], scope: SearchRequest['scope'] = 'base'): Promise<RawEntry | undefined> {
    if (session.directory === undefined) await this.bindSession(session);
    for await (const page of (session.directory as ReadOnlyDirectory).search({ base, scope, filter: ALL_OBJECTS, attributes, pageSize: this.pageSize })) {
      if (page[0] !== undefined) return page[0];
    }
    return undefined;
  }

  private async bindSession(session: Session): Promise<void> {
    assertOpen(session);
    const directory = await this.options.connect(session.endpoint);
    session.binding = directory;
    try {
      // The scan may have ended while connecting or binding (drop() has closed the connection then).
      assertOpen(session);
      await directory.bind(this.options.credentials.user, this.options.credentials.password);
      assertOpen(session);
    } catch (error) {
      if (session.binding === directory) await directory.unbind().catch(() => undefined);
      throw error;
    } finally {
      if (session.binding === directory) session.binding = undefined;
    }
    session.directory = directory;
  }

  /** Closes the session's connection, bound or still binding; once only, whoever calls first. */
  private async drop(session: Session): Promise<void> {
    const directory = session.directory ?? session.binding;
    session.directory = undefined;
    session.binding = undefined;
    await directory?.unbind().catch(() => undefined);
  }

  /** A new connection to the DC this source was pointed at, bound by the read that uses it. */
  private connecting(): Promise<Session> {
    return Promise.resolve(this.newSession(this.options.endpoint));
  }

  /** Registered before it binds, so that ending the scan closes it whatever it is doing. */
  private newSession(endpoint: Endpoint): Session {
    const session: Session = { endpoint, url: endpointUrl(endpoint), directory: undefined, closed: this.ended };
    this.sessions.push(session);
    return session;
  }

  private async withRetries(session: Session, action: () => Promise<void>, options: { retryTimeouts: boolean } = { retryTimeouts: true }): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      try {
        await action();
        return;
      } catch (error) {
        const delay = this.retryDelays[attempt];
        const failure = explainLdapError(error, session.url);
        if (!failure.transient || (failure.timedOut === true && !options.retryTimeouts) || delay === undefined) throw error;
        await this.drop(session);
        await sleep(delay);
      }
    }
  }

  /**
   * A bound connection to a DC of the domain (same port and transport security), else to the Global Catalog (one of
   * its own, as domains are read at once); undefined when neither answers or the scan ended.
   */
  private async connectToDomain(domain: DomainRef): Promise<{ session: Session; fromGc: boolean } | undefined> {
    if (domain.dnsRoot !== undefined) {
      const session = this.newSession(sameTransportTo(this.options.endpoint, domain.dnsRoot));
      if (await this.bound(session)) return { session, fromGc: false };
    }
    const isGc = this.rootDse === undefined ? false : toEntry(this.rootDse).bool('isglobalcatalogready') === true;
    if (this.ended || (this.options.globalCatalog === undefined && !isGc)) return undefined;
    const gc = this.newSession(globalCatalogOf(this.options.endpoint, this.options.globalCatalog));
    return (await this.bound(gc)) ? { session: gc, fromGc: true } : undefined;
  }

  private async bound(session: Session): Promise<boolean> {
    try {
      await this.withRetries(session, () => this.bindSession(session));
      return true;
    } catch {
      return false;
    }
  }

  private explain(error: unknown, url: string): LdapFailure {
    const secrets = [this.options.credentials.password];
    const failure = error instanceof ReadStopped ? error.failure : explainLdapError(error, url, secrets);
    return { ...failure, message: redact(failure.message, secrets), hint: redact(failure.hint, secrets) };
  }

  private problemOf(severity: InputProblem['severity'], location: string, message: string, affectsDn: string | undefined, hint?: string): InputProblem {
    const secrets = [this.options.credentials.password];
    return {
      severity,
      input: this.label,
      location,
      message: redact(message, secrets),
      ...(hint === undefined ? {} : { hint: redact(hint, secrets) }),
      ...(affectsDn === undefined ? {} : { affectsDn }),
    };
  }

  private problem(severity: InputProblem['severity'], location: string, message: string, affectsDn: string | undefined, hint?: string): SourceEvent {
    return { type: 'problem', problem: this.problemOf(severity, location, message, affectsDn, hint) };
  }
}

/** Domains come from crossRefs with FLAG_CR_NTDS_DOMAIN; every crossRef names a partition to keep apart. */
function noteCrossRef(entry: Entry, domains: DomainRef[], namingContexts: Set<string>): void {
  if (!entry.isA('crossRef')) return;
  const nc = entry.text('ncname');
  if (nc === undefined) return;
  namingContexts.add(dnKey(nc));
  if (((entry.int('systemflags') ?? 0) & DOMAIN_PARTITION_FLAG) !== 0) domains.push({ dn: nc, key: dnKey(nc), dnsRoot: entry.text('dnsroot') });
}

/** True when `key` lies in a naming context nested in the domain `domainKey` (DomainDnsZones, a child domain). */
function inNestedContext(key: string, domainKey: string, namingContexts: ReadonlySet<string>): boolean {
  for (const nc of namingContexts) if (nc !== domainKey && isAtOrBelow(nc, domainKey) && isAtOrBelow(key, nc)) return true;
  return false;
}

/** The requested attributes a GC does not hold, from the schema's partial attribute set when it was read. */
function missingFromGc(partialAttributeSet: ReadonlySet<string>): string {
  const missing =
    partialAttributeSet.size === 0
      ? ['mS-DS-ConsistencyGuid', 'userCertificate', 'adminCount', 'pwdLastSet', 'lastLogonTimestamp']
      : ENTRY_ATTRIBUTES.filter((a) => a !== 'objectClass' && !partialAttributeSet.has(a.toLowerCase()));
  return `member (kept for universal groups only), ${missing.join(', ')}`;
}

function resumeFailed(url: string, base: string): LdapFailure {
  return {
    message: `${url}: the objects of ${base} came back in a different order after a reconnect, so the read could not resume`,
    hint: 'scan again when the directory is not changing',
    transient: false,
  };
}

function sleep(ms: number): Promise<void> {
  return ms <= 0 ? Promise.resolve() : new Promise((resolve) => setTimeout(resolve, ms));
}
