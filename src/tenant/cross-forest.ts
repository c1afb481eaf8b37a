import { compareText } from '../model/order.js';
import type { ObjectRef } from '../checks/check.js';
import type { Holders } from '../checks/support/value-index.js';
import { dnKey } from '../model/dn.js';
import { OBJECT_SID, type DigestValues, type TenantDigest } from './digest.js';

/** A digest whose values can be compared. */
export type ComparableDigest = TenantDigest & { values: DigestValues };

/**
 * Which forests' values can be compared: values read in this run with each other, hashed values only with
 * values hashed with the same key. A forest whose report carries no values is compared with none.
 */
export interface ValueComparison {
  groups: ComparableDigest[][];
  /** Unique values held in more than one forest of a group, found once for every rule that reads them. */
  shared: SharedAcrossForests[];
  /** Why some forests were not compared with some others; undefined when every forest was compared with every other. */
  notCompared: string | undefined;
}

export function compareValues(digests: readonly TenantDigest[]): ValueComparison {
  const without = digests.filter((d) => d.values === undefined).map((d) => d.forest);
  const byForm = new Map<string, ComparableDigest[]>();
  for (const digest of digests) {
    if (digest.values === undefined) continue;
    const form = digest.values.keyCheck ?? '';
    byForm.set(form, [...(byForm.get(form) ?? []), { ...digest, values: digest.values }]);
  }
  const reasons: string[] = [];
  if (without.length > 0 && digests.length > 1) {
    reasons.push(
      `${without.length === 1 ? 'the report' : 'the reports'} of ${without.join(', ')} ${without.length === 1 ? 'was' : 'were'} made without --value-hashes, so their unique values and SIDs could not be compared`,
    );
  }
  if (byForm.size > 1) {
    const groups = [...byForm].map(
      ([form, group]) => `${group.map((d) => d.forest).join(' and ')} (${form === '' ? 'read in this run' : `key check ${form}`})`,
    );
    reasons.push(`the forests' values were hashed with different keys: ${groups.join('; ')}; only values hashed with the same key can be compared`);
  }
  const groups = [...byForm.values()];
  return { groups, shared: groups.flatMap((group) => sharedAcrossForests(group)), notCompared: reasons.length === 0 ? undefined : reasons.join('; ') };
}

export interface ForestHolder {
  readonly forest: string;
  readonly ref: ObjectRef;
  readonly attribute: number;
}

/** One value held in more than one forest, with every holder in every forest. */
export interface SharedAcrossForests {
  key: string;
  hashed: boolean;
  holders: ForestHolder[];
}

/**
 * A holder of a value in a digest's index, its ObjectRef made from the index's off-heap record each time it is read:
 * two forests can share hundreds of thousands of values (GAL synchronisation), and their holders as ObjectRefs
 * would cost hundreds of bytes each for as long as the tenant rules run.
 */
class IndexedHolder implements ForestHolder {
  constructor(
    readonly forest: string,
    private readonly holders: Holders,
    private readonly holder: number,
    readonly attribute: number,
  ) {}

  get ref(): ObjectRef {
    return this.holders.ref(this.holder);
  }
}

function holdersIn(digest: ComparableDigest, key: string): ForestHolder[] {
  const { held } = digest.values;
  return (held.holdings(key) ?? []).map((h) => new IndexedHolder(digest.forest, held.holders, h.holder, h.attribute));
}

/**
 * Unique values (not SIDs) held in two or more forests of one comparable group. Each value is reported once,
 * from the first forest holding it; lookups in the other forests' off-heap indexes, so nothing is copied.
 */
function sharedAcrossForests(group: readonly ComparableDigest[]): SharedAcrossForests[] {
  const shared: SharedAcrossForests[] = [];
  for (const [i, digest] of group.entries()) {
    const earlier = group.slice(0, i);
    const later = group.slice(i + 1);
    for (const [key, holdings] of digest.values.held.entries()) {
      if (holdings[0]?.attribute === OBJECT_SID) continue;
      if (earlier.some((d) => d.values.held.holdings(key) !== undefined)) continue;
      const elsewhere = later.flatMap((d) => holdersIn(d, key));
      if (elsewhere.length === 0) continue;
      shared.push({ key, hashed: digest.values.keyCheck !== undefined, holders: byForestAndDn([...holdersIn(digest, key), ...elsewhere]) });
    }
  }
  // Values and holders in an order of their own, so that what is listed does not depend on the order the forests came in.
  return shared.sort((a, b) => compareText(a.key, b.key));
}

/** A linked mailbox in one forest and the account in another forest it belongs to (msExchMasterAccountSID = objectSid). */
export interface LinkedPair {
  mailbox: ForestHolder;
  account: ForestHolder;
}

function byForestAndDn(holders: ForestHolder[]): ForestHolder[] {
  const order = (h: ForestHolder): string => `${h.forest}\u0000${dnKey(h.ref.dn)}`;
  return holders
    .map((h) => ({ h, key: order(h) }))
    .sort((a, b) => compareText(a.key, b.key))
    .map(({ h }) => h);
}

export function linkedPairs(group: readonly ComparableDigest[]): LinkedPair[] {
  const pairs: LinkedPair[] = [];
  for (const resource of group) {
    const { links } = resource.values;
    for (const [key, holdings] of links.entries()) {
      for (const other of group) {
        if (other === resource) continue;
        const accounts = holdersIn(other, key).filter((h) => h.attribute === OBJECT_SID);
        for (const holding of holdings) {
          const mailbox = { forest: resource.forest, ref: links.holders.ref(holding.holder), attribute: holding.attribute };
          for (const account of accounts) pairs.push({ mailbox, account });
        }
      }
    }
  }
  return pairs;
}
