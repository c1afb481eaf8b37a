/**
 * Decoding of Active Directory values that several checks read: timestamps, GUIDs, userAccountControl
 * bits and Windows Server releases. Kept apart from the rules so each rule reads as a judgement.
 */

/** userAccountControl bits (MS-ADTS 2.2.16). */
export const UAC = {
  accountDisabled: 0x2,
  serverTrustAccount: 0x2000,
  trustedForDelegation: 0x80000,
  trustedToAuthForDelegation: 0x1000000,
  partialSecretsAccount: 0x4000000,
} as const;

export function hasFlag(value: number | undefined, flag: number): boolean {
  return value !== undefined && (value & flag) !== 0;
}

const FILETIME_UNIX_EPOCH = 116_444_736_000_000_000n; // 1970-01-01 in 100 ns ticks since 1601
const FILETIME_NEVER = 0x7fff_ffff_ffff_ffffn;

/** A FILETIME large integer (pwdLastSet, msKds-UseStartTime) as a Date; undefined for 0 and "never". */
export function fileTimeToDate(value: bigint | undefined): Date | undefined {
  if (value === undefined || value <= 0n || value >= FILETIME_NEVER) return undefined;
  return new Date(Number((value - FILETIME_UNIX_EPOCH) / 10_000n));
}

/** A GeneralizedTime value such as whenChanged ("20261122035704.0Z") as a Date. */
export function generalizedTimeToDate(value: string | undefined): Date | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})/.exec(value ?? '');
  if (m === null) return undefined;
  const [, y, mo, d, h, mi, s] = m.map(Number) as [number, number, number, number, number, number, number];
  const date = new Date(Date.UTC(y, mo - 1, d, h, mi, s));
  return Number.isNaN(date.getTime()) ? undefined : date;
}

export function isoDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}

/**
 * The newest whenChanged seen in the input: the moment an export was taken, near enough. Age
 * checks measure against it so that an export read a year later is judged as of its own day.
 */
export class InputClock {
  private newest = '';

  see(whenChanged: string | undefined): void {
    if (whenChanged !== undefined && whenChanged > this.newest) this.newest = whenChanged;
  }

  /** The reference time, and where it came from, for the finding's message. */
  now(): { date: Date; basis: string } {
    const seen = generalizedTimeToDate(this.newest);
    if (seen !== undefined) return { date: seen, basis: `the newest whenChanged in the input, ${isoDay(seen)}` };
    const scanTime = new Date();
    return { date: scanTime, basis: `the scan time, ${isoDay(scanTime)} (no whenChanged in the input)` };
  }
}

/** Windows Server releases by the build number inside operatingSystemVersion ("10.0 (20348)"). */
const SERVER_BUILDS: ReadonlyMap<number, string> = new Map([
  [26100, '2025'],
  [20348, '2022'],
  [17763, '2019'],
  [14393, '2016'],
  [9600, '2012 R2'],
  [9200, '2012'],
  [7601, '2008 R2'],
  [7600, '2008 R2'],
  [6003, '2008'],
  [6002, '2008'],
  [6001, '2008'],
  [3790, '2003'],
]);

/** Releases in the order they shipped, to compare "2016 or later". */
const RELEASE_ORDER = ['2003', '2008', '2008 R2', '2012', '2012 R2', '2016', '2019', '2022', '2025'];

export interface ServerRelease {
  /** "2022", "2012 R2", ... */
  release: string;
  build: number | undefined;
}

/** The Windows Server release of a computer, from its build number or, failing that, its operatingSystem name. */
export function windowsServerRelease(operatingSystem: string | undefined, operatingSystemVersion: string | undefined): ServerRelease | undefined {
  if (operatingSystem === undefined || !/windows server/i.test(operatingSystem)) return undefined;
  const build = Number(/\((\d+)\)/.exec(operatingSystemVersion ?? '')?.[1] ?? Number.NaN);
  const byBuild = SERVER_BUILDS.get(build);
  if (byBuild !== undefined) return { release: byBuild, build };
  const byName = /windows server\D*(\d{4}(?: R2)?)/i.exec(operatingSystem)?.[1];
  if (byName !== undefined) return { release: byName.toUpperCase(), build: Number.isNaN(build) ? undefined : build };
  return { release: 'unknown', build: Number.isNaN(build) ? undefined : build };
}

/** True when the release is `minimum` or later; unknown releases are not assumed to be recent. */
export function isAtLeast(release: string, minimum: string): boolean {
  const index = RELEASE_ORDER.indexOf(release);
  return index >= 0 && index >= RELEASE_ORDER.indexOf(minimum);
}

/** "3 computers" / "1 computer": counts in messages. */
export function plural(count: number, noun: string, pluralNoun = `${noun}s`): string {
  return `${count.toLocaleString('en-US')} ${count === 1 ? noun : pluralNoun}`;
}

/**
 * objectGUID (or a GUID-shaped value such as mS-DS-ConsistencyGuid) in its text form; the first three
 * fields are stored little-endian. A value that is not 16 bytes is shown as its length and hex.
 */
export function guidText(bytes: Buffer): string {
  if (bytes.length !== 16) return `${bytes.length}-byte value ${bytes.toString('hex')}`;
  // Runs for every listed object: built from a table, without a Buffer and a hex string per call.
  let text = '';
  for (let position = 0; position < GUID_TEXT_ORDER.length; position++) {
    if (position === 4 || position === 6 || position === 8 || position === 10) text += '-';
    text += HEX_BYTE[bytes[GUID_TEXT_ORDER[position] ?? 0] ?? 0];
  }
  return text;
}

/** The bytes of a GUID in the order its text shows them. */
const GUID_TEXT_ORDER = [3, 2, 1, 0, 5, 4, 7, 6, 8, 9, 10, 11, 12, 13, 14, 15];
const HEX_BYTE: readonly string[] = Array.from({ length: 256 }, (_, byte) => byte.toString(16).padStart(2, '0'));

/** Binary SID → "S-1-5-21-…" (MS-DTYP 2.4.2.2), or undefined when the bytes are not a SID. */
export function sidToString(bytes: Buffer): string | undefined {
  if (bytes.length < 8) return undefined;
  const count = bytes[1] ?? 0;
  if (bytes.length !== 8 + 4 * count) return undefined;
  const authority = bytes.readUIntBE(2, 6);
  const parts = [`S-${bytes[0] ?? 0}-${authority}`];
  for (let i = 0; i < count; i++) parts.push(String(bytes.readUInt32LE(8 + 4 * i)));
  return parts.join('-');
}

/** The domain part of an account SID (S-1-5-21-a-b-c without the RID), which names the account domain. */
export function accountDomain(sid: string): string {
  return sid.startsWith('S-1-5-21-') ? sid.split('-').slice(0, 7).join('-') : sid;
}

/** NT AUTHORITY\SELF: Exchange stamps it as msExchMasterAccountSID on shared, room and equipment mailboxes, which links to no other forest. */
export const SELF_SID = 'S-1-5-10';

/** msExchRecipientTypeDetails of a linked mailbox, as Connect's default rules read it. */
export const LINKED_MAILBOX = 2n;
