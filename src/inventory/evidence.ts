import { parentDn } from '../model/dn.js';
import type { Entry, ObjectKind } from '../model/entry.js';

/**
 * What the input actually held, beyond the counts: which attributes came back on each kind of object,
 * and which objects came back with no attribute at all. Checks declare the evidence they need and the
 * engine compares it with this, so a check never passes on data that was not read.
 */
export interface EvidenceRecord {
  /** Per kind of object: how many were read, and the (lower-case) names of every attribute seen on any of them. */
  kinds: ReadonlyMap<ObjectKind, { count: number; attributes: ReadonlySet<string> }>;
  /**
   * Objects that came back as a bare DN: the account that made the export could list them but not read them
   * (a bind without read rights, an anonymous dump). Counted per parent container.
   */
  unreadable: { count: number; containers: ReadonlyMap<string, number> };
}

/** Kept by the inventory builder; costs one set lookup per attribute of each entry. */
export class EvidenceRecorder {
  private readonly kinds = new Map<ObjectKind, { count: number; attributes: Set<string> }>();
  private readonly unreadableIn = new Map<string, number>();
  private unreadableCount = 0;

  see(entry: Entry): void {
    if (entry.attributes.size === 0) {
      this.unreadableCount++;
      const container = parentDn(entry.dn);
      this.unreadableIn.set(container, (this.unreadableIn.get(container) ?? 0) + 1);
      return;
    }
    const kind = entry.kind;
    let seen = this.kinds.get(kind);
    if (seen === undefined) {
      seen = { count: 0, attributes: new Set() };
      this.kinds.set(kind, seen);
    }
    seen.count++;
    for (const name of entry.attributes.keys()) seen.attributes.add(name);
  }

  finish(): EvidenceRecord {
    return { kinds: this.kinds, unreadable: { count: this.unreadableCount, containers: this.unreadableIn } };
  }
}
