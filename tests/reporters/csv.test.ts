import { Writable } from 'node:stream';
import { beforeAll, describe, expect, it } from 'vitest';
import { CSV_COLUMNS, csvCell, writeCsv } from '../../src/reporters/csv.js';
import type { Finding, ForestReport, Report, ReportObject } from '../../src/report/schema.js';
import { D, hard, oneForest, report, scanPilotForest } from '../report/helpers.js';

/** Collects what is written; `slow` makes every write report a full buffer, so the writer must wait for 'drain'. */
class Sink extends Writable {
  chunks: string[] = [];
  maxBuffered = 0;
  constructor(slow = false) {
    super({ highWaterMark: slow ? 1 : 16 * 1024, decodeStrings: false });
  }
  override _write(chunk: string, _encoding: BufferEncoding, done: (error?: Error | null) => void): void {
    this.chunks.push(chunk);
    this.maxBuffered = Math.max(this.maxBuffered, this.writableLength);
    setImmediate(done);
  }
  get text(): string {
    return this.chunks.join('');
  }
}

/** RFC 4180 reader for the test: quoted fields, doubled quotes, CRLF records. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i] as string;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(cell);
      cell = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      i++;
    } else cell += c;
  }
  return rows;
}

let base: ForestReport;
beforeAll(async () => {
  base = report(await scanPilotForest([hard]));
});

function withFindings(findings: Finding[], tenantFindings: Finding[] = []): Report {
  const r = oneForest({ ...base, findings });
  return { ...r, tenant: { checks: [], findings: tenantFindings } };
}

function finding(key: string, objects: ReportObject[], extra: Partial<Finding> = {}): Finding {
  const id = key.split('/')[0] as string;
  return {
    id,
    key,
    fingerprint: `fp-${key}`,
    severity: 'warning',
    title: `title of ${key}`,
    message: `${objects.length} object(s)`,
    count: Math.max(objects.length, 1),
    objects,
    scope: objects.length > 0 ? { kind: 'objects' } : { kind: 'forest' },
    coexistence: false,
    inScope: true,
    remediation: 'fix it',
    sources: [{ title: 'Prepare', url: 'https://learn.microsoft.com/prepare', date: '2026-01-01' }],
    ...extra,
  };
}

async function csvOf(r: Report, sink = new Sink()): Promise<{ text: string; rows: string[][]; sink: Sink }> {
  await writeCsv(r, sink);
  return { text: sink.text, rows: parseCsv(sink.text.slice(1)), sink };
}

const ADA = `CN=Ada Lovelace,OU=Sales,OU=Corp,${D}`;

describe('the CSV fix list', () => {
  it('starts with a UTF-8 byte-order mark and a header, and writes one row per object and value with every field', async () => {
    const objects: ReportObject[] = [
      {
        dn: ADA,
        guid: '6f1c2a4e-0000-4000-8000-000000000001',
        samAccountName: 'ada',
        objectClass: 'user',
        attribute: 'proxyAddresses',
        value: 'smtp:ada @contoso.com',
        detail: 'invalid character',
        suggestion: 'smtp:ada@contoso.com',
      },
      {
        dn: ADA,
        guid: '6f1c2a4e-0000-4000-8000-000000000001',
        samAccountName: 'ada',
        objectClass: 'user',
        attribute: 'proxyAddresses',
        value: 'smtp:ada@contoso.local',
        detail: 'non-routable domain',
        suggestion: '',
      },
      { dn: ADA, attribute: 'displayName', value: 'x' },
    ];
    const { text, rows } = await csvOf(withFindings([finding('hygiene.proxy-addresses/invalid-smtp', objects)]));
    expect(text.startsWith('\uFEFFkey,fingerprint,')).toBe(true);
    expect(text.endsWith('\r\n')).toBe(true);
    expect(rows[0]).toEqual([...CSV_COLUMNS]);
    const records = rows.slice(1).map((r) => Object.fromEntries(CSV_COLUMNS.map((c, i) => [c, r[i]])));
    expect(records).toHaveLength(3);
    expect(records[0]).toEqual({
      key: 'hygiene.proxy-addresses/invalid-smtp',
      fingerprint: 'fp-hygiene.proxy-addresses/invalid-smtp',
      check: 'hygiene.proxy-addresses',
      severity: 'warning',
      forest: 'pilot.test',
      domain: 'pilot.test',
      dn: ADA,
      objectGUID: '6f1c2a4e-0000-4000-8000-000000000001',
      sAMAccountName: 'ada',
      objectClass: 'user',
      attribute: 'proxyAddresses',
      value: 'smtp:ada @contoso.com',
      problem: 'invalid character',
      action: 'replace',
      suggestedValue: 'smtp:ada@contoso.com',
      link: 'https://learn.microsoft.com/prepare',
    });
    expect(records[1]).toMatchObject({ action: 'remove', suggestedValue: '' });
    // No suggestion: a person decides; no detail: the finding's title says what is wrong.
    expect(records[2]).toMatchObject({ action: '', suggestedValue: '', problem: 'title of hygiene.proxy-addresses/invalid-smtp' });
  });

  it('keeps a forest- or domain-wide finding as a row of its own, with its message as the problem', async () => {
    const { rows } = await csvOf(
      withFindings([
        finding('forest.functional-levels/too-low', []),
        finding('writeback.password/no-rights', [], { scope: { kind: 'domain', dn: D }, message: 'no rights in pilot.test' }),
      ]),
    );
    expect(rows).toHaveLength(3);
    expect(rows[1]?.[CSV_COLUMNS.indexOf('dn')]).toBe('');
    expect(rows[2]?.[CSV_COLUMNS.indexOf('dn')]).toBe(D);
    expect(rows[2]?.[CSV_COLUMNS.indexOf('domain')]).toBe('pilot.test');
    expect(rows[2]?.[CSV_COLUMNS.indexOf('problem')]).toBe('no rights in pilot.test');
  });

  it("names each row's forest: a forest's findings by the forest, a tenant-wide finding's objects by theirs, listed first", async () => {
    const other = `CN=Ada,OU=Staff,DC=fabrikam,DC=test`;
    const { rows } = await csvOf(
      withFindings(
        [finding('hygiene.upn-format/invalid-character', [{ dn: ADA }])],
        [
          finding(
            'tenant.unique-values/upn',
            [
              { dn: ADA, forest: 'pilot.test' },
              { dn: other, forest: 'fabrikam.test' },
            ],
            { scope: { kind: 'tenant' } },
          ),
        ],
      ),
    );
    const column = (name: (typeof CSV_COLUMNS)[number]): (string | undefined)[] => rows.slice(1).map((r) => r[CSV_COLUMNS.indexOf(name)]);
    expect(column('key')).toEqual(['tenant.unique-values/upn', 'tenant.unique-values/upn', 'hygiene.upn-format/invalid-character']);
    expect(column('forest')).toEqual(['pilot.test', 'fabrikam.test', 'pilot.test']);
    // The domain comes from the object's own forest; a forest not in the report has no domain list to tell it.
    expect(column('domain')).toEqual(['pilot.test', '', 'pilot.test']);
  });

  it('quotes per RFC 4180: commas and quotes survive a round trip, line breaks are shown; non-ASCII is kept as UTF-8', async () => {
    const dn = `CN=Müller\\, \\"Jürgen\\",OU=Sales,OU=Corp,${D}`;
    const value = 'line one\r\nline "two", with comma';
    const { rows } = await csvOf(withFindings([finding('hygiene.display-name/too-long', [{ dn, attribute: 'description', value }])]));
    expect(rows[1]?.[CSV_COLUMNS.indexOf('dn')]).toBe(dn);
    expect(rows[1]?.[CSV_COLUMNS.indexOf('value')]).toBe('line one\\x0d\\x0aline "two", with comma');
    expect(rows[1]?.[CSV_COLUMNS.indexOf('domain')]).toBe('pilot.test');
  });

  it('neutralises cells a spreadsheet would run as a formula', () => {
    for (const start of ['=', '+', '-', '@']) {
      const cell = csvCell(`${start}HYPERLINK("http://evil.test")`);
      const unquoted = cell.startsWith('"') ? cell.slice(1) : cell;
      expect(unquoted.startsWith("'"), JSON.stringify(cell)).toBe(true);
    }
    // A leading tab or CR never reaches the cell: it is shown as text.
    expect(csvCell('\t=1+1')).toBe('\\x09=1+1');
    expect(csvCell('\r=1+1')).toBe('\\x0d=1+1');
    expect(csvCell('=1+1')).toBe("'=1+1");
    expect(csvCell('ada@contoso.com')).toBe('ada@contoso.com');
    expect(csvCell('a=b')).toBe('a=b');
  });

  it('shows control and bidi characters instead of writing them raw', () => {
    expect(csvCell('ada\u0000bob\u001f')).toBe('ada\\x00bob\\x1f');
    expect(csvCell('evil\u202etxt.exe')).toBe('evil\\u202etxt.exe');
  });

  it('streams a 100,000-row export in bounded chunks, waiting for the stream instead of buffering the file', async () => {
    const objects: ReportObject[] = Array.from({ length: 100_000 }, (_, i) => ({
      dn: `CN=User ${i},OU=Sales,OU=Corp,${D}`,
      guid: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
      attribute: 'userPrincipalName',
      value: `user ${i}@pilot.test`,
      suggestion: `user${i}@pilot.test`,
    }));
    const sink = new Sink(true);
    await writeCsv(withFindings([finding('hygiene.upn-format/invalid-character', objects)]), sink);
    const text = sink.text;
    expect(text.split('\r\n')).toHaveLength(100_001 + 1);
    const rows = parseCsv(text.slice(text.lastIndexOf('\r\n', text.length - 3) + 2));
    expect(rows[0]?.[CSV_COLUMNS.indexOf('suggestedValue')]).toBe('user99999@pilot.test');
    // Many writes, none larger than a chunk, and never more than one chunk waiting in the stream.
    expect(sink.chunks.length).toBeGreaterThan(100);
    const largest = Math.max(...sink.chunks.map((c) => c.length));
    expect(largest).toBeLessThan(70 * 1024);
    expect(sink.maxBuffered).toBeLessThan(2 * 70 * 1024);
  });

  it("stops with the stream's error (a full disk, a reader gone) instead of waiting for a drain that never comes", async () => {
    const objects: ReportObject[] = Array.from({ length: 20_000 }, (_, i) => ({ dn: `CN=User ${i},OU=Sales,OU=Corp,${D}` }));
    const failing = new Writable({
      highWaterMark: 1,
      write(_chunk, _encoding, done) {
        done(Object.assign(new Error('no space left'), { code: 'ENOSPC' }));
      },
    });
    failing.on('error', () => undefined);
    await expect(writeCsv(withFindings([finding('hygiene.upn-format/invalid-upn', objects)]), failing)).rejects.toThrow('no space left');
  });
});
