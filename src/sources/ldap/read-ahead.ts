/**
 * Pulls a stream as soon as it is made, keeping at most `limit` items until they are consumed, so that a partition
 * read over its own connection makes progress while the partition before it is still being consumed. The items come
 * out in the stream's own order; a failure of the stream surfaces where the consumer reaches it.
 */
export class ReadAhead<T> {
  private readonly waiting: T[] = [];
  private finished = false;
  private failure: { error: unknown } | undefined;
  private stopped = false;
  private wakeConsumer: (() => void) | undefined;
  private wakeProducer: (() => void) | undefined;

  constructor(
    source: AsyncIterable<T>,
    private readonly limit: number,
  ) {
    void this.pull(source);
  }

  /** The stream's items; stopping early (break, return) also stops the stream. */
  async *items(): AsyncGenerator<T> {
    try {
      for (;;) {
        if (this.waiting.length > 0) {
          const item = this.waiting.shift() as T;
          this.wake('producer');
          yield item;
          continue;
        }
        if (this.failure !== undefined) throw this.failure.error;
        if (this.finished) return;
        await new Promise<void>((resolve) => (this.wakeConsumer = resolve));
      }
    } finally {
      this.stop();
    }
  }

  /** Ends the stream (its finally blocks run) without waiting for the consumer; for reads never consumed. */
  stop(): void {
    this.stopped = true;
    this.wake('producer');
  }

  private async pull(source: AsyncIterable<T>): Promise<void> {
    try {
      for await (const item of source) {
        if (this.stopped) return;
        this.waiting.push(item);
        this.wake('consumer');
        while (this.waiting.length >= this.limit && !this.stopped) await new Promise<void>((resolve) => (this.wakeProducer = resolve));
        if (this.stopped) return;
      }
    } catch (error) {
      this.failure = { error };
    } finally {
      this.finished = true;
      this.wake('consumer');
    }
  }

  private wake(side: 'consumer' | 'producer'): void {
    const resolve = side === 'consumer' ? this.wakeConsumer : this.wakeProducer;
    if (side === 'consumer') this.wakeConsumer = undefined;
    else this.wakeProducer = undefined;
    resolve?.();
  }
}

/**
 * One item of each read in turn, then of those not finished yet, and so on: every read is consumed as it is read, so
 * none holds more than its limit, and the order depends on the reads' contents only, not on which answers first.
 */
export async function* takingTurns<T>(reads: readonly ReadAhead<T>[]): AsyncGenerator<T> {
  const streams = reads.map((read) => read.items());
  try {
    for (let unfinished = streams; unfinished.length > 0;) {
      const next: AsyncGenerator<T>[] = [];
      for (const stream of unfinished) {
        const item = await stream.next();
        if (item.done === true) continue;
        next.push(stream);
        yield item.value;
      }
      unfinished = next;
    }
  } finally {
    for (const read of reads) read.stop();
  }
}
