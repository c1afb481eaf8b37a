import { createReadStream, promises as fs } from 'node:fs';
import { pipeline } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { Tokenizer, TokenParser, TokenType } from '@streamparser/json';
import { z } from 'zod';
import { ObjectList } from '../checks/support/object-list.js';
import { TemporaryFileError } from '../checks/support/page-store.js';
import { TextList } from '../checks/support/sorted-texts.js';
import { objectRefSchema, REPORT_SCHEMA_VERSION, type Report, reportSchema } from '../report/schema.js';
import { valueHashLineSchema } from '../tenant/digest.js';
import { UserError } from './errors.js';
import { EXIT } from './exit-codes.js';

/*
 * A report of a million-user forest where every user is in a finding is more than a gigabyte of JSON (bench/README.md),
 * and JSON.parse of a 242 MB report alone took 757 MB. So a report is read as a stream: the long lists (findings'
 * objects, the tenant digest's value hashes) go item by item, each checked against its schema as the JSON writer
 * checks it, into lists whose items live outside the V8 heap (ObjectList, TextList); the rest of the report, which
 * grows with OUs and checks rather than objects, is assembled and checked whole, with those lists empty, and the
 * lists are put back in the checked copy.
 */

/** Where the long lists are, and what each of their items must be. */
const LONG_LISTS = {
  objects: objectRefSchema,
  holders: z.string(),
  values: valueHashLineSchema,
} as const;
type LongList = keyof typeof LONG_LISTS;

const JSON_PATHS = [
  '$',
  '$.schemaVersion',
  '$.forests.*.findings.*.objects.*',
  '$.tenant.findings.*.objects.*',
  '$.forests.*.tenantDigest.valueHashes.holders.*',
  '$.forests.*.tenantDigest.valueHashes.values.*',
];

/** A report that cannot be read: the message names what is wrong, the hint what to pass instead. */
class ReportReadError extends Error {
  constructor(
    message: string,
    readonly hint: string,
  ) {
    super(message);
  }
}

const UNEDITED = 'pass the JSON report unedited, as readiness scan wrote it';

/**
 * What a file may cost before it is refused as no report: the long lists go off the heap, but the rest is assembled
 * in memory, so a file sent as a report that nests without end or holds gigabytes elsewhere must stop with a line,
 * not a crash. A report nests about ten levels; its other parts take megabytes.
 */
export interface ReadLimits {
  maxDepth: number;
  /** V8 heap in use past which reading stops (checked every 65,536 tokens). */
  maxHeapBytes: number;
}

const LIMITS: ReadLimits = { maxDepth: 64, maxHeapBytes: 1024 * 1024 * 1024 };

/** A JSON report as readiness scan wrote it (diff and merge read them): every way it can be wrong is one line naming the file. */
export async function readReport(path: string, limits: ReadLimits = LIMITS): Promise<Report> {
  try {
    return await streamReport(path, limits);
  } catch (error) {
    if (error instanceof ReportReadError) throw new UserError(`${path}: ${error.message}`, EXIT.usage, error.hint);
    if (error instanceof TemporaryFileError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'Z_BUF_ERROR' || code === 'Z_DATA_ERROR')
      throw new UserError(
        `${path}: ${code === 'Z_BUF_ERROR' ? 'the gzip data ends unexpectedly' : 'the gzip data is corrupt'}`,
        EXIT.usage,
        'copy the compressed report again, whole',
      );
    if (code !== undefined) throw new UserError(`${path}: cannot be read (${code})`, EXIT.usage, 'pass JSON reports written by readiness scan --format json');
    throw new UserError(
      `${path}: not JSON (${(error as Error).message})`,
      EXIT.usage,
      'pass the JSON report (--format json), not the Markdown, table or CSV output',
    );
  }
}

interface PlacedList {
  /** Where the list is in the report: the keys from its root. */
  at: (string | number)[];
  items: ObjectList | TextList;
}

async function streamReport(path: string, limits: ReadLimits): Promise<Report> {
  const tokenizer = new Tokenizer();
  const parser = new TokenParser({ paths: JSON_PATHS, keepStack: true });
  let depth = 0;
  let tokens = 0;
  /** Bytes before the JSON (a byte order mark, white space), not given to the tokenizer: its offsets start after them. */
  let skipped = 0;
  tokenizer.onToken = (info) => {
    if (info.token === TokenType.LEFT_BRACE || info.token === TokenType.LEFT_BRACKET) {
      if (++depth > limits.maxDepth)
        throw new ReportReadError(`not a readiness report: nested more than ${limits.maxDepth} levels deep at byte ${skipped + info.offset}`, UNEDITED);
    } else if (info.token === TokenType.RIGHT_BRACE || info.token === TokenType.RIGHT_BRACKET) depth--;
    if (++tokens % 65536 === 0 && process.memoryUsage().heapUsed > limits.maxHeapBytes)
      throw new ReportReadError(
        `not a readiness report: by byte ${skipped + info.offset} its parts other than the findings' objects and value hashes take more than ${limits.maxHeapBytes >> 20} MiB of memory`,
        UNEDITED,
      );
    parser.write(info);
  };
  tokenizer.onEnd = () => {
    if (!parser.isEnded) parser.end();
  };
  parser.onEnd = () => {
    if (!tokenizer.isEnded) tokenizer.end();
  };
  parser.onError = tokenizer.error.bind(tokenizer);
  const lists = new Map<unknown[], PlacedList>();
  let root: unknown;
  let version: unknown;
  /** The first item of a long list that is not what the schema says (reported once the version is known to be ours). */
  let badItem: string | undefined;
  parser.onValue = ({ value, key, parent, stack }) => {
    if (parent === undefined) {
      root = value;
      return;
    }
    if (stack.length === 1) {
      if (key === 'schemaVersion') assertVersion((version = value));
      return;
    }
    // A wildcard also matches an object's members: a report where a list is not an array fails the schema below.
    if (!Array.isArray(parent)) return;
    parent.pop();
    if (badItem !== undefined) return;
    const list = stack.at(-1)?.key as LongList;
    const at = (): (string | number)[] => stack.slice(1).map((s) => s.key as string | number);
    const checked = LONG_LISTS[list].safeParse(value);
    if (!checked.success) {
      const issue = checked.error.issues[0];
      badItem = `${[...at(), key ?? '', ...(issue?.path ?? [])].join('.')}: ${issue?.message ?? 'invalid'}`;
      return;
    }
    let placed = lists.get(parent);
    if (placed === undefined) {
      placed = { at: at(), items: list === 'objects' ? new ObjectList() : new TextList() };
      lists.set(parent, placed);
    }
    if (placed.items instanceof ObjectList) placed.items.addRef(checked.data as z.infer<typeof objectRefSchema>);
    else placed.items.add(checked.data as string, placed.items.length);
  };
  let started = false;
  for await (const chunk of await reportBytes(path)) {
    if (started) {
      tokenizer.write(chunk);
      continue;
    }
    // JSON.parse allows white space before the value (and the old reader a byte order mark); this parser neither.
    const start = firstJsonByte(chunk, skipped === 0);
    skipped += start;
    started = start < chunk.length;
    if (started) tokenizer.write(chunk.subarray(start));
  }
  if (root === undefined) {
    try {
      tokenizer.end();
    } catch {
      throw new ReportReadError(
        'not JSON: the file ends before the report does (cut short while copying?)',
        'pass the whole JSON report, as readiness scan wrote it',
      );
    }
    throw new ReportReadError('empty: no JSON in it', 'pass a JSON report written by readiness scan --format json');
  }
  if (typeof root !== 'object' || root === null || Array.isArray(root))
    throw new ReportReadError('not a readiness report (a JSON report is one object)', 'pass a JSON report written by readiness scan --format json');
  if (version === undefined) assertVersion(version);
  if (badItem !== undefined) throw new ReportReadError(`not a valid readiness report (${badItem})`, UNEDITED);
  const result = reportSchema.safeParse(root);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new ReportReadError(`not a valid readiness report (${issue?.path.join('.') || 'root'}: ${issue?.message ?? 'invalid'})`, UNEDITED);
  }
  for (const { at, items } of lists.values()) placeList(result.data, at, items.view());
  return result.data;
}

const GZIP_MAGIC = Buffer.from([0x1f, 0x8b]);
const CHUNK_BYTES = 1 << 20;

/** The report's bytes, gunzipped when it was compressed (a report of a million users is sent as report.json.gz). */
async function reportBytes(path: string): Promise<AsyncIterable<Buffer>> {
  const handle = await fs.open(path, 'r');
  let magic: Buffer;
  try {
    const { buffer, bytesRead } = await handle.read(Buffer.alloc(2), 0, 2, 0);
    magic = buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
  const file = createReadStream(path, { highWaterMark: CHUNK_BYTES });
  // pipeline destroys the gunzip stream with the first error of either stream, and iterating it throws that error.
  return magic.equals(GZIP_MAGIC) ? pipeline(file, createGunzip({ chunkSize: CHUNK_BYTES }), () => undefined) : file;
}

const BYTE_ORDER_MARK = Buffer.from([0xef, 0xbb, 0xbf]);

/** Where the JSON starts in a chunk before it: after white space, and a byte order mark at the file's start. */
function firstJsonByte(chunk: Buffer, atFileStart: boolean): number {
  let at = atFileStart && chunk.subarray(0, 3).equals(BYTE_ORDER_MARK) ? 3 : 0;
  while (at < chunk.length && (chunk[at] === 0x20 || chunk[at] === 0x0a || chunk[at] === 0x0d || chunk[at] === 0x09)) at++;
  return at;
}

function assertVersion(version: unknown): void {
  if (version === REPORT_SCHEMA_VERSION) return;
  throw new ReportReadError(
    `report schema version ${JSON.stringify(version) ?? 'missing'}, but this readiness reads version ${REPORT_SCHEMA_VERSION}`,
    version === undefined
      ? 'pass a JSON report written by readiness scan --format json'
      : 'rescan with this readiness version, so both reports share the schema',
  );
}

/** Puts a list read off the heap where the checked report has it empty. */
function placeList(report: Report, at: readonly (string | number)[], view: readonly unknown[]): void {
  let container: unknown = report;
  for (const key of at.slice(0, -1)) container = (container as Record<string | number, unknown>)[key];
  (container as Record<string | number, unknown>)[at.at(-1) ?? ''] = view;
}
