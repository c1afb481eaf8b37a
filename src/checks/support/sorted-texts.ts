import { compareText } from '../../model/order.js';
import { MergeHeads, runHeads, type SortedRun } from './merge-heads.js';
import { lebSize, PageStore, type PageStoreOptions, readLeb, type RecordBytes, type RecordCursor, type RecordPlace, writeLeb } from './page-store.js';
import { readOnlyArray } from './read-only-array.js';

/*
 * A list of texts sorted by compareText (UTF-16 code units, the order of every list in the report) in bounded
 * memory: the digest of a million-user forest with --value-hashes lists millions of value hashes and a million
 * holders, which as JS strings sorted in memory took hundreds of megabytes. Texts are sorted a run at a time and
 * written as records to a PageStore (its oldest pages in a temporary file), the runs merged into the sorted list,
 * and the list read back in order through a cursor as the report is written.
 */

/** Texts sorted at a time, as JS strings, before the sorted runs are merged. */
const SORT_RUN = 1 << 16;

/** Each record is the number the text was added as (LEB128), then the text in UTF-8. */
function writeRecord(store: PageStore, text: string, source: number): RecordPlace {
  return store.add(lebSize(source) + Buffer.byteLength(text, 'utf8'), (bytes, at) => {
    bytes.write(text, writeLeb(bytes, at, source), 'utf8');
  });
}

interface TextHead {
  text: string;
  source: number;
  run: number;
}

function readRecord(record: RecordBytes, run: number): TextHead {
  const { value: source, next } = readLeb(record.bytes, record.at);
  return { text: record.bytes.toString('utf8', next, record.end), source, run };
}

/** Takes texts in any order and gives them back sorted, ties in the order they were added (a stable sort). */
export class TextSorter {
  private pending: string[] = [];
  private added = 0;
  private runStore: PageStore | undefined;
  private readonly runs: SortedRun[] = [];

  /** `runLength`: texts sorted in memory at a time; `options`: how the sorted list keeps its pages. */
  constructor(
    private readonly runLength = SORT_RUN,
    private readonly options?: PageStoreOptions,
  ) {}

  add(text: string): void {
    this.pending.push(text);
    this.added++;
    if (this.pending.length >= this.runLength) this.writeRun();
  }

  /** The texts added, sorted. The sorter is not used again. */
  sorted(): TextList {
    const sorted = new TextList(this.options);
    if (this.runStore === undefined) {
      this.sortPending((text, source) => sorted.add(text, source));
      return sorted;
    }
    this.writeRun();
    const store = this.runStore;
    const heads = new MergeHeads<TextHead>(
      this.runs.length,
      runHeads(store, this.runs, readRecord),
      // Equal texts come from different runs in the order they were added: MergeHeads puts the earlier run first.
      (a, b) => compareText(a.text, b.text),
    );
    for (let head = heads.smallest(); head !== undefined; head = heads.smallest()) {
      sorted.add(head.text, head.source);
      heads.advance();
    }
    store.close();
    this.runStore = undefined;
    return sorted;
  }

  /** Sorts the texts not yet in a run and hands each to `emit` in order, with the number it was added as. */
  private sortPending(emit: (text: string, source: number) => void): void {
    const { pending } = this;
    const first = this.added - pending.length;
    const order = new Uint32Array(pending.length).map((_, i) => i);
    order.sort((a, b) => compareText(pending[a] ?? '', pending[b] ?? '') || a - b);
    for (const i of order) emit(pending[i] ?? '', first + i);
    this.pending = [];
  }

  private writeRun(): void {
    if (this.pending.length === 0) return;
    const store = (this.runStore ??= new PageStore({ pagesInMemory: 1 }));
    const length = this.pending.length;
    let start: RecordPlace | undefined;
    this.sortPending((text, source) => {
      const place = writeRecord(store, text, source);
      start ??= place;
    });
    if (start !== undefined) this.runs.push({ start, length });
  }
}

/**
 * Texts in pages, in the order they were added, each with a number: the sorter's output (each text with the number
 * it was added to the sorter as), or a report's long list of texts read back. Read in order (as the report's writers
 * do) each text costs one record read through a cursor; a read out of order starts again from its page.
 */
export class TextList {
  private readonly store: PageStore;
  private count = 0;
  /** The index of the first text on each page. */
  private readonly firstOnPage: number[] = [];
  private cursor: RecordCursor | undefined;
  /** The index of the text the cursor reads next. */
  private cursorIndex = 0;
  private cachedView: readonly string[] | undefined;

  constructor(options?: PageStoreOptions) {
    this.store = new PageStore(options);
  }

  get length(): number {
    return this.count;
  }

  add(text: string, source: number): void {
    const place = writeRecord(this.store, text, source);
    if (place.page === this.firstOnPage.length) this.firstOnPage.push(this.count);
    this.count++;
  }

  at(index: number): string {
    return readRecord(this.record(index), 0).text;
  }

  /** The number each text was added to the sorter as, in sorted order. */
  *sources(): Generator<number> {
    if (this.count === 0) return;
    const cursor = this.store.cursor({ page: 0, offset: 0 });
    for (let i = 0; i < this.count; i++) {
      const record = cursor.next();
      yield readLeb(record.bytes, record.at).value;
    }
  }

  /** Lets go of the pages and the temporary file: the list is not read again. */
  close(): void {
    this.store.close();
    this.cursor = undefined;
  }

  /** The texts as a read-only string[], each read when it is read. */
  view(): readonly string[] {
    return (this.cachedView ??= readOnlyArray<string>(this, 'a list of texts'));
  }

  private record(index: number): RecordBytes {
    if (!(index >= 0 && index < this.count)) throw new RangeError(`text ${index} of a list of ${this.count}`);
    if (this.cursor === undefined || index !== this.cursorIndex) {
      let page = this.firstOnPage.length - 1;
      while ((this.firstOnPage[page] ?? 0) > index) page--;
      this.cursor = this.store.cursor({ page, offset: 0 });
      for (this.cursorIndex = this.firstOnPage[page] ?? 0; this.cursorIndex < index; this.cursorIndex++) this.cursor.next();
    }
    this.cursorIndex++;
    return this.cursor.next();
  }
}
