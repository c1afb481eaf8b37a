import type { Entry } from '../model/entry.js';

/**
 * Something that could not be read, or read only in part. Errors make the scan incomplete;
 * warnings are shown but do not change the verdict.
 */
export interface InputProblem {
  severity: 'error' | 'warning';
  /** The input it came from: a file path, "stdin", or an LDAP server URL. Never a credential. */
  input: string;
  /** Where in that input: "line 42", a DN, a naming context. */
  location?: string;
  message: string;
  /** What the user can do about it. */
  hint?: string;
  /** DN of the subtree whose objects were not (all) read because of this problem, when known. */
  affectsDn?: string;
}

/** How far a source has got, for a progress display. */
export interface SourcePosition {
  /** Bytes of the input read so far, and its size when known (a file; not stdin, not LDAP). */
  bytesRead?: number;
  bytesTotal?: number;
  /** What is being read now, e.g. the naming context of a live scan. */
  reading?: string;
}

export type SourceEvent = { type: 'entry'; entry: Entry } | { type: 'problem'; problem: InputProblem };

/**
 * Where entries come from. LDIF files and a live LDAP connection both implement this, and
 * nothing downstream can tell them apart: the RootDSE, when a source has it, is an entry with dn "".
 */
export interface EntrySource {
  readonly kind: 'ldif' | 'ldap';
  /** Shown in the report's list of inputs: a path, "stdin" or a server URL (no credentials). */
  readonly label: string;
  events(): AsyncIterable<SourceEvent>;
  position?(): SourcePosition;
}

/** Thrown by a source when it cannot start at all (file missing, server unreachable): a usage-level failure. */
export class SourceUnavailableError extends Error {
  constructor(
    message: string,
    readonly hint?: string,
  ) {
    super(message);
    this.name = 'SourceUnavailableError';
  }
}
