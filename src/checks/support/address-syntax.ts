import { parse as parseDomain } from 'tldts';

/**
 * The value rules of "Prepare for directory synchronization to Microsoft 365" for addresses and sign-in
 * names, each with the value a person would most likely mean (IdFix's "suggested value"): what the page
 * forbids removed, accents folded, doubled dots collapsed, cut to the limit. A suggestion is offered only
 * when it passes the same rules; a value that cannot be repaired mechanically (no "@", a domain too long)
 * gets none.
 */

/** One thing wrong with a value: `kind` is tallied in a finding's message, `detail` shown on the object. */
export interface ValueProblem {
  kind: string;
  detail?: string;
}

export interface ValueCheck {
  problems: ValueProblem[];
  /** The repaired value; "" proposes removing the value; absent when no mechanical repair exists. */
  suggestion?: string;
}

/**
 * A domain Entra ID can verify: its last label is a public (ICANN) top-level domain, so "corp.local",
 * "ad.internal", single-label names and a name ending in "." (which a public-suffix lookup would
 * otherwise read as the same domain) are not routable.
 */
export function isRoutableDomain(domain: string): boolean {
  if (!domain.includes('.') || domain.startsWith('.') || domain.endsWith('.') || domain.includes('..')) return false;
  // A forest has few domains and every address asks about one: the public-suffix lookup runs once per domain.
  let routable = routableDomains.get(domain);
  if (routable === undefined) {
    const parsed = parseDomain(domain, { extractHostname: false });
    routable = parsed.isIcann === true && parsed.domain !== null;
    // Bounded for an export whose every address names a domain of its own.
    if (routableDomains.size >= ROUTABLE_DOMAINS_KEPT) routableDomains.clear();
    routableDomains.set(domain, routable);
  }
  return routable;
}

const ROUTABLE_DOMAINS_KEPT = 4096;
const routableDomains = new Map<string, boolean>();

/** The part after the last "@", lower-cased, or undefined when there is no "@". */
export function domainOf(address: string): string | undefined {
  const at = address.lastIndexOf('@');
  return at < 0 ? undefined : address.slice(at + 1).toLowerCase();
}

export interface ProxyAddress {
  /** "smtp", "x500", "sip" ..., lower-case; "" when the value has no type prefix. */
  type: string;
  /** The prefix as written ("SMTP", "smtp", "X500"). */
  prefix: string;
  /** True for "SMTP:" (upper-case type = primary address). */
  primary: boolean;
  address: string;
}

/** "SMTP:ada@contoso.com" → { type: "smtp", prefix: "SMTP", primary: true, address: "ada@contoso.com" }. */
export function parseProxyAddress(value: string): ProxyAddress {
  const colon = value.indexOf(':');
  if (colon <= 0) return { type: '', prefix: '', primary: false, address: value };
  const prefix = value.slice(0, colon);
  const type = prefix.toLowerCase();
  return { type, prefix, primary: type === 'smtp' && prefix === 'SMTP', address: value.slice(colon + 1) };
}

const NON_ASCII = /[^\x00-\x7f]/;
const CONTROL = /[\x00-\x1f\x7f]/;
// Letters with diacritics fold to their base letter (é → e); what is left outside ASCII has no repair.
const foldAccents = (text: string): string => text.normalize('NFD').replace(/[\u0300-\u036f]/g, '');
const shown = (characters: Iterable<string>): string => [...new Set(characters)].map((c) => JSON.stringify(c)).join(' ');

// The page's invalid characters for proxyAddresses and targetAddress (\ is listed for targetAddress and is
// never valid unquoted in an address), and whitespace.
const SMTP_FORBIDDEN = /[\s<>();,[\]"\\]/g;
// RFC 5322 dot-atom: atext runs separated by single dots.
const ATEXT = /^[A-Za-z0-9!#$%&'*+\-/=?^_`{|}~]+$/;
const DOMAIN_LABEL = /^[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?$/;

function dotProblems(part: string, name: string): ValueProblem[] {
  const problems: ValueProblem[] = [];
  if (part.startsWith('.')) problems.push({ kind: `${name} starts with "."` });
  if (part.includes('..')) problems.push({ kind: `consecutive dots in the ${name}` });
  if (part.endsWith('.') && part.length > 1) problems.push({ kind: `${name} ends with "."` });
  return problems;
}

// The shape nearly every address has: a dot-atom, one "@", then letters and digits joined by single dots or by
// hyphens. Such an address breaks none of the rules below but, perhaps, the routable domain, and has no repair but
// itself; a linear pattern, so one test decides it.
const PLAIN_ADDRESS = /^[A-Za-z0-9!#$%&'*+\-/=?^_`{|}~]+(?:\.[A-Za-z0-9!#$%&'*+\-/=?^_`{|}~]+)*@[A-Za-z0-9]+(?:(?:\.|-+)[A-Za-z0-9]+)*$/;

function plainAddressProblems(address: string): ValueProblem[] {
  const domain = address.slice(address.indexOf('@') + 1);
  return isRoutableDomain(domain) ? [] : [{ kind: 'non-routable domain', detail: domain }];
}

/** An SMTP address (mail, or the part after "smtp:"): Microsoft's characters, one "@", a dot-atom local part, a routable domain. */
function smtpAddressProblems(address: string): ValueProblem[] {
  const problems: ValueProblem[] = [];
  const forbidden = address.match(SMTP_FORBIDDEN);
  if (forbidden !== null) problems.push({ kind: 'invalid character', detail: shown(forbidden) });
  if (NON_ASCII.test(address)) problems.push({ kind: 'non-ASCII character' });
  if (address.includes(':')) problems.push({ kind: '":" in the address after the type prefix' });
  const at = address.lastIndexOf('@');
  if (at <= 0 || at === address.length - 1 || address.indexOf('@') !== at) return [...problems, { kind: 'not an address (user@domain)' }];
  const local = address.slice(0, at);
  const domain = address.slice(at + 1);
  const localDots = dotProblems(local, 'local part');
  problems.push(...localDots, ...dotProblems(domain, 'domain'));
  if (problems.length === 0 && !local.split('.').every((atom) => ATEXT.test(atom))) problems.push({ kind: 'local part is not an RFC 5322 dot-atom' });
  const domainForbidden = domain.match(SMTP_FORBIDDEN) !== null || NON_ASCII.test(domain);
  const tidyDomain = tidyDots(domain);
  if (!domainForbidden && !tidyDomain.split('.').every((label) => DOMAIN_LABEL.test(label))) problems.push({ kind: 'invalid domain name', detail: domain });
  // Stray dots are reported above; the domain they surround is judged on its own.
  else if (!domainForbidden && !isRoutableDomain(tidyDomain)) problems.push({ kind: 'non-routable domain', detail: domain });
  return problems;
}

function tidyDots(part: string): string {
  return part.replace(/\.{2,}/g, '.').replace(/^\.+|\.+$/g, '');
}

function smtpSuggestion(address: string): string | undefined {
  const stripped = foldAccents(address)
    .replace(SMTP_FORBIDDEN, '')
    .replace(/[:\x00-\x1f\x7f]/g, '')
    .replace(/[^\x00-\x7f]/g, '');
  const at = stripped.lastIndexOf('@');
  if (at <= 0) return undefined;
  const candidate = `${tidyDots(stripped.slice(0, at).replaceAll('@', ''))}@${tidyDots(stripped.slice(at + 1))}`;
  return smtpAddressProblems(candidate).length === 0 ? candidate : undefined;
}

export function checkSmtpAddress(address: string): ValueCheck {
  return PLAIN_ADDRESS.test(address) ? { problems: plainAddressProblems(address) } : checkSmtpAddressRuleByRule(address);
}

/** checkSmtpAddress without the shortcut for plain addresses; exported for the test that holds the shortcut to it. */
export function checkSmtpAddressRuleByRule(address: string): ValueCheck {
  const problems = smtpAddressProblems(address);
  if (problems.length === 0) return { problems };
  const suggestion = smtpSuggestion(address);
  return suggestion === undefined ? { problems } : { problems, suggestion };
}

/**
 * Microsoft's characters for every proxyAddresses value, less what a type's own syntax needs: Exchange's
 * X500 addresses (legacyExchangeDN) contain spaces and "(FYDIBOHF23SPDLT)", X400 addresses separate their
 * fields with ";" and pad with spaces, and EUM addresses carry ";phone-context=".
 */
const NON_SMTP_FORBIDDEN: Readonly<Record<string, RegExp>> = {
  x500: /[\x00-\x1f\x7f<>;,[\]"]/g,
  x400: /[\x00-\x1f\x7f<>,[\]"]/g,
  eum: /[\s\x00-\x1f\x7f<>(),[\]"]/g,
};
const OTHER_FORBIDDEN = /[\s\x00-\x1f\x7f<>();,[\]"]/g;

/** A proxyAddresses or targetAddress value, type prefix included. */
export function checkProxyAddress(value: string): ValueCheck {
  const parsed = parseProxyAddress(value);
  if (parsed.type === '') return { problems: [{ kind: 'no address type (smtp:, x500: ...)' }] };
  if (parsed.address.trim() === '') return { problems: [{ kind: 'empty address' }], suggestion: '' };
  if (parsed.type === 'smtp') {
    const smtp = checkSmtpAddress(parsed.address);
    return smtp.suggestion === undefined ? smtp : { ...smtp, suggestion: `${parsed.prefix}:${smtp.suggestion}` };
  }
  const forbidden = NON_SMTP_FORBIDDEN[parsed.type] ?? OTHER_FORBIDDEN;
  const problems: ValueProblem[] = [];
  const bad = parsed.address.match(forbidden);
  if (bad !== null) problems.push({ kind: CONTROL.test(bad.join('')) ? 'control or invalid character' : 'invalid character', detail: shown(bad) });
  if (NON_ASCII.test(parsed.address)) problems.push({ kind: 'non-ASCII character' });
  if (problems.length === 0) return { problems };
  const repaired = foldAccents(parsed.address)
    .replace(forbidden, '')
    .replace(/[^\x00-\x7f]/g, '')
    .trim();
  return repaired === '' ? { problems } : { problems, suggestion: `${parsed.prefix}:${repaired}` };
}

// The page's "characters allowed" before the "@"; after it, a DNS name.
const UPN_USER_ALLOWED = /[^A-Za-z0-9'.\-_!#^~]/g;
const UPN_DOMAIN_ALLOWED = /[^A-Za-z0-9.-]/g;
export const UPN_MAX_USER = 64;
export const UPN_MAX_DOMAIN = 48;

export function upnProblems(upn: string): ValueProblem[] {
  const problems: ValueProblem[] = [];
  if (NON_ASCII.test(upn)) problems.push({ kind: 'non-ASCII or accented character' });
  const at = upn.lastIndexOf('@');
  if (at < 0) return [...problems, { kind: 'no "@"' }];
  if (upn.indexOf('@') === 0) problems.push({ kind: '"@" is the first character' });
  if (upn.indexOf('@') !== at) problems.push({ kind: 'more than one "@"' });
  const user = upn.slice(0, upn.indexOf('@'));
  const domain = upn.slice(at + 1);
  const bad = [...(user.match(UPN_USER_ALLOWED) ?? []), ...(domain.match(UPN_DOMAIN_ALLOWED) ?? [])].filter((c) => !NON_ASCII.test(c) && c !== '@');
  if (bad.length > 0) problems.push({ kind: 'invalid character', detail: shown(bad) });
  if (user.startsWith('.')) problems.push({ kind: 'user name starts with "."' });
  if (user.includes('..')) problems.push({ kind: 'consecutive dots in the user name' });
  if (/[.&\s]$/.test(user)) problems.push({ kind: 'user name ends with ".", "&" or a space' });
  if (user.length > UPN_MAX_USER) problems.push({ kind: `more than ${UPN_MAX_USER} characters before "@"`, detail: `${user.length}` });
  if (domain === '') problems.push({ kind: 'no domain after "@"' });
  else {
    if (domain.startsWith('.') || domain.includes('..')) problems.push({ kind: 'empty label in the suffix' });
    if (domain.endsWith('.')) problems.push({ kind: 'suffix ends with "."' });
  }
  if (domain.length > UPN_MAX_DOMAIN) problems.push({ kind: `more than ${UPN_MAX_DOMAIN} characters after "@"`, detail: `${domain.length}` });
  return problems;
}

export function checkUpn(upn: string): ValueCheck {
  const problems = upnProblems(upn);
  if (problems.length === 0) return { problems };
  const folded = foldAccents(upn);
  const at = folded.lastIndexOf('@');
  if (at <= 0) return { problems };
  const user = tidyDots(folded.slice(0, at).replace(UPN_USER_ALLOWED, '')).slice(0, UPN_MAX_USER).replace(/\.+$/, '');
  const candidate = `${user}@${tidyDots(folded.slice(at + 1).replace(UPN_DOMAIN_ALLOWED, ''))}`;
  return upnProblems(candidate).length === 0 && user !== '' ? { problems, suggestion: candidate } : { problems };
}

// The page's list for sAMAccountName, which Entra ID builds the UPN from when a user has none.
const SAM_FORBIDDEN = /[[\]\\"|,/:<>+=;?*']/g;
export const SAM_MAX = 20;

export function checkSamAccountName(sam: string): ValueCheck {
  const problems: ValueProblem[] = [];
  const bad = sam.match(SAM_FORBIDDEN);
  if (bad !== null) problems.push({ kind: 'invalid character', detail: shown(bad) });
  if (sam.length > SAM_MAX) problems.push({ kind: `longer than ${SAM_MAX} characters`, detail: `${sam.length}` });
  if (problems.length === 0) return { problems };
  const repaired = sam.replace(SAM_FORBIDDEN, '').slice(0, SAM_MAX).trim();
  return repaired === '' ? { problems } : { problems, suggestion: repaired };
}
