import { compareText } from '../model/order.js';
import { createHmac } from 'node:crypto';
import { z } from 'zod';
import type { Entry } from '../model/entry.js';
import { forestName, type Inventory, UNKNOWN_FOREST } from '../inventory/inventory.js';
import { domainOf } from '../checks/support/address-syntax.js';
import { accountDomain, SELF_SID, sidToString } from '../checks/support/ad-values.js';
import { ObjectScope } from '../checks/support/hygiene.js';
import { identityText, UNIQUE_ATTRIBUTES, valueKeys } from '../checks/support/unique-values.js';
import { TextSorter } from '../checks/support/sorted-texts.js';
import { HashedValueWriter, sortHolders, type ValueHashLists } from './hashed-value-lists.js';
import { HeldValues, Holders } from '../checks/support/value-index.js';

/**
 * What the tenant-wide checks need from one forest, gathered in the same pass as its checks and kept compact:
 * the values Entra ID requires to be unique (with their holders), users' SIDs and the account SIDs of linked
 * mailboxes, UPN suffixes in use, each domain's SID, and object counts. The values stay off the V8 heap
 * (checks/support/value-index), so a million-user forest costs its bytes, not a string object each.
 */

/** What each value a digest holds was read from: the unique attributes by their index, then two SID attributes. */
export const VALUE_ATTRIBUTES = [...UNIQUE_ATTRIBUTES, 'objectSid', 'msExchMasterAccountSID'] as const;
export const OBJECT_SID = VALUE_ATTRIBUTES.indexOf('objectSid');
const MASTER_ACCOUNT_SID = VALUE_ATTRIBUTES.indexOf('msExchMasterAccountSID');

/** HMAC-SHA-256 of the comparison key, truncated to 128 bits, base64url. */
export const VALUE_HASH_ALGORITHM = 'HMAC-SHA-256/128';
const KEY_CHECK_LABEL = 'readiness value-hash key check';

export interface DigestDomain {
  dn: string;
  dnsName: string;
  /** The domain's SID (its head's objectSid): the account domain a linked mailbox's msExchMasterAccountSID names. */
  sid?: string;
  partitionRead: boolean;
}

/** Users, groups and contacts Connect Sync would synchronise (its default exclusions left out), and computer accounts. */
export interface DigestCounts {
  users: number;
  groups: number;
  contacts: number;
  devices: number;
}

/** The values of one forest: exact comparison keys from a scan, or keyed hashes of them from a report. */
export interface DigestValues {
  /** Undefined for exact keys; else the key check of the key they were hashed with (equal checks, equal keys). */
  keyCheck: string | undefined;
  /** Unique values (attributes 0-5) and users' objectSids (OBJECT_SID), each with every holder. */
  held: HeldValues;
  /** Linked mailboxes' msExchMasterAccountSID, keyed like the objectSids they point at. */
  links: HeldValues;
}

export interface TenantDigest {
  /** The forest's DNS name; "unknown forest" when nothing named it. */
  forest: string;
  configurationRead: boolean;
  domains: DigestDomain[];
  counts: DigestCounts;
  /** UPN suffix (lower-case) → users carrying it. */
  upnSuffixes: ReadonlyMap<string, number>;
  /** Account domain SID → linked mailboxes pointing at it: kept in every report, so merge can pair forests without values. */
  linkedAccountDomains: ReadonlyMap<string, number>;
  /** Absent when the digest comes from a report made without --value-hashes. */
  values?: DigestValues;
  /** The --value-hashes key: digestToJson hashes the values with it. Never written anywhere. */
  valueHashKey?: Buffer;
  /** The value hashes for the report, made as the forest was read: a one-forest scan keeps no values to compare. */
  valueHashes?: ValueHashLists;
}

export interface DigestCollector {
  visit(entry: Entry): void;
  finish(inventory: Inventory): TenantDigest;
}

/** The key under which a SID is compared: an objectSid and the msExchMasterAccountSID pointing at it meet here. */
function sidKey(sid: string): string {
  return `sid:${sid}`;
}

function sidOf(entry: Entry, attribute: 'objectsid' | 'msexchmasteraccountsid'): string | undefined {
  const bytes = entry.bytes(attribute);
  return bytes === undefined ? undefined : sidToString(bytes);
}

export interface DigestOptions {
  /** The --value-hashes key: the report then carries keyed hashes of the values. */
  valueHashKey?: Buffer;
  /**
   * True (the default) keeps the values in memory, to be compared with other forests' values. False keeps none: a
   * one-forest scan has nothing to compare them with. With a valueHashKey its report still carries their hashes,
   * made as the values are read and sorted off the heap (in memory they took about 470 bytes per user).
   */
  collectValues?: boolean;
}

export function createDigestCollector(options: DigestOptions = {}): DigestCollector {
  const collectValues = options.collectValues !== false;
  const { valueHashKey } = options;
  const writer =
    collectValues || valueHashKey === undefined
      ? undefined
      : new HashedValueWriter((key) => valueHash(valueHashKey, key), keyCheckOf(valueHashKey), MASTER_ACCOUNT_SID);
  const scope = new ObjectScope();
  const holders = new Holders();
  const held = new HeldValues(holders);
  const links = new HeldValues(holders);
  const counts: DigestCounts = { users: 0, groups: 0, contacts: 0, devices: 0 };
  const upnSuffixes = new Map<string, number>();
  const linkedAccountDomains = new Map<string, number>();
  const domainSids = new Map<string, string>();
  const countOf = { user: 'users', group: 'groups', contact: 'contacts' } as const;
  return {
    visit(entry) {
      if (entry.kind === 'domain') {
        const sid = sidOf(entry, 'objectsid');
        if (sid !== undefined) domainSids.set(entry.key, sid);
      }
      if (entry.kind === 'computer') counts.devices++;
      if (!scope.admit(entry)) return;
      const kind = entry.kind as keyof typeof countOf;
      counts[countOf[kind]]++;
      const isUser = kind === 'user';
      const upn = isUser ? entry.text('userprincipalname') : undefined;
      const suffix = upn === undefined ? undefined : domainOf(upn.trim());
      if (suffix !== undefined && suffix !== '') upnSuffixes.set(suffix, (upnSuffixes.get(suffix) ?? 0) + 1);
      const master = isUser ? sidOf(entry, 'msexchmasteraccountsid') : undefined;
      const linked = master !== undefined && master !== SELF_SID ? master : undefined;
      if (linked !== undefined) {
        const domain = accountDomain(linked);
        linkedAccountDomains.set(domain, (linkedAccountDomains.get(domain) ?? 0) + 1);
      }
      if (!collectValues && writer === undefined) return;
      const keys = valueKeys(entry);
      const sid = isUser ? sidOf(entry, 'objectsid') : undefined;
      if (keys.size === 0 && sid === undefined && linked === undefined) return;
      if (writer !== undefined) {
        // Values added in the order the index below adds them: the first of an object's holdings of a value is kept.
        writer.addHolder(identityText(entry), entry.key);
        for (const [key, attribute] of keys) writer.addValue(key, attribute);
        if (sid !== undefined) writer.addValue(sidKey(sid), OBJECT_SID);
        if (linked !== undefined) writer.addValue(sidKey(linked), MASTER_ACCOUNT_SID);
        return;
      }
      const holder = holders.add(identityText(entry));
      for (const [key, attribute] of keys) held.add(key, { holder, attribute });
      if (sid !== undefined) held.add(sidKey(sid), { holder, attribute: OBJECT_SID });
      if (linked !== undefined) links.add(sidKey(linked), { holder, attribute: MASTER_ACCOUNT_SID });
    },
    finish(inventory) {
      return {
        forest: forestName(inventory) ?? UNKNOWN_FOREST,
        configurationRead: inventory.partitions.configuration,
        domains: inventory.domains.map((d) => {
          const sid = domainSids.get(d.key);
          return { dn: d.dn, dnsName: d.dnsName, ...(sid === undefined ? {} : { sid }), partitionRead: d.partitionRead };
        }),
        counts,
        upnSuffixes,
        linkedAccountDomains,
        ...(collectValues ? { values: { keyCheck: undefined, held, links } } : {}),
        ...(valueHashKey === undefined ? {} : { valueHashKey }),
        ...(writer === undefined ? {} : { valueHashes: writer.finish() }),
      };
    },
  };
}

/** The keyed hash of one comparison key. */
export function valueHash(key: Buffer, value: string): string {
  return createHmac('sha256', key).update(value, 'utf8').digest().subarray(0, 16).toString('base64url');
}

/** Tells two keys apart without revealing either: the hash of a fixed label. */
export function keyCheckOf(key: Buffer): string {
  return valueHash(key, KEY_CHECK_LABEL);
}

const count = z.number().int().nonnegative();
const HASH = '[A-Za-z0-9_-]{22}';
const VALUE_LINE = new RegExp(`^${HASH} \\d+ [0-${VALUE_ATTRIBUTES.length - 1}]$`);
/** One value of a digest's valueHashes: checked line by line where the report is streamed. */
export const valueHashLineSchema = z.string().regex(VALUE_LINE);

export const tenantDigestSchema = z
  .object({
    forest: z.string(),
    configurationRead: z.boolean(),
    domains: z.array(z.object({ dn: z.string(), dnsName: z.string(), sid: z.string().optional(), partitionRead: z.boolean() })),
    counts: z
      .object({ users: count, groups: count, contacts: count, devices: count })
      .describe('users, groups and contacts Connect Sync would synchronise (its default exclusions left out), and computer accounts'),
    upnSuffixes: z.array(z.object({ suffix: z.string(), users: count })),
    linkedAccountDomains: z
      .array(z.object({ domainSid: z.string(), mailboxes: count }))
      .describe("linked mailboxes by the domain of the account they belong to (msExchMasterAccountSID's domain part)"),
    valueHashes: z
      .object({
        algorithm: z.literal(VALUE_HASH_ALGORITHM),
        keyCheck: z
          .string()
          .regex(new RegExp(`^${HASH}$`))
          .describe('the hash of a fixed label: reports hashed with the same key have the same keyCheck'),
        holders: z.array(z.string()).describe('the objects holding the values: DN, objectGUID, sAMAccountName and class, NUL-separated'),
        values: z
          .array(valueHashLineSchema)
          .describe(`"<hash> <holder index> <attribute index>"; attributes: ${VALUE_ATTRIBUTES.map((a, i) => `${i} ${a}`).join(', ')}`),
      })
      .optional()
      .describe('present only in a report made with --value-hashes: keyed hashes of every unique value and SID, never the values'),
  })
  .describe('what the tenant-wide checks need from this forest, so that `readiness merge` can judge forests scanned apart');

export type TenantDigestJson = z.infer<typeof tenantDigestSchema>;

/** The digest as a report keeps it: values only as keyed hashes, and only when a key was given (or they were hashed already). */
export function digestToJson(digest: TenantDigest): TenantDigestJson {
  const hashes = digest.valueHashes ?? hashedValues(digest);
  return {
    forest: digest.forest,
    configurationRead: digest.configurationRead,
    domains: digest.domains.map((d) => ({ ...d })),
    counts: { ...digest.counts },
    upnSuffixes: [...digest.upnSuffixes].sort(([a], [b]) => compareText(a, b)).map(([suffix, users]) => ({ suffix, users })),
    linkedAccountDomains: [...digest.linkedAccountDomains].sort(([a], [b]) => compareText(a, b)).map(([domainSid, mailboxes]) => ({ domainSid, mailboxes })),
    // The lists are read-only views read in order by the JSON writer; nothing writes to a report.
    ...(hashes === undefined
      ? {}
      : {
          valueHashes: { algorithm: VALUE_HASH_ALGORITHM, keyCheck: hashes.keyCheck, holders: hashes.holders as string[], values: hashes.values as string[] },
        }),
  };
}

function hashedValues(digest: TenantDigest): ValueHashLists | undefined {
  const { values, valueHashKey } = digest;
  if (values === undefined) return undefined;
  let hash: (key: string) => string;
  let keyCheck: string;
  if (values.keyCheck !== undefined) {
    keyCheck = values.keyCheck;
    hash = (key) => key;
  } else if (valueHashKey !== undefined) {
    keyCheck = keyCheckOf(valueHashKey);
    hash = (key) => valueHash(valueHashKey, key);
  } else {
    return undefined;
  }
  const { holders } = values.held;
  const identities = new TextSorter();
  for (let holder = 0; holder < holders.size; holder++) identities.add(holders.identity(holder));
  const sorted = sortHolders(identities);
  const lines = new TextSorter();
  for (const set of [values.held, values.links]) {
    for (const [key, holdings] of set.entries()) {
      const hashed = hash(key);
      for (const { holder, attribute } of holdings) lines.add(`${hashed} ${sorted.position[holder]} ${attribute}`);
    }
  }
  return { keyCheck, holders: sorted.sorted.view(), values: lines.sorted().view() };
}

/** A digest in a report that does not hold together (a value naming a holder that is not listed). */
export class DigestFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DigestFormatError';
  }
}

/** The digest of a forest from its report (for merge): values only when the report carries their hashes. */
export function digestFromJson(json: TenantDigestJson): TenantDigest {
  return {
    forest: json.forest,
    configurationRead: json.configurationRead,
    domains: json.domains.map((d) => ({ ...d })),
    counts: { ...json.counts },
    upnSuffixes: new Map(json.upnSuffixes.map((s) => [s.suffix, s.users])),
    linkedAccountDomains: new Map(json.linkedAccountDomains.map((l) => [l.domainSid, l.mailboxes])),
    ...(json.valueHashes === undefined ? {} : { values: valuesFromJson(json.forest, json.valueHashes) }),
  };
}

function valuesFromJson(forest: string, json: NonNullable<TenantDigestJson['valueHashes']>): DigestValues {
  const holders = new Holders();
  for (const identity of json.holders) holders.add(identity);
  const held = new HeldValues(holders);
  const links = new HeldValues(holders);
  for (const line of json.values) {
    const [hash = '', holderText = '', attributeText = ''] = line.split(' ');
    const holder = Number(holderText);
    const attribute = Number(attributeText);
    if (!Number.isSafeInteger(holder) || holder >= holders.size) {
      throw new DigestFormatError(`the tenant digest of ${forest} names holder ${holderText}, but lists ${holders.size} holders`);
    }
    (attribute === MASTER_ACCOUNT_SID ? links : held).add(hash, { holder, attribute });
  }
  return { keyCheck: json.keyCheck, held, links };
}
