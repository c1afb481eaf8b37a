import { defineCheck, type ObjectRef } from '../check.js';
import { dnKey } from '../../model/dn.js';
import type { Entry } from '../../model/entry.js';
import { CLOUD_SYNC_PREREQUISITES } from './sources.js';
import { ObjectScope, IDFIX_SUPPORTED_ERRORS, M365_PREPARE_DIRECTORY_SYNC, parseProxyAddress } from './hygiene-support.js';

/** The attributes Entra ID requires to be unique across each other, in the order they are read. */
const ATTRIBUTES = ['userPrincipalName', 'mail', 'proxyAddresses', 'targetAddress', 'mailNickname'] as const;
const ATTRIBUTE_BITS = 3; // 5 attributes fit in 3 bits of the packed holder number
const MORE_SHOWN = 3;

/**
 * The comparison key of one value: addresses lower-case without their "smtp:" prefix, so a UPN,
 * a mail value and an "smtp:" proxy address collide; other proxy types keep their prefix (X500
 * values only collide with X500 values); aliases get their own namespace.
 */
function valueKeys(entry: Entry): Map<string, number> {
  const keys = new Map<string, number>();
  const put = (key: string, attribute: number): void => {
    if (key !== '' && !keys.has(key)) keys.set(key, attribute);
  };
  for (const upn of entry.texts('userprincipalname')) put(upn.trim().toLowerCase(), 0);
  for (const mail of entry.texts('mail')) put(mail.trim().toLowerCase(), 1);
  for (const proxy of entry.texts('proxyaddresses')) put(addressKey(proxy), 2);
  for (const target of entry.texts('targetaddress')) put(addressKey(target), 3);
  for (const alias of entry.texts('mailnickname')) put(`mailnickname:${alias.trim().toLowerCase()}`, 4);
  return keys;
}

function addressKey(value: string): string {
  const parsed = parseProxyAddress(value.trim());
  return (parsed.type === 'smtp' ? parsed.address : value.trim()).toLowerCase();
}

/**
 * Length-prefixed UTF-8 strings in one growing Buffer, addressed by offset. The bytes live outside the
 * V8 heap, so a million indexed values cost their bytes and no garbage-collected string each.
 */
class Arena {
  private bytes = Buffer.allocUnsafe(1 << 20);
  private used = 0;

  /** Writes text after the kept strings without keeping it yet; returns its offset. */
  stage(text: string): number {
    this.reserve(4 + 3 * text.length);
    const length = this.bytes.write(text, this.used + 4, 'utf8');
    this.bytes.writeUInt32LE(length, this.used);
    return this.used;
  }

  /** Keeps the string staged last. */
  keep(offset: number): void {
    this.used = offset + 4 + this.bytes.readUInt32LE(offset);
  }

  equal(a: number, b: number): boolean {
    const length = this.bytes.readUInt32LE(a);
    return length === this.bytes.readUInt32LE(b) && this.bytes.compare(this.bytes, b + 4, b + 4 + length, a + 4, a + 4 + length) === 0;
  }

  /** FNV-1a over the string's bytes. */
  hash(offset: number): number {
    let h = 0x811c9dc5;
    const end = offset + 4 + this.bytes.readUInt32LE(offset);
    for (let i = offset + 4; i < end; i++) h = Math.imul(h ^ (this.bytes[i] ?? 0), 0x01000193);
    return h >>> 0;
  }

  text(offset: number): string {
    return this.bytes.toString('utf8', offset + 4, offset + 4 + this.bytes.readUInt32LE(offset));
  }

  private reserve(extra: number): void {
    if (this.used + extra <= this.bytes.length) return;
    const next = Buffer.allocUnsafe(Math.max(this.bytes.length * 2, this.used + extra));
    this.bytes.copy(next, 0, 0, this.used);
    this.bytes = next;
  }
}

function grown(old: Uint32Array<ArrayBuffer>, size: number): Uint32Array<ArrayBuffer> {
  const next = new Uint32Array(size);
  next.set(old.subarray(0, Math.min(old.length, size)));
  return next;
}

/**
 * An open-addressing hash set of value keys (in the arena), each remembering the packed first holder:
 * about 20 bytes of table per value at a load of at most one half, besides the value's own bytes.
 */
class FirstHolderIndex {
  private slots = new Uint32Array(1 << 16); // entry number + 1; 0 = empty
  private keyAt = new Uint32Array(1 << 15);
  private hashAt = new Uint32Array(1 << 15);
  private holderAt = new Uint32Array(1 << 15);
  private count = 0;

  constructor(private readonly arena: Arena) {}

  /** The packed first holder of an equal key already indexed, or undefined after indexing this one. */
  firstOrAdd(key: string, packed: number): number | undefined {
    const offset = this.arena.stage(key);
    const hash = this.arena.hash(offset);
    const mask = this.slots.length - 1;
    let slot = hash & mask;
    for (let entry = this.slots[slot] ?? 0; entry !== 0; entry = this.slots[slot] ?? 0) {
      const i = entry - 1;
      if (this.hashAt[i] === hash && this.arena.equal(this.keyAt[i] ?? 0, offset)) return this.holderAt[i];
      slot = (slot + 1) & mask;
    }
    this.arena.keep(offset);
    if (this.count === this.keyAt.length) {
      this.keyAt = grown(this.keyAt, this.count * 2);
      this.hashAt = grown(this.hashAt, this.count * 2);
      this.holderAt = grown(this.holderAt, this.count * 2);
    }
    this.keyAt[this.count] = offset;
    this.hashAt[this.count] = hash;
    this.holderAt[this.count] = packed;
    this.slots[slot] = ++this.count;
    if (this.count * 2 > this.slots.length) this.rehash();
    return undefined;
  }

  private rehash(): void {
    this.slots = new Uint32Array(this.slots.length * 2);
    const mask = this.slots.length - 1;
    for (let i = 0; i < this.count; i++) {
      let slot = (this.hashAt[i] ?? 0) & mask;
      while ((this.slots[slot] ?? 0) !== 0) slot = (slot + 1) & mask;
      this.slots[slot] = i + 1;
    }
  }
}

export default defineCheck({
  meta: {
    id: 'hygiene.duplicate-values',
    title: 'Values that must be unique are shared by several objects',
    severity: 'blocker',
    category: 'hygiene',
    tags: ['hygiene', 'idfix'],
    rationale:
      'Entra ID requires userPrincipalName, mail, proxyAddresses, targetAddress and mailNickname to be unique across the tenant, and it compares ' +
      'them across attributes and without regard to case: a UPN equal to another object\'s "smtp:" proxy address is rejected just like two equal UPNs. ' +
      'An object with a duplicate fails to synchronise (for mail, only the first object with the value appears). IdFix compares each attribute only ' +
      'with itself and shows one of the colliding objects; this check compares across the five attributes, forest-wide and across every input of one scan, ' +
      'and lists every object involved. Cloud Sync\'s prerequisites tell you to run IdFix before you start.',
    remediation:
      'For each value, decide which object keeps it and change or remove it on the others (Set-ADUser / the Exchange cmdlets for proxy addresses), ' +
      'then rescan. Scan every forest that synchronises to the same tenant in one run (several --ldif inputs) to catch cross-forest duplicates.',
    sources: [M365_PREPARE_DIRECTORY_SYNC, IDFIX_SUPPORTED_ERRORS, CLOUD_SYNC_PREREQUISITES],
    requires: ['domain-partition'],
  },
  create() {
    const scope = new ObjectScope();
    /*
     * Index for a million-object forest, kept off the V8 heap: every distinct value key and every holder's
     * DN is written once into a byte arena; the hash set maps a key to the first holder (object number and
     * attribute, packed in one 32-bit number); lists are built only for the rare values that collide.
     * Values an object repeats in its own attributes (UPN = mail = primary SMTP, the usual case) count once.
     * Per object with two distinct 25-character values and a 50-character DN: about 2 × (29 + 20) + 58 ≈
     * 160 bytes, up to twice that while a buffer has just doubled. Measured on the bench forest
     * (bench/out/forest-50k.ldf): 290 bytes per object retained; a 200,000-user scan with only this check
     * peaks at 269 MB RSS against 222 MB with no checks (npx tsx bench/scan-bench.ts --sizes 200000
     * --runs 1 --python no --checks hygiene.duplicate-values); the earlier Map<string, number> index
     * peaked at 452 MB. Keys stay exact: a hashed key could report a false duplicate.
     */
    const arena = new Arena();
    const index = new FirstHolderIndex(arena);
    let holders = new Uint32Array(1 << 12); // arena offset of each holder's DN
    let holderCount = 0;
    const shared = new Map<string, number[]>();
    const holderDn = (packed: number): string => arena.text(holders[packed >>> ATTRIBUTE_BITS] ?? 0);
    return {
      visit(entry) {
        if (!scope.admit(entry)) return;
        const keys = valueKeys(entry);
        if (keys.size === 0) return;
        if (holderCount === holders.length) holders = grown(holders, holderCount * 2);
        const holder = holderCount++;
        const dnOffset = arena.stage(entry.dn);
        arena.keep(dnOffset);
        holders[holder] = dnOffset;
        for (const [key, attribute] of keys) {
          const packed = ((holder << ATTRIBUTE_BITS) | attribute) >>> 0;
          const earlier = index.firstOrAdd(key, packed);
          if (earlier === undefined) continue;
          // The same object read twice (overlapping input files) is not a duplicate of itself.
          if (dnKey(holderDn(earlier)) === entry.key) continue;
          const list = shared.get(key);
          if (list === undefined) shared.set(key, [earlier, packed]);
          else list.push(packed);
        }
      },
      finish() {
        if (shared.size === 0) return { status: 'passed', note: scope.summary() };
        const objects: ObjectRef[] = [];
        const involved = new Set<number>();
        for (const [key, list] of shared) {
          const shown = key.startsWith('mailnickname:') ? key.slice('mailnickname:'.length) : key;
          for (const packed of list) {
            involved.add(packed >>> ATTRIBUTE_BITS);
            const others = list.filter((p) => p !== packed).map(describe);
            const more = others.length > MORE_SHOWN ? ` and ${others.length - MORE_SHOWN} more` : '';
            objects.push({
              dn: holderDn(packed),
              detail: `${ATTRIBUTES[packed & 0b111] ?? '?'} "${shown}" is also on: ${others.slice(0, MORE_SHOWN).join('; ')}${more}`,
            });
          }
        }
        return {
          status: 'failed',
          findings: [
            {
              message:
                `${shared.size.toLocaleString('en-US')} value(s) are held by more than one object (case-insensitive, compared across ` +
                `userPrincipalName, mail, proxyAddresses, targetAddress and mailNickname); ${involved.size.toLocaleString('en-US')} objects are involved. ` +
                scope.summary(),
              objects,
              scope: { kind: 'objects' },
            },
          ],
        };
        function describe(packed: number): string {
          return `${ATTRIBUTES[packed & 0b111] ?? '?'} of ${holderDn(packed)}`;
        }
      },
    };
  },
});
