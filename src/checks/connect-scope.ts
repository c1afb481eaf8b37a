import type { ContainerNode, Inventory } from '../inventory/inventory.js';
import { dnKey, dnToDnsName, isAtOrBelow, parentKey } from '../model/dn.js';
import { adConnectors, type AdPartition, type ConnectConfig } from '../sources/connect-config/model.js';

export interface PartitionScope {
  /** The domain's DN as the connector names it. */
  dn: string;
  connector: string;
  /** The connector file the OU filter was read from. */
  file: string;
  includedContainers: number;
  /** Users, groups and contacts under the OU filter, for the object classes the connector reads; undefined when the domain was not read. */
  inScope: number | undefined;
}

export interface ConnectScope {
  partitions: PartitionScope[];
  /** Sum over the selected partitions; undefined while any of them was not read from AD. */
  total: number | undefined;
  /** Selected partitions whose domain is not in the input. */
  notRead: string[];
}

/**
 * Whether Connect's OU filter takes a container: the nearest of its ancestors (itself included) that the filter
 * names decides; a partition whose filter names nothing is taken whole (no OU filtering configured).
 */
export class OuFilter {
  private readonly decisions = new Map<string, boolean>();

  constructor(
    private readonly partitionKey: string,
    partition: Pick<AdPartition, 'inclusions' | 'exclusions'>,
  ) {
    for (const dn of partition.exclusions) this.decisions.set(dnKey(dn), false);
    for (const dn of partition.inclusions) this.decisions.set(dnKey(dn), true);
  }

  includes(containerKey: string): boolean {
    if (this.decisions.size === 0) return true;
    for (let key = containerKey; key !== '' && isAtOrBelow(key, this.partitionKey); key = parentKey(key)) {
      const decision = this.decisions.get(key);
      if (decision !== undefined) return decision;
    }
    return false;
  }
}

/**
 * Whether Connect synchronises what is in a container today: the selected partition holding it (the nearest one
 * above it, so a child domain is its own) and that partition's OU filter decide.
 */
export function synchronisedByConnect(config: ConnectConfig): (containerKey: string) => boolean {
  const filters = selectedPartitions(config).map(({ partition }) => {
    const key = dnKey(partition.dn);
    return { key, filter: new OuFilter(key, partition) };
  });
  return (containerKey) => {
    let nearest: { key: string; filter: OuFilter } | undefined;
    for (const candidate of filters) {
      if (isAtOrBelow(containerKey, candidate.key) && (nearest === undefined || candidate.key.length > nearest.key.length)) nearest = candidate;
    }
    return nearest?.filter.includes(containerKey) === true;
  };
}

/**
 * The export as one forest's scan sees it. One Connect server may synchronise several forests (an AD connector each):
 * a forest is judged on its own connectors (a selected partition is one of its domains read, or the connector's
 * forest-name is its root domain), every connector that is not AD (Entra ID, other sources) and the rules of those.
 * undefined when none of the export's AD connectors reads this forest. While no domain was read, or the export selects
 * no partition, nothing tells the connectors apart: the export is taken whole.
 */
export function forestView(config: ConnectConfig, inventory: Inventory): ConnectConfig | undefined {
  const domainKeys = new Set(inventory.domains.filter((d) => d.partitionRead).map((d) => d.key));
  const root = inventory.forest.rootDomainDn;
  const forestName = root === undefined ? undefined : dnToDnsName(root).toLowerCase();
  if (domainKeys.size === 0 || selectedPartitions(config).length === 0) return config;
  const ad = adConnectors(config);
  const own = ad.filter(
    (c) => c.partitions.some((p) => p.selected && domainKeys.has(dnKey(p.dn))) || (forestName !== undefined && c.forestName?.toLowerCase() === forestName),
  );
  if (own.length === 0) return undefined;
  if (own.length === ad.length) return config;
  const connectors = config.connectors.filter((c) => c.kind !== 'ad' || own.includes(c));
  const kept = new Set(connectors.map((c) => c.id));
  return { ...config, connectors, rules: config.rules.filter((r) => kept.has(r.connectorId)) };
}

/** Selected partitions of every AD connector, with the connector they belong to. */
export function selectedPartitions(config: ConnectConfig): { partition: AdPartition; connector: string; file: string }[] {
  return adConnectors(config).flatMap((connector) =>
    connector.partitions.filter((p) => p.selected).map((partition) => ({ partition, connector: connector.name, file: connector.file })),
  );
}

/**
 * Users, groups and contacts in Connect's scope: the inventory's per-container counts under the included and not
 * excluded containers of each selected partition of this forest's connectors, for the object classes the partition reads. One pass over the
 * containers, never over objects. Objects Connect's default rules skip (critical system objects, MSOL_ ...) are
 * counted as the inventory counts them, without their class, so they are taken off the total only when users,
 * groups and contacts are all read.
 */
export function connectScope(config: ConnectConfig, inventory: Inventory): ConnectScope {
  const view = forestView(config, inventory);
  if (view === undefined) return { partitions: [], total: undefined, notRead: [] };
  const domainKeys = inventory.domains.filter((d) => d.partitionRead).map((d) => d.key);
  const partitions: PartitionScope[] = [];
  const notRead: string[] = [];
  for (const { partition, connector, file } of selectedPartitions(view)) {
    const key = dnKey(partition.dn);
    const read = domainKeys.includes(key);
    if (!read) notRead.push(partition.dn);
    const filter = new OuFilter(key, partition);
    const classes = new Set(partition.objectClasses.map((c) => c.toLowerCase()));
    const counted = { users: classes.has('user') || classes.has('inetorgperson'), groups: classes.has('group'), contacts: classes.has('contact') };
    let inScope = 0;
    if (read) {
      for (const node of inventory.containers.values()) {
        if (!isAtOrBelow(node.key, key) || owningDomain(node, domainKeys) !== key || !filter.includes(node.key)) continue;
        inScope += (counted.users ? node.direct.users : 0) + (counted.groups ? node.direct.groups : 0) + (counted.contacts ? node.direct.contacts : 0);
        if (counted.users && counted.groups && counted.contacts) inScope -= node.direct.excluded;
      }
    }
    partitions.push({ dn: partition.dn, connector, file, includedContainers: partition.inclusions.length, inScope: read ? Math.max(0, inScope) : undefined });
  }
  const total = notRead.length > 0 ? undefined : partitions.reduce((n, p) => n + (p.inScope ?? 0), 0);
  return { partitions, total, notRead };
}

/** A child domain's containers lie below its parent's DN too: the longest domain key above a container owns it. */
function owningDomain(node: ContainerNode, domainKeys: readonly string[]): string | undefined {
  let owner: string | undefined;
  for (const key of domainKeys) if (isAtOrBelow(node.key, key) && (owner === undefined || key.length > owner.length)) owner = key;
  return owner;
}
