import { compareText } from '../../model/order.js';
import type { Entry } from '../../model/entry.js';
import { dnKey } from '../../model/dn.js';
import type { ObjectRef } from '../check.js';
import { guidText } from './ad-values.js';
import { mostSpecificClass, type ObjectFacts } from './object-ref.js';
import { MergeHeads, runHeads, type SortedRun } from './merge-heads.js';
import { lebSize, NumberedRecords, PageStore, type PageStoreOptions, readLeb, type RecordBytes, type RecordPlace, writeLeb } from './page-store.js';
import { readOnlyArray } from './read-only-array.js';

/*
 * A finding can list every object of a forest (every user on a .local UPN suffix): as JS objects and strings that
 * costs about 700 bytes of heap per listed object, so a million users would need gigabytes. An ObjectList keeps
 * each listed object as one record of bytes (about 115 bytes for a user) in pages outside the V8 heap, the oldest
 * of them in a temporary file once a list outgrows a few megabytes (PageStore), and makes the ObjectRef only when
 * someone reads it, so the report's writers build each one as they write it and drop it.
 *
 * Its view is a read-only ObjectRef[] (a Proxy over an empty array, so Array.isArray, zod, JSON.stringify, the
 * array methods and every reporter read it unchanged); `ObjectList.behind(view)` gives the list back to the
 * report, which sorts it and reads its DN keys without making the ObjectRefs.
 */

/** Repeated texts (details such as "UPN suffix corp.local", attribute and class names) are written once per list; bounded, since an input may hold any texts. */
const MAX_SHARED_TEXTS = 4096;
/** Objects sorted at a time, with their keys and records in memory, before the sorted runs are merged. */
const SORT_RUN = 1 << 16;

/** Which optional parts a record holds; after its DN, in the order `store` is given them and `refFrom` reads them (the report's order of keys). */
const PART = {
  /** The DN key is written out: it is not simply the DN in lower case (spaces around separators, escapes). */
  key: 1,
  detail: 2,
  /** objectGUID as its bytes, read from an entry. */
  guidBytes: 4,
  /** A GUID given as text by a check. */
  guidText: 8,
  samAccountName: 16,
  objectClass: 32,
  attribute: 64,
  value: 128,
  suggestion: 256,
  /** A tenant finding's object, read back from a report: the forest it is in. */
  forest: 512,
} as const;

/** One part of a record: a text, bytes, or the number of a shared text. */
type Part = string | Buffer | number;

const views = new WeakMap<readonly ObjectRef[], ObjectList>();

export class ObjectList {
  private readonly records: NumberedRecords;
  private readonly options: PageStoreOptions | undefined;
  private readonly sharedIds = new Map<string, number>();
  private readonly sharedTexts: string[] = [];
  private cachedView: readonly ObjectRef[] | undefined;
  /** Some object names its forest (a tenant finding's): the list is then sorted by forest first, as sortedObjects sorts arrays. */
  private withForest = false;

  /** `options`: how many pages of records stay in memory before the oldest go to a temporary file. */
  constructor(options?: PageStoreOptions) {
    this.options = options;
    this.records = new NumberedRecords(options);
  }

  /** The list a view came from, or undefined for an ordinary array. */
  static behind(objects: readonly ObjectRef[]): ObjectList | undefined {
    return views.get(objects);
  }

  /** The DN key of each object, in order: from the list's records when it is one, else computed. */
  static *keysOf(objects: readonly ObjectRef[]): Generator<string> {
    const list = ObjectList.behind(objects);
    if (list === undefined) {
      for (const object of objects) yield dnKey(object.dn);
      return;
    }
    for (let i = 0; i < list.length; i++) yield list.key(i);
  }

  /** True when the DN key of some object satisfies `test`. */
  static someKey(objects: readonly ObjectRef[], test: (key: string) => boolean): boolean {
    for (const key of ObjectList.keysOf(objects)) if (test(key)) return true;
    return false;
  }

  get length(): number {
    return this.records.length;
  }

  /** Lists the entry as objectRef(entry, facts) describes it, keeping its objectGUID as bytes until the ObjectRef is read. */
  add(entry: Entry, facts: ObjectFacts & Pick<ObjectRef, 'suggestion'> = {}): void {
    this.store(entry.dn, entry.key, [
      [PART.detail, this.shared(facts.detail)],
      [PART.guidBytes, entry.bytes('objectguid')],
      [PART.samAccountName, entry.text('samaccountname')],
      [PART.objectClass, this.shared(mostSpecificClass(entry))],
      [PART.attribute, this.shared(facts.attribute)],
      [PART.value, facts.value],
      [PART.suggestion, facts.suggestion],
    ]);
  }

  /** Lists an object a check described itself, or one read back from a report (a tenant finding's names its forest). */
  addRef(ref: ObjectRef & { forest?: string }): void {
    if (ref.forest !== undefined) this.withForest = true;
    this.store(ref.dn, dnKey(ref.dn), [
      [PART.forest, this.shared(ref.forest)],
      [PART.detail, this.shared(ref.detail)],
      [PART.guidText, ref.guid],
      [PART.samAccountName, ref.samAccountName],
      [PART.objectClass, this.shared(ref.objectClass)],
      [PART.attribute, this.shared(ref.attribute)],
      [PART.value, ref.value],
      [PART.suggestion, ref.suggestion],
    ]);
  }

  at(index: number): ObjectRef {
    return refFrom(this.reader(index));
  }

  /** dnKey of the object's DN, as computed when it was listed. */
  key(index: number): string {
    return keyFrom(this.reader(index));
  }

  /**
   * The objects ordered by DN key, then by `tieBreak`, then as listed, as a new list whose records are in that
   * order (reading it in order reads its temporary file in order). An external merge sort: each run of objects is
   * sorted in memory with its keys and written out, then the runs are merged, each read in order through a buffer
   * of its own; so sorting a million objects never holds a million keys, and no record is read out of order.
   */
  sortedByKey(compareKeys: (a: string, b: string) => number, tieBreak: (a: ObjectRef, b: ObjectRef) => number, runLength = SORT_RUN): ObjectList {
    const sorted = new ObjectList(this.options);
    sorted.withForest = this.withForest;
    const sortKey = this.withForest ? forestAndKeyFrom : keyFrom;
    sorted.sharedTexts.push(...this.sharedTexts);
    for (const [text, id] of this.sharedIds) sorted.sharedIds.set(text, id);
    if (this.records.length <= runLength) {
      this.sortRun(0, this.records.length, sortKey, compareKeys, tieBreak, (bytes, at, end) => sorted.append(bytes, at, end));
      return sorted;
    }
    const runStore = new PageStore({ pagesInMemory: 1 });
    const runs: SortedRun[] = [];
    for (let start = 0; start < this.records.length; start += runLength) {
      let first: RecordPlace | undefined;
      const length = Math.min(runLength, this.records.length - start);
      this.sortRun(start, length, sortKey, compareKeys, tieBreak, (bytes, at, end) => {
        const place = runStore.add(end - at, (page, to) => bytes.copy(page, to, at, end));
        first ??= place;
      });
      if (first !== undefined) runs.push({ start: first, length });
    }
    const heads = new MergeHeads<RunHead>(
      runs.length,
      runHeads(runStore, runs, (record, run) => new RunHead(record, run, this.sharedTexts, sortKey)),
      (a, b) => compareKeys(a.key, b.key) || tieBreak(a.ref(), b.ref()),
    );
    for (let head = heads.smallest(); head !== undefined; head = heads.smallest()) {
      sorted.append(head.record.bytes, head.record.at, head.record.end);
      heads.advance();
    }
    runStore.close();
    return sorted;
  }

  /** The objects as a read-only ObjectRef[], each made from its record when read. */
  view(): readonly ObjectRef[] {
    if (this.cachedView !== undefined) return this.cachedView;
    const view = readOnlyArray<ObjectRef>(this, "a finding's object list");
    views.set(view, this);
    return (this.cachedView = view);
  }

  /** Sorts the objects from `start` (a stable sort, in memory) and hands each one's record bytes to `emit` in order. */
  private sortRun(
    start: number,
    length: number,
    sortKey: (reader: RecordReader) => string,
    compareKeys: (a: string, b: string) => number,
    tieBreak: (a: ObjectRef, b: ObjectRef) => number,
    emit: (bytes: Buffer, at: number, end: number) => void,
  ): void {
    // The run's records, copied in order (the store reads ahead), then read from here in sorted order.
    let bytes = Buffer.allocUnsafe(Math.min(length * 128, 1 << 24));
    const startOf = new Uint32Array(length + 1);
    for (let i = 0; i < length; i++) {
      const record = this.records.read(start + i);
      const size = record.end - record.at;
      const at = startOf[i] ?? 0;
      if (at + size > bytes.length) {
        const larger = Buffer.allocUnsafe(Math.max(bytes.length * 2, at + size));
        bytes.copy(larger, 0, 0, at);
        bytes = larger;
      }
      record.bytes.copy(bytes, at, record.at, record.end);
      startOf[i + 1] = at + size;
    }
    const readerOf = (i: number): RecordReader => new RecordReader(bytes, startOf[i] ?? 0, this.sharedTexts);
    const keys = Array.from({ length }, (_, i) => sortKey(readerOf(i)));
    const order = new Uint32Array(length).map((_, i) => i);
    order.sort((a, b) => compareKeys(keys[a] ?? '', keys[b] ?? '') || tieBreak(refFrom(readerOf(a)), refFrom(readerOf(b))) || a - b);
    for (const i of order) emit(bytes, startOf[i] ?? 0, startOf[i + 1] ?? 0);
  }

  /** Lists an object by its record's bytes, as another list of the same shared texts holds them. */
  private append(bytes: Buffer, at: number, end: number): void {
    this.records.add(end - at, (page, to) => bytes.copy(page, to, at, end));
  }

  /** A repeated text's number in the list's table, or the text itself once the table is full. */
  private shared(text: string | undefined): Part | undefined {
    if (text === undefined) return undefined;
    const id = this.sharedIds.get(text);
    if (id !== undefined) return id;
    if (this.sharedTexts.length >= MAX_SHARED_TEXTS) return text;
    this.sharedIds.set(text, this.sharedTexts.length);
    this.sharedTexts.push(text);
    return this.sharedTexts.length - 1;
  }

  /**
   * A record is its mask (which parts it holds), its DN, then each part it holds: a text or bytes as twice its byte
   * length and the bytes, a shared text as twice its number plus one, each number in LEB128.
   */
  private store(dn: string, key: string, optional: readonly (readonly [number, Part | undefined])[]): void {
    const parts: Part[] = [dn];
    let mask = 0;
    if (key !== dn.toLowerCase()) {
      mask |= PART.key;
      parts.push(key);
    }
    for (const [bit, part] of optional) {
      if (part === undefined) continue;
      mask |= bit;
      parts.push(part);
    }
    let size = lebSize(mask);
    for (const part of parts) size += partSize(part);
    this.records.add(size, (bytes, start) => {
      let at = writeLeb(bytes, start, mask);
      for (const part of parts) {
        if (typeof part === 'number') {
          at = writeLeb(bytes, at, part * 2 + 1);
        } else if (typeof part === 'string') {
          at = writeLeb(bytes, at, Buffer.byteLength(part, 'utf8') * 2);
          at += bytes.write(part, at, 'utf8');
        } else {
          at = writeLeb(bytes, at, part.length * 2);
          at += part.copy(bytes, at);
        }
      }
    });
  }

  private reader(index: number): RecordReader {
    const { bytes, at } = this.records.read(index);
    return new RecordReader(bytes, at, this.sharedTexts);
  }
}

function partSize(part: Part): number {
  if (typeof part === 'number') return lebSize(part * 2 + 1);
  const length = typeof part === 'string' ? Buffer.byteLength(part, 'utf8') : part.length;
  return lebSize(length * 2) + length;
}

function refFrom(reader: RecordReader): ObjectRef & { forest?: string } {
  const mask = reader.number();
  const ref: ObjectRef & { forest?: string } = { dn: reader.text() };
  if (mask & PART.key) reader.text();
  if (mask & PART.forest) ref.forest = reader.text();
  if (mask & PART.detail) ref.detail = reader.text();
  if (mask & PART.guidBytes) ref.guid = guidText(reader.bytes());
  if (mask & PART.guidText) ref.guid = reader.text();
  if (mask & PART.samAccountName) ref.samAccountName = reader.text();
  if (mask & PART.objectClass) ref.objectClass = reader.text();
  if (mask & PART.attribute) ref.attribute = reader.text();
  if (mask & PART.value) ref.value = reader.text();
  if (mask & PART.suggestion) ref.suggestion = reader.text();
  return ref;
}

function keyFrom(reader: RecordReader): string {
  const mask = reader.number();
  const dn = reader.text();
  return mask & PART.key ? reader.text() : dn.toLowerCase();
}

/** The forest ("" for none), NUL, the DN key: compareText orders these as it orders forests, then DN keys (no name holds a NUL). */
function forestAndKeyFrom(reader: RecordReader): string {
  const mask = reader.number();
  const dn = reader.text();
  const key = mask & PART.key ? reader.text() : dn.toLowerCase();
  return `${mask & PART.forest ? reader.text() : ''}\u0000${key}`;
}

/** A sorted run's next record, with its key; its ObjectRef is made only when two keys tie. */
class RunHead {
  private madeRef: ObjectRef | undefined;
  readonly key: string;

  constructor(
    readonly record: RecordBytes,
    /** Which run: of two heads alike in everything, the earlier run's goes first, as in a stable sort. */
    readonly run: number,
    private readonly sharedTexts: readonly string[],
    sortKey: (reader: RecordReader) => string,
  ) {
    this.key = sortKey(new RecordReader(record.bytes, record.at, sharedTexts));
  }

  ref(): ObjectRef {
    return (this.madeRef ??= refFrom(new RecordReader(this.record.bytes, this.record.at, this.sharedTexts)));
  }
}

class RecordReader {
  constructor(
    private readonly page: Buffer,
    private at: number,
    private readonly sharedTexts: readonly string[],
  ) {}

  number(): number {
    const { value, next } = readLeb(this.page, this.at);
    this.at = next;
    return value;
  }

  /** A text written out or shared. */
  text(): string {
    const n = this.number();
    if (n % 2 === 1) return this.sharedTexts[(n - 1) / 2] ?? '';
    this.at += n / 2;
    return this.page.toString('utf8', this.at - n / 2, this.at);
  }

  bytes(): Buffer {
    const length = this.number() / 2;
    this.at += length;
    return this.page.subarray(this.at - length, this.at);
  }
}

/**
 * A finding's objects by forest (a tenant finding's), DN, attribute, value and detail: an order that depends on what
 * was found, never on the order it was read in. A finding can list a whole forest's objects: each DN's key is computed
 * once, and an ObjectList sorts its own records, making ObjectRefs only for objects alike in DN.
 */
export function sortedObjects<T extends ObjectRef & { forest?: string }>(objects: readonly T[]): T[] {
  const byFacts = (a: ObjectRef, b: ObjectRef): number =>
    compareText(a.attribute ?? '', b.attribute ?? '') || compareText(a.value ?? '', b.value ?? '') || compareText(a.detail ?? '', b.detail ?? '');
  const list = ObjectList.behind(objects);
  // The view throws on writes, and nothing in the report writes to a finding's objects.
  if (list !== undefined) return list.sortedByKey(compareText, byFacts).view() as T[];
  return objects
    .map((object) => ({ object, key: dnKey(object.dn) }))
    .sort((a, b) => compareText(a.object.forest ?? '', b.object.forest ?? '') || compareText(a.key, b.key) || byFacts(a.object, b.object))
    .map(({ object }) => object);
}
