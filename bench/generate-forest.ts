/**
 * Streams a synthetic export of one large domain to a file, never holding it in memory:
 *
 *   npx tsx bench/generate-forest.ts --users 500000 [--shape forest|upn-local] [--out FILE]
 *
 * Two shapes: "forest" is an ldifde export (CRLF, changetype: add, modify records for large groups);
 * "upn-local" is an ldapsearch export (LF, ufn comments, page trailers, range windows) whose users carry
 * about 20 attribute values each (names, displayName, memberOf, two proxyAddresses) and sit on the non-routable
 * suffix corp.local, so that several checks list every user: the report's worst case for memory.
 *
 * Per 1,000 users: 100 computers (1 in 20 with a userCertificate), 20 contacts and 10 groups of 60 users;
 * every 100,000 users add a 20,000-member group (written in range windows). Users carry what a real
 * export has: base64 objectGUID/objectSid/mS-DS-ConsistencyGuid, UPN, mail, proxyAddresses (about
 * 680 bytes each), so 500,000 users give an export of about 400 MB. Configuration and schema heads come
 * first so that every check runs. Deterministic: the same N gives the same file.
 */
import { createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { type DirectoryRecord, type ExportWriter, LdapsearchWriter, LdifdeWriter } from '../scripts/ldif-dialects.js';

const DOMAIN = 'DC=bench,DC=test';
const CONFIG = `CN=Configuration,${DOMAIN}`;
const SCHEMA = `CN=Schema,${CONFIG}`;
const USERS_PER_OU = 5000;
const GROUP_SIZE = 60;
const BIG_GROUP_EVERY = 100_000;
const BIG_GROUP_SIZE = 20_000;
const DOMAIN_SID = [21, 1111111111, 2222222222, 3333333333];
const FLUSH_BYTES = 1 << 20;
const NON_ROUTABLE_SUFFIX = 'corp.local';

export const SHAPES = ['forest', 'upn-local'] as const;
export type Shape = (typeof SHAPES)[number];

export function isShape(name: string): name is Shape {
  return (SHAPES as readonly string[]).includes(name);
}

/** Different, reproducible bytes per object: the index, spread by a multiplicative hash. */
function objectBytes(index: number, salt: number, length: number): Buffer {
  const out = Buffer.alloc(length);
  let x = (index * 2654435761 + salt * 40503) >>> 0;
  for (let i = 0; i < length; i += 4) {
    x = Math.imul(x ^ (x >>> 15), 0x2c1b3c6d) >>> 0;
    x = (x ^ (x >>> 12)) >>> 0;
    out.writeUInt32LE(x, i);
  }
  return out;
}

function sid(rid: number): Buffer {
  const out = Buffer.alloc(8 + 4 * (DOMAIN_SID.length + 1));
  out[0] = 1;
  out[1] = DOMAIN_SID.length + 1;
  out.writeUIntBE(5, 2, 6);
  [...DOMAIN_SID, rid].forEach((s, i) => out.writeUInt32LE(s >>> 0, 8 + 4 * i));
  return out;
}

const pad = (n: number): string => String(n).padStart(7, '0');
const ouOf = (userIndex: number): string => `OU=D${String(Math.floor(userIndex / USERS_PER_OU)).padStart(3, '0')},OU=Staff,${DOMAIN}`;
const userDn = (i: number): string => `CN=User ${pad(i)},${ouOf(i)}`;
const category = (name: string): string => `CN=${name},${SCHEMA}`;

function prelude(): DirectoryRecord[] {
  const head = (dn: string, classes: string[], extra: [string, string[]][] = []): DirectoryRecord => ({ dn, attributes: [['objectClass', classes], ...extra] });
  return [
    head(CONFIG, ['top', 'configuration']),
    head(
      `CN=Partitions,${CONFIG}`,
      ['top', 'crossRefContainer'],
      [
        ['msDS-Behavior-Version', ['7']],
        ['uPNSuffixes', ['contoso.com']],
      ],
    ),
    head(
      `CN=BENCH,CN=Partitions,${CONFIG}`,
      ['top', 'crossRef'],
      [
        ['nCName', [DOMAIN]],
        ['dnsRoot', ['bench.test']],
        ['nETBIOSName', ['BENCH']],
        ['systemFlags', ['3']],
        ['msDS-Behavior-Version', ['7']],
      ],
    ),
    head(SCHEMA, ['top', 'dMD'], [['objectVersion', ['88']]]),
    head(`CN=ms-DS-External-Directory-Object-Id,${SCHEMA}`, ['top', 'attributeSchema'], [['lDAPDisplayName', ['msDS-ExternalDirectoryObjectId']]]),
    head(DOMAIN, ['top', 'domain', 'domainDNS'], [['msDS-Behavior-Version', ['7']]]),
    head(`OU=Staff,${DOMAIN}`, ['top', 'organizationalUnit']),
    head(`OU=Groups,${DOMAIN}`, ['top', 'organizationalUnit']),
    head(`OU=Workstations,${DOMAIN}`, ['top', 'organizationalUnit']),
    head(`OU=Contacts,${DOMAIN}`, ['top', 'organizationalUnit']),
  ];
}

function user(i: number, shape: Shape): DirectoryRecord {
  return shape === 'forest' ? forestUser(i) : upnLocalUser(i);
}

function forestUser(i: number): DirectoryRecord {
  const dn = userDn(i);
  const sam = `user${pad(i)}`;
  const guid = objectBytes(i, 1, 16);
  return {
    dn,
    attributes: [
      ['objectClass', ['top', 'person', 'organizationalPerson', 'user']],
      ['cn', [`User ${pad(i)}`]],
      ['distinguishedName', [dn]],
      ['objectGUID', [guid]],
      ['userAccountControl', ['512']],
      ['objectSid', [sid(10_000 + i)]],
      ['sAMAccountName', [sam]],
      ['userPrincipalName', [`${sam}@contoso.com`]],
      ['objectCategory', [category('Person')]],
      ['mail', [`${sam}@contoso.com`]],
      ['proxyAddresses', [`SMTP:${sam}@contoso.com`, `smtp:${sam}@contoso.mail.onmicrosoft.com`]],
      ['mS-DS-ConsistencyGuid', [guid]],
    ],
  };
}

/** The names of the groups a user is a member of, as forestRecords() numbers them. */
function groupsOf(i: number): string[] {
  const block = Math.floor(i / 1000);
  const offset = i % 1000;
  const bigGroupsBefore = Math.floor((block * 1000) / BIG_GROUP_EVERY);
  const groups = offset < 10 * GROUP_SIZE ? [groupName(block * 10 + bigGroupsBefore + Math.floor(offset / GROUP_SIZE) + 1)] : [];
  const bigEnd = (Math.floor(i / BIG_GROUP_EVERY) + 1) * BIG_GROUP_EVERY;
  if (i >= bigEnd - BIG_GROUP_SIZE) groups.push(bigGroupName((bigEnd / 1000) * 10 + bigEnd / BIG_GROUP_EVERY));
  return groups;
}

/** The shape issue 12 measured: about 20 attribute values, every UPN and mail on a non-routable suffix. */
function upnLocalUser(i: number): DirectoryRecord {
  const dn = userDn(i);
  const sam = `user${pad(i)}`;
  return {
    dn,
    attributes: [
      ['objectClass', ['top', 'person', 'organizationalPerson', 'user']],
      ['cn', [`User ${pad(i)}`]],
      ['sn', [`Surname${pad(i)}`]],
      ['givenName', [`Given${i % 997}`]],
      ['distinguishedName', [dn]],
      ['displayName', [`Given${i % 997} Surname${pad(i)}`]],
      ['memberOf', groupsOf(i).map(groupDn)],
      ['objectGUID', [objectBytes(i, 1, 16)]],
      ['userAccountControl', ['512']],
      ['objectSid', [sid(10_000 + i)]],
      ['sAMAccountName', [sam]],
      ['userPrincipalName', [`${sam}@${NON_ROUTABLE_SUFFIX}`]],
      ['objectCategory', [category('Person')]],
      ['mail', [`${sam}@${NON_ROUTABLE_SUFFIX}`]],
      ['proxyAddresses', [`SMTP:${sam}@${NON_ROUTABLE_SUFFIX}`, `smtp:${sam}@corp.mail.onmicrosoft.com`]],
    ],
  };
}

const groupName = (n: number): string => `GG-${pad(n)}`;
const bigGroupName = (n: number): string => `GG-Big-${pad(n)}`;
const groupDn = (name: string): string => `CN=${name},OU=Groups,${DOMAIN}`;

function computer(i: number): DirectoryRecord {
  const name = `WS${pad(i)}`;
  const dn = `CN=${name},OU=Workstations,${DOMAIN}`;
  return {
    dn,
    attributes: [
      ['objectClass', ['top', 'person', 'organizationalPerson', 'user', 'computer']],
      ['cn', [name]],
      ...(i % 20 === 0 ? ([['userCertificate', [objectBytes(i, 3, 860)]]] as const) : []),
      ['distinguishedName', [dn]],
      ['objectGUID', [objectBytes(i, 4, 16)]],
      ['userAccountControl', ['4096']],
      ['objectSid', [sid(5_000_000 + i)]],
      ['sAMAccountName', [`${name}$`]],
      ['operatingSystem', [i % 3 === 0 ? 'Windows 10 Enterprise' : 'Windows 11 Enterprise']],
      ['operatingSystemVersion', [i % 3 === 0 ? '10.0 (19045)' : '10.0 (22631)']],
      ['dNSHostName', [`${name.toLowerCase()}.bench.test`]],
      ['objectCategory', [category('Computer')]],
    ],
  };
}

function contact(i: number): DirectoryRecord {
  const mail = `partner${pad(i)}@fabrikam.test`;
  return {
    dn: `CN=Partner ${pad(i)},OU=Contacts,${DOMAIN}`,
    attributes: [
      ['objectClass', ['top', 'person', 'organizationalPerson', 'contact']],
      ['cn', [`Partner ${pad(i)}`]],
      ['objectGUID', [objectBytes(i, 5, 16)]],
      ['mail', [mail]],
      ['proxyAddresses', [`SMTP:${mail}`]],
      ['targetAddress', [`SMTP:${mail}`]],
      ['objectCategory', [category('Person')]],
    ],
  };
}

function group(name: string, index: number, members: string[]): DirectoryRecord {
  const dn = groupDn(name);
  return {
    dn,
    attributes: [
      ['objectClass', ['top', 'group']],
      ['cn', [name]],
      ['member', members],
      ['objectGUID', [objectBytes(index, 6, 16)]],
      ['objectSid', [sid(9_000_000 + index)]],
      ['sAMAccountName', [name]],
      ['groupType', ['-2147483646']],
      ['objectCategory', [category('Group')]],
    ],
  };
}

/** The records of the forest in export order, generated one at a time. */
export function* forestRecords(users: number, shape: Shape = 'forest'): Generator<DirectoryRecord> {
  yield* prelude();
  let groups = 0;
  for (let start = 0; start < users; start += 1000) {
    const end = Math.min(users, start + 1000);
    if (start % USERS_PER_OU === 0) yield { dn: ouOf(start), attributes: [['objectClass', ['top', 'organizationalUnit']]] };
    for (let i = start; i < end; i++) yield user(i, shape);
    for (let i = start / 10; i < end / 10; i++) yield computer(i);
    for (let i = start / 50; i < end / 50; i++) yield contact(i);
    for (let g = 0; g < (end - start) / 100; g++) {
      const first = start + ((g * GROUP_SIZE) % (end - start));
      const members = Array.from({ length: Math.min(GROUP_SIZE, end - first) }, (_, k) => userDn(first + k));
      groups++;
      yield group(groupName(groups), groups, members);
    }
    if (end % BIG_GROUP_EVERY === 0) {
      groups++;
      yield group(
        bigGroupName(groups),
        groups,
        Array.from({ length: BIG_GROUP_SIZE }, (_, k) => userDn(end - BIG_GROUP_SIZE + k)),
      );
    }
  }
}

/** Writes the forest to `file` in 1 MiB chunks, waiting for the disk when the stream is full. */
export async function writeForest(users: number, file: string, shape: Shape = 'forest'): Promise<number> {
  await mkdir(path.dirname(file), { recursive: true });
  const out = createWriteStream(file);
  const writer = writerFor(shape);
  let buffered = writer.header();
  let bytes = 0;
  const flush = async (): Promise<void> => {
    bytes += Buffer.byteLength(buffered);
    if (!out.write(buffered)) await once(out, 'drain');
    buffered = '';
  };
  for (const record of forestRecords(users, shape)) {
    buffered += writer.entry(record);
    if (buffered.length >= FLUSH_BYTES) await flush();
  }
  buffered += writer.trailer();
  await flush();
  out.end();
  await once(out, 'finish');
  return bytes;
}

function writerFor(shape: Shape): ExportWriter {
  return shape === 'forest' ? new LdifdeWriter() : new LdapsearchWriter(DOMAIN, (page) => `bench-page-${page}`);
}

export const forestFile = (users: number, shape: Shape = 'forest'): string =>
  path.join(path.dirname(fileURLToPath(import.meta.url)), 'out', `${shape}-${users >= 1000 ? `${users / 1000}k` : users}.${writerFor(shape).extension}`);

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const { values } = parseArgs({
    options: { users: { type: 'string', default: '50000' }, shape: { type: 'string', default: 'forest' }, out: { type: 'string' } },
  });
  const users = Number(values.users);
  const shape = values.shape;
  if (!isShape(shape)) {
    console.error(`--shape must be one of ${SHAPES.join(', ')}, got "${shape}"`);
    process.exit(2);
  }
  if (!Number.isInteger(users) || users <= 0) {
    console.error(`--users must be a positive whole number, got "${values.users}"`);
    process.exit(2);
  }
  const file = values.out ?? forestFile(users, shape);
  const started = performance.now();
  const bytes = await writeForest(users, file, shape);
  console.log(`${file}: ${users.toLocaleString('en-US')} users, ${(bytes / 1e6).toFixed(1)} MB in ${((performance.now() - started) / 1000).toFixed(1)} s`);
}
