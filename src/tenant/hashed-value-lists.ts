import { identityRef } from '../checks/support/unique-values.js';
import { grown } from '../checks/support/page-store.js';
import { TextList, TextSorter } from '../checks/support/sorted-texts.js';
import { dnKey } from '../model/dn.js';
import { compareText } from '../model/order.js';

/*
 * The value hashes a report carries (--value-hashes): the holders' identities sorted, and a line
 * "<hash> <holder's position> <attribute>" per holding, sorted, so that the same forest read in another file
 * order gives the same JSON. Both lists are sorted in runs off the V8 heap (TextSorter) and read back in order
 * as the report is written: a million users hold about five million values.
 */

/** The report's value hashes: read-only lists, read in order by the JSON writer. */
export interface ValueHashLists {
  keyCheck: string;
  holders: readonly string[];
  values: readonly string[];
}

/** Holder identities sorted, and each holder's position among them by the number it was added to the sorter as. */
export function sortHolders(identities: TextSorter): { sorted: TextList; position: Uint32Array } {
  const sorted = identities.sorted();
  const position = new Uint32Array(sorted.length);
  let at = 0;
  for (const holder of sorted.sources()) position[holder] = at++;
  return { sorted, position };
}

/** One holding as the collector saw it: which holder, the how-many-th value of that holder, and the attribute. */
interface Holding {
  hash: string;
  holder: number;
  order: number;
  attribute: number;
}

/**
 * A one-forest scan's value hashes, written as the forest is read: no index of the values in memory (a one-forest
 * scan has nothing to compare them with), only runs of sorted lines. It keeps what the in-memory index
 * (HeldValues) keeps: every holding of a value, but a holding by an object with the DN of the value's first holder
 * (the same object read twice, from overlapping inputs) once.
 */
export class HashedValueWriter {
  private readonly identities = new TextSorter();
  private readonly holdings = new TextSorter();
  /** A 32-bit hash of each holder's DN key: holders with different hashes are different objects. */
  private dnHashes = new Uint32Array(1 << 12);
  private holderCount = 0;
  private valuesOfHolder = 0;

  /**
   * `hash`: the keyed hash of a value's comparison key; `keyCheck`: that key's check; `linkAttribute`: the attribute
   * whose values are compared apart from the others (an object's link to another's SID, not a value of its own).
   */
  constructor(
    private readonly hash: (key: string) => string,
    private readonly keyCheck: string,
    private readonly linkAttribute: number,
  ) {}

  /** Adds a holder, the object the values added next belong to; `key` is its DN's key (dnKey). */
  addHolder(identity: string, key: string): void {
    if (this.holderCount === this.dnHashes.length) this.dnHashes = grown(this.dnHashes, this.holderCount * 2);
    this.dnHashes[this.holderCount++] = textHash(key);
    this.identities.add(identity);
    this.valuesOfHolder = 0;
  }

  /** The holder added last holds the value with this comparison key, read from `attribute`. */
  addValue(key: string, attribute: number): void {
    this.holdings.add(`${this.hash(key)} ${this.holderCount - 1} ${this.valuesOfHolder++} ${attribute}`);
  }

  /** The lists, sorted. The writer is not used again. */
  finish(): ValueHashLists {
    const holders = sortHolders(this.identities);
    const holdings = this.holdings.sorted();
    const lines = new TextList();
    // Sorted by the whole line, holdings of one value are next to each other, and a value's lines sort among
    // themselves only: every line starts with the hash, and every hash has the same length.
    let group: Holding[] = [];
    const emit = (): void => {
      for (const line of this.linesOf(group, holders)) lines.add(line, 0);
      group = [];
    };
    for (let i = 0; i < holdings.length; i++) {
      const [hash = '', holder = '', order = '', attribute = ''] = holdings.at(i).split(' ');
      if (group.length > 0 && group[0]?.hash !== hash) emit();
      group.push({ hash, holder: Number(holder), order: Number(order), attribute: Number(attribute) });
    }
    emit();
    holdings.close();
    return { keyCheck: this.keyCheck, holders: holders.sorted.view(), values: lines.view() };
  }

  /** The report's lines for one value's holdings, sorted. */
  private linesOf(group: readonly Holding[], holders: { sorted: TextList; position: Uint32Array }): string[] {
    const lineOf = (h: Holding): string => `${h.hash} ${holders.position[h.holder]} ${h.attribute}`;
    if (group.length === 1) return group.map(lineOf);
    const dnKeyOf = (holder: number): string => dnKey(identityRef(holders.sorted.at(holders.position[holder] ?? 0)).dn);
    const sameObject = (a: number, b: number): boolean => a === b || (this.dnHashes[a] === this.dnHashes[b] && dnKeyOf(a) === dnKeyOf(b));
    const kept: Holding[] = [];
    for (const isLink of [false, true]) {
      const set = group.filter((h) => (h.attribute === this.linkAttribute) === isLink);
      let first: Holding | undefined;
      for (const h of set) if (first === undefined || (h.holder - first.holder || h.order - first.order) < 0) first = h;
      if (first === undefined) continue;
      const { holder } = first;
      kept.push(first, ...set.filter((h) => h !== first && !sameObject(h.holder, holder)));
    }
    return kept.map(lineOf).sort(compareText);
  }
}

/** FNV-1a over the UTF-16 code units. */
function textHash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}
