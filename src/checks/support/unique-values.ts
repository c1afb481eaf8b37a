import type { Entry } from '../../model/entry.js';
import type { ObjectRef } from '../check.js';
import { parseProxyAddress } from './address-syntax.js';
import { objectRef } from './object-ref.js';

/**
 * What Entra ID requires to be unique across a tenant, and how two values are compared: one definition for
 * hygiene.duplicate-values (within a scan) and the tenant digest (across forests).
 */

/** The attributes Entra ID requires to be unique across each other, in the order they are read; a key's attribute is its index here. */
export const UNIQUE_ATTRIBUTES = ['userPrincipalName', 'mail', 'proxyAddresses', 'targetAddress', 'mailNickname', 'sAMAccountName'] as const;
export type UniqueAttribute = (typeof UNIQUE_ATTRIBUTES)[number];

/**
 * The comparison key of each value an object holds, with the index of the attribute it was first read from:
 * addresses lower-case without their "smtp:" prefix, so a UPN, a mail value and an "smtp:" proxy address
 * collide; other proxy types keep their prefix (X500 values only collide with X500 values); aliases get their
 * own namespace, and so does the sAMAccountName of a user without a UPN, from which Entra ID builds that
 * user's sign-in name (AD keeps sAMAccountName unique only within a domain).
 */
export function valueKeys(entry: Entry): Map<string, number> {
  const keys = new Map<string, number>();
  const put = (key: string, attribute: number): void => {
    if (key !== '' && !keys.has(key)) keys.set(key, attribute);
  };
  for (const upn of entry.texts('userprincipalname')) put(upn.trim().toLowerCase(), 0);
  for (const mail of entry.texts('mail')) put(mail.trim().toLowerCase(), 1);
  for (const proxy of entry.texts('proxyaddresses')) put(addressKey(proxy), 2);
  for (const target of entry.texts('targetaddress')) put(addressKey(target), 3);
  for (const alias of entry.texts('mailnickname')) put(`mailnickname:${alias.trim().toLowerCase()}`, 4);
  const sam = entry.kind === 'user' && !entry.has('userprincipalname') ? entry.text('samaccountname') : undefined;
  if (sam !== undefined) put(`samaccountname:${sam.trim().toLowerCase()}`, 5);
  return keys;
}

function addressKey(value: string): string {
  const parsed = parseProxyAddress(value.trim());
  return (parsed.type === 'smtp' ? parsed.address : value.trim()).toLowerCase();
}

/** The attribute a key's number stands for. */
export function uniqueAttribute(index: number): UniqueAttribute {
  return UNIQUE_ATTRIBUTES[index] ?? 'userPrincipalName';
}

/** A key as a person reads it: without the namespace that keeps aliases and sAMAccountNames apart. */
export function shownValue(key: string): string {
  return key.replace(/^(mailnickname|samaccountname):/, '');
}

// What an index keeps of each holder, NUL-separated (no DN or name contains NUL): enough to list it in full.
const IDENTITY_FIELDS = ['dn', 'guid', 'samAccountName', 'objectClass'] as const;

/** The holder's identity as one string, to keep off the heap in an Arena. */
export function identityText(entry: Entry): string {
  const ref = objectRef(entry);
  return IDENTITY_FIELDS.map((field) => ref[field] ?? '').join('\u0000');
}

export function identityRef(text: string): ObjectRef {
  const [dn = '', guid = '', samAccountName = '', objectClass = ''] = text.split('\u0000');
  return { dn, ...(guid === '' ? {} : { guid }), ...(samAccountName === '' ? {} : { samAccountName }), ...(objectClass === '' ? {} : { objectClass }) };
}

/** One object holding a shared value: who, from which attribute, and where (a forest, when values are compared across forests). */
export interface ValueHolder {
  ref: ObjectRef;
  attribute: string;
  where?: string;
}

const OTHERS_SHOWN = 3;

/** The objects sharing one value, each listed with the value and the others that hold it. */
export function sharedValueRefs(key: string, holders: readonly ValueHolder[], shown = shownValue(key)): ObjectRef[] {
  const describe = (h: ValueHolder): string => `${h.attribute} of ${h.ref.dn}${h.where === undefined ? '' : ` (${h.where})`}`;
  return holders.map((h) => {
    const others = holders.filter((other) => other !== h).map(describe);
    const more = others.length > OTHERS_SHOWN ? ` and ${others.length - OTHERS_SHOWN} more` : '';
    return {
      ...h.ref,
      detail: `${h.attribute} "${shown}" is also on: ${others.slice(0, OTHERS_SHOWN).join('; ')}${more}`,
      attribute: h.attribute,
      value: shown,
    };
  });
}
