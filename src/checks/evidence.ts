import type { Inventory } from '../inventory/inventory.js';
import { dnKey } from '../model/dn.js';
import type { ObjectKind } from '../model/entry.js';

/**
 * What a check needs to have been read. Without it the engine reports the check as not evaluated and names
 * what was missing, so "nothing found" is never claimed about data that did not come in.
 */
export type EvidenceSubject =
  | { partition: 'domain' | 'configuration' | 'schema' }
  /** A container's own entry, by its RDN path as AD spells it ("CN=Services"), in the configuration partition or in every domain read. */
  | { container: string; in: 'configuration' | 'every-domain' }
  /** At least one object of this kind. */
  | { objects: ObjectKind }
  /** The attribute on at least one object of this kind: proof that such objects came back with their attributes. */
  | { attribute: string; of: ObjectKind }
  /**
   * The Connect Sync configuration export (--connect-config). An optional input: without it the engine does not run
   * the check at all (reported as switched off by the missing export), so a scan without one judges as before.
   */
  | { connectExport: true };

/**
 * By default a check is not run at all without its evidence (its findings could rest on the absence).
 * `toPass`: the check may still report what it found elsewhere, but cannot pass without it.
 * `why`: what the check looks for there, for the not-evaluated reason.
 */
export type Evidence = EvidenceSubject & { toPass?: true; why?: string };

export function partition(name: 'domain' | 'configuration' | 'schema', why?: string): Evidence {
  return { partition: name, ...(why === undefined ? {} : { why }) };
}

export function container(rdnPath: string, where: 'configuration' | 'every-domain', why?: string): Evidence {
  return { container: rdnPath, in: where, ...(why === undefined ? {} : { why }) };
}

export function objects(kind: ObjectKind): Evidence {
  return { objects: kind };
}

export function attribute(name: string, of: ObjectKind): Evidence {
  return { attribute: name, of };
}

export function connectExport(): Evidence {
  return { connectExport: true };
}

export function needsConnectExport(evidence: readonly Evidence[]): boolean {
  return evidence.some((e) => 'connectExport' in e);
}

/** Marks evidence that is needed to pass, not to report a finding. */
export function toPass(evidence: Evidence): Evidence {
  return { ...evidence, toPass: true };
}

function partitionText(name: 'domain' | 'configuration' | 'schema', why: string | undefined): string {
  const also = why === undefined ? '' : `, ${why}`;
  if (name === 'domain') return `no domain partition (a domain head, DC=...${also}) is in the input`;
  return `the ${name} partition (${name === 'schema' ? 'CN=Schema,' : ''}CN=Configuration,...${also}) is not in the input`;
}

const KIND_TEXT: Partial<Record<ObjectKind, string>> = { 'managed-service-account': 'managed service account', 'organizational-unit': 'organizational unit' };

function kindText(kind: ObjectKind): string {
  return KIND_TEXT[kind] ?? kind;
}

export function hasPartition(inventory: Inventory, name: 'domain' | 'configuration' | 'schema'): boolean {
  if (name === 'domain') return inventory.domains.some((d) => d.partitionRead);
  return inventory.partitions[name];
}

/** Why this piece of evidence is missing from what was read, or undefined when it is there. */
export function missing(evidence: Evidence, inventory: Inventory): string | undefined {
  // The engine runs a check that needs the export only when one was given.
  if ('connectExport' in evidence) return undefined;
  if ('partition' in evidence) return hasPartition(inventory, evidence.partition) ? undefined : partitionText(evidence.partition, evidence.why);
  if ('container' in evidence) {
    // A container of a partition that was not read at all says nothing the partition's own reason does not.
    if (evidence.in === 'configuration' && !inventory.partitions.configuration) return undefined;
    return missingContainer(`${evidence.container}${evidence.why === undefined ? '' : ` (${evidence.why})`}`, evidence.container, evidence.in, inventory);
  }
  if ('objects' in evidence) {
    return (inventory.evidence.kinds.get(evidence.objects)?.count ?? 0) > 0 ? undefined : `no ${kindText(evidence.objects)} object is in the input`;
  }
  const seen = inventory.evidence.kinds.get(evidence.of);
  if (seen === undefined || seen.count === 0) return `no ${kindText(evidence.of)} object is in the input`;
  if (seen.attributes.has(evidence.attribute.toLowerCase())) return undefined;
  return `none of the ${seen.count.toLocaleString('en-US')} ${kindText(evidence.of)} objects carries ${evidence.attribute} (not exported, or not readable by the account that read them)`;
}

function missingContainer(named: string, rdnPath: string, where: 'configuration' | 'every-domain', inventory: Inventory): string | undefined {
  const read = (parentDnOfContainer: string): boolean => {
    const node = inventory.containers.get(dnKey(`${rdnPath},${parentDnOfContainer}`));
    return node !== undefined && node.kind !== 'implied';
  };
  if (where === 'configuration') {
    const configuration = inventory.forest.configurationDn;
    if (configuration !== undefined && read(configuration)) return undefined;
    return `${named} of the configuration partition is not in the input`;
  }
  const unread = inventory.domains.filter((d) => d.partitionRead && !read(d.dn));
  return unread.length === 0 ? undefined : `${named} is not in the input for ${unread.map((d) => d.dnsName).join(', ')}`;
}

/**
 * Objects that came back as bare DNs, in a sentence with the count and where, or undefined when there were
 * none. Missing evidence is then most likely a rights problem, not a missing export.
 */
export function unreadableNote(inventory: Inventory): string | undefined {
  const { count, containers } = inventory.evidence.unreadable;
  if (count === 0) return undefined;
  const where = [...containers.keys()].slice(0, 3).join('; ');
  return (
    `${count.toLocaleString('en-US')} object(s) came back without any attribute (in ${where}${containers.size > 3 ? `; and ${containers.size - 3} more containers` : ''}): ` +
    'the account that read them could list them but not read them'
  );
}

/** The evidence in words, for the catalog: "CN=Services in the configuration partition", "operatingSystem on computer objects". */
export function describeEvidence(evidence: Evidence): string {
  if ('connectExport' in evidence) return 'the Connect Sync configuration export (--connect-config)';
  if ('partition' in evidence) return evidence.partition === 'domain' ? 'a domain partition' : `the ${evidence.partition} partition`;
  if ('container' in evidence) return `${evidence.container} ${evidence.in === 'configuration' ? 'in the configuration partition' : 'in every domain read'}`;
  if ('objects' in evidence) return `${kindText(evidence.objects)} objects`;
  return `${evidence.attribute} on ${kindText(evidence.of)} objects`;
}
