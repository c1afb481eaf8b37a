/*
 * Off-heap storage for indexing a million values without a garbage-collected string each: a byte arena of
 * strings and an open-addressing hash set over it. Used by hygiene.duplicate-values.
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

export function grown(old: Uint32Array<ArrayBuffer>, size: number): Uint32Array<ArrayBuffer> {
  const next = new Uint32Array(size);
  next.set(old.subarray(0, Math.min(old.length, size)));
  return next;
}

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

  /** The packed first holder of an equal key already indexed, or undefined after indexing this one. */
  firstOrAdd(key: string, packed: number): number | undefined {
    const offset = this.arena.stage(key);
    const hash = this.arena.hash(offset);
    const mask = this.slots.length - 1;
    let slot = hash & mask;
    for (let entry = this.slots[slot] ?? 0; entry !== 0; entry = this.slots[slot] ?? 0) {
      const i = entry - 1;
      if (this.hashAt[i] === hash && this.arena.equal(this.keyAt[i] ?? 0, offset)) return this.holderAt[i];
      slot = (slot + 1) & mask;
    }
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
