import { dnKey, dnToDnsName, domainComponentSuffix, isAtOrBelow } from '../model/dn.js';
import type { EntrySource } from '../sources/source.js';
import { isConfigurationSubtree } from './builder.js';

/**
 * The inputs of one forest, in the order they were given; `forest` is its DNS name when an input named its root.
 * With several forests, `partitions` holds the keys of the domains (and application partitions) known to be
 * in it: its configuration partition's crossRefs and its domain exports.
 */
export interface ForestGroup {
  forest?: string;
  sources: EntrySource[];
  partitions?: string[];
}

/** The inputs cannot be put in forests: which input, and which export would tell. */
export class ForestGroupingError extends Error {
  constructor(
    message: string,
    readonly hint: string,
  ) {
    super(message);
    this.name = 'ForestGroupingError';
  }
}

/** What the first entries of one input say: the forest root it names (configuration, schema, RootDSE) or the domain it holds. */
interface Sniffed {
  source: EntrySource;
  rootKey?: string;
  domainKey?: string;
  /** A configuration partition: its crossRefs name the forest's partitions. */
  configuration: boolean;
}

/**
 * Puts the inputs in forests. Each input's first entries name either its forest root (the configuration or
 * schema partition, or a RootDSE) or its domain. With at most one forest root among them, everything is
 * one forest, as it always was. With several, each configuration partition is read for its crossRefs, which
 * name the forest's domains, and each domain export joins the forest that names it; a domain no forest names
 * is an error that says which export to add. `readOnce` inputs (standard input) cannot be read twice, so
 * they are not sniffed: with them there is one group, and several forests among the other inputs are an error.
 */
export async function groupByForest(sources: readonly EntrySource[], readOnce: ReadonlySet<EntrySource> = new Set()): Promise<ForestGroup[]> {
  if (sources.length <= 1) return [{ sources: [...sources] }];
  const sniffed = await sniffAll(sources.filter((s) => !readOnce.has(s)));
  const roots = [...new Set(sniffed.flatMap((s) => (s.rootKey === undefined ? [] : [s.rootKey])))];
  if (roots.length <= 1) return [{ ...(roots[0] === undefined ? {} : { forest: dnToDnsName(roots[0]) }), sources: [...sources] }];
  const once = sources.find((s) => readOnce.has(s));
  if (once !== undefined) {
    throw new ForestGroupingError(
      `${once.label} cannot be put in one of the ${roots.length} forests the other inputs hold (${roots.map(dnToDnsName).join(', ')}): standard input is read once, so its forest cannot be told before the scan`,
      'save that export to a file and pass the file instead of -',
    );
  }
  const forestOfDomain = await domainsNamedBy(sniffed.filter((s) => s.configuration));
  const groups = new Map(roots.map((root) => [root, { sources: [] as EntrySource[], partitions: new Set([root]) }]));
  for (const [partition, root] of forestOfDomain) groups.get(root)?.partitions.add(partition);
  for (const s of sniffed) {
    const root =
      s.rootKey ?? (s.domainKey === undefined ? undefined : (forestOfDomain.get(s.domainKey) ?? (roots.includes(s.domainKey) ? s.domainKey : undefined)));
    if (root === undefined) throw unplaced(s, roots);
    groups.get(root)?.sources.push(s.source);
  }
  return [...groups].map(([root, group]) => ({ forest: dnToDnsName(root), sources: group.sources, partitions: [...group.partitions] }));
}

/** Opening a file costs more waiting than work: a few at a time keep the disk busy (10,000 small exports: 5.6 s one by one, 2.8 s sixteen at a time). */
const SNIFFED_AT_ONCE = 16;

async function sniffAll(sources: readonly EntrySource[]): Promise<Sniffed[]> {
  const sniffed: Sniffed[] = new Array<Sniffed>(sources.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    for (let i = next++; i < sources.length; i = next++) sniffed[i] = await sniff(sources[i] as EntrySource);
  };
  await Promise.all(Array.from({ length: Math.min(SNIFFED_AT_ONCE, sources.length) }, worker));
  return sniffed;
}

/** Reads up to the first entry with a DN (past a RootDSE, whose rootDomainNamingContext names the forest). */
async function sniff(source: EntrySource): Promise<Sniffed> {
  for await (const event of source.events()) {
    if (event.type !== 'entry') continue;
    const { entry } = event;
    if (entry.dn === '') {
      const root = entry.text('rootdomainnamingcontext');
      if (root !== undefined) return { source, rootKey: dnKey(root), configuration: false };
      continue;
    }
    if (isConfigurationSubtree(entry.key)) {
      const rootKey = domainComponentSuffix(entry.key);
      // The schema partition names its forest too, but holds no crossRef: it is not read again for them.
      return { source, rootKey, configuration: !isAtOrBelow(entry.key, `cn=schema,cn=configuration,${rootKey}`) };
    }
    const suffix = domainComponentSuffix(entry.key);
    return { source, configuration: false, ...(suffix === '' ? {} : { domainKey: suffix }) };
  }
  return { source, configuration: false };
}

/** Each partition's forest root (domains, and application partitions such as DomainDnsZones), from the crossRefs of every configuration partition given. */
async function domainsNamedBy(configurations: readonly Sniffed[]): Promise<Map<string, string>> {
  const forestOf = new Map<string, string>();
  for (const { source, rootKey } of configurations) {
    if (rootKey === undefined) continue;
    for await (const event of source.events()) {
      if (event.type !== 'entry' || !event.entry.objectClasses.has('crossref')) continue;
      const nc = event.entry.text('ncname');
      if (nc !== undefined) forestOf.set(dnKey(nc), rootKey);
    }
  }
  return forestOf;
}

function unplaced(s: Sniffed, roots: readonly string[]): ForestGroupingError {
  const forests = roots.map(dnToDnsName).join(', ');
  if (s.domainKey === undefined) {
    return new ForestGroupingError(
      `${s.source.label}: no entry could be read from it, so its forest cannot be told among the ${roots.length} forests of this run (${forests})`,
      'check that the file is an LDIF export of one domain or partition, or leave it out',
    );
  }
  const domain = dnToDnsName(s.domainKey);
  return new ForestGroupingError(
    `${s.source.label} holds the domain ${domain}, which none of the configuration partitions given names (forests: ${forests}), so its forest cannot be told`,
    `add the configuration partition of its forest: ldifde -f configuration.ldf -d "CN=Configuration,<its forest root domain's DN>" (if ${domain} is its own forest's root: -d "CN=Configuration,${s.domainKey.replaceAll('dc=', 'DC=')}")`,
  );
}
