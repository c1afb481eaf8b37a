import type { Writable } from 'node:stream';
import { dnKey, DnSyntaxError, isAtOrBelow, parentDn } from '../model/dn.js';
import type { Finding, ForestReport, Report, ReportObject } from '../report/schema.js';
import { showControls } from './escape.js';
import { writePieces } from './write-pieces.js';

/**
 * The fix list: one row per (finding, object, offending value), for the people who work through it in a
 * spreadsheet. RFC 4180, UTF-8 with a byte-order mark (Excel reads BOM-less CSV as the local code page and
 * mangles accented names), CRLF line ends.
 */
export const CSV_COLUMNS = [
  'key',
  'fingerprint',
  'check',
  'severity',
  'forest',
  'domain',
  'dn',
  'objectGUID',
  'sAMAccountName',
  'objectClass',
  'attribute',
  'value',
  'problem',
  'action',
  'suggestedValue',
  'link',
] as const;

const BOM = '\uFEFF';

// A spreadsheet runs a cell that starts with one of these as a formula (OWASP "CSV injection"); a leading tab or
// CR, the other two OWASP lists, never gets here: controls are shown as text first.
const FORMULA_START = /^[=+\-@]/;
const NEEDS_QUOTES = /[",]|^\s|\s$/;

export function csvCell(text: string): string {
  // RFC 4180 text has no control characters: they are shown (tab and line breaks too), as in every output.
  let cell = showControls(text);
  if (FORMULA_START.test(cell)) cell = `'${cell}`;
  return NEEDS_QUOTES.test(cell) ? `"${cell.replaceAll('"', '""')}"` : cell;
}

function csvLine(cells: readonly string[]): string {
  return `${cells.map(csvCell).join(',')}\r\n`;
}

/** The DNS name of the domain an object lives in, from the report's own domain list (longest match wins). */
class DomainNames {
  private readonly longestFirst: { key: string; dnsName: string }[];
  /** Objects come in runs from the same OU: one lookup per parent. */
  private readonly byParent = new Map<string, string>();

  constructor(report: ForestReport) {
    this.longestFirst = report.inventory.domains.map((d) => ({ key: safeKey(d.dn), dnsName: d.dnsName })).sort((a, b) => b.key.length - a.key.length);
  }

  of(dn: string): string {
    const parent = parentDn(dn);
    const known = this.byParent.get(parent);
    if (known !== undefined) return known;
    const key = safeKey(dn);
    const name = key === '' ? '' : (this.longestFirst.find((d) => d.key !== '' && isAtOrBelow(key, d.key))?.dnsName ?? '');
    this.byParent.set(parent, name);
    return name;
  }
}

function safeKey(dn: string): string {
  try {
    return dnKey(dn);
  } catch (error) {
    if (error instanceof DnSyntaxError) return '';
    throw error;
  }
}

/**
 * One row's cells in CSV_COLUMNS order; a finding without objects (forest- or domain-wide) gets one row of its own.
 * `forest` is the forest whose findings these are; a tenant finding's objects name theirs.
 */
function cells(finding: Finding, object: ReportObject | undefined, forest: string, domains: DomainNames | undefined): string[] {
  const where = object?.dn ?? (finding.scope.kind === 'domain' ? finding.scope.dn : '');
  const suggestion = object?.suggestion;
  return [
    finding.key,
    finding.fingerprint,
    finding.id,
    finding.severity,
    forest,
    where === '' || domains === undefined ? '' : domains.of(where),
    where,
    object?.guid ?? '',
    object?.samAccountName ?? '',
    object?.objectClass ?? '',
    object?.attribute ?? '',
    object?.value ?? '',
    object === undefined ? finding.message : (object.detail ?? finding.title),
    suggestion === undefined ? '' : suggestion === '' ? 'remove' : 'replace',
    suggestion ?? '',
    finding.sources[0]?.url ?? '',
  ];
}

/** Writes the fix list to `out` row by row, waiting whenever the stream asks to, and ends nothing: the caller owns `out`. */
export async function writeCsv(report: Report, out: Writable): Promise<void> {
  await writePieces(csvRows(report), out);
}

/** Tenant-wide findings first, then each forest's, as the other outputs order them. */
function* csvRows(report: Report): Generator<string> {
  const domainsOf = new Map(report.forests.map((forest) => [forest.name, new DomainNames(forest)]));
  yield BOM + csvLine(CSV_COLUMNS);
  for (const finding of report.tenant.findings) {
    for (const object of objectsOrNone(finding)) {
      const forest = object?.forest ?? '';
      yield csvLine(cells(finding, object, forest, domainsOf.get(forest)));
    }
  }
  for (const forest of report.forests) {
    const domains = domainsOf.get(forest.name);
    for (const finding of forest.findings) for (const object of objectsOrNone(finding)) yield csvLine(cells(finding, object, forest.name, domains));
  }
}

function objectsOrNone(finding: Finding): (ReportObject | undefined)[] {
  return finding.objects.length > 0 ? finding.objects : [undefined];
}
