import { createReadStream, promises as fs, type ReadStream } from 'node:fs';
import { createGunzip } from 'node:zlib';
import type { Readable } from 'node:stream';
import { type EntrySource, type SourceEvent, type SourcePosition, SourceUnavailableError } from '../source.js';
import { LdifParser } from './parser.js';
import { LdifLimitError, type LdifLimits } from './limits.js';

const GZIP_MAGIC = [0x1f, 0x8b];
const UTF16LE_BOM = [0xff, 0xfe];
const UTF16BE_BOM = [0xfe, 0xff];
const CHUNK_BYTES = 1 << 20;
/**
 * Entries are handed on after every 64 KiB parsed rather than every 1 MiB read: fewer then live at once, most die
 * young, and the garbage collector copies far fewer of them (measured: a third less CPU for the reader).
 */
const PARSE_BYTES = 64 << 10;

/**
 * An LDIF export (ldifde or ldapsearch), plain or gzip-compressed, UTF-8 or UTF-16, from a file or from stdin ("-").
 * Reads in 1 MiB chunks and never holds more than one chunk plus the record being parsed.
 */
export class LdifSource implements EntrySource {
  readonly kind = 'ldif';
  readonly label: string;
  /** Known once assertReadable has seen a regular file; pipes and stdin have no size. */
  private size: number | undefined;
  private file: ReadStream | undefined;

  constructor(
    private readonly path: string,
    private readonly stdin: Readable = process.stdin,
    private readonly limits: Partial<LdifLimits> = {},
  ) {
    this.label = path === '-' ? 'stdin' : path;
  }

  /** Fails early, before a scan starts, when the file cannot be opened. */
  async assertReadable(): Promise<void> {
    if (this.path === '-') return;
    try {
      const stat = await fs.stat(this.path);
      if (stat.isFile()) this.size = stat.size;
      if (stat.isDirectory()) {
        throw new SourceUnavailableError(`${this.path} is a folder, not an LDIF file`, `pass the files inside it, e.g. ${this.path}/*.ldf`);
      }
      await fs.access(this.path, fs.constants.R_OK);
    } catch (error) {
      if (error instanceof SourceUnavailableError) throw error;
      const code = (error as NodeJS.ErrnoException).code;
      throw new SourceUnavailableError(
        code === 'ENOENT' ? `${this.path}: no such file` : `${this.path}: cannot be read (${code ?? 'unknown error'})`,
        'check the path; pass - to read LDIF from standard input',
      );
    }
  }

  /** Bytes of the file read so far (compressed bytes for .gz, whose size is the compressed size too). */
  position(): SourcePosition {
    return { bytesRead: this.file?.bytesRead ?? 0, ...(this.size === undefined ? {} : { bytesTotal: this.size }) };
  }

  async *events(): AsyncGenerator<SourceEvent> {
    const parser = new LdifParser(this.label, this.limits);
    try {
      for await (const chunk of this.utf8()) {
        for (let start = 0; start < chunk.length; start += PARSE_BYTES) {
          const events = parser.push(chunk.subarray(start, start + PARSE_BYTES));
          if (events.length > 0) yield* events;
        }
      }
      yield* parser.end();
    } catch (error) {
      if (error instanceof LdifLimitError) {
        // Leaving the loop closes the file or gunzip stream (peek's and gunzipped's finally); what was parsed before the cap stays.
        yield* parser.stop();
        yield {
          type: 'problem',
          problem: {
            severity: 'error',
            input: this.label,
            location: error.dn === undefined ? `line ${error.line}` : `line ${error.line} (${error.dn})`,
            message: error.message,
            hint: error.hint,
            ...(error.dn === undefined ? {} : { affectsDn: error.dn }),
          },
        };
        return;
      }
      // The stream broke (truncated gzip, I/O error): what was parsed stays, the rest is reported missing.
      yield* parser.end(false);
      yield {
        type: 'problem',
        problem: {
          severity: 'error',
          input: this.label,
          message: `reading stopped early: ${describeStreamError(error)}; entries after that point were not read`,
          hint: this.label.endsWith('.gz') ? 'the compressed file looks damaged or cut short: copy or export it again' : 'copy or export the file again',
        },
      };
    }
  }

  /** The file's content as UTF-8 bytes: gunzipped when compressed, transcoded when UTF-16 ("ldifde -u" writes it). */
  private async *utf8(): AsyncGenerator<Buffer> {
    if (this.path !== '-') this.file = createReadStream(this.path, { highWaterMark: CHUNK_BYTES });
    const raw: Readable = this.file ?? this.stdin;
    const file = await peek(raw[Symbol.asyncIterator]() as AsyncIterator<Buffer>, 2);
    const content = await peek(startsWith(file.head, GZIP_MAGIC) ? gunzipped(file.all) : file.all, 4);
    const encoding = utf16(content.head);
    if (encoding === undefined) {
      yield* content.all;
      return;
    }
    const decoder = new TextDecoder(encoding); // drops the byte order mark, if any
    for await (const chunk of content.all) yield Buffer.from(decoder.decode(chunk, { stream: true }), 'utf8');
    yield Buffer.from(decoder.decode(), 'utf8');
  }
}

/**
 * UTF-16 by its byte order mark, or without one (PowerShell's ">" and some editors write none) by the
 * zero high bytes of the ASCII an LDIF file starts with ("d\0n\0" or "\r\0\n\0"); UTF-8 text never has them.
 */
function utf16(head: Buffer): 'utf-16le' | 'utf-16be' | undefined {
  if (startsWith(head, UTF16LE_BOM)) return 'utf-16le';
  if (startsWith(head, UTF16BE_BOM)) return 'utf-16be';
  if (head.length < 4) return undefined;
  const [a, b, c, d] = head as unknown as [number, number, number, number];
  if (a !== 0 && b === 0 && c !== 0 && d === 0) return 'utf-16le';
  if (a === 0 && b !== 0 && c === 0 && d !== 0) return 'utf-16be';
  return undefined;
}

function startsWith(bytes: Buffer, prefix: readonly number[]): boolean {
  return prefix.every((b, i) => bytes[i] === b);
}

/**
 * The first `n` bytes (fewer if the input is shorter) and all of the input, those bytes included.
 * A pipe can deliver even a two-byte magic number split over two chunks.
 */
async function peek(source: AsyncIterator<Buffer>, n: number): Promise<{ head: Buffer; all: AsyncGenerator<Buffer> }> {
  let head = Buffer.alloc(0);
  while (head.length < n) {
    const next = await source.next();
    if (next.done === true) break;
    head = Buffer.concat([head, next.value]);
  }
  async function* all(): AsyncGenerator<Buffer> {
    try {
      if (head.length > 0) yield head;
      for (let next = await source.next(); next.done !== true; next = await source.next()) yield next.value;
    } finally {
      // A reader that stops early (grouping reads one entry per file; a cap ends a file) closes the file here.
      await source.return?.();
    }
  }
  return { head, all: all() };
}

async function* gunzipped(compressed: AsyncIterator<Buffer>): AsyncGenerator<Buffer> {
  const gunzip = createGunzip({ chunkSize: CHUNK_BYTES });
  let stopped = false;
  const feed = (async () => {
    try {
      for (let next = await compressed.next(); next.done !== true && !stopped; next = await compressed.next()) {
        if (!gunzip.write(next.value)) await onceDrained(gunzip);
      }
      if (!stopped) gunzip.end();
    } catch (error) {
      gunzip.destroy(error as Error);
    }
  })();
  let finished = false;
  try {
    yield* gunzip as AsyncIterable<Buffer>;
    finished = true;
  } finally {
    // Stopped early, the gunzip stream is destroyed and never drains: end the feed and close the compressed file.
    if (!finished) {
      stopped = true;
      await compressed.return?.();
    }
  }
  await feed;
}

/** Written data drained, or the stream closed (a reader that stopped early destroys it). */
function onceDrained(stream: NodeJS.ReadWriteStream): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      stream.off('drain', done);
      stream.off('close', done);
      resolve();
    };
    stream.once('drain', done);
    stream.once('close', done);
  });
}

function describeStreamError(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'Z_BUF_ERROR') return 'the gzip data ends unexpectedly';
    if (code === 'Z_DATA_ERROR') return 'the gzip data is corrupt';
    return error.message;
  }
  return String(error);
}
