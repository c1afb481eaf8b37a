import { closeSync, mkdtempSync, openSync, readSync, rmSync, unlinkSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/*
 * Length-prefixed records in pages of bytes, a few of them in memory and the rest in a temporary file: what lets
 * a finding list a million objects in a few megabytes. The file is made only when a store outgrows its pages in
 * memory (a small forest never touches the disk), is readable by its owner only, and is removed as soon as it is
 * open (on Windows, which cannot remove an open file, when the process exits).
 */

const PAGE_BYTES = 1 << 20;
/** A spilled record read out of order is read with the few records after it. */
const READ_BLOCK_BYTES = 4096;
/** A spilled record read right after the one before it is read with the megabyte after it: a pass in order costs one read per megabyte. */
const READ_AHEAD_BYTES = 1 << 20;

export interface PageStoreOptions {
  /** Pages kept in memory before the oldest are written to the temporary file. */
  pagesInMemory?: number;
}

/** Where a record starts: a page and the offset in it. */
export interface RecordPlace {
  page: number;
  offset: number;
}

/** The bytes of one record, from `at` to `end` in `bytes`. */
export interface RecordBytes {
  bytes: Buffer;
  at: number;
  end: number;
}

export class PageStore {
  /** A page in memory, or where a spilled page starts in the file. */
  private readonly pages: (Buffer | number)[] = [];
  private readonly pagesInMemory: number;
  private oldestInMemory = 0;
  /** Bytes of records in each full page: a page is spilled without its unused end, so spilled records follow each other in the file. */
  private readonly pageUsed: number[] = [];
  private used = PAGE_BYTES;
  private file: SpillFile | undefined;
  private reader: SpillReader | undefined;

  constructor(options: PageStoreOptions = {}) {
    this.pagesInMemory = Math.max(1, options.pagesInMemory ?? 8);
  }

  /** Stores a record of `size` bytes that `write` puts at `at` in `bytes`, and returns where it starts. */
  add(size: number, write: (bytes: Buffer, at: number) => void): RecordPlace {
    const recordSize = lebSize(size) + size;
    const last = this.pages.at(-1);
    if (!Buffer.isBuffer(last) || this.used + recordSize > last.length) {
      if (this.pages.length > 0) this.pageUsed.push(this.used);
      this.spillOldPages();
      this.pages.push(Buffer.allocUnsafeSlow(Math.max(PAGE_BYTES, recordSize)));
      this.used = 0;
    }
    const page = this.pages[this.pages.length - 1] as Buffer;
    const place = { page: this.pages.length - 1, offset: this.used };
    const at = writeLeb(page, this.used, size);
    write(page, at);
    this.used = at + size;
    return place;
  }

  /** The record's bytes, valid until the next call. */
  read(page: number, offset: number): RecordBytes {
    const stored = this.pages[page];
    if (stored === undefined) throw new RangeError(`no page ${page}`);
    if (Buffer.isBuffer(stored)) return recordAt(stored, offset);
    this.reader ??= new SpillReader(this.spillFile(), READ_AHEAD_BYTES);
    return this.reader.record(stored + offset);
  }

  /** Reads the store's records in order from `place`, with a read-back buffer of its own of `readAhead` bytes: several cursors can read one store at once. */
  cursor(place: RecordPlace, readAhead = READ_AHEAD_BYTES): RecordCursor {
    return new RecordCursor(this, place, readAhead);
  }

  /** The page's bytes in memory, or where it starts in the temporary file; and where its records end. */
  pageAt(page: number): { stored: Buffer | number; used: number } | undefined {
    const stored = this.pages[page];
    return stored === undefined ? undefined : { stored, used: this.pageUsed[page] ?? this.used };
  }

  /** The temporary file, for readers of the pages spilled to it. */
  spillFile(): SpillFile {
    if (this.file === undefined) throw new Error('a spilled page without a temporary file');
    return this.file;
  }

  /** Lets go of the pages and the temporary file: the store is not read again. */
  close(): void {
    this.file?.close();
    this.file = undefined;
    this.reader = undefined;
    this.pages.length = 0;
  }

  /** Writes the oldest pages beyond the in-memory allowance to the temporary file. */
  private spillOldPages(): void {
    while (this.pages.length - this.oldestInMemory >= this.pagesInMemory) {
      const page = this.pages[this.oldestInMemory];
      if (Buffer.isBuffer(page)) this.pages[this.oldestInMemory] = (this.file ??= new SpillFile()).append(page.subarray(0, this.pageUsed[this.oldestInMemory]));
      this.oldestInMemory++;
    }
  }
}

function recordAt(bytes: Buffer, offset: number): RecordBytes {
  const { value: size, next } = readLeb(bytes, offset);
  return { bytes, at: next, end: next + size };
}

/**
 * Reads records from a store's temporary file through a buffer of its own: a record read right after the one
 * before it fills the buffer with the `readAhead` bytes from there (the next records, read in order), any other
 * with the 4 KiB from there.
 */
class SpillReader {
  private buffer = Buffer.alloc(0);
  /** The bytes read last, at the start of `buffer`. */
  private block = Buffer.alloc(0);
  private blockStart = -1;
  /** Where the record after the last one read starts. */
  private nextPosition = -1;

  constructor(
    private readonly file: SpillFile,
    private readonly readAhead: number,
  ) {}

  record(position: number): RecordBytes {
    let record = this.fromBlock(position);
    if (record === undefined) {
      this.readBlock(position, position === this.nextPosition ? this.readAhead : READ_BLOCK_BYTES);
      record = this.fromBlock(position);
    }
    if (record === undefined) {
      // A record longer than a block: read it whole.
      const { value: size } = readLeb(this.block, position - this.blockStart);
      this.readBlock(position, lebSize(size) + size);
      record = this.fromBlock(position);
    }
    if (record === undefined) throw new Error('the temporary file of a finding list ends early');
    this.nextPosition = this.blockStart + record.end;
    return record;
  }

  private fromBlock(position: number): RecordBytes | undefined {
    const at = position - this.blockStart;
    if (this.blockStart < 0 || at < 0 || at >= this.block.length) return undefined;
    const { value: size, next, complete } = readLeb(this.block, at);
    if (!complete || next + size > this.block.length) return undefined;
    return { bytes: this.block, at: next, end: next + size };
  }

  private readBlock(position: number, size: number): void {
    if (this.buffer.length < size) this.buffer = Buffer.allocUnsafeSlow(Math.max(size, READ_BLOCK_BYTES));
    this.block = this.buffer.subarray(0, this.file.read(this.buffer, size, position));
    this.blockStart = position;
  }
}

/** The records of a store in the order they were added, from a place on: each valid until the next. */
export class RecordCursor {
  private page: number;
  private offset: number;
  private reader: SpillReader | undefined;

  constructor(
    private readonly store: PageStore,
    place: RecordPlace,
    private readonly readAhead: number,
  ) {
    this.page = place.page;
    this.offset = place.offset;
  }

  next(): RecordBytes {
    let page = this.store.pageAt(this.page);
    while (page !== undefined && this.offset >= page.used) {
      this.page++;
      this.offset = 0;
      page = this.store.pageAt(this.page);
    }
    if (page === undefined) throw new RangeError('no record after the last');
    let record: RecordBytes;
    if (Buffer.isBuffer(page.stored)) {
      record = recordAt(page.stored, this.offset);
    } else {
      this.reader ??= new SpillReader(this.store.spillFile(), this.readAhead);
      record = this.reader.record(page.stored + this.offset);
    }
    this.offset += record.end - record.at + lebSize(record.end - record.at);
    return record;
  }
}

/** Records in a store, each found again by the number `add` returned: two 32-bit numbers per record in memory. */
export class NumberedRecords {
  private readonly store: PageStore;
  private pageOf = new Uint32Array(64);
  private offsetOf = new Uint32Array(64);
  private count = 0;

  constructor(options?: PageStoreOptions) {
    this.store = new PageStore(options);
  }

  get length(): number {
    return this.count;
  }

  /** Stores a record of `size` bytes that `write` puts at `at` in `bytes`; returns its number. */
  add(size: number, write: (bytes: Buffer, at: number) => void): number {
    const place = this.store.add(size, write);
    if (this.count === this.pageOf.length) {
      this.pageOf = grown(this.pageOf, this.count * 2);
      this.offsetOf = grown(this.offsetOf, this.count * 2);
    }
    this.pageOf[this.count] = place.page;
    this.offsetOf[this.count] = place.offset;
    return this.count++;
  }

  /** The record's bytes, valid until the next read. */
  read(index: number): RecordBytes {
    if (!(index >= 0 && index < this.count)) throw new RangeError(`record ${index} of ${this.count}`);
    return this.store.read(this.pageOf[index] ?? 0, this.offsetOf[index] ?? 0);
  }
}

/** A copy of `old` with room for `size` numbers. */
export function grown(old: Uint32Array<ArrayBuffer>, size: number): Uint32Array<ArrayBuffer> {
  const next = new Uint32Array(size);
  next.set(old.subarray(0, Math.min(old.length, size)));
  return next;
}

/**
 * A temporary file that could not be made or written (a full disk, a small tmpfs, a TMPDIR that does not exist):
 * not a bug, and the message says what to do, since it ends a check's evaluation or the report.
 */
export class TemporaryFileError extends Error {
  constructor(folder: string, cause: unknown) {
    const code = (cause as NodeJS.ErrnoException).code ?? String(cause);
    const full = code === 'ENOSPC' || code === 'EDQUOT';
    const variable = process.platform === 'win32' ? 'TEMP' : 'TMPDIR';
    super(
      `${full ? 'no room for' : 'cannot write'} a temporary file in ${folder} (${code}): readiness keeps long lists of ` +
        `objects in temporary files, about 120 MB per million objects a finding lists; set ${variable} to a folder ` +
        `${full ? 'with more free space' : 'you can write to, with free space'}`,
    );
    this.name = 'TemporaryFileError';
  }
}

/** The temporary file one store spills to. */
class SpillFile {
  private readonly fd: number;
  /** The folder it was made in, for messages. */
  private readonly folder: string;
  private size = 0;

  constructor() {
    const parent = tmpdir();
    let folder: string;
    let path: string;
    try {
      folder = mkdtempSync(join(parent, 'readiness-objects-'));
      path = join(folder, 'objects');
      this.fd = openSync(path, 'wx+', 0o600);
    } catch (error) {
      throw new TemporaryFileError(parent, error);
    }
    this.folder = parent;
    try {
      unlinkSync(path);
      rmSync(folder, { recursive: true });
    } catch {
      // Windows: an open file cannot be removed; it goes when the process exits.
      if (!exitHookSet) {
        process.once('exit', removeLeftFiles);
        exitHookSet = true;
      }
      LEFT_FOR_EXIT.push({ fd: this.fd, folder });
    }
  }

  /** Appends the page; returns where it starts. */
  append(page: Buffer): number {
    const start = this.size;
    try {
      for (let written = 0; written < page.length;) written += writeSync(this.fd, page, written, page.length - written, start + written);
    } catch (error) {
      throw new TemporaryFileError(this.folder, error);
    }
    this.size += page.length;
    return start;
  }

  close(): void {
    closeSync(this.fd);
    const left = LEFT_FOR_EXIT.findIndex((f) => f.fd === this.fd);
    const [windows] = left < 0 ? [] : LEFT_FOR_EXIT.splice(left, 1);
    if (windows !== undefined) rmSync(windows.folder, { recursive: true, force: true });
  }

  /** Reads up to `size` bytes at `position` into `into`; returns how many were there. */
  read(into: Buffer, size: number, position: number): number {
    let read = 0;
    while (read < size) {
      const n = readSync(this.fd, into, read, size - read, position + read);
      if (n === 0) break;
      read += n;
    }
    return read;
  }
}

const LEFT_FOR_EXIT: { fd: number; folder: string }[] = [];
let exitHookSet = false;

function removeLeftFiles(): void {
  for (const { fd, folder } of LEFT_FOR_EXIT) {
    try {
      closeSync(fd);
      rmSync(folder, { recursive: true, force: true });
    } catch {
      // The process is ending; the system's temporary folder is cleaned in time.
    }
  }
}

export function lebSize(n: number): number {
  let size = 1;
  for (let rest = n; rest >= 0x80; rest = Math.floor(rest / 0x80)) size++;
  return size;
}

/** Writes n in LEB128 at `at`; returns where the next byte goes. */
export function writeLeb(bytes: Buffer, at: number, n: number): number {
  let offset = at;
  let rest = n;
  while (rest >= 0x80) {
    bytes[offset++] = (rest & 0x7f) | 0x80;
    rest = Math.floor(rest / 0x80);
  }
  bytes[offset++] = rest;
  return offset;
}

/** Reads a LEB128 number at `at`; `complete` is false when the bytes end inside it. */
export function readLeb(bytes: Buffer, at: number): { value: number; next: number; complete: boolean } {
  let value = 0;
  let scale = 1;
  for (let offset = at; offset < bytes.length; offset++) {
    const b = bytes[offset] ?? 0;
    value += (b & 0x7f) * scale;
    if (b < 0x80) return { value, next: offset + 1, complete: true };
    scale *= 0x80;
  }
  return { value, next: bytes.length, complete: false };
}
