import { dnKey, parentKey } from './dn.js';

/** Text for ordinary attributes, bytes for the ones in BINARY_ATTRIBUTES. */
export type AttributeValue = string | Buffer;

/**
 * For attributes that came in range windows (member;range=0-1499 ...): whether the last window
 * ended in "*" (all values present) or not (the export or the read stopped early).
 */
export type RangeState = 'complete' | 'incomplete';

/** An attribute name as the model stores it: lower-case, e.g. 'samaccountname'. */
export type AttributeName = Lowercase<string>;

const NO_VALUES: readonly AttributeValue[] = [];

export type ObjectKind =
  | 'user'
  | 'computer'
  | 'managed-service-account'
  | 'group'
  | 'contact'
  | 'organizational-unit'
  | 'container'
  | 'domain'
  | 'foreign-security-principal'
  | 'other'
  | 'unknown';

/**
 * One directory object, exactly as both sources (LDIF and LDAP) deliver it. Attribute names are
 * lower-case; options other than ranges are kept in the name (";binary" is dropped by the sources).
 */
export class Entry {
  private cachedKey: string | undefined;
  private cachedClasses: ReadonlySet<string> | undefined;
  private cachedKind: ObjectKind | undefined;

  constructor(
    readonly dn: string,
    readonly attributes: ReadonlyMap<string, readonly AttributeValue[]>,
    readonly ranged: ReadonlyMap<string, RangeState> = new Map(),
    /** dnKey(dn), when the source has computed it already. */
    key?: string,
    /** Where the object starts in its input (an LDIF line number), for problems that must name it. */
    readonly line?: number,
  ) {
    this.cachedKey = key;
  }

  /** Comparison key of the DN (see dnKey). */
  get key(): string {
    return (this.cachedKey ??= dnKey(this.dn));
  }

  get parentKey(): string {
    return parentKey(this.key);
  }

  // Attribute names are lower-case in the model; the type makes callers say so, which keeps a
  // toLowerCase() per call off the per-entry path of every check.
  has(name: AttributeName): boolean {
    return (this.attributes.get(name)?.length ?? 0) > 0;
  }

  values(name: AttributeName): readonly AttributeValue[] {
    return this.attributes.get(name) ?? NO_VALUES;
  }

  texts(name: AttributeName): string[] {
    return this.values(name).map((v) => (typeof v === 'string' ? v : v.toString('utf8')));
  }

  text(name: AttributeName): string | undefined {
    const v = this.values(name)[0];
    return v === undefined ? undefined : typeof v === 'string' ? v : v.toString('utf8');
  }

  bytes(name: AttributeName): Buffer | undefined {
    const v = this.values(name)[0];
    return v === undefined ? undefined : typeof v === 'string' ? Buffer.from(v, 'utf8') : v;
  }

  /** Integer attributes such as userAccountControl, groupType, msDS-Behavior-Version. */
  int(name: AttributeName): number | undefined {
    const t = this.text(name);
    if (t === undefined) return undefined;
    const n = Number.parseInt(t, 10);
    return Number.isFinite(n) ? n : undefined;
  }

  /** Large-integer attributes (FILETIME timestamps, msExchRecipientTypeDetails). */
  bigint(name: AttributeName): bigint | undefined {
    const t = this.text(name)?.trim();
    if (t === undefined || !/^-?\d+$/.test(t)) return undefined;
    return BigInt(t);
  }

  /** "TRUE"/"FALSE" attributes such as isCriticalSystemObject. */
  bool(name: AttributeName): boolean | undefined {
    const t = this.text(name);
    return t === undefined ? undefined : t.toUpperCase() === 'TRUE';
  }

  get objectClasses(): ReadonlySet<string> {
    return (this.cachedClasses ??= new Set(this.texts('objectclass').map((c) => c.toLowerCase())));
  }

  isA(objectClass: string): boolean {
    return this.objectClasses.has(objectClass.toLowerCase());
  }

  get kind(): ObjectKind {
    return (this.cachedKind ??= classify(this.objectClasses));
  }
}

function classify(classes: ReadonlySet<string>): ObjectKind {
  if (classes.size === 0) return 'unknown';
  if (classes.has('msds-groupmanagedserviceaccount') || classes.has('msds-managedserviceaccount')) {
    return 'managed-service-account';
  }
  if (classes.has('computer')) return 'computer';
  if (classes.has('user')) return 'user';
  if (classes.has('group')) return 'group';
  if (classes.has('contact')) return 'contact';
  if (classes.has('organizationalunit')) return 'organizational-unit';
  if (classes.has('domaindns')) return 'domain';
  if (classes.has('foreignsecurityprincipal')) return 'foreign-security-principal';
  if (classes.has('container') || classes.has('builtindomain')) return 'container';
  return 'other';
}
