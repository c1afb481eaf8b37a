import { dnKey, isAtOrBelow } from '../../model/dn.js';
import { Entry, type RangeState } from '../../model/entry.js';
import { type EntrySource, type InputProblem, type SourceEvent, type SourcePosition, SourceUnavailableError } from '../source.js';
import { ENTRY_ATTRIBUTES, MEMBER_FIRST_WINDOW, ROOT_DSE_ATTRIBUTES, SCHEMA_FILTER } from './attributes.js';
import { type Connector, MAX_PAGE_SIZE, type ReadOnlyDirectory, type SearchRequest } from './directory.js';
import { type Endpoint, endpointUrl, globalCatalogOf, sameTransportTo } from './endpoint.js';
import { explainLdapError, type LdapFailure, redact } from './errors.js';
import { dedupeValues, type RawEntry, readRawEntry, toEntry } from './normalise.js';
import { ReadAhead } from './read-ahead.js';

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
}

const ALL_OBJECTS = '(objectClass=*)';
const DOMAIN_PARTITION_FLAG = 0x2;
const REQUESTED = [...ENTRY_ATTRIBUTES, MEMBER_FIRST_WINDOW];
/** Events a partition read on its own connection may hold before they are consumed: about two pages. */
const READ_AHEAD_EVENTS = 2 * MAX_PAGE_SIZE;

/** A bound connection to one DC, which can be re-opened after a transient failure, until the read ends. */
interface Session {
  endpoint: Endpoint;
  url: string;
  directory: ReadOnlyDirectory | undefined;
  closed?: boolean;
}

class SessionClosed extends Error {}

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
  private readonly readsAhead: ReadAhead<SourceEvent>[] = [];
  /** null once the Global Catalog turned out to be unavailable. */
  private gcSession: Session | null | undefined;

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
      const sessions = [this.main, ...this.sessions];
      for (const session of sessions) session.closed = true;
      for (const read of this.readsAhead) read.stop();
      await Promise.all(sessions.map((s) => s.directory?.unbind().catch(() => undefined) ?? Promise.resolve()));
    }
  }

  /**
   * The same events as reading `base` when its turn comes, but read now over a connection of its own, at most
   * READ_AHEAD_EVENTS ahead of the consumer: the DC serves it while the partitions before it are consumed.
   */
  private readAhead(base: string, filter: string, skip: (key: string) => boolean): ReadAhead<SourceEvent> {
    const session: Session = { endpoint: this.options.endpoint, url: this.main.url, directory: undefined };
    this.sessions.push(session);
    const read = new ReadAhead(this.readBase(session, base, filter, skip), READ_AHEAD_EVENTS);
    this.readsAhead.push(read);
    return read;
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
    const schemaRead = schemaDn === undefined ? undefined : this.readAhead(schemaDn, SCHEMA_FILTER, () => false);
    const defaultKey = defaultDn === undefined ? undefined : dnKey(defaultDn);
    const defaultRead =
      defaultKey === undefined ? undefined : this.readAhead(defaultDn as string, ALL_OBJECTS, (key) => inNestedContext(key, defaultKey, namingContexts));

    if (configDn === undefined) {
      yield this.problem('error', 'RootDSE', 'the RootDSE names no configuration partition; configuration and schema were not read', undefined);
    } else {
      const schemaKey = schemaDn === undefined ? undefined : dnKey(schemaDn);
      const inSchema = (key: string): boolean => schemaKey !== undefined && isAtOrBelow(key, schemaKey);
      this.reading = configDn;
      for await (const event of this.readBase(this.main, configDn, ALL_OBJECTS, inSchema)) {
        if (event.type === 'entry') noteCrossRef(event.entry, domains, namingContexts);
        yield event;
      }
    }
    if (schemaDn !== undefined && schemaRead !== undefined) {
      this.reading = schemaDn;
      for await (const event of schemaRead.items()) {
        if (event.type === 'entry' && event.entry.bool('ismemberofpartialattributeset') === true) {
          partialAttributeSet.add(event.entry.text('ldapdisplayname')?.toLowerCase() ?? '');
        }
        yield event;
      }
    }
    if (domains.length === 0 && defaultDn !== undefined) domains.push({ dn: defaultDn, key: dnKey(defaultDn), dnsRoot: undefined });

    if (!domains.some((d) => d.key === defaultKey)) defaultRead?.stop();

    for (const domain of domains) {
      // A subtree search stops at the DC's own naming contexts, but the GC's does not: keep each object in its own partition.
      const nested = [...namingContexts].filter((nc) => nc !== domain.key && isAtOrBelow(nc, domain.key));
      const elsewhere = (key: string): boolean => nested.some((nc) => isAtOrBelow(key, nc));
      this.reading = domain.dn;
      if (defaultRead !== undefined && domain.key === defaultKey) {
        // Started before every crossRef was known: what the read-time skip could not know yet is dropped here.
        for await (const event of defaultRead.items()) if (event.type !== 'entry' || !elsewhere(event.entry.key)) yield event;
        continue;
      }
      const session = await this.domainSession(domain);
      if (session !== undefined) {
        yield* this.readBase(session, domain.dn, ALL_OBJECTS, elsewhere);
        continue;
      }
      const gc = await this.globalCatalogSession();
      if (gc === undefined) {
        yield this.problem(
          'error',
          domain.dn,
          `no DC of ${domain.dnsRoot ?? domain.dn} could be reached and no Global Catalog is available; the domain was not read`,
          domain.dn,
          `make a DC of that domain reachable on port ${this.options.endpoint.port}, or pass --gc HOST`,
        );
        continue;
      }
      yield this.problem(
        'warning',
        domain.dn,
        `read from the Global Catalog ${gc.url}, which lacks ${missingFromGc(partialAttributeSet)}; checks that need them see less in this domain`,
        undefined,
        `make a DC of ${domain.dnsRoot ?? 'that domain'} reachable on port ${this.options.endpoint.port} for a full read`,
      );
      yield* this.readBase(gc, domain.dn, ALL_OBJECTS, elsewhere);
    }
  }

  /**
   * One paged subtree search. A transient failure re-issues the search from the start on the same
   * server (a paging cookie is only valid on the DC that issued it) and skips what was already
   * yielded; when that fails too, the base is reported as not fully read and the scan goes on.
   */
  private async *readBase(session: Session, base: string, filter: string, skip: (key: string) => boolean): AsyncGenerator<SourceEvent> {
    const request: SearchRequest = { base, scope: 'sub', filter, attributes: REQUESTED, pageSize: this.pageSize };
    let delivered = 0;
    let lastDn: string | undefined;
    for (let attempt = 0; ; attempt++) {
      let seen = 0;
      try {
        if (session.directory === undefined) await this.bindSession(session);
        for await (const page of (session.directory as ReadOnlyDirectory).search(request)) {
          for (const raw of page) {
            if (++seen <= delivered) {
              if (seen === delivered && raw.dn !== lastDn) throw new ReadStopped(resumeFailed(session.url, base));
              continue;
            }
            const key = dnKey(raw.dn);
            if (!skip(key)) {
              const { entry, problems } = await this.complete(session, raw, key);
              yield { type: 'entry', entry };
              for (const problem of problems) yield { type: 'problem', problem };
            }
            // Counted only once yielded: a failure while fetching member windows re-reads this entry.
            delivered = seen;
            lastDn = raw.dn;
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
        yield this.problem(
          'error',
          base,
          `${failure.message}; the read of ${base} stopped after ${delivered.toLocaleString('en-US')} objects, the rest of it was not read`,
          base,
          failure.hint,
        );
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
    if (session.closed === true) throw new SessionClosed();
    const directory = await this.options.connect(session.endpoint);
    try {
      await directory.bind(this.options.credentials.user, this.options.credentials.password);
    } catch (error) {
      await directory.unbind().catch(() => undefined);
      throw error;
    }
    session.directory = directory;
  }

  private async drop(session: Session): Promise<void> {
    const directory = session.directory;
    session.directory = undefined;
    await directory?.unbind().catch(() => undefined);
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

  /** A DC of another domain, reached with the same port and transport security; undefined when none answers. */
  private async domainSession(domain: DomainRef): Promise<Session | undefined> {
    if (domain.dnsRoot === undefined) return undefined;
    const endpoint = sameTransportTo(this.options.endpoint, domain.dnsRoot);
    const session: Session = { endpoint, url: endpointUrl(endpoint), directory: undefined };
    try {
      await this.withRetries(session, () => this.bindSession(session));
    } catch {
      return undefined;
    }
    this.sessions.push(session);
    return session;
  }

  private async globalCatalogSession(): Promise<Session | undefined> {
    if (this.gcSession !== undefined) return this.gcSession ?? undefined;
    const isGc = this.rootDse === undefined ? false : toEntry(this.rootDse).bool('isglobalcatalogready') === true;
    if (this.options.globalCatalog === undefined && !isGc) {
      this.gcSession = null;
      return undefined;
    }
    const endpoint = globalCatalogOf(this.options.endpoint, this.options.globalCatalog);
    const session: Session = { endpoint, url: endpointUrl(endpoint), directory: undefined };
    try {
      await this.withRetries(session, () => this.bindSession(session));
    } catch {
      this.gcSession = null;
      return undefined;
    }
    this.sessions.push(session);
    this.gcSession = session;
    return session;
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
