import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { dnKey, DnSyntaxError, isAtOrBelow } from '../model/dn.js';
import type { Finding, Report, ReportObject } from '../report/schema.js';
import { showControlCharacters } from './printable.js';

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

type Row = Record<(typeof CSV_COLUMNS)[number], string>;

const BOM = '\uFEFF';
/** Rows are handed to the stream in chunks of about this size, so neither the rows nor the file text pile up. */
const CHUNK_CHARACTERS = 64 * 1024;

// A spreadsheet runs a cell that starts with one of these as a formula (OWASP "CSV injection").
const FORMULA_START = /^[=+\-@\t\r]/;
const NEEDS_QUOTES = /[",\r\n]|^\s|\s$/;

export function csvCell(text: string): string {
  // RFC 4180 text has no control characters; tab, CR and LF are kept (quoted).
  let cell = showControlCharacters(text);
  if (FORMULA_START.test(cell)) cell = `'${cell}`;
  return NEEDS_QUOTES.test(cell) ? `"${cell.replaceAll('"', '""')}"` : cell;
}

function csvLine(cells: readonly string[]): string {
  return `${cells.map(csvCell).join(',')}\r\n`;
}

/** The DNS name of the domain an object lives in, from the report's own domain list (longest match wins). */
class DomainNames {
  private readonly longestFirst: { key: string; dnsName: string }[];

  constructor(report: Report) {
    this.longestFirst = report.inventory.domains.map((d) => ({ key: safeKey(d.dn), dnsName: d.dnsName })).sort((a, b) => b.key.length - a.key.length);
  }

  of(dn: string): string {
    const key = safeKey(dn);
    if (key === '') return '';
    return this.longestFirst.find((d) => d.key !== '' && isAtOrBelow(key, d.key))?.dnsName ?? '';
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

function* rowsOf(finding: Finding, domains: DomainNames): Generator<Row> {
  const common = {
    key: finding.key,
    fingerprint: finding.fingerprint,
    check: finding.id,
    severity: finding.severity,
    link: finding.sources[0]?.url ?? '',
  };
  if (finding.objects.length === 0) {
    // A forest- or domain-wide finding has no object to fix, but it must not vanish from the list.
    const domain = finding.scope.kind === 'domain' ? domains.of(finding.scope.dn) : '';
    yield { ...common, ...objectCells(undefined), domain, dn: finding.scope.kind === 'domain' ? finding.scope.dn : '', problem: finding.message };
    return;
  }
  for (const object of finding.objects) {
    yield { ...common, ...objectCells(object), domain: domains.of(object.dn), dn: object.dn, problem: object.detail ?? finding.title };
  }
}

function objectCells(object: ReportObject | undefined): Omit<Row, 'key' | 'fingerprint' | 'check' | 'severity' | 'link' | 'domain' | 'dn' | 'problem'> {
  const suggestion = object?.suggestion;
  return {
    objectGUID: object?.guid ?? '',
    sAMAccountName: object?.samAccountName ?? '',
    objectClass: object?.objectClass ?? '',
    attribute: object?.attribute ?? '',
    value: object?.value ?? '',
    action: suggestion === undefined ? '' : suggestion === '' ? 'remove' : 'replace',
    suggestedValue: suggestion ?? '',
  };
}

/** Writes the fix list to `out` row by row, waiting whenever the stream asks to, and ends nothing: the caller owns `out`. */
export async function writeCsv(report: Report, out: Writable): Promise<void> {
  const domains = new DomainNames(report);
  let chunk = BOM + csvLine(CSV_COLUMNS);
  const flush = async (): Promise<void> => {
    const text = chunk;
    chunk = '';
    // A stream that failed (a reader gone, a full disk) would never drain: stop with its error.
    if (out.errored !== null) throw out.errored;
    if (out.destroyed) throw new Error('the output was closed');
    if (!out.write(text)) await once(out, 'drain');
  };
  for (const finding of report.findings) {
    for (const row of rowsOf(finding, domains)) {
      chunk += csvLine(CSV_COLUMNS.map((column) => row[column]));
      if (chunk.length >= CHUNK_CHARACTERS) await flush();
    }
  }
  if (chunk !== '') await flush();
}
