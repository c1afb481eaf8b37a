import { type AttributeValue, Entry, type RangeState } from '../../model/entry.js';
import { binaryFromText, isBinaryAttribute } from '../../model/binary-attributes.js';
import type { InputProblem, SourceEvent } from '../source.js';
import { DnSyntaxError, dnKey } from '../../model/dn.js';

/**
 * Incremental RFC 2849 parser for content records, fed bytes in arbitrary chunks. It understands
 * both dialects admins hand us: ldifde (changetype: add, CRLF, base64 binaries, large attributes
 * in range windows or in "changetype: modify" records after the object) and OpenLDAP ldapsearch
 * (comment headers, "search:"/"result:" trailers, "ref:" search references), and Samba's ldbsearch.
 *
 * It is fed bytes, not text: LDIF folds lines at byte positions, so a continuation can split a
 * multi-byte UTF-8 character, and comments may hold bytes in any encoding (Windows-1252 in
 * Microsoft's schema files). Lines are therefore split and unfolded as latin1 "byte strings"
 * (one char per byte, lossless) and only values are decoded as UTF-8, once whole.
 *
 * It is synchronous and returns events per chunk, so the async reader around it pays one await
 * per chunk rather than per line.
 */
export class LdifParser {
  private partialLine = '';
  private lineNumber = 0;
  private atFileStart = true;
  /**
   * ldapsearch output (it starts with "# extended LDIF") ends with a "result:" line; `seen` is true
   * while the last record read is one. A file that ends otherwise was cut short (ldapsearch killed,
   * copy interrupted).
   */
  private ldapsearchTrailer: { expected: boolean; seen: boolean } = { expected: false, seen: false };
  /** The logical (unfolded) line being assembled; undefined between lines. */
  private logical: string | undefined;
  private logicalLine = 0;
  private inComment = false;
  private record: RecordBuilder | undefined;
  /** Last entry, held back so that following records with more of its values (range windows, modify records) can be merged into it. */
  private pending: RecordBuilder | undefined;
  private out: SourceEvent[] = [];

  constructor(private readonly input: string) {}

  /** Feeds the next bytes of the file; returns the events completed by them. */
  push(chunk: Uint8Array): SourceEvent[] {
    const bytes = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    // One string per line, not one per chunk split into lines: V8 keeps a whole string alive as long
    // as any slice of it lives, so a value a check keeps would otherwise pin its entire 1 MiB chunk.
    let start = 0;
    for (let newline = bytes.indexOf(0x0a); newline >= 0; newline = bytes.indexOf(0x0a, start)) {
      const line = bytes.toString('latin1', start, newline);
      this.physicalLine(this.partialLine === '' ? line : this.partialLine + line);
      this.partialLine = '';
      start = newline + 1;
    }
    if (start < bytes.length) this.partialLine += bytes.toString('latin1', start);
    return this.drain();
  }

  /**
   * Signals end of input; returns the remaining events. `readToTheEnd` is false when reading stopped
   * early: the reader reports that itself, so the parser's own signs of a cut are not repeated.
   */
  end(readToTheEnd = true): SourceEvent[] {
    if (this.partialLine !== '') {
      this.physicalLine(this.partialLine);
      this.partialLine = '';
      // Both tools end every line; a last line without its end may have been cut.
      if (readToTheEnd) this.problem('warning', this.lineNumber, 'the file ends in the middle of a line: it may have been cut short (the last record was read as it is)');
    }
    this.flushLogical();
    this.endRecord();
    this.emitPending();
    if (readToTheEnd && this.ldapsearchTrailer.expected && !this.ldapsearchTrailer.seen) {
      this.problem(
        'error',
        this.lineNumber,
        'this ldapsearch export ends without its closing "result:" line, so it was cut short: entries after the last one read are missing',
        undefined,
        'export again and let ldapsearch finish (the file ends with "# numEntries")',
      );
    }
    return this.drain();
  }

  private drain(): SourceEvent[] {
    const events = this.out;
    this.out = [];
    return events;
  }

  private physicalLine(raw: string): void {
    this.lineNumber++;
    let line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (this.atFileStart) {
      this.atFileStart = false;
      if (line.startsWith(UTF8_BOM)) line = line.slice(UTF8_BOM.length);
      this.ldapsearchTrailer.expected = line.startsWith('# extended LDIF');
    }
    if (line.charCodeAt(0) === 0x20) {
      // Folded continuation: the leading space is not part of the value.
      if (this.inComment) return;
      if (this.logical === undefined) {
        // Reported on its own, so that it does not take the next record down with it; blanks carry nothing.
        if (line.trim() !== '') this.problem('error', this.lineNumber, 'a continuation line (starting with a space) follows nothing it could continue; it was not read');
        return;
      }
      this.logical += line.slice(1);
      return;
    }
    this.flushLogical();
    if (line === '') {
      this.inComment = false;
      this.endRecord();
      return;
    }
    if (line.charCodeAt(0) === 0x23 /* # */) {
      this.inComment = true;
      return;
    }
    this.inComment = false;
    this.logical = line;
    this.logicalLine = this.lineNumber;
  }

  private flushLogical(): void {
    if (this.logical === undefined) return;
    const text = this.logical;
    this.logical = undefined;
    this.logicalLineParsed(text, this.logicalLine);
  }

  private logicalLineParsed(text: string, line: number): void {
    if (text === '-' && this.record?.modification !== undefined) {
      this.record.modification.attribute = undefined;
      return;
    }
    const colon = text.indexOf(':');
    if (colon <= 0) {
      this.recordError(line, `expected "attribute: value", found "${preview(text)}"`);
      return;
    }
    const name = text.slice(0, colon);
    const lowerName = name.toLowerCase();
    const marker = text.charCodeAt(colon + 1);
    if (marker === 0x3c /* < */) {
      this.recordError(
        line,
        `"${name}:<" points to a URL; values loaded from URLs are not read, for safety`,
        'export the value inline (ldifde and ldapsearch both do by default)',
      );
      return;
    }
    const isBase64 = marker === 0x3a; /* : */
    const rawValue = trimLeadingSpaces(text.slice(isBase64 ? colon + 2 : colon + 1));

    if (this.record === undefined) {
      this.outsideRecord(lowerName, rawValue, isBase64, line, text);
      return;
    }
    if (this.record.broken) return;
    if (lowerName === 'changetype') {
      const type = rawValue.trim().toLowerCase();
      if (type === 'modify' && this.record.attributes.size === 0) this.record.modification = { attribute: undefined };
      else if (type !== 'add') this.refuseChange(line, `changetype: ${rawValue}`);
      return;
    }
    if (this.record.modification !== undefined && !this.modificationLine(this.record.modification, lowerName, rawValue, line)) return;
    if (lowerName === 'control') return;
    if (lowerName === 'dn') {
      this.recordError(line, 'a second "dn:" line inside one record (is a blank line missing between records?)');
      return;
    }
    const value = this.decodeValue(lowerName, rawValue, isBase64, line);
    if (value === undefined) return;
    this.record.add(lowerName, value, line);
  }

  /**
   * ldifde writes a group with more values than one range window as an add record followed by
   * "changetype: modify" records of "add: member" operations. Those are read; any other change is refused.
   * Returns true when the line is a value to add.
   */
  private modificationLine(modification: { attribute: string | undefined }, lowerName: string, rawValue: string, line: number): boolean {
    if (modification.attribute === undefined) {
      if (lowerName === 'add') modification.attribute = rawValue.trim().toLowerCase();
      else this.refuseChange(line, `${lowerName}: ${rawValue}`);
      return false;
    }
    if (attributeType(lowerName) === attributeType(modification.attribute)) return true;
    this.recordError(line, `"${lowerName}" inside "add: ${modification.attribute}" (is a "-" line missing?)`);
    return false;
  }

  private refuseChange(line: number, what: string): void {
    this.recordError(
      line,
      `"${what}" is a change record, not an export of an object`,
      'export with ldifde -f or ldapsearch; change files (ldifde -i input) cannot be scanned',
    );
  }

  private outsideRecord(lowerName: string, rawValue: string, isBase64: boolean, line: number, text: string): void {
    switch (lowerName) {
      case 'dn': {
        const value = this.decodeValue('dn', rawValue, isBase64, line);
        if (value === undefined) return;
        const written = typeof value === 'string' ? value : value.toString('utf8');
        // Samba's ldbsearch names the RootDSE "@ROOTDSE"; everywhere else it is the empty DN.
        const dn = written === '@ROOTDSE' ? '' : written;
        try {
          this.record = new RecordBuilder(dn, line, dnKey(dn));
          this.ldapsearchTrailer.seen = false;
        } catch (error) {
          if (!(error instanceof DnSyntaxError)) throw error;
          this.record = new RecordBuilder(dn, line);
          this.recordError(line, error.message, 'check the DN in the export; it must be an RFC 4514 distinguished name');
        }
        return;
      }
      case 'version':
        if (rawValue.trim() !== '1') this.problem('warning', line, `LDIF "version: ${rawValue}" is not 1; reading it as version 1`);
        return;
      case 'search':
        return;
      case 'result': {
        // ldapsearch's trailer: anything but 0 means the export stopped early or was cut by a limit.
        const code = Number.parseInt(rawValue, 10);
        if (code !== 0) {
          this.problem(
            'error',
            line,
            `ldapsearch reported "result: ${rawValue}": the export is incomplete`,
            undefined,
            'export again with paging (-E pr=1000/noprompt) and an account that can read the whole directory',
          );
        }
        this.ldapsearchTrailer.seen = true;
        this.record = new RecordBuilder(undefined, line);
        return;
      }
      case 'ref':
        // A search reference (ldapsearch "ref: ldap://..."): a pointer to another partition, not an object.
        this.record = new RecordBuilder(undefined, line);
        return;
      default:
        this.record = new RecordBuilder(undefined, line);
        this.recordError(line, `a record must start with "dn:", found "${preview(text)}"`);
    }
  }

  /** `raw` is a byte string (see the class comment); the result is text, or bytes for binary attributes. */
  private decodeValue(lowerName: string, raw: string, isBase64: boolean, line: number): AttributeValue | undefined {
    const attribute = attributeType(lowerName);
    const binary = lowerName !== 'dn' && isBinaryAttribute(attribute);
    if (!isBase64) {
      if (binary) return binaryFromText(attribute, raw);
      if (!NON_ASCII.test(raw)) return raw;
      const bytes = Buffer.from(raw, 'latin1');
      const text = strictUtf8(bytes);
      if (text !== undefined) return text;
      this.problem('warning', line, `the value of "${lowerName}" has bytes that are not UTF-8; they were replaced with U+FFFD`, this.record?.dn);
      return bytes.toString('utf8');
    }
    const compact = raw.trim();
    if (!BASE64.test(compact) || compact.length % 4 === 1) {
      this.recordError(line, `the base64 value of "${lowerName}" is not valid base64`);
      return undefined;
    }
    const bytes = Buffer.from(compact, 'base64');
    if (binary) return bytes;
    // Not text, although the attribute is not a known binary one: keep the bytes, lose nothing.
    return strictUtf8(bytes) ?? (lowerName === 'dn' ? bytes.toString('latin1') : bytes);
  }

  private endRecord(): void {
    const record = this.record;
    this.record = undefined;
    if (record === undefined) return;
    if (record.broken) {
      this.emitPending();
      this.out.push({ type: 'problem', problem: record.brokenProblem(this.input) });
      return;
    }
    if (record.dn === undefined) return; // trailer or reference
    if (record.modification !== undefined) {
      this.addToPending(record);
      return;
    }
    if (this.pending !== undefined && record.continues(this.pending)) {
      this.pending.absorb(record);
      return;
    }
    this.emitPending();
    this.pending = record;
  }

  /** Values that a "changetype: modify" record adds belong to the object whose record came just before. */
  private addToPending(record: RecordBuilder): void {
    if (this.pending !== undefined && this.pending.key === record.key) {
      this.pending.absorb(record);
      return;
    }
    this.emitPending();
    this.out.push({
      type: 'problem',
      problem: {
        severity: 'error',
        input: this.input,
        location: `line ${record.firstLine} (${record.dn ?? ''})`,
        message: `a "changetype: modify" record adds values to an object whose own record does not come just before it; they were not read`,
        hint: 'export again with ldifde -f (it writes those records right after the object), or with ldapsearch',
        ...(record.dn === undefined ? {} : { affectsDn: record.dn }),
      },
    });
  }

  private emitPending(): void {
    if (this.pending === undefined) return;
    this.out.push(...this.pending.build(this.input));
    this.pending = undefined;
  }

  /** Marks the current record unusable; the whole record is reported, never half-read. */
  recordError(line: number, message: string, hint?: string): void {
    if (this.record === undefined) {
      // Outside any record (e.g. a stray continuation between records).
      this.record = new RecordBuilder(undefined, line);
    }
    this.record.fail(line, message, hint);
  }

  problem(severity: InputProblem['severity'], line: number, message: string, dn?: string, hint?: string): void {
    this.out.push({
      type: 'problem',
      problem: {
        severity,
        input: this.input,
        location: dn === undefined ? `line ${line}` : `line ${line} (${dn})`,
        message,
        ...(hint === undefined ? {} : { hint }),
      },
    });
  }
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;
const NON_ASCII = /[\x80-\xff]/;
const UTF8_BOM = '\xef\xbb\xbf';
const utf8 = new TextDecoder('utf-8', { fatal: true });

function strictUtf8(bytes: Uint8Array): string | undefined {
  try {
    return utf8.decode(bytes);
  } catch {
    return undefined;
  }
}
const RANGE_OPTION = /^range=(\d+)-(\d+|\*)$/i;

/** The attribute name without options ("member;range=0-1499" gives "member"). */
function attributeType(lowerName: string): string {
  const semicolon = lowerName.indexOf(';');
  return semicolon < 0 ? lowerName : lowerName.slice(0, semicolon);
}

function trimLeadingSpaces(s: string): string {
  let i = 0;
  while (s.charCodeAt(i) === 0x20) i++;
  return i === 0 ? s : s.slice(i);
}

/** A byte string shown to a person: decoded, and cut to one short line. */
function preview(bytes: string): string {
  const text = Buffer.from(bytes, 'latin1').toString('utf8');
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

interface RangeWindow {
  lo: number;
  /** "*" marks the last window. */
  hi: string;
  line: number;
  /** Values read in this window. */
  values: number;
}

class RecordBuilder {
  readonly attributes = new Map<string, AttributeValue[]>();
  /** Range windows per attribute, in the order they appeared (possibly over several records of one DN). */
  private windows: Map<string, RangeWindow[]> | undefined;
  private failure: { line: number; message: string; hint: string | undefined } | undefined;
  /** Set for a "changetype: modify" record: the attribute of the "add:" operation being read, if any. */
  modification: { attribute: string | undefined } | undefined;

  constructor(
    readonly dn: string | undefined,
    readonly firstLine: number,
    /** dnKey(dn), computed once when the record starts. */
    readonly key?: string,
  ) {}

  get broken(): boolean {
    return this.failure !== undefined;
  }

  fail(line: number, message: string, hint?: string): void {
    this.failure ??= { line, message, hint };
  }

  brokenProblem(input: string): InputProblem {
    const f = this.failure ?? { line: this.firstLine, message: 'unreadable record', hint: undefined };
    return {
      severity: 'error',
      input,
      location: this.dn === undefined ? `line ${f.line}` : `line ${f.line} (${this.dn})`,
      message: `${f.message}; the record starting at line ${this.firstLine} was not read`,
      hint: f.hint ?? 'fix or re-export that record',
      // Only this object is unread; a DN that is not valid names nothing the report could place.
      ...(this.key === undefined || this.dn === undefined ? {} : { affectsDn: this.dn }),
    };
  }

  add(name: string, value: AttributeValue, line: number): void {
    let attribute = name;
    const semicolon = name.indexOf(';');
    if (semicolon >= 0) {
      attribute = name.slice(0, semicolon);
      for (const option of name.slice(semicolon + 1).split(';')) {
        if (option === 'binary') continue;
        const range = RANGE_OPTION.exec(option);
        if (range !== null) {
          // LDIF cannot write an attribute without values: an empty last window is written as one empty value.
          const marksEndOnly = value === '' && range[2] === '*';
          this.window(attribute, { lo: Number(range[1]), hi: range[2] as string, line, values: marksEndOnly ? 0 : 1 });
          if (marksEndOnly) return;
          continue;
        }
        attribute = `${attribute};${option}`;
      }
    }
    let values = this.attributes.get(attribute);
    if (values === undefined) {
      values = [];
      this.attributes.set(attribute, values);
    }
    values.push(value);
  }

  /** Every value line repeats its range option, so only a change of window starts a new one. */
  private window(attribute: string, window: RangeWindow): void {
    this.windows ??= new Map();
    const list = this.windows.get(attribute);
    if (list === undefined) {
      this.windows.set(attribute, [{ ...window }]);
      return;
    }
    const last = list[list.length - 1];
    if (last !== undefined && last.lo === window.lo && last.hi === window.hi) last.values += window.values;
    else list.push({ ...window });
  }

  /** True when this record carries more range windows of the pending record, as ldifde writes large groups. */
  continues(previous: RecordBuilder): boolean {
    return this.windows !== undefined && previous.windows !== undefined && this.key !== undefined && this.key === previous.key;
  }

  absorb(next: RecordBuilder): void {
    for (const [name, values] of next.attributes) {
      const existing = this.attributes.get(name);
      if (existing === undefined) this.attributes.set(name, values);
      // One at a time: a modify record can add more values than fit in a spread call's arguments.
      else for (const value of values) existing.push(value);
    }
    for (const [name, list] of next.windows ?? []) {
      for (const window of list) this.window(name, window);
    }
  }

  /** The entry, plus a warning for every gap between range windows and every window not filled. */
  build(input: string): SourceEvent[] {
    let ranged: Map<string, RangeState> | undefined;
    const events: SourceEvent[] = [];
    const warn = (window: RangeWindow, message: string): void => {
      events.push({ type: 'problem', problem: { severity: 'warning', input, location: `line ${window.line} (${this.dn ?? ''})`, message } });
    };
    for (const [name, list] of this.windows ?? []) {
      let next = 0;
      let complete = true;
      for (const window of list) {
        const label = `"${name};range=${window.lo}-${window.hi}"`;
        if (window.lo !== next) {
          complete = false;
          warn(window, `${label} does not continue from value ${next}; values in between are missing`);
        }
        next = window.hi === '*' ? Number.NaN : Number(window.hi) + 1;
        if (window.hi !== '*' && window.values !== next - window.lo) {
          complete = false;
          warn(window, `${label} holds ${window.values} values instead of ${next - window.lo}; the list is not whole`);
        }
      }
      const last = list[list.length - 1];
      ranged ??= new Map();
      ranged.set(name, complete && last?.hi === '*' ? 'complete' : 'incomplete');
    }
    events.unshift({ type: 'entry', entry: new Entry(this.dn ?? '', this.attributes, ranged, this.key) });
    return events;
  }
}
