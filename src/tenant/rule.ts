import type { CheckMeta, ObjectRef, Severity, Target } from '../checks/check.js';
import { ObjectList } from '../checks/support/object-list.js';
import type { TenantDigest } from './digest.js';
import type { ValueComparison } from './cross-forest.js';

/** An object a tenant finding lists, with the forest (DNS name) it is in. */
export interface TenantObjectRef extends ObjectRef {
  forest?: string;
}

/** The objects as a list kept off the heap (ObjectList), for findings that grow with the forests. */
export function offHeap(objects: Iterable<TenantObjectRef>): readonly TenantObjectRef[] {
  const list = new ObjectList();
  for (const object of objects) list.addRef(object);
  return list.view();
}

/** What a tenant rule raises; like a check's FindingInput, always about the tenant as a whole. */
export interface TenantFindingInput<Kind extends string = string> {
  kind: Kind;
  severity?: Severity;
  title?: string;
  message: string;
  /** A finding can list every object of two forests (GAL synchronisation after a merger): see `offHeap`. */
  objects?: readonly TenantObjectRef[];
  /** When the finding counts something other than the objects it lists (UPN suffixes, forests). */
  tally?: { count: number; of: string };
  /** What tells this finding from others of its kind, stable across runs (its fingerprint rests on it). */
  about?: string;
}

export type TenantRuleResult<Kind extends string = string> =
  | { status: 'passed'; note?: string }
  | { status: 'failed'; findings: TenantFindingInput<Kind>[] }
  /** Not everything could be judged; what was found still stands. */
  | { status: 'not-evaluated'; reason: string; findings?: TenantFindingInput<Kind>[] };

/**
 * A check's metadata, so that the catalog, `explain` and the config file treat tenant rules like checks; without
 * options or questions, and with no evidence of its own (what a tenant rule needs is every forest's objects).
 */
export type TenantRuleMeta<Kind extends string = string> = Omit<CheckMeta<never, never, Kind>, 'options' | 'questions' | 'evidence'> & {
  evidence: readonly [];
  /** True when a pass rests on every forest's objects having been read: a domain not read turns a pass into not-evaluated. */
  readsObjects: boolean;
};

/** Every forest of the run (or of the merged reports), and what the rules share. */
export interface Tenant {
  digests: readonly TenantDigest[];
  target: Target;
  /** Which forests' unique values can be compared with which (exact, or hashed with one key). */
  comparison: ValueComparison;
}

export interface TenantRule<Kind extends string = string> {
  meta: TenantRuleMeta<Kind>;
  judge(tenant: Tenant): TenantRuleResult<Kind>;
}

/** Declares a tenant rule (like defineCheck): the finding kinds are taken from the metadata and held to. */
export function defineTenantRule<const Kind extends string>(rule: {
  meta: TenantRuleMeta<Kind>;
  judge(tenant: Tenant): TenantRuleResult<NoInfer<Kind>>;
}): TenantRule {
  return rule;
}

/** "a.example (3), b.example (5)": forests with a figure each, in a finding's message. */
export function forestList(items: readonly { forest: string; figure?: number }[]): string {
  return items.map((i) => (i.figure === undefined ? i.forest : `${i.forest} (${i.figure.toLocaleString('en-US')})`)).join(', ');
}
