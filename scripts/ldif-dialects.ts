/**
 * Writes directory records the way the two export tools admins use write them, so the sample forest
 * and the benchmark forest exercise the same parser paths a real export does:
 * - ldifde (Windows): CRLF, "changetype: add" in every record, lines folded at 76 columns, and
 *   values past the DC's MaxValRange (1,500) of a large attribute in "changetype: modify" records
 *   ("add: member") right after the object;
 * - ldapsearch (OpenLDAP): LF, "# extended LDIF" header, a "# ufn" comment before each entry,
 *   "search:"/"result:" records after every page, "ref:" search references, "# numEntries" trailer,
 *   lines folded at 78 columns, and a large attribute as "member;range=0-1499" windows, the later ones
 *   in records of their own right after the object.
 */
import { parseDn } from '../src/model/dn.js';

export type Value = string | Buffer;

/** Attributes in the order the DC returns them; names keep their lDAPDisplayName casing. */
export interface DirectoryRecord {
  dn: string;
  attributes: readonly (readonly [name: string, values: readonly Value[]])[];
}

export interface ExportWriter {
  readonly extension: string;
  /** Everything before the first entry. */
  header(): string;
  entry(record: DirectoryRecord): string;
  /** A search reference (ldapsearch "ref:"); ldifde does not write them. */
  reference(url: string): string;
  /** Everything after the last entry. */
  trailer(): string;
}

/** AD's MaxValRange since Windows Server 2003. */
export const MAX_VAL_RANGE = 1500;

/** RFC 2849 SAFE-STRING: anything else (non-ASCII text, binaries, leading space/colon/<) goes out as base64. */
function isSafeString(value: string): boolean {
  if (value === '') return true;
  const first = value.charCodeAt(0);
  if (first === 0x20 || first === 0x3a || first === 0x3c) return false;
  if (value.charCodeAt(value.length - 1) === 0x20) return false;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c < 0x20 || c > 0x7e) return false;
  }
  return true;
}

function valueLine(name: string, value: Value): string {
  if (typeof value === 'string' && isSafeString(value)) return `${name}: ${value}`;
  const bytes = typeof value === 'string' ? Buffer.from(value, 'utf8') : value;
  return `${name}:: ${bytes.toString('base64')}`;
}

/** Folds one logical line into physical lines of at most `width` characters; continuations start with a space. */
export function fold(line: string, width: number, eol: string): string {
  if (line.length <= width) return line;
  let out = line.slice(0, width);
  for (let i = width; i < line.length; i += width - 1) out += `${eol} ${line.slice(i, i + width - 1)}`;
  return out;
}

interface Windows {
  /** The record with only the first MAX_VAL_RANGE values of its large attribute. */
  head: DirectoryRecord;
  /** The large attribute's name and the value windows after the first, or undefined when no attribute is that large. */
  large: { name: string; windows: Value[][] } | undefined;
}

/** Splits the one attribute with more than MAX_VAL_RANGE values (a large group's member) into windows of that size. */
function rangeWindows(record: DirectoryRecord): Windows {
  const large = record.attributes.find(([, values]) => values.length > MAX_VAL_RANGE);
  if (large === undefined) return { head: record, large: undefined };
  const [name, values] = large;
  const windows: Value[][] = [];
  for (let lo = MAX_VAL_RANGE; lo < values.length; lo += MAX_VAL_RANGE) windows.push(values.slice(lo, lo + MAX_VAL_RANGE));
  const first = [name, values.slice(0, MAX_VAL_RANGE)] as const;
  return { head: { dn: record.dn, attributes: record.attributes.map((a) => (a === large ? first : a)) }, large: { name, windows } };
}

export class LdifdeWriter implements ExportWriter {
  readonly extension = 'ldf';
  private static readonly EOL = '\r\n';
  private static readonly WIDTH = 76;

  header(): string {
    // ldifde starts its file with an empty line.
    return LdifdeWriter.EOL;
  }

  /** ldifde reads a large attribute by range retrieval and writes the values past the first window as "add:" modifications, so the file imports back. */
  entry(record: DirectoryRecord): string {
    const { head, large } = rangeWindows(record);
    let out = this.lines('dn', [head.dn]) + `changetype: add${LdifdeWriter.EOL}`;
    for (const [name, values] of head.attributes) out += this.lines(name, values);
    out += LdifdeWriter.EOL;
    for (const values of large?.windows ?? []) {
      const name = large?.name ?? '';
      out += `${this.lines('dn', [head.dn])}changetype: modify${LdifdeWriter.EOL}add: ${name}${LdifdeWriter.EOL}${this.lines(name, values)}-${LdifdeWriter.EOL}${LdifdeWriter.EOL}`;
    }
    return out;
  }

  private lines(name: string, values: readonly Value[]): string {
    const { EOL, WIDTH } = LdifdeWriter;
    let out = '';
    for (const value of values) out += fold(valueLine(name, value), WIDTH, EOL) + EOL;
    return out;
  }

  reference(): string {
    return '';
  }

  trailer(): string {
    return '';
  }
}

/** ldapsearch -E pr=1000/noprompt: a search result record and a cookie comment after every page. */
export class LdapsearchWriter implements ExportWriter {
  readonly extension = 'ldif';
  private static readonly WIDTH = 78;
  private static readonly PAGE_SIZE = 1000;
  private entries = 0;
  private references = 0;
  private pages = 0;

  constructor(
    private readonly base: string,
    private readonly pageCookie: (page: number) => string,
  ) {}

  header(): string {
    return [
      '# extended LDIF',
      '#',
      '# LDAPv3',
      `# base <${this.base}> with scope subtree`,
      '# filter: (objectclass=*)',
      '# requesting: ALL',
      `# with pagedResults control: size=${LdapsearchWriter.PAGE_SIZE}`,
      '#',
      '',
      '',
    ].join('\n');
  }

  /**
   * AD answers with "member;range=0-1499" when a group has more values than MaxValRange; ldapsearch does
   * not follow ranges, so the later windows come from a base search right after the group
   * (ldapsearch -s base -b <group> "member;range=1500-*"), one record per window.
   */
  entry(record: DirectoryRecord): string {
    const { head, large } = rangeWindows(record);
    if (large === undefined) return this.record(head);
    const total = large.windows.reduce((n, w) => n + w.length, MAX_VAL_RANGE);
    const ranged = (lo: number, values: readonly Value[]): readonly [string, readonly Value[]] => {
      const hi = lo + values.length === total ? '*' : String(lo + values.length - 1);
      return [`${large.name};range=${lo}-${hi}`, values];
    };
    let out = this.record({ dn: head.dn, attributes: head.attributes.map((a) => (a[0] === large.name ? ranged(0, a[1]) : a)) });
    large.windows.forEach((values, i) => {
      out += this.record({ dn: head.dn, attributes: [ranged(MAX_VAL_RANGE * (i + 1), values)] });
    });
    return out;
  }

  private record(record: DirectoryRecord): string {
    const { WIDTH } = LdapsearchWriter;
    let out = `${fold(`# ${ufn(record.dn)}`, WIDTH, '\n')}\n${fold(valueLine('dn', record.dn), WIDTH, '\n')}\n`;
    for (const [name, values] of record.attributes) {
      for (const value of values) out += `${fold(valueLine(name, value), WIDTH, '\n')}\n`;
    }
    out += '\n';
    if (++this.entries % LdapsearchWriter.PAGE_SIZE === 0) out += this.pageEnd(this.pageCookie(this.pages + 1));
    return out;
  }

  reference(url: string): string {
    this.references++;
    return `# search reference\n${fold(`ref: ${url}`, LdapsearchWriter.WIDTH, '\n')}\n\n`;
  }

  private pageEnd(cookie: string): string {
    this.pages++;
    // The paged-results response control: an empty cookie on the last page.
    const control = Buffer.concat([Buffer.from([0x30, 0x05 + cookie.length, 0x02, 0x01, 0x00, 0x04, cookie.length]), Buffer.from(cookie, 'latin1')]);
    return [
      '# search result',
      `search: ${this.pages + 1}`,
      'result: 0 Success',
      `control: 1.2.840.113556.1.4.319 false ${control.toString('base64')}`,
      `# pagedresults: cookie=${Buffer.from(cookie, 'latin1').toString('base64')}`,
      '',
      '',
    ].join('\n');
  }

  trailer(): string {
    const last = this.pageEnd('');
    return [
      last.trimEnd(),
      '',
      `# numResponses: ${this.entries + this.references + this.pages}`,
      `# numEntries: ${this.entries}`,
      ...(this.references > 0 ? [`# numReferences: ${this.references}`] : []),
      '',
    ].join('\n');
  }
}

/** ldapsearch's "user friendly name" comment: RDN values, with the trailing DC= run joined by dots. */
function ufn(dn: string): string {
  const rdns = parseDn(dn);
  let firstDc = rdns.length;
  while (firstDc > 0 && rdns[firstDc - 1]?.type === 'dc') firstDc--;
  const names = rdns.slice(0, firstDc).map((r) => r.value);
  const domain = rdns
    .slice(firstDc)
    .map((r) => r.value)
    .join('.');
  return [...names, ...(domain === '' ? [] : [domain])].join(', ');
}
