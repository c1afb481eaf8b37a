import type { Writable } from 'node:stream';
import { z } from 'zod';
import { type Finding, findingSchema, type ForestReport, forestReportSchema, objectRefSchema, type Report, reportSchema } from '../report/schema.js';
import { valueHashLineSchema } from '../tenant/digest.js';
import { writePieces } from './write-pieces.js';

// JSON.stringify escapes C0 controls but leaves DEL, C1 controls (U+009B is a CSI to some terminals) and
// bidi overrides raw; outside strings JSON holds none of them, so escaping them keeps the same parsed value.
const RAW_IN_JSON = /[\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

/** The whole JSON report as one string: for small reports and tests; the CLI streams it with `writeJson`. */
export function renderJson(report: Report): string {
  return [...jsonChunks(report)].join('');
}

/** Writes the JSON report to `out` piece by piece, and ends nothing: the caller owns `out`. */
export async function writeJson(report: Report, out: Writable): Promise<void> {
  await writePieces(jsonChunks(report), out);
}

/**
 * The JSON report in pieces, byte for byte `JSON.stringify(reportSchema.parse(report), null, 2)` and a newline,
 * without ever holding the whole text or a validated copy of the whole report: a finding can list every object
 * of a forest. Each piece is validated against the published schema just before it is written (a report that
 * breaks the contract is a bug, not output); the schema's only rule across pieces, at least one forest, is
 * checked here, so that is the same check.
 */
export function* jsonChunks(report: Report): Generator<string> {
  const { forests, tenant, ...envelope } = report;
  if (forests.length === 0) throw new Error('a report has at least one forest');
  const { findings: tenantFindings, ...tenantChecks } = tenant;
  const head = ENVELOPE_ALONE.parse({ ...envelope, tenant: { ...tenantChecks, findings: [] }, forests: [] });
  yield* objectChunks(head, 1, (key) => {
    if (key === 'tenant') return objectChunks(head.tenant, 2, findingsStreamed(tenantFindings, 3));
    return key === 'forests' ? arrayChunks(forests, 2, forestChunks) : undefined;
  });
  yield '\n';
}

/** The envelope and the tenant part with their long lists left out, in the published key order: those lists are streamed. */
const ENVELOPE_ALONE = reportSchema.extend({ tenant: reportSchema.shape.tenant.extend({ findings: z.tuple([]) }), forests: z.tuple([]) });

function findingsStreamed(findings: readonly Finding[], depth: number): Streamed {
  return (key) => (key === 'findings' ? arrayChunks(findings, depth, findingChunks) : undefined);
}

function* forestChunks(forest: ForestReport, depth: number): Generator<string> {
  const { findings, tenantDigest, ...rest } = forest;
  const hashes = tenantDigest?.valueHashes;
  // A digest with value hashes holds a line per value of the forest: its two lists are streamed like findings.
  const digestAlone =
    tenantDigest === undefined
      ? {}
      : { tenantDigest: hashes === undefined ? tenantDigest : { ...tenantDigest, valueHashes: { ...hashes, holders: [], values: [] } } };
  const head = forestReportSchema.parse({ ...rest, findings: [], ...digestAlone });
  yield* objectChunks(head, depth + 1, (key) => {
    if (key === 'findings') return arrayChunks(findings, depth + 2, findingChunks);
    if (key !== 'tenantDigest' || head.tenantDigest === undefined || hashes === undefined) return undefined;
    return objectChunks(head.tenantDigest, depth + 2, (digestKey) =>
      digestKey === 'valueHashes' && head.tenantDigest?.valueHashes !== undefined
        ? objectChunks(head.tenantDigest.valueHashes, depth + 3, (listKey) => {
            if (listKey === 'holders') return arrayChunks(hashes.holders, depth + 4, (holder, at) => [stringified(z.string().parse(holder), at)]);
            if (listKey === 'values') return arrayChunks(hashes.values, depth + 4, (line, at) => [stringified(valueHashLineSchema.parse(line), at)]);
            return undefined;
          })
        : undefined,
    );
  });
}

function* findingChunks(finding: Finding, depth: number): Generator<string> {
  const { objects, ...rest } = finding;
  yield* objectChunks(findingSchema.parse({ ...rest, objects: [] }), depth + 1, (key) =>
    key === 'objects' ? arrayChunks(objects, depth + 2, (object, objectDepth) => stringsObject(objectRefSchema.parse(object), objectDepth)) : undefined,
  );
}

type Streamed = (key: string) => Iterable<string> | undefined;

/** `{ ... }` as JSON.stringify(value, null, 2) writes it at this nesting depth, with the keys that `streamed` names written piece by piece. */
function* objectChunks(value: Record<string, unknown>, depth: number, streamed: Streamed): Generator<string> {
  const indent = `\n${'  '.repeat(depth)}`;
  let first = true;
  for (const [key, member] of Object.entries(value)) {
    const pieces = streamed(key);
    if (pieces === undefined && (member === undefined || typeof member === 'function')) continue;
    yield `${first ? '{' : ','}${indent}${JSON.stringify(key)}: `;
    first = false;
    if (pieces === undefined) yield stringified(member, depth);
    else yield* pieces;
  }
  yield first ? '{}' : `\n${'  '.repeat(depth - 1)}}`;
}

/** `[ ... ]` with each item's pieces; an item written as one string (a finding's object) comes with its separator, as one piece. */
function* arrayChunks<T>(items: readonly T[], depth: number, itemChunks: (item: T, depth: number) => string | Iterable<string>): Generator<string> {
  if (items.length === 0) {
    yield '[]';
    return;
  }
  const indent = indentOf(depth);
  for (let i = 0; i < items.length; i += 1) {
    const separator = `${i === 0 ? '[' : ','}${indent}`;
    const pieces = itemChunks(items[i] as T, depth);
    if (typeof pieces === 'string') {
      yield separator + pieces;
    } else {
      yield separator;
      yield* pieces;
    }
  }
  yield `${indentOf(depth - 1)}]`;
}

/**
 * An object whose members are all strings (a finding's object), as `stringified` writes it, member by member: a
 * finding can list a million of them, and JSON.stringify with an indent, then re-indenting, cost most of their time.
 */
function stringsObject(value: Record<string, unknown>, depth: number): string {
  const inner = indentOf(depth + 1);
  let text = '';
  for (const key of Object.keys(value)) {
    const member = value[key];
    if (member === undefined) continue;
    if (typeof member !== 'string') return stringified(value, depth);
    text += `${text === '' ? '{' : ','}${inner}${jsonString(key)}: ${jsonString(member)}`;
  }
  return text === '' ? '{}' : `${text}${indentOf(depth)}}`;
}

/** Printable ASCII but `"` and `\`: what JSON.stringify writes as it is, between quotes. */
const PLAIN_JSON_TEXT = /^[\x20\x21\x23-\x5b\x5d-\x7e]*$/;

/** A string as `stringified` writes it. */
function jsonString(text: string): string {
  return PLAIN_JSON_TEXT.test(text) ? `"${text}"` : stringified(text, 0);
}

const INDENTS: string[] = [];

/** A line break and the indent of this depth. */
function indentOf(depth: number): string {
  return (INDENTS[depth] ??= `\n${'  '.repeat(depth)}`);
}

/** One value as JSON.stringify(value, null, 2) writes it nested at this depth (JSON strings hold no raw newline). */
function stringified(value: unknown, depth: number): string {
  const text = JSON.stringify(value, null, 2).replace(RAW_IN_JSON, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  return depth === 0 ? text : text.replaceAll('\n', `\n${'  '.repeat(depth)}`);
}
