import { lebSize, NumberedRecords, readLeb, writeLeb } from '../checks/support/page-store.js';
import { readOnlyArray } from '../checks/support/read-only-array.js';
import type { ChangeStatus, ObjectChange, Relocation } from './diff.js';

/*
 * What happened to each object of a finding between two scans: as many as the finding lists, a million for a forest
 * whose every user is on a .local suffix. As JS objects those would cost a few hundred bytes each on the heap, so
 * each change is a record of bytes in a store (its oldest pages in a temporary file), made into an ObjectChange when
 * read: the reporters and JSON.stringify read the view as an array.
 */

const STATUSES: readonly ChangeStatus[] = ['fixed', 'new', 'open', 'unknown'];
const RELOCATIONS: readonly (Relocation | undefined)[] = [undefined, 'moved', 'renamed', 'moved-and-renamed'];
/** Bits of a record's first number after the status (2 bits) and relocation (2 bits): which texts follow the DN. */
const HAS = { guid: 16, samAccountName: 32, previousDn: 64 } as const;

export class ObjectChangeList {
  private readonly records = new NumberedRecords();
  private cachedView: readonly ObjectChange[] | undefined;

  get length(): number {
    return this.records.length;
  }

  add(change: ObjectChange): void {
    const texts = [change.dn, change.guid, change.samAccountName, change.previousDn].filter((text) => text !== undefined);
    const head =
      STATUSES.indexOf(change.status) |
      (RELOCATIONS.indexOf(change.relocation) << 2) |
      (change.guid === undefined ? 0 : HAS.guid) |
      (change.samAccountName === undefined ? 0 : HAS.samAccountName) |
      (change.previousDn === undefined ? 0 : HAS.previousDn);
    const sizes = texts.map((text) => Buffer.byteLength(text, 'utf8'));
    const size = sizes.reduce((total, bytes) => total + lebSize(bytes) + bytes, lebSize(head));
    this.records.add(size, (bytes, start) => {
      let at = writeLeb(bytes, start, head);
      texts.forEach((text, i) => {
        at = writeLeb(bytes, at, sizes[i] ?? 0);
        at += bytes.write(text, at, 'utf8');
      });
    });
  }

  /** The change as diffReports made it, with its keys in the same order (the JSON output's). */
  at(index: number): ObjectChange {
    const { bytes, at: start } = this.records.read(index);
    let at = start;
    const number = (): number => {
      const { value, next } = readLeb(bytes, at);
      at = next;
      return value;
    };
    const text = (): string => {
      const length = number();
      at += length;
      return bytes.toString('utf8', at - length, at);
    };
    const head = number();
    const change: ObjectChange = { status: STATUSES[head & 3] ?? 'open', dn: text() };
    if (head & HAS.guid) change.guid = text();
    if (head & HAS.samAccountName) change.samAccountName = text();
    if (head & HAS.previousDn) change.previousDn = text();
    const relocation = RELOCATIONS[(head >> 2) & 3];
    if (relocation !== undefined) change.relocation = relocation;
    return change;
  }

  view(): readonly ObjectChange[] {
    return (this.cachedView ??= readOnlyArray<ObjectChange>(this, "a finding's object changes"));
  }
}
