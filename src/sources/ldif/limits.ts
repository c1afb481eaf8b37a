/**
 * Caps on what one LDIF record may cost. An export is a file someone sent you: an endless record on
 * stdin, /dev/zero or a gzip bomb must end in a clear error at bounded memory, not in V8 heap exhaustion.
 * The defaults hold every real AD object with room to spare (AD refuses LDAP requests above 10 MB, so
 * no value it stores comes near 16 MiB); a group with millions of members needs a larger record cap.
 */
export interface LdifLimits {
  /**
   * One record, the range windows and modify records of its object included, counted as the memory its
   * values take: their bytes plus VALUE_OVERHEAD_BYTES each (so a million short values cost what they weigh).
   */
  recordBytes: number;
  /** One decoded value. A line holds one value, so the line cap follows from it (see lineBytesFor). */
  valueBytes: number;
}

const MIB = 1 << 20;

/** About what V8 spends on one value besides its characters (string header, array slot). */
export const VALUE_OVERHEAD_BYTES = 64;

export const DEFAULT_LDIF_LIMITS: LdifLimits = { recordBytes: 256 * MIB, valueBytes: 16 * MIB };

/** The longest (unfolded) line a value of `valueBytes` can need: its base64 form plus room for the attribute name. */
export function lineBytesFor(limits: LdifLimits): number {
  return Math.ceil(limits.valueBytes / 3) * 4 + 64 * 1024;
}

export function mebibytes(bytes: number): string {
  return `${Math.round((bytes / MIB) * 10) / 10} MiB`;
}

/** Thrown by the parser when input passes a cap; the reader stops there, since what follows may never end. */
export class LdifLimitError extends Error {
  constructor(
    readonly line: number,
    message: string,
    readonly hint: string,
    readonly dn?: string,
  ) {
    super(message);
    this.name = 'LdifLimitError';
  }
}
