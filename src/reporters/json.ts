import type { Writable } from 'node:stream';
import { z } from 'zod';
import { type Finding, findingSchema, type ForestReport, forestReportSchema, objectRefSchema, type Report, reportSchema } from '../report/schema.js';
import { valueHashLineSchema } from '../tenant/digest.js';
import { arrayChunks, objectChunks, type Streamed, stringified, stringsObject } from './json-pieces.js';
import { writePieces } from './write-pieces.js';

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
