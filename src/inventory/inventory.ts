import { dnKey, dnToDnsName } from '../model/dn.js';
import type { EvidenceRecord } from './evidence.js';

/** What one pass over the entries knows about the forest. Built by InventoryBuilder. */

export interface ObjectCounts {
  users: number;
  groups: number;
  contacts: number;
  computers: number;
  managedServiceAccounts: number;
  /** Users, groups and contacts that Connect Sync's default rules skip (critical system objects, MSOL_/AAD_, conflicts). */
  excluded: number;
  /**
   * Privileged accounts: objects with adminCount=1 (AdminSDHolder-protected) and direct members of a group with
   * adminCount=1 (a protected group such as Domain Admins). A pilot needs ordinary users, never these.
   */
  privileged: number;
}

export type ContainerKind = 'domain' | 'organizational-unit' | 'container' | 'implied';

/** A place objects live in: the domain head, an OU, or a container such as CN=Users. */
export interface ContainerNode {
  dn: string;
  key: string;
  parentKey: string;
  /** "implied" when objects below it were seen but the container's own entry was not. */
  kind: ContainerKind;
  /** Objects directly inside it. */
  direct: ObjectCounts;
}

export interface DomainInfo {
  dn: string;
  key: string;
  dnsName: string;
  netbiosName: string | undefined;
  /** msDS-Behavior-Version of the domain (domain head or its crossRef). */
  functionalLevel: number | undefined;
  /** The domain naming context head was in the input, so this domain's partition was read. */
  partitionRead: boolean;
  /** Totals over all containers of the domain. */
  counts: ObjectCounts;
}

export interface GroupSize {
  dn: string;
  members: number;
  /**
   * exact: every value is known. may-be-truncated: exactly 1,500 or 1,000 values with no range
   * marker, AD's range-retrieval limits, so the export may have stopped there. truncated: range
   * windows that never reached "*".
   */
  completeness: 'exact' | 'may-be-truncated' | 'truncated';
}

export interface TrustInfo {
  dn: string;
  partner: string;
  /** 0 disabled, 1 inbound, 2 outbound, 3 both (MS-ADTS 6.1.6.7). */
  direction: number | undefined;
  type: number | undefined;
  attributes: number | undefined;
}

export interface RootDseFacts {
  dnsHostName: string | undefined;
  defaultNamingContext: string | undefined;
  highestCommittedUSN: string | undefined;
  domainFunctionality: number | undefined;
  forestFunctionality: number | undefined;
  domainControllerFunctionality: number | undefined;
}

export interface Inventory {
  forest: {
    rootDomainDn: string | undefined;
    configurationDn: string | undefined;
    schemaDn: string | undefined;
    functionalLevel: number | undefined;
    upnSuffixes: string[];
  };
  /** Which partitions the input covered; checks that need a missing one are not evaluated. */
  partitions: {
    configuration: boolean;
    schema: boolean;
  };
  schema: {
    objectVersion: number | undefined;
    /** lDAPDisplayName of every attributeSchema seen, lower-case. */
    attributes: ReadonlySet<string>;
    /** lDAPDisplayName of every classSchema seen, lower-case. */
    classes: ReadonlySet<string>;
  };
  rootDse: RootDseFacts | undefined;
  domains: DomainInfo[];
  containers: ReadonlyMap<string, ContainerNode>;
  groups: {
    total: number;
    /** Groups with 1,000 or more members, or whose member list is not known to be whole, largest first. */
    large: GroupSize[];
  };
  trusts: TrustInfo[];
  totals: ObjectCounts & { entries: number };
  /** Entries with no objectClass: they cannot be classified, so counts would be wrong without them. */
  unclassified: { count: number; firstDn: string | undefined };
  /** What was read, so checks can tell an absence from data that never came in. */
  evidence: EvidenceRecord;
}

export function emptyCounts(): ObjectCounts {
  return { users: 0, groups: 0, contacts: 0, computers: 0, managedServiceAccounts: 0, excluded: 0, privileged: 0 };
}

export function addCounts(into: ObjectCounts, from: ObjectCounts): void {
  into.users += from.users;
  into.groups += from.groups;
  into.contacts += from.contacts;
  into.computers += from.computers;
  into.managedServiceAccounts += from.managedServiceAccounts;
  into.excluded += from.excluded;
  into.privileged += from.privileged;
}

/** Users, groups and contacts that Cloud Sync would synchronise: what its per-domain limit counts. */
export function syncedObjects(counts: ObjectCounts): number {
  return counts.users + counts.groups + counts.contacts - counts.excluded;
}

/** The name of a forest nothing in the input named: no configuration partition and no domain. */
export const UNKNOWN_FOREST = 'unknown forest';

/** The forest's name: its root domain's DNS name; without the configuration partition, the domain nearest the top of the tree. */
export function forestName(inventory: Inventory): string | undefined {
  const root = inventory.forest.rootDomainDn;
  if (root !== undefined) {
    const key = dnKey(root);
    return inventory.domains.find((d) => d.key === key)?.dnsName ?? dnToDnsName(root);
  }
  return [...inventory.domains].sort((a, b) => a.key.length - b.key.length || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))[0]?.dnsName;
}
