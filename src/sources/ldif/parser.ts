import { isAscii } from 'node:buffer';
import { type AttributeValue, Entry, type RangeState } from '../../model/entry.js';
import { binaryFromText, binaryValueProblem, isBinaryAttribute } from '../../model/binary-attributes.js';
import type { InputProblem, SourceEvent } from '../source.js';
import { DnSyntaxError, dnKey } from '../../model/dn.js';
import { DEFAULT_LDIF_LIMITS, LdifLimitError, type LdifLimits, VALUE_OVERHEAD_BYTES, lineBytesFor, mebibytes } from './limits.js';

/**
 * Incremental RFC 2849 parser for content records, fed bytes in arbitrary chunks. It understands
 * both dialects admins hand us: ldifde (changetype: add, CRLF, base64 binaries, large attributes
 * in range windows or in "changetype: modify" records after the object) and OpenLDAP ldapsearch
 * (comment headers, "search:"/"result:" trailers, "ref:" search references), and Samba's ldbsearch.
 *
 * It is fed bytes, not text: LDIF folds lines at byte positions, so a continuation can split a
 * multi-byte UTF-8 character, and comments may hold bytes in any encoding (Windows-1252 in
 * Microsoft's schema files). Lines are therefore found and unfolded in the bytes, attribute names
 * are looked up by their bytes (AttributeNames), and only values become strings, each once whole.
 * A chunk whose complete lines are all ASCII without NUL, as ldifde and ldapsearch write (they
 * base64-encode everything else), needs no per-value check; other lines take the careful path,
 * which handles them as latin1 "byte strings" (one char per byte, lossless) and decodes values as UTF-8.
 *
 * It is synchronous and returns events per chunk, so the async reader around it pays one await
 * per chunk rather than per line. It throws LdifLimitError when a line or a record passes its cap.
 */
export class LdifParser {
  /** The physical line not yet ended by a newline: pieces of the chunks it started in. */
  private partialLine: Buffer[] = [];
  private partialBytes = 0;
  /** The chunk being read, when its complete lines are all ASCII without NUL (see above). */
  private cleanChunk: Buffer | undefined;
  private readonly names = new AttributeNames();
  private lineNumber = 0;
  private readonly limits: LdifLimits;
  private readonly lineBytes: number;
  /**
   * Which tool wrote the file, as far as it shows: ldapsearch's header ("# extended LDIF") promises a
   * closing "result:" line; ldifde, which starts its file with a blank line and writes "changetype: add"
   * in every record, promises a blank line after each record. A file that breaks its tool's promise was cut short.
   */
  private dialect: 'ldapsearch' | 'ldifde' | 'unknown' = 'unknown';
  /** The last record read is ldapsearch's "result:" trailer. */
  private trailerSeen = false;
  private lastLineBlank = true;
  private startsBlank = false;
  /**
   * Lines that are not LDIF before the first record (a shell prompt, the command line, a Markdown fence)
   * and closing fences after it: terminals and tickets add them to real exports.
   */
  private readonly pasted: { above?: PastedLines; below?: PastedLines } = {};
  /** LDIF lines before the first record: that record's "dn:" line is missing, or the file is not an export at all. */
  private headless: { line: number; sample: string } | undefined;
  private recordsSeen = 0;
  private entriesEmitted = 0;
  private brokenRecords = 0;
  private attributeless: { count: number; line: number; dn: string } | undefined;
  /**
   * The logical (unfolded) line being assembled, undefined between lines: its first physical line's bytes, then its
   * continuations' (leading space dropped). Those point into the chunks read, which are never written to again.
   */
  private logical: Buffer | undefined;
  private logicalStart = 0;
  private logicalEnd = 0;
  private logicalClean = false;
  private continuations: Buffer[] = [];
  private logicalBytes = 0;
  private logicalLine = 0;
  private inComment = false;
  private record: RecordBuilder | undefined;
  /** Last entry, held back so that following records with more of its values (range windows, modify records) can be merged into it. */
  private pending: RecordBuilder | undefined;
  private out: SourceEvent[] = [];

  constructor(
    private readonly input: string,
    limits: Partial<LdifLimits> = {},
  ) {
    this.limits = { ...DEFAULT_LDIF_LIMITS, ...limits };
    this.lineBytes = lineBytesFor(this.limits);
  }

  /**
   * Feeds the next bytes of the file; returns the events completed by them. The parser keeps pointing into
   * `chunk` until its lines are read: the caller hands over a buffer it will not write to again.
   */
  push(chunk: Uint8Array): SourceEvent[] {
    const bytes = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    const lastNewline = bytes.lastIndexOf(0x0a);
    this.cleanChunk = lastNewline >= 0 && bytes.indexOf(0) < 0 && isAscii(bytes.subarray(0, lastNewline)) ? bytes : undefined;
    let start = 0;
    for (let newline = bytes.indexOf(0x0a); newline >= 0; newline = bytes.indexOf(0x0a, start)) {
      this.checkLineLength(newline - start);
      if (this.partialBytes === 0) this.physicalLine(bytes, start, newline);
      else {
        const line = this.takePartial(bytes.subarray(start, newline));
        this.physicalLine(line, 0, line.length);
      }
      start = newline + 1;
    }
    if (start < bytes.length) {
      this.checkLineLength(bytes.length - start);
      this.partialLine.push(bytes.subarray(start));
      this.partialBytes += bytes.length - start;
    }
    return this.drain();
  }

  /**
   * Signals end of input; returns the remaining events. `readToTheEnd` is false when reading stopped
   * early: the reader reports that itself, so the parser's own signs of a cut are not repeated.
   */
  end(readToTheEnd = true): SourceEvent[] {
    const endsMidLine = this.partialBytes > 0;
    if (endsMidLine) {
      const line = this.takePartial();
      this.physicalLine(line, 0, line.length);
    }
    const lastRecord = this.record ?? this.pending;
    this.flushLogical();
    this.endRecord();
    this.emitPending();
    if (readToTheEnd) this.endOfFileProblems(endsMidLine, lastRecord?.dn);
    return this.drain();
  }

  /**
   * Ends reading after a cap was passed (LdifLimitError): the record being read is dropped, with the earlier
   * records of its object; the entry before it is complete and is returned.
   */
  stop(): SourceEvent[] {
    if (this.pending !== undefined && this.pending.key !== this.record?.key) this.emitPending();
    this.pending = undefined;
    this.record = undefined;
    this.logical = undefined;
    this.continuations = [];
    this.takePartial();
    return this.drain();
  }

  /** Signs that the file was cut short, that it holds nothing, or that it is not LDIF at all: one problem each. */
  private endOfFileProblems(endsMidLine: boolean, lastDn: string | undefined): void {
    const cut = endsMidLine
      ? 'the file ends in the middle of a line'
      : this.dialect === 'ldapsearch' && !this.trailerSeen
        ? 'this ldapsearch export ends without its closing "result:" line'
        : this.dialect === 'ldifde' && !this.lastLineBlank
          ? 'this ldifde export ends without the blank line ldifde writes after every record'
          : undefined;
    if (cut !== undefined && this.recordsSeen > 0) {
      this.out.push({
        type: 'problem',
        problem: {
          severity: 'error',
          input: this.input,
          location: `line ${this.lineNumber}`,
          message: `${cut}, so it was cut short: the last record may be partial and entries after it are missing`,
          hint:
            this.dialect === 'ldapsearch'
              ? 'export again and let ldapsearch finish (the file ends with "# numEntries")'
              : 'copy or export the file again, whole (ldifde and ldapsearch end every line and every record)',
          ...(lastDn === undefined || lastDn === '' ? {} : { affectsDn: lastDn }),
        },
      });
    }
    const { above, below } = this.pasted;
    if ((above !== undefined || this.headless !== undefined) && this.recordsSeen === 0) {
      const first = Math.min(above?.first ?? Number.POSITIVE_INFINITY, this.headless?.line ?? Number.POSITIVE_INFINITY);
      const sample = first === above?.first ? above.sample : (this.headless?.sample ?? '');
      this.problem(
        'error',
        first,
        `this file is not LDIF: none of its ${this.lineNumber} lines starts an LDIF record (the first reads "${sample}")`,
        undefined,
        'pass the LDIF exports that ldifde -f or ldapsearch wrote',
      );
      return;
    }
    for (const [where, lines] of [
      ['above', above],
      ['below', below],
    ] as const) {
      if (lines === undefined) continue;
      const span = lines.first === lines.last ? `line ${lines.first} is` : `lines ${lines.first}-${lines.last} are`;
      this.problem(
        'warning',
        lines.first,
        `${span} not LDIF but text pasted ${where} the export (a prompt, a command line or a Markdown fence: "${lines.sample}"); skipped`,
      );
    }
    if (this.entriesEmitted === 0 && this.brokenRecords === 0) {
      this.out.push({
        type: 'problem',
        // A warning: what the empty file should have held (a domain the forest names, a partition) is judged missing where it is needed.
        problem: {
          severity: 'warning',
          input: this.input,
          message: `${this.input} holds no entries`,
          hint: 'check that the export finished and that the right file was passed',
        },
      });
    }
    if (this.attributeless !== undefined) {
      const { count, line, dn } = this.attributeless;
      this.problem(
        'warning',
        line,
        count === 1
          ? 'this record holds only its "dn:" line: no attribute of the object was exported'
          : `${count} records hold only their "dn:" line (the first is shown): no attribute of those objects was exported`,
        dn,
        'export with an account that can read the objects, and with the attributes selected ("*" for ldapsearch)',
      );
    }
  }

  private drain(): SourceEvent[] {
    const events = this.out;
    this.out = [];
    return events;
  }

  /** The pieces of the unended physical line, and `rest` if given, as one buffer; the line is then no longer partial. */
  private takePartial(rest?: Buffer): Buffer {
    const pieces = rest === undefined ? this.partialLine : [...this.partialLine, rest];
    this.partialLine = [];
    this.partialBytes = 0;
    return pieces.length === 1 ? (pieces[0] as Buffer) : Buffer.concat(pieces);
  }

  private checkLineLength(more: number): void {
    if (this.partialBytes + more <= this.lineBytes) return;
    throw new LdifLimitError(
      this.lineNumber + 1,
      `a line is longer than ${mebibytes(this.lineBytes)} (values up to ${mebibytes(this.limits.valueBytes)}), so reading stopped there: entries after it were not read`,
      'if the file is an LDIF export with a value that large, raise --max-value-mb; otherwise this is not an LDIF export',
      this.record?.dn,
    );
  }

  /** The physical line bytes[start, end), its newline excluded. */
  private physicalLine(bytes: Buffer, start: number, lineEnd: number): void {
    this.lineNumber++;
    const end = lineEnd > start && bytes[lineEnd - 1] === 0x0d ? lineEnd - 1 : lineEnd;
    if (this.lineNumber === 1) {
      if (startsWith(bytes, start, end, UTF8_BOM)) start += UTF8_BOM.length;
      this.startsBlank = start === end;
    }
    this.lastLineBlank = start === end;
    if (bytes[start] === 0x20 && start < end) {
      // Folded continuation: the leading space is not part of the value.
      if (this.inComment) return;
      if (this.logical === undefined) {
        const line = bytes.toString('latin1', start, end);
        if (this.recordsSeen === 0) this.pastedLine(line, this.lineNumber);
        // Reported on its own, so that it does not take the next record down with it; blanks carry nothing.
        else if (line.trim() !== '')
          this.problem('error', this.lineNumber, 'a continuation line (starting with a space) follows nothing it could continue; it was not read');
        return;
      }
      if (this.logicalBytes + (end - start) > this.lineBytes) this.checkLineLength(this.logicalBytes + (end - start));
      this.continuations.push(bytes.subarray(start + 1, end));
      this.logicalBytes += end - start - 1;
      return;
    }
    this.flushLogical();
    if (start === end) {
      this.inComment = false;
      this.endRecord();
      return;
    }
    if (bytes[start] === 0x23 /* # */) {
      this.inComment = true;
      // ldapsearch's header, also when a prompt or command line was pasted above it.
      if (this.recordsSeen === 0 && startsWith(bytes, start, end, LDAPSEARCH_HEADER)) this.dialect = 'ldapsearch';
      return;
    }
    this.inComment = false;
    this.logical = bytes;
    this.logicalStart = start;
    this.logicalEnd = end;
    this.logicalClean = bytes === this.cleanChunk;
    this.logicalBytes = end - start;
    this.logicalLine = this.lineNumber;
  }

  private pastedLine(line: string, at: number, ldifLike = false): void {
    if (ldifLike) {
      this.headless ??= { line: at, sample: preview(line) };
      return;
    }
    const where = this.recordsSeen === 0 ? 'above' : 'below';
    const lines = this.pasted[where];
    if (lines === undefined) this.pasted[where] = { first: at, last: at, sample: preview(line) };
    else lines.last = at;
  }

  /** The first record starts: LDIF lines before it were a record without its "dn:" line. */
  private reportHeadless(): void {
    if (this.headless === undefined || this.recordsSeen > 0) return;
    const { line, sample } = this.headless;
    this.brokenRecords++;
    this.problem(
      'error',
      line,
      `a record must start with "dn:", found "${sample}"; the record starting at line ${line} was not read`,
      undefined,
      'fix or re-export that record',
    );
  }

  private flushLogical(): void {
    const first = this.logical;
    if (first === undefined) return;
    this.logical = undefined;
    if (this.continuations.length === 0) {
      this.logicalLineParsed(first, this.logicalStart, this.logicalEnd, this.logicalClean, this.logicalLine);
      return;
    }
    const whole = Buffer.concat([first.subarray(this.logicalStart, this.logicalEnd), ...this.continuations]);
    this.continuations = [];
    this.logicalLineParsed(whole, 0, whole.length, whole.indexOf(0) < 0 && isAscii(whole), this.logicalLine);
  }

  /** The logical line bytes[start, end); `clean` when those bytes are ASCII without NUL. */
  private logicalLineParsed(bytes: Buffer, start: number, end: number, clean: boolean, line: number): void {
    if (end - start === 1 && bytes[start] === 0x2d /* - */ && this.record?.modification !== undefined) {
      this.record.modification.attribute = undefined;
      return;
    }
    const colon = indexOfColon(bytes, start, end);
    const attribute = colon <= start ? NO_NAME : this.names.at(bytes, start, colon);
    const lowerName = attribute.lower;
    if (this.record === undefined && (this.recordsSeen === 0 ? !RECORD_STARTS.has(lowerName) : startsWith(bytes, start, end, FENCE))) {
      // Before the first record anything but a record start is text pasted above the export (or, when the
      // first record comes, that record without its "dn:"); after it, only a closing fence is.
      const pasted = bytes.toString('latin1', start, end);
      this.pastedLine(pasted, line, this.recordsSeen === 0 && looksLikeLdif(pasted, colon - start));
      return;
    }
    if (colon <= start) {
      this.recordError(line, `expected "attribute: value", found "${preview(bytes.toString('latin1', start, end))}"`);
      return;
    }
    if (!attribute.valid) {
      this.recordError(line, `"${preview(attribute.name)}" is not an attribute name (names hold letters, digits, "-" and ";options" only)`);
      return;
    }
    const marker = colon + 1 < end ? bytes[colon + 1] : undefined;
    if (marker === 0x3c /* < */) {
      this.recordError(
        line,
        `"${attribute.name}:<" points to a URL; values loaded from URLs are not read, for safety`,
        'export the value inline (ldifde and ldapsearch both do by default)',
      );
      return;
    }
    const isBase64 = marker === 0x3a; /* : */
    let valueStart = Math.min(colon + (isBase64 ? 2 : 1), end);
    while (valueStart < end && bytes[valueStart] === 0x20) valueStart++;
    if (this.record === undefined) {
      this.outsideRecord(lowerName, bytes.toString('latin1', valueStart, end), isBase64, line, bytes.toString('latin1', start, end));
      return;
    }
    if (this.record.broken) return;
    if (lowerName === 'changetype') {
      const rawValue = bytes.toString('latin1', valueStart, end);
      const type = rawValue.trim().toLowerCase();
      if (type === 'modify' && this.record.attributes.size === 0) this.record.modification = { attribute: undefined };
      else if (type !== 'add') this.refuseChange(line, `changetype: ${rawValue}`);
      else if (this.dialect === 'unknown' && this.startsBlank) this.dialect = 'ldifde';
      return;
    }
    if (this.record.modification !== undefined && !this.modificationLine(this.record.modification, lowerName, bytes, valueStart, end, line)) return;
    if (lowerName === 'control') return;
    if (lowerName === 'dn') {
      this.recordError(line, 'a second "dn:" line inside one record (is a blank line missing between records?)');
      return;
    }
    const value =
      clean && !isBase64 && !attribute.binary && end - valueStart <= this.limits.valueBytes
        ? bytes.toString('latin1', valueStart, end)
        : this.decodeValue(attribute, bytes, valueStart, end, isBase64, line);
    if (value === undefined) return;
    this.record.add(lowerName, value, line);
    this.checkRecordSize(this.record, this.pending?.key === this.record.key ? this.pending : undefined);
  }

  /** A record and the earlier records of its object it will be merged into count as one. */
  private checkRecordSize(record: RecordBuilder, mergedInto: RecordBuilder | undefined): void {
    const bytes = record.bytes + (mergedInto?.bytes ?? 0);
    if (bytes <= this.limits.recordBytes) return;
    throw new LdifLimitError(
      record.firstLine,
      `the record starting at line ${mergedInto?.firstLine ?? record.firstLine} takes more than ${mebibytes(this.limits.recordBytes)}, so reading stopped there: it and the entries after it were not read`,
      'if this is a real object with that many values (a group with millions of members), raise --max-record-mb',
      record.dn,
    );
  }

  /**
   * ldifde writes a group with more values than one range window as an add record followed by
   * "changetype: modify" records of "add: member" operations. Those are read; any other change is refused.
   * Returns true when the line is a value to add.
   */
  private modificationLine(
    modification: { attribute: string | undefined },
    lowerName: string,
    bytes: Buffer,
    valueStart: number,
    end: number,
    line: number,
  ): boolean {
    if (modification.attribute === undefined) {
      const rawValue = bytes.toString('latin1', valueStart, end);
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
        this.reportHeadless();
        const dn = this.decodeDn(rawValue, isBase64, line);
        this.recordsSeen++;
        this.trailerSeen = false;
        if (dn === undefined) return;
        try {
          this.record = new RecordBuilder(dn, line, dnKey(dn));
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
        this.reportHeadless();
        this.recordsSeen++;
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
        this.trailerSeen = true;
        this.record = new RecordBuilder(undefined, line);
        return;
      }
      case 'ref':
        this.reportHeadless();
        this.recordsSeen++;
        // A search reference (ldapsearch "ref: ldap://..."): a pointer to another partition, not an object.
        this.record = new RecordBuilder(undefined, line);
        return;
      default:
        this.record = new RecordBuilder(undefined, line);
        this.recordError(line, `a record must start with "dn:", found "${preview(text)}"`);
    }
  }

  /** The DN of a "dn:" line, or undefined (with the record marked broken) when it is not a usable DN. */
  private decodeDn(raw: string, isBase64: boolean, line: number): string | undefined {
    let dn: string | undefined;
    if (isBase64) {
      const bytes = this.base64(raw, 'dn', line);
      if (bytes === undefined) return undefined;
      dn = strictUtf8(bytes);
      if (dn === undefined) {
        this.record = new RecordBuilder(undefined, line);
        this.recordError(line, 'the base64 DN is not UTF-8 text', 'export again; ldifde and ldapsearch write DNs as UTF-8');
        return undefined;
      }
    } else {
      dn = NON_ASCII.test(raw) ? strictUtf8(Buffer.from(raw, 'latin1')) : raw;
      if (dn === undefined) {
        this.record = new RecordBuilder(undefined, line);
        this.recordError(line, 'the DN is not UTF-8 text', 'export again; ldifde and ldapsearch write DNs as UTF-8');
        return undefined;
      }
    }
    if (dn.includes('\0')) {
      this.record = new RecordBuilder(undefined, line);
      this.recordError(line, `the DN "${visible(dn)}" holds a NUL byte`, 'check the DN in the export; no directory DN holds one');
      return undefined;
    }
    // Samba's ldbsearch names the RootDSE "@ROOTDSE"; everywhere else it is the empty DN.
    return dn === '@ROOTDSE' ? '' : dn;
  }

  /** Decoded base64, or undefined (the record marked broken) when it is not whole, padded base64. */
  private base64(raw: string, lowerName: string, line: number): Buffer | undefined {
    const compact = raw.trim();
    // ldifde and ldapsearch always pad: a length that is not a multiple of 4 is a cut value.
    if (compact.length % 4 !== 0 || !BASE64.test(compact)) return this.notBase64(lowerName, line, compact.length);
    return Buffer.from(compact, 'base64');
  }

  /** base64(), for a value longer than BASE64_WINDOW: decoded a window at a time, never as one string as long as the value. */
  private base64InWindows(bytes: Buffer, start: number, end: number, lowerName: string, line: number): Buffer | undefined {
    while (start < end && TRIMMED_BYTES.has(bytes[start] as number)) start++;
    while (end > start && TRIMMED_BYTES.has(bytes[end - 1] as number)) end--;
    if ((end - start) % 4 !== 0) return this.notBase64(lowerName, line, end - start);
    const decoded = Buffer.allocUnsafe(((end - start) / 4) * 3);
    let written = 0;
    for (let at = start; at < end; at += BASE64_WINDOW) {
      const window = bytes.toString('latin1', at, Math.min(at + BASE64_WINDOW, end));
      // Padding may only end the value, so only the last window may hold it.
      if (!(at + BASE64_WINDOW >= end ? BASE64 : UNPADDED_BASE64).test(window)) return this.notBase64(lowerName, line, end - start);
      written += decoded.write(window, written, 'base64');
    }
    return decoded.subarray(0, written);
  }

  private notBase64(lowerName: string, line: number, length: number): undefined {
    this.recordError(
      line,
      `the base64 value of "${lowerName}" is not valid base64${length % 4 === 0 ? '' : ' (its length is not a multiple of 4: cut short?)'}`,
    );
    return undefined;
  }

  /** The value bytes[start, end): text, or bytes for binary attributes. */
  private decodeValue(name: KnownName, bytes: Buffer, start: number, end: number, isBase64: boolean, line: number): AttributeValue | undefined {
    const { lower: lowerName, type: attribute, binary } = name;
    const length = end - start;
    if (length > this.limits.valueBytes && (!isBase64 || (length / 4) * 3 > this.limits.valueBytes)) {
      throw new LdifLimitError(
        line,
        `the value of "${lowerName}" is larger than ${mebibytes(this.limits.valueBytes)}, so reading stopped there: entries after it were not read`,
        'if the export really holds a value that large, raise --max-value-mb',
        this.record?.dn,
      );
    }
    let value: AttributeValue;
    if (!isBase64) {
      const raw = bytes.toString('latin1', start, end);
      // RFC 2849 allows a NUL only base64-encoded; a raw one is a damaged or hostile file.
      if (raw.includes('\0')) {
        this.recordError(line, `the value of "${lowerName}" holds a NUL byte, which LDIF allows only base64-encoded`);
        return undefined;
      }
      if (binary) value = binaryFromText(attribute, raw);
      else if (!NON_ASCII.test(raw)) return raw;
      else {
        const text = strictUtf8(bytes.subarray(start, end));
        if (text !== undefined) return text;
        this.problem('warning', line, `the value of "${lowerName}" has bytes that are not UTF-8; they were replaced with U+FFFD`, this.record?.dn);
        return bytes.toString('utf8', start, end);
      }
    } else {
      const decoded =
        length > BASE64_WINDOW ? this.base64InWindows(bytes, start, end, lowerName, line) : this.base64(bytes.toString('latin1', start, end), lowerName, line);
      if (decoded === undefined) return undefined;
      // Not text, although the attribute is not a known binary one: keep the bytes, lose nothing.
      value = binary ? decoded : (strictUtf8(decoded) ?? decoded);
    }
    if (binary && typeof value !== 'string') {
      const wrong = binaryValueProblem(attribute, value);
      if (wrong !== undefined) {
        this.recordError(line, `the value of "${lowerName}" ${wrong}`, 'the export was damaged or cut: export it again');
        return undefined;
      }
    }
    return value;
  }

  private endRecord(): void {
    const record = this.record;
    this.record = undefined;
    if (record === undefined) return;
    if (record.broken) {
      this.brokenRecords++;
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
    if (record.attributes.size === 0) {
      if (this.attributeless === undefined) this.attributeless = { count: 0, line: record.firstLine, dn: record.dn };
      this.attributeless.count++;
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
    this.entriesEmitted++;
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
const UNPADDED_BASE64 = /^[A-Za-z0-9+/]*$/;
/** A multiple of 4, so that every window but the last decodes whole. */
const BASE64_WINDOW = 1 << 20;
/** What String.prototype.trim removes, among the byte string's characters (U+0000 to U+00FF). */
const TRIMMED_BYTES: ReadonlySet<number> = new Set([0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x20, 0xa0]);
/**
 * RFC 4512 attribute descriptions (a name or an OID, then ";options"), with "_" as some directories use it.
 * Control characters, NUL and spaces in a name mean the file is damaged or built to mislead.
 */
const ATTRIBUTE_DESCRIPTION = /^[A-Za-z0-9][\w.-]*(?:;[\w.=*-]+)*$/;

/** What may start a record (or, for "version", precede the first): anything else before the first record was pasted. */
const RECORD_STARTS = new Set(['dn', 'version', 'search', 'result', 'ref']);

interface PastedLines {
  first: number;
  last: number;
  sample: string;
}
const NON_ASCII = /[\x80-\xff]/;
const UTF8_BOM = Buffer.from([0xef, 0xbb, 0xbf]);
const LDAPSEARCH_HEADER = Buffer.from('# extended LDIF', 'latin1');
const FENCE = Buffer.from('```', 'latin1');
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

/** The position of the first ":" in bytes[start, end), or -1. */
function indexOfColon(bytes: Buffer, start: number, end: number): number {
  for (let i = start; i < end; i++) if (bytes[i] === 0x3a) return i;
  return -1;
}

function startsWith(bytes: Buffer, start: number, end: number, prefix: Buffer): boolean {
  if (end - start < prefix.length) return false;
  for (let i = 0; i < prefix.length; i++) if (bytes[start + i] !== prefix[i]) return false;
  return true;
}

/** An attribute description as written in the file, and what the parser needs to know about it. */
interface KnownName {
  /** The name as a byte string (see LdifParser), e.g. "sAMAccountName" or "member;range=0-1499". */
  name: string;
  lower: string;
  /** Without options ("member;range=0-1499" gives "member"). */
  type: string;
  /** A valid RFC 4512 attribute description (ATTRIBUTE_DESCRIPTION). */
  valid: boolean;
  binary: boolean;
}

const NO_NAME: KnownName = { name: '', lower: '', type: '', valid: false, binary: false };

function knownName(name: string): KnownName {
  const lower = name.toLowerCase();
  const type = attributeType(lower);
  return { name, lower, type, valid: ATTRIBUTE_DESCRIPTION.test(name), binary: isBinaryAttribute(type) };
}

/**
 * Attribute names by their bytes: an export repeats a few hundred names millions of times, so each is decoded,
 * lower-cased and validated once. Names past MAX_NAMES (a hostile file can hold millions) are decoded every time.
 */
class AttributeNames {
  private readonly byHash = new Map<number, { bytes: Buffer; known: KnownName }>();

  at(bytes: Buffer, start: number, end: number): KnownName {
    let hash = end - start;
    for (let i = start; i < end; i++) hash = (Math.imul(hash, 31) + (bytes[i] as number)) | 0;
    const cached = this.byHash.get(hash);
    if (cached !== undefined && cached.bytes.length === end - start && startsWith(bytes, start, end, cached.bytes)) return cached.known;
    const known = knownName(bytes.toString('latin1', start, end));
    if (cached === undefined && this.byHash.size < MAX_NAMES) this.byHash.set(hash, { bytes: Buffer.from(bytes.subarray(start, end)), known });
    return known;
  }
}
const MAX_NAMES = 4096;

/**
 * "name: value", "name:: base64" or "name:< url" with a valid attribute name: a line an LDIF writer could have
 * written, unlike a prompt ("user@host:~$ ldapsearch ...", "C:\\> ldifde ...") or a Markdown fence.
 */
function looksLikeLdif(text: string, colon: number): boolean {
  if (colon <= 0 || !ATTRIBUTE_DESCRIPTION.test(text.slice(0, colon))) return false;
  const marker = text.charCodeAt(colon + 1);
  return Number.isNaN(marker) || marker === 0x20 || marker === 0x3a || marker === 0x3c;
}

/** A byte string shown to a person: decoded, cut to one short line, control characters shown as \xHH. */
function preview(bytes: string): string {
  return visible(Buffer.from(bytes, 'latin1').toString('utf8'));
}

function visible(text: string): string {
  const short = text.length > 60 ? `${text.slice(0, 57)}...` : text;
  return short.replace(/[\x00-\x1f\x7f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
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
  /** What its values take in memory, for the record cap (see LdifLimits.recordBytes). */
  bytes = 0;
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
    this.bytes += value.length + VALUE_OVERHEAD_BYTES;
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
    this.bytes += next.bytes;
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
    events.unshift({ type: 'entry', entry: new Entry(this.dn ?? '', this.attributes, ranged, this.key, this.firstLine) });
    return events;
  }
}
