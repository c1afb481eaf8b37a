import { parse as parseDomain } from 'tldts';
import type { Entry, ObjectKind } from '../../model/entry.js';
import { leafValue } from '../../model/dn.js';
import { connectSyncExclusion, EXCLUSION_TEXT, type ExclusionReason } from '../../inventory/exclusions.js';
import type { CheckRun, ObjectRef, SourceRef } from '../check.js';
import { objectRef } from './object-ref.js';

/**
 * What the IdFix-class checks share: which objects they look at, which they skip and why, and the
 * address helpers. One place, so every hygiene check skips and counts the same way.
 */

// The repository carries no page date; this is the date of IdFix 2.3, the last release in its changelog.
export const IDFIX_SUPPORTED_ERRORS: SourceRef = {
  title: 'IdFix: errors supported by the IdFix tool (microsoft/idfix docs/supported-errors.md)',
  url: 'https://github.com/microsoft/idfix/blob/main/docs/supported-errors.md',
  date: '2020-08-14',
};

export const M365_PREPARE_DIRECTORY_SYNC: SourceRef = {
  title: 'Prepare for directory synchronization to Microsoft 365',
  url: 'https://learn.microsoft.com/microsoft-365/enterprise/prepare-for-directory-synchronization',
  date: '2023-12-28',
};

/**
 * IdFix skips these names (sAMAccountName or the RDN value) as well-known
 * system or service accounts: "Admini*", "CAS_{*", ..., "*$".
 */
const IDFIX_WELL_KNOWN =
  /^(admini|cas_\{|discoverysearchmailbox|federatedemail|guest|httpconnector|krbtgt|iusr_|iwam|msol|support_|systemmailbox|wwioadmini)|\$$/i;

export type SkipReason = ExclusionReason | 'idfix-well-known';

const SKIP_TEXT: Record<SkipReason, string> = {
  ...EXCLUSION_TEXT,
  'idfix-well-known': "IdFix's well-known system names (Admini*, krbtgt*, SystemMailbox*, *$ ...)",
};

export function hygieneSkipReason(entry: Entry): SkipReason | undefined {
  const connect = connectSyncExclusion(entry);
  if (connect !== undefined) return connect;
  // Exchange system mailboxes carry the telling name in their RDN ("SystemMailbox{...}"), not in sAMAccountName ("SM_...").
  const sam = entry.text('samaccountname');
  const wellKnown = (sam !== undefined && IDFIX_WELL_KNOWN.test(sam)) || IDFIX_WELL_KNOWN.test(rdnValue(entry.dn));
  return wellKnown ? 'idfix-well-known' : undefined;
}

/** The leaf RDN's value without parsing the whole DN: this runs for every object, in every hygiene check. */
function rdnValue(dn: string): string {
  const comma = dn.indexOf(',');
  const leaf = comma < 0 ? dn : dn.slice(0, comma);
  if (/[\\"+]/.test(leaf)) return leafValue(dn);
  return leaf.slice(leaf.indexOf('=') + 1).trim();
}

export interface ScopeOptions {
  /** Why an object is skipped; default: Connect's default exclusions and IdFix's well-known names. */
  skip?: (entry: Entry) => SkipReason | undefined;
  /** Who skips them, for the message; default "Connect Sync and IdFix". */
  skippedBy?: string;
  /** The kinds of object looked at; default users (inetOrgPerson included), groups and contacts. */
  kinds?: readonly ObjectKind[];
}

/** Only Connect Sync's default exclusions, for checks outside the IdFix class. */
export const CONNECT_EXCLUSIONS_ONLY: ScopeOptions = { skip: connectSyncExclusion, skippedBy: 'Connect Sync' };

const SYNCED_KINDS: readonly ObjectKind[] = ['user', 'group', 'contact'];

/**
 * The objects a check looks at, with a tally of the ones skipped (and why) so every message can say
 * how many were left out.
 */
export class ObjectScope {
  private readonly skipped = new Map<SkipReason, number>();
  private readonly skip: (entry: Entry) => SkipReason | undefined;
  private readonly kinds: ReadonlySet<ObjectKind>;
  private readonly skippedBy: string;
  examined = 0;

  constructor(options: ScopeOptions = {}) {
    this.skip = options.skip ?? hygieneSkipReason;
    this.kinds = new Set(options.kinds ?? SYNCED_KINDS);
    this.skippedBy = options.skippedBy ?? 'Connect Sync and IdFix';
  }

  /** True when the entry is of a kind the check looks at and is not skipped; counts the skipped ones. */
  admit(entry: Entry): boolean {
    if (!this.kinds.has(entry.kind)) return false;
    const reason = this.skip(entry);
    if (reason !== undefined) {
      this.skipped.set(reason, (this.skipped.get(reason) ?? 0) + 1);
      return false;
    }
    this.examined++;
    return true;
  }

  /** "1,204 objects examined; 9 skipped as Connect Sync skips them (4 critical system objects, ...)." */
  summary(): string {
    const total = [...this.skipped.values()].reduce((a, b) => a + b, 0);
    const examined = `${this.examined.toLocaleString('en-US')} ${[...this.kinds].map((k) => `${k}s`).join(', ')} examined`;
    if (total === 0) return `${examined}; none skipped.`;
    const parts = [...this.skipped].map(([reason, n]) => `${n.toLocaleString('en-US')} ${SKIP_TEXT[reason]}`);
    return `${examined}; ${total.toLocaleString('en-US')} skipped as ${this.skippedBy} skip${this.skippedBy.includes(' and ') ? '' : 's'} them (${parts.join(', ')}).`;
  }
}

/** Problems per object, turned into one finding's object list and a per-problem tally for its message. */
export class ProblemList {
  private readonly objects: ObjectRef[] = [];
  private readonly tally = new Map<string, number>();

  /** Records an object's problems (nothing when the list is empty); the first value problem names the attribute and value. */
  add(entry: Entry, problems: readonly Problem[]): void {
    if (problems.length === 0) return;
    const detail = problems.map((p) => (p.detail === undefined ? p.kind : `${p.kind}: ${p.detail}`)).join('; ');
    const offending = problems.find((p) => p.attribute !== undefined);
    this.objects.push(objectRef(entry, { detail, ...(offending === undefined ? {} : { attribute: offending.attribute, value: offending.value }) }));
    for (const kind of new Set(problems.map((p) => p.kind))) this.tally.set(kind, (this.tally.get(kind) ?? 0) + 1);
  }

  get size(): number {
    return this.objects.length;
  }

  get refs(): ObjectRef[] {
    return this.objects;
  }

  /** "3 × bad character, 1 × too long", most frequent first. */
  breakdown(): string {
    return [...this.tally]
      .sort((a, b) => b[1] - a[1])
      .map(([kind, n]) => `${n.toLocaleString('en-US')} × ${kind}`)
      .join(', ');
  }
}

/**
 * A domain Entra ID can verify: its last label is a public (ICANN) top-level domain, so "corp.local",
 * "ad.internal" and single-label names are not routable.
 */
export function isRoutableDomain(domain: string): boolean {
  if (domain === '' || !domain.includes('.')) return false;
  const parsed = parseDomain(domain, { extractHostname: false });
  return parsed.isIcann === true && parsed.domain !== null;
}

/** The part after the last "@", lower-cased, or undefined when there is no "@". */
export function domainOf(address: string): string | undefined {
  const at = address.lastIndexOf('@');
  return at < 0 ? undefined : address.slice(at + 1).toLowerCase();
}

export interface ProxyAddress {
  /** "smtp", "x500", "sip" ..., lower-case; "" when the value has no type prefix. */
  type: string;
  /** True for "SMTP:" (upper-case type = primary address). */
  primary: boolean;
  address: string;
}

/** "SMTP:ada@contoso.com" → { type: "smtp", primary: true, address: "ada@contoso.com" }. */
export function parseProxyAddress(value: string): ProxyAddress {
  const colon = value.indexOf(':');
  if (colon <= 0) return { type: '', primary: false, address: value };
  const type = value.slice(0, colon);
  return { type: type.toLowerCase(), primary: type === type.toUpperCase() && type.toLowerCase() === 'smtp', address: value.slice(colon + 1) };
}

// The address characters Microsoft lists as invalid in SMTP proxyAddresses and targetAddress, plus whitespace.
const BAD_SMTP_CHARACTERS = /[\s<>();,[\]"\\]/;
// One "@", something on both sides, a dot in the domain: the "RFC 2822" shape IdFix tests.
const SMTP_SHAPE = /^[^@]+@[^@]+\.[^@]+$/;
const NON_ASCII = /[^\x20-\x7e]/;

/** What is wrong with an SMTP address (the part after "smtp:"), in short phrases; empty when fine. */
export function smtpProblems(address: string): string[] {
  const problems: string[] = [];
  if (BAD_SMTP_CHARACTERS.test(address)) problems.push('invalid character');
  if (NON_ASCII.test(address)) problems.push('non-ASCII character');
  if (!SMTP_SHAPE.test(address)) problems.push('not an address (user@domain)');
  else if (!isRoutableDomain(domainOf(address) ?? '')) problems.push('non-routable domain');
  return problems;
}

export function hasNonAscii(value: string): boolean {
  return NON_ASCII.test(value);
}

/** One thing wrong with one object: `kind` is tallied in the message, `detail` only shown on the object. */
export interface Problem {
  kind: string;
  detail?: string;
  /** For a value problem: the attribute (as AD spells it) and the offending value, so the object says what to change. */
  attribute?: string;
  value?: string;
}

/**
 * The whole run of a per-object IdFix-class rule: look at every object in the hygiene scope, collect
 * its problems, and report them as one finding of the given kind listing every object, with a tally
 * per kind of problem and the skipped objects counted.
 */
export function perObjectRule<Kind extends string>(kind: Kind, what: string, inspect: (entry: Entry) => Problem[]): CheckRun<Kind> {
  const scope = new ObjectScope();
  const found = new ProblemList();
  return {
    visit(entry) {
      if (scope.admit(entry)) found.add(entry, inspect(entry));
    },
    finish() {
      if (found.size === 0) return { status: 'passed', note: scope.summary() };
      return {
        status: 'failed',
        findings: [
          {
            kind,
            message: `${found.size.toLocaleString('en-US')} object(s) ${what} (${found.breakdown()}). ${scope.summary()}`,
            objects: found.refs,
            scope: { kind: 'objects' },
          },
        ],
      };
    },
  };
}
