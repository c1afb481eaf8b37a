/**
 * Broken and hostile LDIF inputs, generated: each case writes its files into a folder and says which real
 * tool output or accident it models and which input problems the scan must report (and no others). Used by
 * tests/hostile/ldif.test.ts (in-process, in `npm test`), tests/hostile/ldif-slow.test.ts and
 * scripts/hostile-ldif.ts (through the CLI, with peak RSS and time).
 */
import { createWriteStream } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createGzip, gzipSync } from 'node:zlib';
import { type DirectoryRecord, type ExportWriter, LdapsearchWriter, LdifdeWriter } from '../../scripts/ldif-dialects.js';

export const DOMAIN = 'DC=corp,DC=contoso,DC=test';
const CONFIG = `CN=Configuration,${DOMAIN}`;

export interface ExpectedProblem {
  severity: 'error' | 'warning';
  message: RegExp;
  /** File name (not path) the problem names, or "stdin". */
  input?: string;
  location?: RegExp;
}

export interface HostileInputs {
  /** Paths to scan in this order; "-" reads `stdin`. */
  files: string[];
  stdin?: Buffer;
}

export interface HostileLdifCase {
  name: string;
  /** The real tool output, accident or attack it models. */
  models: string;
  write(dir: string): Promise<HostileInputs>;
  /** Every problem the scan reports must match one of these, and each of these must be reported. */
  problems: ExpectedProblem[];
  /** Entries the scan must have read (when it matters for the case). */
  entries?: number;
  /** LDIF caps for this case (small ones, so that a cap case stays fast). */
  limits?: { recordBytes?: number; valueBytes?: number };
}

const guid = (n: number): Buffer => Buffer.from(`${n.toString(16).padStart(8, '0')}-guid-of-16b`.slice(0, 16));

function sid(rid: number): Buffer {
  const bytes = Buffer.alloc(28);
  bytes[0] = 1;
  bytes[1] = 5;
  bytes.writeUIntBE(5, 2, 6);
  [21, 1111, 2222, 3333, rid].forEach((s, i) => bytes.writeUInt32LE(s, 8 + 4 * i));
  return bytes;
}

/** A small domain as the DC returns it: head, an OU, users with binary GUIDs and SIDs and a description long enough to fold. */
export function domainRecords(users: number, domain = DOMAIN): DirectoryRecord[] {
  const records: DirectoryRecord[] = [
    {
      dn: domain,
      attributes: [
        ['objectClass', ['top', 'domain', 'domainDNS']],
        ['msDS-Behavior-Version', ['7']],
        ['objectGUID', [guid(0)]],
      ],
    },
    {
      dn: `OU=Staff,${domain}`,
      attributes: [
        ['objectClass', ['top', 'organizationalUnit']],
        ['ou', ['Staff']],
      ],
    },
  ];
  for (let i = 1; i <= users; i++) {
    records.push({
      dn: `CN=User ${i},OU=Staff,${domain}`,
      attributes: [
        ['objectClass', ['top', 'person', 'organizationalPerson', 'user']],
        ['sAMAccountName', [`user${i}`]],
        ['userPrincipalName', [`user${i}@contoso.test`]],
        ['description', [`A description long enough that ldifde and ldapsearch fold it over more than one line of the file (${i}).`]],
        ['objectGUID', [guid(i)]],
        ['objectSid', [sid(1000 + i)]],
      ],
    });
  }
  return records;
}

export function configurationRecords(root = DOMAIN): DirectoryRecord[] {
  const config = `CN=Configuration,${root}`;
  const dns = root.replace(/DC=/g, '').replace(/,/g, '.');
  return [
    { dn: config, attributes: [['objectClass', ['top', 'configuration']]] },
    {
      dn: `CN=Partitions,${config}`,
      attributes: [
        ['objectClass', ['top', 'crossRefContainer']],
        ['msDS-Behavior-Version', ['7']],
      ],
    },
    {
      dn: `CN=CORP,CN=Partitions,${config}`,
      attributes: [
        ['objectClass', ['top', 'crossRef']],
        ['nCName', [root]],
        ['dnsRoot', [dns]],
        ['nETBIOSName', ['CORP']],
        ['systemFlags', ['3']],
      ],
    },
  ];
}

export function ldifde(records: readonly DirectoryRecord[]): Buffer {
  return render(new LdifdeWriter(), records);
}

export function ldapsearch(records: readonly DirectoryRecord[], base = DOMAIN): Buffer {
  return render(new LdapsearchWriter(base, (page) => `cookie${page}`), records);
}

function render(writer: ExportWriter, records: readonly DirectoryRecord[]): Buffer {
  let text = writer.header();
  for (const record of records) text += writer.entry(record);
  return Buffer.from(text + writer.trailer(), 'utf8');
}

/** Writes `files` (name → content) into `dir`; returns their paths in order. */
async function files(dir: string, contents: Record<string, Buffer | string>): Promise<HostileInputs> {
  const paths: string[] = [];
  for (const [name, content] of Object.entries(contents)) {
    const path = join(dir, name);
    await writeFile(path, content);
    paths.push(path);
  }
  return { files: paths };
}

/** The domain's ldifde export beside its configuration export: what the cut and broken cases start from. */
function withConfiguration(dir: string, domain: Buffer | string, name = 'domain.ldf'): Promise<HostileInputs> {
  return files(dir, { 'configuration.ldf': ldifde(configurationRecords()), [name]: domain });
}

const DOMAIN_LDF = ldifde(domainRecords(20));
const at = (text: Buffer, needle: string, from = 0): number => {
  const i = text.indexOf(needle, from);
  if (i < 0) throw new Error(`generator: "${needle}" not found`);
  return i;
};
/** One user record as ldifde writes it, with `replace` applied to its text. */
const userRecord = (replace: (text: string) => string): string =>
  replace(
    ldifde([
      {
        dn: `CN=Odd,OU=Staff,${DOMAIN}`,
        attributes: [
          ['objectClass', ['top', 'person', 'organizationalPerson', 'user']],
          ['objectGUID', [guid(99)]],
          ['objectSid', [sid(99)]],
        ],
      },
    ])
      .toString('latin1')
      .slice(2),
  );
const withRecord = (record: string | Buffer): Buffer => Buffer.concat([DOMAIN_LDF, Buffer.from(record as string, 'latin1')]);

const CUT_SHORT = /cut short/;

/** The whole domain export read a second time from `input`: one error naming both places, one counting the other 21 objects. */
function repeated(name: string, models: string, input: string, write: HostileLdifCase['write']): HostileLdifCase {
  return {
    name,
    models,
    write,
    problems: [
      { severity: 'error', message: /already read from .*domain\.ldf \(line 2\)/, input },
      { severity: 'error', message: /^21 more objects/, input },
    ],
    entries: 25,
  };
}

export const LDIF_CASES: HostileLdifCase[] = [
  {
    name: 'ldifde export cut mid-line',
    models: 'a copy or transfer interrupted inside a value (ldifde ends every line with CRLF)',
    write: (dir) => withConfiguration(dir, DOMAIN_LDF.subarray(0, at(DOMAIN_LDF, 'user12@') + 3)),
    problems: [{ severity: 'error', message: /ends in the middle of a line, so it was cut short/, input: 'domain.ldf' }],
  },
  {
    name: 'ldifde export cut mid-base64',
    models: 'an export cut inside a base64 objectSid, at a line end (the value is no longer whole base64)',
    write: (dir) => {
      const sidLine = at(DOMAIN_LDF, 'objectSid:: ', at(DOMAIN_LDF, 'CN=User 7,'));
      return withConfiguration(dir, Buffer.concat([DOMAIN_LDF.subarray(0, sidLine + 'objectSid:: '.length + 13), Buffer.from('\r\n')]));
    },
    problems: [
      {
        severity: 'error',
        message: /base64 value of "objectsid" is not valid base64 \(its length is not a multiple of 4: cut short\?\)/,
        location: /^line \d+ \(CN=User 7,/,
      },
      { severity: 'error', message: /ends without the blank line ldifde writes after every record, so it was cut short/ },
    ],
  },
  {
    name: 'ldifde export cut mid-fold',
    models: 'an export cut right after a folded line of a description (the next line would have continued it)',
    write: (dir) => {
      const description = at(DOMAIN_LDF, 'description: ', at(DOMAIN_LDF, 'CN=User 9,'));
      return withConfiguration(dir, DOMAIN_LDF.subarray(0, at(DOMAIN_LDF, '\r\n', description) + 2));
    },
    problems: [{ severity: 'error', message: /ends without the blank line ldifde writes after every record/, location: /^line \d+$/ }],
  },
  {
    name: 'ldifde export without its last blank line',
    models: 'the last two bytes lost (ldifde writes a blank line after every record, the last included)',
    write: (dir) => withConfiguration(dir, DOMAIN_LDF.subarray(0, DOMAIN_LDF.length - 2)),
    problems: [{ severity: 'error', message: /ends without the blank line ldifde writes/ }],
  },
  {
    name: 'half an ldifde export',
    models: 'a file cut in half at a line end, as a full disk or an interrupted copy leaves it',
    write: (dir) => withConfiguration(dir, DOMAIN_LDF.subarray(0, DOMAIN_LDF.lastIndexOf('\r\n', DOMAIN_LDF.length / 2) + 2)),
    problems: [{ severity: 'error', message: CUT_SHORT }],
  },
  {
    name: 'ldapsearch export cut short, with the prompt and command line pasted above',
    models: 'a terminal copy of "ldapsearch ... > out.ldif" whose transfer stopped early; the prompt line must not hide the dialect',
    write: (dir) => {
      const full = ldapsearch(domainRecords(20));
      const pasted = Buffer.from(
        "admin@jump:~$ ldapsearch -H ldaps://dc1.corp.contoso.test -D scanner@corp.contoso.test -W -E pr=1000/noprompt -b 'DC=corp,DC=contoso,DC=test' '(objectClass=*)' '*'\n",
      );
      return withConfiguration(dir, Buffer.concat([pasted, full.subarray(0, full.indexOf('\n\n', full.length / 2) + 2)]), 'domain.ldif');
    },
    problems: [
      { severity: 'error', message: /ldapsearch export ends without its closing "result:" line, so it was cut short/ },
      { severity: 'warning', message: /line 1 is not LDIF but text pasted above the export/ },
    ],
  },
  {
    name: 'ldapsearch export in a Markdown fence',
    models: 'an export pasted into a ticket or chat between ```ldif fences',
    write: (dir) => withConfiguration(dir, Buffer.concat([Buffer.from('```ldif\n'), ldapsearch(domainRecords(3)), Buffer.from('```\n')]), 'domain.ldif'),
    problems: [
      { severity: 'warning', message: /line 1 is not LDIF but text pasted above the export/ },
      { severity: 'warning', message: /not LDIF but text pasted below the export/ },
    ],
    entries: 8,
  },
  {
    name: 'objectGUID of 7 bytes',
    models: 'a damaged export whose base64 objectGUID decodes to 7 bytes',
    write: (dir) =>
      withConfiguration(dir, withRecord(userRecord((t) => t.replace(/objectGUID:: \S+/, `objectGUID:: ${Buffer.alloc(7, 1).toString('base64')}`)))),
    problems: [{ severity: 'error', message: /"objectguid" is 7 bytes long; a GUID is 16/, location: /^line \d+ \(CN=Odd,/ }],
  },
  {
    name: 'objectSid that is not a SID',
    models: 'a damaged export whose objectSid says 5 sub-authorities but holds 2',
    write: (dir) =>
      withConfiguration(dir, withRecord(userRecord((t) => t.replace(/objectSid:: \S+/, `objectSid:: ${sid(7).subarray(0, 16).toString('base64')}`)))),
    problems: [{ severity: 'error', message: /"objectsid" is not a valid SID/, location: /^line \d+ \(CN=Odd,/ }],
  },
  {
    name: 'object outside every domain the forest names',
    models: 'a stray object (CN=x,DC=evil,DC=example) in a domain export: it must not become a phantom domain',
    write: (dir) => withConfiguration(dir, withRecord(`dn: CN=x,DC=evil,DC=example\r\nchangetype: add\r\nobjectClass: user\r\n\r\n`)),
    problems: [
      {
        severity: 'error',
        message: /outside every domain the forest names \(corp\.contoso\.test\)/,
        input: 'domain.ldf',
        location: /^line \d+ \(CN=x,DC=evil,DC=example\)$/,
      },
    ],
  },
  {
    name: 'configuration subtree without its head',
    models: 'ldifde -d "CN=Sites,CN=Configuration,..." exported beside the domain: no domain may be invented from it',
    write: (dir) =>
      files(dir, {
        'domain.ldf': DOMAIN_LDF,
        'sites.ldf': ldifde([
          { dn: `CN=Sites,${CONFIG}`, attributes: [['objectClass', ['top', 'sitesContainer']]] },
          { dn: `CN=Subnets,CN=Sites,${CONFIG}`, attributes: [['objectClass', ['top', 'container']]] },
        ]),
      }),
    problems: [],
  },
  {
    name: 'the same object twice in one file',
    models: 'two exports concatenated into one file (copy /b a.ldf+a.ldf)',
    write: (dir) => withConfiguration(dir, Buffer.concat([DOMAIN_LDF, DOMAIN_LDF.subarray(2)])),
    problems: [
      { severity: 'error', message: /already read from .*domain\.ldf \(line 2\); it was not counted again/, input: 'domain.ldf' },
      { severity: 'error', message: /^21 more objects of this input were already read/ },
    ],
    entries: 25,
  },
  {
    name: 'an OU exported beside its whole domain',
    models: 'ldifde -d "OU=Staff,..." passed next to the domain export that already holds it',
    write: (dir) =>
      files(dir, { 'configuration.ldf': ldifde(configurationRecords()), 'domain.ldf': DOMAIN_LDF, 'staff.ldf': ldifde(domainRecords(20).slice(1)) }),
    problems: [
      { severity: 'error', message: /this object was already read from .*domain\.ldf \(line \d+\)/, input: 'staff.ldf', location: /^line 2 \(OU=Staff,/ },
      { severity: 'error', message: /^20 more objects of this input/, input: 'staff.ldf' },
    ],
    entries: 25,
  },
  repeated('a file beside its own .gz', 'domain.ldf and domain.ldf.gz both matched by *.ldf*', 'domain.ldf.gz', async (dir) =>
    files(dir, { 'configuration.ldf': ldifde(configurationRecords()), 'domain.ldf': DOMAIN_LDF, 'domain.ldf.gz': gzipSync(DOMAIN_LDF) }),
  ),
  repeated('the same export as a file and on stdin', 'readiness scan --ldif domain.ldf - < domain.ldf', 'stdin', async (dir) => {
    const inputs = await withConfiguration(dir, DOMAIN_LDF);
    return { files: [...inputs.files, '-'], stdin: DOMAIN_LDF };
  }),
  {
    name: 'an empty file',
    models: 'an export that failed before writing anything (ldifde -f empty.ldf with a wrong -d)',
    write: (dir) => withConfiguration(dir, '', 'empty.ldf'),
    problems: [{ severity: 'warning', message: /empty\.ldf holds no entries$/ }],
  },
  {
    name: 'a file that is not LDIF',
    models: 'the wrong file passed (a YAML config)',
    write: (dir) => withConfiguration(dir, 'checks:\n  disabled:\n    - hygiene.upn-format\n', 'config.yaml'),
    problems: [
      { severity: 'error', message: /this file is not LDIF: none of its 3 lines starts an LDIF record \(the first reads "checks:/, input: 'config.yaml' },
    ],
  },
  {
    name: 'a binary file',
    models: 'a PNG passed for an export',
    write: (dir) =>
      withConfiguration(dir, Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52, 0x0a]), 'photo.png'),
    problems: [{ severity: 'error', message: /this file is not LDIF/, input: 'photo.png' }],
  },
  {
    name: 'UTF-16LE without a byte order mark',
    models: 'PowerShell 5 "ldifde ... | Out-File" / ">" redirection, which writes UTF-16LE',
    write: (dir) => withConfiguration(dir, Buffer.from(DOMAIN_LDF.toString('utf8'), 'utf16le')),
    problems: [],
    entries: 25,
  },
  {
    name: 'UTF-16BE without a byte order mark',
    models: 'an editor saving the export as UTF-16 big-endian without a BOM',
    write: (dir) => withConfiguration(dir, Buffer.from(DOMAIN_LDF.toString('utf8'), 'utf16le').swap16()),
    problems: [],
    entries: 25,
  },
  {
    name: 'base64 DN that is not UTF-8',
    models: 'a DN written in Windows-1252 and base64-encoded by a home-made exporter',
    write: (dir) =>
      withConfiguration(
        dir,
        withRecord(
          userRecord((t) => t.replace(/^dn: .*$/m, `dn:: ${Buffer.from('CN=Jos\xe9,OU=Staff,DC=corp,DC=contoso,DC=test', 'latin1').toString('base64')}\r`)),
        ),
      ),
    problems: [{ severity: 'error', message: /the base64 DN is not UTF-8 text/ }],
  },
  {
    name: 'NUL byte in a value',
    models: 'a raw NUL in an unencoded value (LDIF allows it only base64-encoded)',
    write: (dir) => withConfiguration(dir, withRecord(userRecord((t) => t.replace('changetype: add\r\n', 'changetype: add\r\ndescription: a\0b\r\n')))),
    problems: [{ severity: 'error', message: /the value of "description" holds a NUL byte/, location: /^line \d+ \(CN=Odd,/ }],
  },
  {
    name: 'NUL byte in a DN',
    models: 'a DN with a raw NUL, which no directory holds',
    write: (dir) => withConfiguration(dir, withRecord(userRecord((t) => t.replace('CN=Odd', 'CN=O\0dd')))),
    problems: [{ severity: 'error', message: /the DN "CN=O\\x00dd,.*" holds a NUL byte/ }],
  },
  {
    name: 'NUL byte in an attribute name',
    models: 'a damaged file with a NUL inside an attribute name',
    write: (dir) => withConfiguration(dir, withRecord(userRecord((t) => t.replace('changetype: add\r\n', 'changetype: add\r\ndescr\0iption: x\r\n')))),
    problems: [{ severity: 'error', message: /"descr\\x00iption" is not an attribute name/ }],
  },
  {
    name: 'control character in an attribute name',
    models: 'an escape sequence hidden in an attribute name to mislead a terminal',
    write: (dir) => withConfiguration(dir, withRecord(userRecord((t) => t.replace('changetype: add\r\n', 'changetype: add\r\n\x1b[2Jcn: x\r\n')))),
    problems: [{ severity: 'error', message: /"\\x1b\[2Jcn" is not an attribute name/ }],
  },
  {
    name: 'bad DN escape \\zz',
    models: 'a hand-edited DN with a backslash before a character RFC 4514 does not escape',
    write: (dir) => withConfiguration(dir, withRecord(userRecord((t) => t.replace('CN=Odd', 'CN=O\\zzdd')))),
    problems: [{ severity: 'error', message: /"\\zz" at position \d+ is not an escape/ }],
  },
  {
    name: 'bad DN escape \\4',
    models: 'a hex escape with one digit (a DN cut inside an escape)',
    write: (dir) => withConfiguration(dir, withRecord(userRecord((t) => t.replace('CN=Odd', 'CN=Odd\\4')))),
    problems: [{ severity: 'error', message: /"\\4," at position \d+ is not an escape/ }],
  },
  {
    name: 'a record that is only a dn: line',
    models: 'ldapsearch run by an account that may not read the object: the DN comes back without attributes',
    write: (dir) => withConfiguration(dir, withRecord(`dn: CN=Hidden,OU=Staff,${DOMAIN}\r\n\r\n`)),
    problems: [{ severity: 'warning', message: /this record holds only its "dn:" line/, input: 'domain.ldf', location: /^line \d+ \(CN=Hidden,/ }],
  },
  {
    name: 'a record over the record cap',
    models: 'a group with more members than --max-record-mb allows (the cap made small for the test)',
    write: (dir) =>
      withConfiguration(
        dir,
        withRecord(
          `dn: CN=Big,OU=Staff,${DOMAIN}\r\nchangetype: add\r\nobjectClass: group\r\n${Array.from({ length: 20_000 }, (_, i) => `member: CN=User ${i},OU=Staff,${DOMAIN}\r\n`).join('')}\r\n`,
        ),
      ),
    limits: { recordBytes: 1 << 20 },
    problems: [{ severity: 'error', message: /the record starting at line \d+ takes more than 1 MiB, so reading stopped there/, location: /\(CN=Big,/ }],
    entries: 25,
  },
  {
    name: 'a value over the value cap',
    models: 'a 3 MiB thumbnailPhoto when --max-value-mb is 1',
    write: (dir) =>
      withConfiguration(dir, withRecord(userRecord((t) => t.replace('changetype: add\r\n', `changetype: add\r\ninfo: ${'x'.repeat(3 << 20)}\r\n`)))),
    limits: { valueBytes: 1 << 20 },
    problems: [{ severity: 'error', message: /a line is longer than 1.4 MiB \(values up to 1 MiB\)/ }],
  },
];

export interface SlowLdifCase {
  name: string;
  models: string;
  /** The CLI's --ldif arguments and extra flags, and what to pipe into stdin. */
  write(dir: string): Promise<{ args: string[]; stdin?: 'endless-record' }>;
  /** The one-line error the CLI must print, or undefined when the input is legitimate and must read. */
  message: RegExp | undefined;
  /** Exit codes that keep the promise (3: incomplete; a legitimate input may also give a verdict). */
  exits: number[];
  /**
   * Peak RSS this case may reach, where a legitimate giant value costs more than the general bound: the reader holds
   * such a record's values while it is open (measured after issue 12's byte-level reader: 701-710 MB for the group,
   * 720-794 MB for the 200 MB line).
   */
  peakRssMb?: number;
}

/** Cases too big for `npm test`; run with READINESS_HOSTILE_SLOW=1 or scripts/hostile-ldif.ts. */
export const SLOW_LDIF_CASES: SlowLdifCase[] = [
  {
    name: '/dev/zero',
    models: 'an endless input without a line end',
    write: async () => ({ args: ['--ldif', '/dev/zero'] }),
    message: /a line is longer than/,
    exits: [3],
  },
  {
    name: 'endless record on stdin',
    models: 'a generator that never ends one record: (echo dn: ...; yes member: ...) | readiness scan --ldif -',
    write: async () => ({ args: ['--ldif', '-'], stdin: 'endless-record' }),
    message: /takes more than 256 MiB, so reading stopped there/,
    exits: [3],
  },
  {
    name: 'gzip bomb (1 GiB of zeros in 1 MB)',
    models: 'a small .gz that inflates without end',
    write: async (dir) => {
      const path = join(dir, 'bomb.ldf.gz');
      await pipeline(zeros(1 << 30), createGzip({ level: 1 }), createWriteStream(path));
      return { args: ['--ldif', path] };
    },
    message: /a line is longer than/,
    exits: [3],
  },
  {
    name: '5M-member group, cap raised',
    peakRssMb: 900,
    models: 'a legitimate giant group (ldifde: 1,500 members in the add record, the rest in modify records), read with --max-record-mb 1024',
    write: async (dir) => {
      const path = join(dir, 'giant-group.ldf');
      await pipeline(giantGroup(5_000_000), createWriteStream(path));
      await writeFile(join(dir, 'configuration.ldf'), ldifde(configurationRecords()));
      return { args: ['--ldif', join(dir, 'configuration.ldf'), path, '--max-record-mb', '1024'] };
    },
    message: undefined,
    exits: [0, 1, 3],
  },
  {
    name: '200 MB line, cap raised',
    peakRssMb: 900,
    models: 'a legitimate 150 MB value written unfolded (ldapsearch -o ldif-wrap=no), read with --max-value-mb 160',
    write: async (dir) => {
      const path = join(dir, 'long-line.ldif');
      const value = Buffer.alloc(150 * 1e6, 0x41);
      const record = `dn: CN=Long,OU=Staff,${DOMAIN}\r\nchangetype: add\r\nobjectClass: user\r\ninfo:: `;
      await writeFile(path, Buffer.concat([ldifde(domainRecords(1)), Buffer.from(record), Buffer.from(value.toString('base64')), Buffer.from('\r\n\r\n')]));
      return { args: ['--ldif', path, '--max-value-mb', '160'] };
    },
    message: undefined,
    exits: [0, 1, 3],
  },
];

async function* zeros(bytes: number): AsyncGenerator<Buffer> {
  const chunk = Buffer.alloc(1 << 20);
  for (let sent = 0; sent < bytes; sent += chunk.length) yield chunk;
}

async function* giantGroup(members: number): AsyncGenerator<Buffer> {
  yield ldifde(domainRecords(1));
  const head = `dn: CN=All Staff,OU=Staff,${DOMAIN}\r\n`;
  yield Buffer.from(`${head}changetype: add\r\nobjectClass: top\r\nobjectClass: group\r\n`);
  const member = (i: number): string => `member: CN=User ${i},OU=Staff,${DOMAIN}\r\n`;
  let lines: string[] = [];
  for (let i = 0; i < 1500; i++) lines.push(member(i));
  yield Buffer.from(`${lines.join('')}\r\n`);
  for (let lo = 1500; lo < members; lo += 100_000) {
    lines = [];
    for (let i = lo; i < Math.min(lo + 100_000, members); i++) lines.push(member(i));
    yield Buffer.from(`${head}changetype: modify\r\nadd: member\r\n${lines.join('')}-\r\n\r\n`);
  }
}

/** What the endless-record case pipes into stdin: one group that never ends. */
export async function* endlessRecord(): AsyncGenerator<Buffer> {
  yield Buffer.from(`dn: CN=Endless,OU=Staff,${DOMAIN}\nobjectClass: group\n`);
  const chunk = Buffer.from(`member: CN=User 1,OU=Staff,${DOMAIN}\n`.repeat(20_000));
  for (;;) yield chunk;
}
