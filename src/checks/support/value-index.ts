import { dnKey } from '../../model/dn.js';
import type { ObjectRef } from '../check.js';
import { grown, NumberedRecords } from './page-store.js';
import { identityRef } from './unique-values.js';

/*
 * Off-heap storage for indexing a million values without a garbage-collected string each: a byte arena of
 * strings and an open-addressing hash set over it, and on top the values objects hold with every holder.
 * Used by hygiene.duplicate-values and the tenant digest. The holders' identities are in pages (PageStore), read
 * back only for findings and collisions.
 */

/**
 * Length-prefixed UTF-8 strings in Buffers of 16 MiB, addressed by offset. The bytes live outside the V8 heap, so a
 * million indexed values cost their bytes and no garbage-collected string each; growing adds a chunk instead of
 * copying everything into a buffer twice the size (which held both at once, 128 MB extra at a million users).
 */
export class Arena {
  /** Each chunk covers the offsets from its start to its start plus its length. */
  private readonly chunks: { start: number; bytes: Buffer }[] = [];
  private current = { start: 0, bytes: Buffer.alloc(0) };
  /** Bytes used in the current chunk. */
  private used = 0;

  /** Writes text after the kept strings without keeping it yet; returns its offset. */
  stage(text: string): number {
    const room = 4 + 3 * text.length;
    if (this.used + room > this.current.bytes.length) {
      this.current = { start: this.current.start + this.current.bytes.length, bytes: Buffer.allocUnsafeSlow(Math.max(ARENA_CHUNK_BYTES, room)) };
      this.chunks.push(this.current);
      this.used = 0;
    }
    const length = this.current.bytes.write(text, this.used + 4, 'utf8');
    this.current.bytes.writeUInt32LE(length, this.used);
    return this.current.start + this.used;
  }

  /** Keeps the string staged last. */
  keep(offset: number): void {
    this.used = offset - this.current.start + 4 + this.current.bytes.readUInt32LE(offset - this.current.start);
  }

  equal(a: number, b: number): boolean {
    const [aBytes, aAt] = this.locate(a);
    const [bBytes, bAt] = this.locate(b);
    const length = aBytes.readUInt32LE(aAt);
    return length === bBytes.readUInt32LE(bAt) && aBytes.compare(bBytes, bAt + 4, bAt + 4 + length, aAt + 4, aAt + 4 + length) === 0;
  }

  /** FNV-1a over the string's bytes. */
  hash(offset: number): number {
    const [bytes, at] = this.locate(offset);
    let h = 0x811c9dc5;
    const end = at + 4 + bytes.readUInt32LE(at);
    for (let i = at + 4; i < end; i++) h = Math.imul(h ^ (bytes[i] ?? 0), 0x01000193);
    return h >>> 0;
  }

  text(offset: number): string {
    const [bytes, at] = this.locate(offset);
    return bytes.toString('utf8', at + 4, at + 4 + bytes.readUInt32LE(at));
  }

  /** The chunk holding the offset, and where in it. */
  private locate(offset: number): [Buffer, number] {
    if (offset >= this.current.start) return [this.current.bytes, offset - this.current.start];
    let low = 0;
    let high = this.chunks.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if ((this.chunks[middle]?.start ?? 0) <= offset) low = middle;
      else high = middle - 1;
    }
    const chunk = this.chunks[low] ?? this.current;
    return [chunk.bytes, offset - chunk.start];
  }
}

const ARENA_CHUNK_BYTES = 16 << 20;

/**
 * An open-addressing hash set of value keys (in the arena), each remembering the packed first holder:
 * about 20 bytes of table per value at a load of at most one half, besides the value's own bytes.
 */
export class FirstHolderIndex {
  private slots = new Uint32Array(1 << 16); // entry number + 1; 0 = empty
  private keyAt = new Uint32Array(1 << 15);
  private hashAt = new Uint32Array(1 << 15);
  private holderAt = new Uint32Array(1 << 15);
  private count = 0;

  constructor(private readonly arena: Arena) {}

  get size(): number {
    return this.count;
  }

  /** The packed first holder of an equal key already indexed, or undefined after indexing this one. */
  firstOrAdd(key: string, packed: number): number | undefined {
    const offset = this.arena.stage(key);
    const hash = this.arena.hash(offset);
    const { slot, found } = this.probe(offset, hash);
    if (found !== undefined) return this.holderAt[found];
    this.arena.keep(offset);
    if (this.count === this.keyAt.length) {
      this.keyAt = grown(this.keyAt, this.count * 2);
      this.hashAt = grown(this.hashAt, this.count * 2);
      this.holderAt = grown(this.holderAt, this.count * 2);
    }
    this.keyAt[this.count] = offset;
    this.hashAt[this.count] = hash;
    this.holderAt[this.count] = packed;
    this.slots[slot] = ++this.count;
    if (this.count * 2 > this.slots.length) this.rehash();
    return undefined;
  }

  /** The packed first holder of an equal key, without indexing it. */
  find(key: string): number | undefined {
    const offset = this.arena.stage(key);
    const { found } = this.probe(offset, this.arena.hash(offset));
    return found === undefined ? undefined : this.holderAt[found];
  }

  /** Every key with its packed first holder, in the order they were indexed. */
  *entries(): Generator<[key: string, packed: number]> {
    for (let i = 0; i < this.count; i++) yield [this.arena.text(this.keyAt[i] ?? 0), this.holderAt[i] ?? 0];
  }

  /** The slot where the staged key at `offset` is, or where it would go. */
  private probe(offset: number, hash: number): { slot: number; found: number | undefined } {
    const mask = this.slots.length - 1;
    let slot = hash & mask;
    for (let entry = this.slots[slot] ?? 0; entry !== 0; entry = this.slots[slot] ?? 0) {
      const i = entry - 1;
      if (this.hashAt[i] === hash && this.arena.equal(this.keyAt[i] ?? 0, offset)) return { slot, found: i };
      slot = (slot + 1) & mask;
    }
    return { slot, found: undefined };
  }

  private rehash(): void {
    this.slots = new Uint32Array(this.slots.length * 2);
    const mask = this.slots.length - 1;
    for (let i = 0; i < this.count; i++) {
      let slot = (this.hashAt[i] ?? 0) & mask;
      while ((this.slots[slot] ?? 0) !== 0) slot = (slot + 1) & mask;
      this.slots[slot] = i + 1;
    }
  }
}

/**
 * Objects that hold indexed values, each kept once as its identity text (see identityText) in pages, the oldest
 * of them in a temporary file (PageStore): one per object, about 110 bytes, and read back only for the objects a
 * finding names and where two objects hold one value, so a million of them cost a few megabytes of memory.
 */
export class Holders {
  private readonly records = new NumberedRecords();

  get size(): number {
    return this.records.length;
  }

  /** Keeps a holder's identity text; returns its number. */
  add(identity: string): number {
    return this.records.add(Buffer.byteLength(identity, 'utf8'), (bytes, at) => {
      bytes.write(identity, at, 'utf8');
    });
  }

  identity(holder: number): string {
    const { bytes, at, end } = this.records.read(holder);
    return bytes.toString('utf8', at, end);
  }

  ref(holder: number): ObjectRef {
    return identityRef(this.identity(holder));
  }
}

const ATTRIBUTE_BITS = 3;

/** One value's holder: which object, and the attribute (a small number the caller defines) the value was read from. */
export interface Holding {
  holder: number;
  attribute: number;
}

/**
 * Values and the objects holding them: the first holder of each value in the off-heap index, every further
 * holder (rare: a duplicate) in a map of its own. Holder number and attribute (up to 8) are packed in 32 bits.
 */
export class HeldValues {
  private readonly index: FirstHolderIndex;
  /** Values held by more than one object: every holding, the first one first. */
  readonly shared = new Map<string, Holding[]>();

  constructor(readonly holders: Holders) {
    this.index = new FirstHolderIndex(new Arena());
  }

  get size(): number {
    return this.index.size;
  }

  /**
   * Records that `holder` holds `key`. The same object read twice (overlapping inputs, the same DN) is not a
   * duplicate of itself.
   */
  add(key: string, holding: Holding): void {
    const earlier = this.index.firstOrAdd(key, (holding.holder << ATTRIBUTE_BITS) | holding.attribute);
    if (earlier === undefined) return;
    const first = unpacked(earlier);
    if (dnKey(this.holders.ref(first.holder).dn) === dnKey(this.holders.ref(holding.holder).dn)) return;
    const list = this.shared.get(key);
    if (list === undefined) this.shared.set(key, [first, holding]);
    else list.push(holding);
  }

  /** Every holding of the value, or undefined when no object holds it. */
  holdings(key: string): Holding[] | undefined {
    const shared = this.shared.get(key);
    if (shared !== undefined) return shared;
    const first = this.index.find(key);
    return first === undefined ? undefined : [unpacked(first)];
  }

  /** Every value with every holding. */
  *entries(): Generator<[key: string, holdings: Holding[]]> {
    for (const [key, packed] of this.index.entries()) yield [key, this.shared.get(key) ?? [unpacked(packed)]];
  }
}

function unpacked(packed: number): Holding {
  return { holder: packed >>> ATTRIBUTE_BITS, attribute: packed & ((1 << ATTRIBUTE_BITS) - 1) };
}
