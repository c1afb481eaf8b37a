import type { PageStore, RecordBytes, RecordPlace } from './page-store.js';

/** A sorted run's next item; `run` says which run it came from. */
export interface RunItem {
  readonly run: number;
}

/**
 * The head of each sorted run in a binary heap, smallest first: the k-way merge of an external sort. Of two heads
 * that compare equal, the earlier run's goes first, so runs cut from a list in order merge as a stable sort would.
 */
export class MergeHeads<H extends RunItem> {
  private readonly heap: H[] = [];

  /** `next(run)` reads the run's next item, undefined when the run is done. */
  constructor(
    runs: number,
    private readonly next: (run: number) => H | undefined,
    private readonly compare: (a: H, b: H) => number,
  ) {
    for (let run = 0; run < runs; run++) {
      const head = next(run);
      if (head !== undefined) this.heap.push(head);
    }
    for (let i = (this.heap.length >> 1) - 1; i >= 0; i--) this.siftDown(i);
  }

  smallest(): H | undefined {
    return this.heap[0];
  }

  /** The next of the smallest head's run takes its place: whatever the smallest head points into may be read over. */
  advance(): void {
    const top = this.heap[0];
    if (top === undefined) return;
    const next = this.next(top.run);
    const last = next === undefined ? this.heap.pop() : next;
    if (last === undefined || this.heap.length === 0) return;
    this.heap[0] = last;
    this.siftDown(0);
  }

  private before(a: H, b: H): boolean {
    return (this.compare(a, b) || a.run - b.run) < 0;
  }

  private siftDown(from: number): void {
    const heap = this.heap;
    const size = heap.length;
    for (let i = from; ;) {
      let smallest = i;
      const left = 2 * i + 1;
      const right = left + 1;
      if (left < size && this.before(heap[left] as H, heap[smallest] as H)) smallest = left;
      if (right < size && this.before(heap[right] as H, heap[smallest] as H)) smallest = right;
      if (smallest === i) return;
      const a = heap[i] as H;
      heap[i] = heap[smallest] as H;
      heap[smallest] = a;
      i = smallest;
    }
  }
}

/** What the merge of sorted runs reads ahead in all, shared among the runs (each between MIN_ and MAX_RUN_READ_AHEAD). */
const MERGE_READ_AHEAD_BYTES = 16 << 20;
const MIN_RUN_READ_AHEAD = 64 << 10;
const MAX_RUN_READ_AHEAD = 1 << 20;

/** A sorted run of records in a store: where its first record is, and how many it holds. */
export interface SortedRun {
  start: RecordPlace;
  length: number;
}

/**
 * MergeHeads' `next` over sorted runs of records in `store`: each run read in order through a cursor of its own,
 * all of them together reading ahead a bounded number of bytes, `head` making each head from its record.
 */
export function runHeads<H>(store: PageStore, runs: readonly SortedRun[], head: (record: RecordBytes, run: number) => H): (run: number) => H | undefined {
  const readAhead = Math.min(MAX_RUN_READ_AHEAD, Math.max(MIN_RUN_READ_AHEAD, Math.floor(MERGE_READ_AHEAD_BYTES / Math.max(1, runs.length))));
  const sources = runs.map(({ start, length }) => ({ cursor: store.cursor(start, readAhead), left: length }));
  return (run) => {
    const source = sources[run];
    if (source === undefined || source.left === 0) return undefined;
    source.left--;
    return head(source.cursor.next(), run);
  };
}
