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
/** A spilled record is read with the records after it, so that reading in order costs one read per block. */
const READ_BLOCK_BYTES = 4096;

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
  private used = PAGE_BYTES;
  private file: SpillFile | undefined;
  private block = Buffer.alloc(0);
  private blockStart = -1;

  constructor(options: PageStoreOptions = {}) {
    this.pagesInMemory = Math.max(1, options.pagesInMemory ?? 8);
  }

  /** Stores a record of `size` bytes that `write` puts at `at` in `bytes`, and returns where it starts. */
  add(size: number, write: (bytes: Buffer, at: number) => void): RecordPlace {
    const recordSize = lebSize(size) + size;
    const last = this.pages.at(-1);
    if (!Buffer.isBuffer(last) || this.used + recordSize > last.length) {
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
    if (Buffer.isBuffer(stored)) {
      const { value: size, next } = readLeb(stored, offset);
      return { bytes: stored, at: next, end: next + size };
    }
    const position = stored + offset;
    let record = this.fromBlock(position);
    if (record === undefined) {
      this.readBlock(position, READ_BLOCK_BYTES);
      record = this.fromBlock(position);
    }
    if (record === undefined) {
      // A record longer than a block: read it whole.
      const { value: size } = readLeb(this.block, position - this.blockStart);
      this.readBlock(position, lebSize(size) + size);
      record = this.fromBlock(position);
    }
    if (record === undefined) throw new Error('the temporary file of a finding list ends early');
    return record;
  }

  /** Writes the oldest pages beyond the in-memory allowance to the temporary file. */
  private spillOldPages(): void {
    while (this.pages.length - this.oldestInMemory >= this.pagesInMemory) {
      const page = this.pages[this.oldestInMemory];
      if (Buffer.isBuffer(page)) this.pages[this.oldestInMemory] = (this.file ??= new SpillFile()).append(page);
      this.oldestInMemory++;
    }
  }

  private fromBlock(position: number): RecordBytes | undefined {
    const at = position - this.blockStart;
    if (this.blockStart < 0 || at < 0 || at >= this.block.length) return undefined;
    const { value: size, next, complete } = readLeb(this.block, at);
    if (!complete || next + size > this.block.length) return undefined;
    return { bytes: this.block, at: next, end: next + size };
  }

  private readBlock(position: number, size: number): void {
    if (this.file === undefined) throw new Error('a spilled page without a temporary file');
    if (this.block.length < size) this.block = Buffer.allocUnsafeSlow(Math.max(size, READ_BLOCK_BYTES));
    const read = this.file.read(this.block, size, position);
    this.block = this.block.subarray(0, read);
    this.blockStart = position;
  }
}

/** The temporary file one store spills to. */
class SpillFile {
  private readonly fd: number;
  private size = 0;

  constructor() {
    const folder = mkdtempSync(join(tmpdir(), 'readiness-objects-'));
    const path = join(folder, 'objects');
    this.fd = openSync(path, 'wx+', 0o600);
    try {
      unlinkSync(path);
      rmSync(folder, { recursive: true });
    } catch {
      // Windows: an open file cannot be removed; it goes when the process exits.
      LEFT_FOR_EXIT.push({ fd: this.fd, folder });
      if (LEFT_FOR_EXIT.length === 1) process.once('exit', removeLeftFiles);
    }
  }

  /** Appends the page; returns where it starts. */
  append(page: Buffer): number {
    const start = this.size;
    for (let written = 0; written < page.length;) written += writeSync(this.fd, page, written, page.length - written, start + written);
    this.size += page.length;
    return start;
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
