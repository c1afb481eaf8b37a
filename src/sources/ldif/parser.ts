import { type AttributeValue, Entry, type RangeState } from '../../model/entry.js';
import { isBinaryAttribute } from '../../model/binary-attributes.js';
import type { InputProblem, SourceEvent } from '../source.js';
import { dnKey } from '../../model/dn.js';

/**
 * Incremental RFC 2849 parser for content records, fed text in arbitrary chunks. It understands
 * both dialects admins hand us: ldifde (changetype: add, CRLF, base64 binaries, ranged member
 * windows, possibly split over several records of the same DN) and OpenLDAP ldapsearch
 * (comment headers, "search:"/"result:" trailers, "ref:" search references).
 *
 * It is synchronous and returns events per chunk, so the async reader around it pays one await
 * per chunk rather than per line.
 */
export class LdifParser {
  private partialLine = '';
  private lineNumber = 0;
  private atFileStart = true;
  /** The logical (unfolded) line being assembled; undefined between lines. */
  private logical: string | undefined;
  private logicalLine = 0;
  private inComment = false;
  private record: RecordBuilder | undefined;
  /** Last entry, held back so that a following record with the same DN and more range windows can be merged into it. */
  private pending: RecordBuilder | undefined;
  private out: SourceEvent[] = [];
  private readonly utf8 = new TextDecoder('utf-8', { fatal: true });

  constructor(private readonly input: string) {}

  /** Feeds decoded text; returns the events completed by it. */
  push(text: string): SourceEvent[] {
    const lines = (this.partialLine + text).split('\n');
    this.partialLine = lines.pop() ?? '';
    for (const line of lines) this.physicalLine(line);
    return this.drain();
  }

  /** Signals end of input; returns the remaining events. */
  end(): SourceEvent[] {
    if (this.partialLine !== '') {
      this.physicalLine(this.partialLine);
      this.partialLine = '';
    }
    this.flushLogical();
    this.endRecord();
    this.emitPending();
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
      if (line.charCodeAt(0) === 0xfeff) line = line.slice(1);
    }
    if (line.charCodeAt(0) === 0x20) {
      // Folded continuation: the leading space is not part of the value.
      if (this.inComment) return;
      if (this.logical === undefined) {
        this.recordError(this.lineNumber, 'a continuation line (starting with a space) follows nothing it could continue');
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
      if (rawValue.toLowerCase() !== 'add') {
        this.recordError(
          line,
          `"changetype: ${rawValue}" is a change record, not an export of an object`,
          'export with ldifde -f or ldapsearch; change files (ldifde -i input) cannot be scanned',
        );
      }
      return;
    }
    if (lowerName === 'control') return;
    if (lowerName === 'dn') {
      this.recordError(line, 'a second "dn:" line inside one record (is a blank line missing between records?)');
      return;
    }
    const value = this.decodeValue(lowerName, rawValue, isBase64, line);
    if (value === undefined) return;
    if (!isBase64 && typeof value === 'string' && value.includes('\uFFFD')) {
      this.problem('warning', line, `the value of "${name}" has bytes that are not UTF-8; they were replaced with U+FFFD`, this.record.dn);
    }
    this.record.add(lowerName, value, line);
  }

  private outsideRecord(lowerName: string, rawValue: string, isBase64: boolean, line: number, text: string): void {
    switch (lowerName) {
      case 'dn': {
        const dn = this.decodeValue('dn', rawValue, isBase64, line);
        if (dn === undefined) return;
        this.record = new RecordBuilder(typeof dn === 'string' ? dn : dn.toString('utf8'), line);
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

  private decodeValue(lowerName: string, raw: string, isBase64: boolean, line: number): AttributeValue | undefined {
    if (!isBase64) return raw;
    const compact = raw.trim();
    if (!BASE64.test(compact) || compact.length % 4 === 1) {
      this.recordError(line, `the base64 value of "${lowerName}" is not valid base64`);
      return undefined;
    }
    const bytes = Buffer.from(compact, 'base64');
    if (lowerName !== 'dn' && isBinaryAttribute(lowerName)) return bytes;
    try {
      return this.utf8.decode(bytes);
    } catch {
      // Not text, although the attribute is not a known binary one: keep the bytes, lose nothing.
      return lowerName === 'dn' ? bytes.toString('latin1') : bytes;
    }
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
    if (this.pending !== undefined && record.continues(this.pending)) {
      this.pending.absorb(record);
      return;
    }
    this.emitPending();
    this.pending = record;
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
const RANGE_OPTION = /^range=(\d+)-(\d+|\*)$/i;

function trimLeadingSpaces(s: string): string {
  let i = 0;
  while (s.charCodeAt(i) === 0x20) i++;
  return i === 0 ? s : s.slice(i);
}

function preview(text: string): string {
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

interface RangeWindow {
  lo: number;
  /** "*" marks the last window. */
  hi: string;
  line: number;
}

class RecordBuilder {
  readonly attributes = new Map<string, AttributeValue[]>();
  /** Range windows per attribute, in the order they appeared (possibly over several records of one DN). */
  private windows: Map<string, RangeWindow[]> | undefined;
  private failure: { line: number; message: string; hint: string | undefined } | undefined;

  constructor(
    readonly dn: string | undefined,
    readonly firstLine: number,
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
      hint: f.hint ?? 'fix or re-export that record; run with --strict to stop at the first such error',
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
          this.window(attribute, { lo: Number(range[1]), hi: range[2] as string, line });
          continue;
        }
        attribute = `${attribute};${option}`;
      }
      if (isBinaryAttribute(attribute) && typeof value === 'string') value = Buffer.from(value, 'utf8');
    }
    let values = this.attributes.get(attribute);
    if (values === undefined) {
      values = [];
      this.attributes.set(attribute, values);
    }
    values.push(value);
  }

  /** Every value line repeats its range option, so only a change of window is recorded. */
  private window(attribute: string, window: RangeWindow): void {
    this.windows ??= new Map();
    const list = this.windows.get(attribute);
    if (list === undefined) {
      this.windows.set(attribute, [window]);
      return;
    }
    const last = list[list.length - 1];
    if (last === undefined || last.lo !== window.lo || last.hi !== window.hi) list.push(window);
  }

  /** True when this record carries more range windows of the pending record, as ldifde writes large groups. */
  continues(previous: RecordBuilder): boolean {
    return (
      this.windows !== undefined &&
      previous.windows !== undefined &&
      previous.dn !== undefined &&
      this.dn !== undefined &&
      dnKey(previous.dn) === dnKey(this.dn)
    );
  }

  absorb(next: RecordBuilder): void {
    for (const [name, values] of next.attributes) {
      const existing = this.attributes.get(name);
      if (existing === undefined) this.attributes.set(name, values);
      else existing.push(...values);
    }
    for (const [name, list] of next.windows ?? []) {
      for (const window of list) this.window(name, window);
    }
  }

  /** The entry, plus a warning for every gap between range windows. */
  build(input: string): SourceEvent[] {
    let ranged: Map<string, RangeState> | undefined;
    const events: SourceEvent[] = [];
    for (const [name, list] of this.windows ?? []) {
      let next = 0;
      let complete = true;
      for (const window of list) {
        if (window.lo !== next) {
          complete = false;
          events.push({
            type: 'problem',
            problem: {
              severity: 'warning',
              input,
              location: `line ${window.line} (${this.dn ?? ''})`,
              message: `"${name};range=${window.lo}-${window.hi}" does not continue from value ${next}; values in between are missing`,
            },
          });
        }
        next = window.hi === '*' ? Number.NaN : Number(window.hi) + 1;
      }
      const last = list[list.length - 1];
      ranged ??= new Map();
      ranged.set(name, complete && last?.hi === '*' ? 'complete' : 'incomplete');
    }
    events.unshift({ type: 'entry', entry: new Entry(this.dn ?? '', this.attributes, ranged) });
    return events;
  }
}
