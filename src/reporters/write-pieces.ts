import { once } from 'node:events';
import type { Writable } from 'node:stream';

/** Pieces are handed to the stream in chunks of about this size, so neither the pieces nor the whole text pile up. */
const CHUNK_CHARACTERS = 64 * 1024;

/** Writes the pieces to `out` in chunks, waiting whenever the stream asks to, and ends nothing: the caller owns `out`. */
export async function writePieces(pieces: Iterable<string>, out: Writable): Promise<void> {
  let chunk = '';
  const flush = async (): Promise<void> => {
    const text = chunk;
    chunk = '';
    // A stream that failed (a reader gone, a full disk) would never drain: stop with its error.
    if (out.errored !== null) throw out.errored;
    if (out.destroyed) throw new Error('the output was closed');
    if (!out.write(text)) await once(out, 'drain');
  };
  for (const piece of pieces) {
    chunk += piece;
    if (chunk.length >= CHUNK_CHARACTERS) await flush();
  }
  if (chunk !== '') await flush();
}
