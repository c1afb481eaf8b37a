import { DnSyntaxError, dnKey, dnToDnsName, domainComponentSuffix, isAtOrBelow, parentDn, parentKey } from '../model/dn.js';
import type { Entry } from '../model/entry.js';
import type { InputProblem } from '../sources/source.js';
import { EvidenceRecorder } from './evidence.js';
import { connectSyncExclusion } from './exclusions.js';
import {
  type ContainerNode,
  type DomainInfo,
  type GroupSize,
  type Inventory,
  type ObjectCounts,
  type RootDseFacts,
  type TrustInfo,
  addCounts,
  emptyCounts,
} from './inventory.js';

/** AD's range-retrieval windows (MaxValRange): 1,500 values since Windows Server 2003, 1,000 before. */
const RANGE_LIMITS = new Set([1500, 1000]);
const LARGE_GROUP_LISTED_FROM = 1000;
const DOMAIN_PARTITION_FLAG = 0x2; // FLAG_CR_NTDS_DOMAIN on crossRef systemFlags

interface CrossRef {
  ncKey: string;
  ncDn: string;
  dnsRoot: string | undefined;
  netbiosName: string | undefined;
  functionalLevel: number | undefined;
}

interface DomainHead {
  dn: string;
  functionalLevel: number | undefined;
  place: Place;
}

/** Where an object was read, for a problem that must name it. */
interface Place {
  input: string;
  line: number | undefined;
  dn: string;
}

function placeOf(entry: Entry, input: string): Place {
  return { input, line: entry.line, dn: entry.dn };
}

function locationOf(place: Place): string {
  return place.line === undefined ? place.dn : `line ${place.line} (${place.dn})`;
}

/** A group's direct member count, and whether the member list can be trusted to be whole. */
export function groupSize(entry: Entry): GroupSize {
  const members = entry.values('member').length;
  const ranged = entry.ranged.get('member');
  const completeness: GroupSize['completeness'] =
    ranged === 'incomplete' ? 'truncated' : ranged === undefined && RANGE_LIMITS.has(members) ? 'may-be-truncated' : 'exact';
  return { dn: entry.dn, members, completeness };
}

/**
 * Folds the entry stream into an Inventory in one pass. It keeps counts per container and a short
 * list of large groups, never the entries themselves, so memory grows with the number of OUs,
 * not the number of objects.
 */
export class InventoryBuilder {
  private readonly containers = new Map<string, ContainerNode>();
  private readonly crossRefs: CrossRef[] = [];
  /** Naming contexts of crossRefs without the domain flag: application partitions such as DomainDnsZones. */
  private readonly applicationPartitions: string[] = [];
  private readonly domainHeads = new Map<string, DomainHead>();
  private readonly schemaAttributes = new Set<string>();
  private readonly schemaClasses = new Set<string>();
  private readonly largeGroups: GroupSize[] = [];
  private readonly trusts: TrustInfo[] = [];
  private readonly totals = { ...emptyCounts(), entries: 0 };
  private groupTotal = 0;
  /** Keys of privileged objects (few: protected accounts and protected groups' members), counted per container at the end. */
  private readonly privileged = new Set<string>();
  private configurationDn: string | undefined;
  private schemaDn: string | undefined;
  private schemaObjectVersion: number | undefined;
  private forestFunctionalLevel: number | undefined;
  private upnSuffixes: string[] = [];
  private configurationSeen = false;
  private rootDse: RootDseFacts | undefined;
  private rootDomainFromDse: string | undefined;
  private unclassified = { count: 0, firstDn: undefined as string | undefined };
  /** The first object read under each DC= suffix, to name an object that lies outside every domain the forest names. */
  private readonly suffixPlaces = new Map<string, Place>();
  private input = '';
  /** Input problems found once every entry was seen; filled by finish(). */
  readonly problems: InputProblem[] = [];
  private readonly evidence = new EvidenceRecorder();

  /** `input` names where the entry came from (a file, stdin, a server), for problems that must name it. */
  add(entry: Entry, input: string): void {
    this.input = input;
    this.totals.entries++;
    if (entry.dn === '') {
      this.readRootDse(entry);
      return;
    }
    this.evidence.see(entry);
    const kind = entry.kind;
    switch (kind) {
      case 'user':
      case 'group':
      case 'contact':
      case 'computer':
      case 'managed-service-account':
        this.countObject(entry, kind);
        return;
      case 'organizational-unit':
        this.container(entry.key, entry.dn, 'organizational-unit', entry);
        return;
      case 'container':
        this.container(entry.key, entry.dn, 'container', entry);
        return;
      case 'domain':
        this.domainHeads.set(entry.key, { dn: entry.dn, functionalLevel: entry.int('msds-behavior-version'), place: placeOf(entry, input) });
        this.container(entry.key, entry.dn, 'domain', entry);
        return;
      case 'unknown':
        this.unclassified.count++;
        this.unclassified.firstDn ??= entry.dn;
        return;
      default:
        this.readConfigurationOrSchema(entry);
    }
  }

  private countObject(entry: Entry, kind: 'user' | 'group' | 'contact' | 'computer' | 'managed-service-account'): void {
    const node = this.container(entry.parentKey, () => parentDn(entry.dn), 'implied', entry);
    this.notePrivileged(entry, kind);
    const counts = node.direct;
    switch (kind) {
      case 'user':
        counts.users++;
        break;
      case 'group':
        counts.groups++;
        this.measureGroup(entry);
        break;
      case 'contact':
        counts.contacts++;
        break;
      case 'computer':
        counts.computers++;
        return;
      case 'managed-service-account':
        counts.managedServiceAccounts++;
        return;
    }
    if (connectSyncExclusion(entry) !== undefined) counts.excluded++;
  }

  private notePrivileged(entry: Entry, kind: 'user' | 'group' | 'contact' | 'computer' | 'managed-service-account'): void {
    if (kind === 'contact' || entry.int('admincount') !== 1) return;
    this.privileged.add(entry.key);
    if (kind !== 'group') return;
    for (const member of entry.texts('member')) {
      try {
        this.privileged.add(dnKey(member));
      } catch (error) {
        // A member value that is not a DN names no account to count.
        if (!(error instanceof DnSyntaxError)) throw error;
      }
    }
  }

  private measureGroup(entry: Entry): void {
    this.groupTotal++;
    const size = groupSize(entry);
    if (size.members >= LARGE_GROUP_LISTED_FROM || size.completeness !== 'exact') this.largeGroups.push(size);
  }

  /** Finds or creates the node; a node first created as "implied" is upgraded when its own entry arrives. */
  private container(key: string, dn: string | (() => string), kind: ContainerNode['kind'], readFrom: Entry): ContainerNode {
    let node = this.containers.get(key);
    if (node === undefined) {
      node = { dn: typeof dn === 'string' ? dn : dn(), key, parentKey: parentKey(key), kind, direct: emptyCounts() };
      this.containers.set(key, node);
      const suffix = domainComponentSuffix(key);
      if (!this.suffixPlaces.has(suffix)) this.suffixPlaces.set(suffix, placeOf(readFrom, this.input));
    } else if (kind !== 'implied' && node.kind === 'implied') {
      node.kind = kind;
      node.dn = typeof dn === 'string' ? dn : dn();
    }
    return node;
  }

  private readRootDse(entry: Entry): void {
    this.rootDse = {
      dnsHostName: entry.text('dnshostname'),
      defaultNamingContext: entry.text('defaultnamingcontext'),
      highestCommittedUSN: entry.text('highestcommittedusn'),
      domainFunctionality: entry.int('domainfunctionality'),
      forestFunctionality: entry.int('forestfunctionality'),
      domainControllerFunctionality: entry.int('domaincontrollerfunctionality'),
    };
    this.rootDomainFromDse = entry.text('rootdomainnamingcontext');
    this.configurationDn ??= entry.text('configurationnamingcontext');
    this.schemaDn ??= entry.text('schemanamingcontext');
  }

  private readConfigurationOrSchema(entry: Entry): void {
    const classes = entry.objectClasses;
    if (classes.has('attributeschema')) {
      const name = entry.text('ldapdisplayname');
      if (name !== undefined) this.schemaAttributes.add(name.toLowerCase());
    } else if (classes.has('classschema')) {
      const name = entry.text('ldapdisplayname');
      if (name !== undefined) this.schemaClasses.add(name.toLowerCase());
    } else if (classes.has('dmd')) {
      this.schemaDn = entry.dn;
      this.schemaObjectVersion = entry.int('objectversion');
    } else if (classes.has('crossrefcontainer')) {
      this.configurationSeen = true;
      this.configurationDn ??= parentDn(entry.dn);
      this.forestFunctionalLevel = entry.int('msds-behavior-version');
      this.upnSuffixes = entry.texts('upnsuffixes');
    } else if (classes.has('crossref')) {
      this.configurationSeen = true;
      const flags = entry.int('systemflags') ?? 0;
      const nc = entry.text('ncname');
      if (nc === undefined) return;
      if ((flags & DOMAIN_PARTITION_FLAG) === 0) {
        this.applicationPartitions.push(dnKey(nc));
      } else {
        this.crossRefs.push({
          ncKey: dnKey(nc),
          ncDn: nc,
          dnsRoot: entry.text('dnsroot'),
          netbiosName: entry.text('netbiosname'),
          functionalLevel: entry.int('msds-behavior-version'),
        });
      }
    } else if (classes.has('configuration')) {
      this.configurationSeen = true;
      this.configurationDn = entry.dn;
    } else if (classes.has('trusteddomain')) {
      this.trusts.push({
        dn: entry.dn,
        partner: entry.text('trustpartner') ?? entry.text('cn') ?? '',
        direction: entry.int('trustdirection'),
        type: entry.int('trusttype'),
        attributes: entry.int('trustattributes'),
      });
    }
  }

  finish(): Inventory {
    const configKey = this.configurationDn === undefined ? undefined : dnKey(this.configurationDn);
    const schemaKey = this.schemaDn === undefined ? undefined : dnKey(this.schemaDn);
    const domains = this.resolveDomains(configKey);
    const domainsLongestFirst = [...domains.values()].sort((a, b) => b.key.length - a.key.length);
    // A member of a protected group that was not read (another domain, a foreign principal) has no container here.
    for (const key of this.privileged) {
      const node = this.containers.get(parentKey(key));
      if (node !== undefined) node.direct.privileged++;
    }
    for (const node of this.containers.values()) {
      addCounts(this.totals, node.direct);
      if (isInside(node.key, configKey) || isInside(node.key, schemaKey)) continue;
      const domain = domainsLongestFirst.find((d) => isAtOrBelow(node.key, d.key));
      if (domain !== undefined) addCounts(domain.counts, node.direct);
    }
    this.largeGroups.sort((a, b) => b.members - a.members);
    return {
      forest: {
        rootDomainDn: this.rootDomainDn(),
        configurationDn: this.configurationDn,
        schemaDn: this.schemaDn,
        functionalLevel: this.forestFunctionalLevel ?? this.rootDse?.forestFunctionality,
        upnSuffixes: this.upnSuffixes,
      },
      partitions: {
        configuration: this.configurationSeen,
        schema: this.schemaObjectVersion !== undefined || this.schemaAttributes.size > 0,
      },
      schema: {
        objectVersion: this.schemaObjectVersion,
        attributes: this.schemaAttributes,
        classes: this.schemaClasses,
      },
      rootDse: this.rootDse,
      domains: [...domains.values()].sort((a, b) => a.dnsName.localeCompare(b.dnsName)),
      containers: this.containers,
      groups: { total: this.groupTotal, large: this.largeGroups },
      trusts: this.trusts,
      totals: this.totals,
      unclassified: this.unclassified,
      evidence: this.evidence.finish(),
    };
  }

  /** Domains from crossRefs, from domain heads, and from the DC= suffix of objects seen without either. */
  private resolveDomains(configKey: string | undefined): Map<string, DomainInfo> {
    const domains = new Map<string, DomainInfo>();
    const ensure = (key: string, dn: string): DomainInfo => {
      let domain = domains.get(key);
      if (domain === undefined) {
        domain = {
          dn,
          key,
          dnsName: dnToDnsName(dn),
          netbiosName: undefined,
          functionalLevel: undefined,
          partitionRead: false,
          counts: emptyCounts(),
        };
        domains.set(key, domain);
      }
      return domain;
    };
    for (const ref of this.crossRefs) {
      const domain = ensure(ref.ncKey, ref.ncDn);
      domain.dnsName = ref.dnsRoot?.toLowerCase() ?? domain.dnsName;
      domain.netbiosName = ref.netbiosName;
      domain.functionalLevel = ref.functionalLevel;
    }
    const outsideDomains = (key: string): boolean =>
      isInside(key, configKey) || isConfigurationSubtree(key) || isApplicationPartition(key) || this.applicationPartitions.some((nc) => isAtOrBelow(key, nc));
    // Once the configuration partition names the forest's domains, an object elsewhere belongs to none of them.
    const forestNamesItsDomains = this.crossRefs.length > 0;
    for (const [key, head] of this.domainHeads) {
      if (outsideDomains(key) || (forestNamesItsDomains && !domains.has(key))) continue;
      const domain = ensure(key, head.dn);
      domain.partitionRead = true;
      domain.functionalLevel = head.functionalLevel ?? domain.functionalLevel;
      domain.dn = head.dn;
    }
    const outside = new Map<string, number>();
    for (const node of this.containers.values()) {
      if (outsideDomains(node.key)) continue;
      if ([...domains.keys()].some((key) => isAtOrBelow(node.key, key))) continue;
      const suffix = domainComponentSuffix(node.key);
      if (forestNamesItsDomains) outside.set(suffix, (outside.get(suffix) ?? 0) + objectsIn(node.direct));
      // An export of one OU subtree has neither: its objects and OUs still belong to the domain their DN names.
      else if (suffix !== '') ensure(suffix, originalSuffix(node.dn, suffix));
    }
    const named = [...domains.values()].map((d) => d.dnsName).join(', ');
    for (const [suffix, objects] of outside) {
      const place = this.suffixPlaces.get(suffix);
      if (place === undefined) continue;
      this.problems.push({
        severity: 'error',
        input: place.input,
        location: locationOf(place),
        message: `this object lies outside every domain the forest names (${named}), so it was counted in no domain${objects > 1 ? `, nor were the ${objects - 1} other objects under ${suffix === '' ? 'its parent' : originalSuffix(place.dn, suffix)}` : ''}`,
        hint: 'if it comes from another forest, scan each forest on its own; otherwise export the domains the forest names',
      });
    }
    return domains;
  }

  private rootDomainDn(): string | undefined {
    if (this.rootDomainFromDse !== undefined) return this.rootDomainFromDse;
    // The configuration partition always sits directly below the forest root domain.
    if (this.configurationDn !== undefined) return parentDn(this.configurationDn) || undefined;
    return undefined;
  }
}

function isInside(key: string, ancestor: string | undefined): boolean {
  return ancestor !== undefined && isAtOrBelow(key, ancestor);
}

/** Objects that count towards a domain: the kinds ObjectCounts holds. */
function objectsIn(counts: ObjectCounts): number {
  return counts.users + counts.groups + counts.contacts + counts.computers + counts.managedServiceAccounts;
}

/** Below "CN=Configuration,DC=...": a configuration subtree, also when exported without its head. */
export function isConfigurationSubtree(key: string): boolean {
  const suffix = domainComponentSuffix(key);
  const head = `cn=configuration,${suffix}`;
  return suffix !== '' && (key === head || key.endsWith(`,${head}`));
}

function isApplicationPartition(key: string): boolean {
  return (
    key.startsWith('dc=domaindnszones,') || key.startsWith('dc=forestdnszones,') || key.includes(',dc=domaindnszones,') || key.includes(',dc=forestdnszones,')
  );
}

/** The DC= suffix as written in the original DN (keeps the admin's casing in the report). */
function originalSuffix(dn: string, suffixKey: string): string {
  const components = suffixKey.split(',').length;
  const parts = dn.split(',');
  return parts
    .slice(parts.length - components)
    .map((p) => p.trim())
    .join(',');
}
