/*
 * Off-heap storage for indexing a million values without a garbage-collected string each: a byte arena of
 * strings and an open-addressing hash set over it. Used by hygiene.duplicate-values.
 */

/**
 * Length-prefixed UTF-8 strings in one growing Buffer, addressed by offset. The bytes live outside the
 * V8 heap, so a million indexed values cost their bytes and no garbage-collected string each.
 */
export class Arena {
  private bytes = Buffer.allocUnsafe(1 << 20);
  private used = 0;

  /** Writes text after the kept strings without keeping it yet; returns its offset. */
  stage(text: string): number {
    this.reserve(4 + 3 * text.length);
    const length = this.bytes.write(text, this.used + 4, 'utf8');
    this.bytes.writeUInt32LE(length, this.used);
    return this.used;
  }

  /** Keeps the string staged last. */
  keep(offset: number): void {
    this.used = offset + 4 + this.bytes.readUInt32LE(offset);
  }

  equal(a: number, b: number): boolean {
    const length = this.bytes.readUInt32LE(a);
    return length === this.bytes.readUInt32LE(b) && this.bytes.compare(this.bytes, b + 4, b + 4 + length, a + 4, a + 4 + length) === 0;
  }

  /** FNV-1a over the string's bytes. */
  hash(offset: number): number {
    let h = 0x811c9dc5;
    const end = offset + 4 + this.bytes.readUInt32LE(offset);
    for (let i = offset + 4; i < end; i++) h = Math.imul(h ^ (this.bytes[i] ?? 0), 0x01000193);
    return h >>> 0;
  }

  text(offset: number): string {
    return this.bytes.toString('utf8', offset + 4, offset + 4 + this.bytes.readUInt32LE(offset));
  }

  private reserve(extra: number): void {
    if (this.used + extra <= this.bytes.length) return;
    const next = Buffer.allocUnsafe(Math.max(this.bytes.length * 2, this.used + extra));
    this.bytes.copy(next, 0, 0, this.used);
    this.bytes = next;
  }
}

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
