import type { Entry } from '../../model/entry.js';
import type { ObjectRef } from '../check.js';
import { guidText } from './ad-values.js';

/** What a finding says about one object beyond who it is. */
export type ObjectFacts = Pick<ObjectRef, 'detail' | 'attribute' | 'value'>;

/**
 * An object as a finding lists it: DN, objectGUID, sAMAccountName and most specific class where the entry
 * has them, so a person can find it (and `readiness diff` follow it across renames), plus what is wrong.
 */
export function objectRef(entry: Entry, facts: ObjectFacts = {}): ObjectRef {
  const ref: ObjectRef = { dn: entry.dn };
  if (facts.detail !== undefined) ref.detail = facts.detail;
  const guid = entry.bytes('objectguid');
  if (guid !== undefined) ref.guid = guidText(guid);
  const sam = entry.text('samaccountname');
  if (sam !== undefined) ref.samAccountName = sam;
  const objectClass = mostSpecificClass(entry);
  if (objectClass !== undefined) ref.objectClass = objectClass;
  if (facts.attribute !== undefined) ref.attribute = facts.attribute;
  if (facts.value !== undefined) ref.value = facts.value;
  return ref;
}

/** AD lists objectClass from top down to the structural class (top, person, organizationalPerson, user): the last is the most specific. */
export function mostSpecificClass(entry: Entry): string | undefined {
  const name = entry.texts('objectclass').at(-1);
  return name === undefined ? undefined : sharedClassName(name);
}

/**
 * A forest has a few dozen class names and a finding can list every one of its objects: each listed object
 * points at one shared string instead of keeping its own copy. Bounded, since an input file may hold any names.
 */
const classNames = new Map<string, string>();
const MAX_CLASS_NAMES = 1024;

function sharedClassName(name: string): string {
  const shared = classNames.get(name);
  if (shared !== undefined) return shared;
  if (classNames.size < MAX_CLASS_NAMES) classNames.set(name, name);
  return name;
}
