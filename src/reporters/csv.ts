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

/** csvCell of the texts given, the last one's kept: the cells a finding's rows share are escaped once, not once a row. */
class EscapedOnce {
  private text: string | undefined;
  private cell = '';

  of(text: string): string {
    if (text !== this.text) {
      this.text = text;
      this.cell = csvCell(text);
    }
    return this.cell;
  }
}

/**
 * A finding's rows, cells in CSV_COLUMNS order; a finding without objects (forest- or domain-wide) gets one row of
 * its own. `forestOf` names the forest of each row: the forest whose findings these are, or a tenant finding's
 * object's own. A finding can list a million objects: what its rows share is escaped once.
 */
function* findingRows(
  finding: Finding,
  forestOf: (object: ReportObject | undefined) => string,
  domainsOf: (forest: string) => DomainNames | undefined,
): Generator<string> {
  const head = `${[finding.key, finding.fingerprint, finding.id, finding.severity].map(csvCell).join(',')},`;
  const link = `,${csvCell(finding.sources[0]?.url ?? '')}\r\n`;
  const forests = new EscapedOnce();
  const problems = new EscapedOnce();
  for (const object of objectsOrNone(finding)) {
    const forest = forestOf(object);
    const domains = domainsOf(forest);
    const where = object?.dn ?? (finding.scope.kind === 'domain' ? finding.scope.dn : '');
    const suggestion = object?.suggestion;
    const cells = [
      where === '' || domains === undefined ? '' : domains.of(where),
      where,
      object?.guid ?? '',
      object?.samAccountName ?? '',
      object?.objectClass ?? '',
      object?.attribute ?? '',
      object?.value ?? '',
    ];
    const problem = problems.of(object === undefined ? finding.message : (object.detail ?? finding.title));
    const action = suggestion === undefined ? '' : suggestion === '' ? 'remove' : 'replace';
    yield `${head}${forests.of(forest)},${cells.map(csvCell).join(',')},${problem},${action},${csvCell(suggestion ?? '')}${link}`;
  }
}

/** Writes the fix list to `out` row by row, waiting whenever the stream asks to, and ends nothing: the caller owns `out`. */
export async function writeCsv(report: Report, out: Writable): Promise<void> {
  await writePieces(csvRows(report), out);
}

/** Tenant-wide findings first, then each forest's, as the other outputs order them. */
function* csvRows(report: Report): Generator<string> {
  const domainsOf = new Map(report.forests.map((forest) => [forest.name, new DomainNames(forest)]));
  const domainsOfForest = (forest: string): DomainNames | undefined => domainsOf.get(forest);
  yield BOM + csvLine(CSV_COLUMNS);
  for (const finding of report.tenant.findings) yield* findingRows(finding, (object) => object?.forest ?? '', domainsOfForest);
  for (const forest of report.forests) {
    for (const finding of forest.findings) yield* findingRows(finding, () => forest.name, domainsOfForest);
  }
}

function objectsOrNone(finding: Finding): (ReportObject | undefined)[] {
  return finding.objects.length > 0 ? finding.objects : [undefined];
}
