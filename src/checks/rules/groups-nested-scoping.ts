import { defineCheck, type ObjectRef } from '../check.js';
import { attribute, partition, toPass } from '../evidence.js';
import { dnKey } from '../../model/dn.js';
import { fingerprint } from '../../model/fingerprint.js';
import { groupSize } from '../../inventory/builder.js';
import { ObjectScope } from '../support/hygiene.js';
import { objectRef } from '../support/object-ref.js';
import { CLOUD_SYNC_CONFIGURE, CLOUD_SYNC_FAQ } from '../support/sources.js';

const CHILDREN_SHOWN = 3;

/**
 * Membership links as (parent group, fingerprint of the member's DN key) in typed arrays: 12 bytes a link,
 * so a forest with five million links needs about 60 MB, and no member DN string is kept. A member is
 * known to be a group only once every group has been seen, so links are resolved in finish(). With
 * 64-bit fingerprints a false match is about as likely as 1 in 10^7 for a million links and 100,000 groups.
 */
class MembershipLinks {
  private parents = new Uint32Array(1024);
  private first = new Uint32Array(1024);
  private second = new Uint32Array(1024);
  length = 0;

  add(parent: number, memberKey: string): void {
    if (this.length === this.parents.length) {
      const grow = (old: Uint32Array<ArrayBuffer>): Uint32Array<ArrayBuffer> => {
        const next = new Uint32Array(old.length * 2);
        next.set(old);
        return next;
      };
      this.parents = grow(this.parents);
      this.first = grow(this.first);
      this.second = grow(this.second);
    }
    const [a, b] = fingerprint(memberKey);
    this.parents[this.length] = parent;
    this.first[this.length] = a;
    this.second[this.length] = b;
    this.length++;
  }

  *each(): Generator<{ parent: number; first: number; second: number }> {
    for (let i = 0; i < this.length; i++) yield { parent: this.parents[i] ?? 0, first: this.first[i] ?? 0, second: this.second[i] ?? 0 };
  }
}

export default defineCheck({
  meta: {
    id: 'groups.nested-scoping',
    title: 'Nested groups: Cloud Sync group scoping only reaches direct members',
    severity: 'warning',
    category: 'groups',
    tags: ['groups', 'scoping'],
    rationale:
      'A Cloud Sync configuration can be scoped to selected security groups, but "nested objects beyond the first level will not be included": the members of a ' +
      'member group are out of scope. Microsoft recommends group scoping only for pilots (OU scoping for production), and a configuration holds about 50 scoping ' +
      'groups or OUs (4 MB). The groups listed here contain other groups, so scoping on them would leave the nested members behind. This matters only if you plan ' +
      'group-based scoping; with OU scoping nested groups synchronise normally.',
    remediation:
      'Scope Cloud Sync by OU. If you must pilot with groups, scope on groups whose members are users directly, or add the nested groups themselves to the scope.',
    sources: [CLOUD_SYNC_CONFIGURE, CLOUD_SYNC_FAQ],
    evidence: [partition('domain'), toPass(attribute('member', 'group'))],
    kinds: { 'nested-groups': {} },
  },
  create() {
    const scope = new ObjectScope(['group']);
    const groups: ObjectRef[] = [];
    const groupKeys: string[] = [];
    const links = new MembershipLinks();
    let incomplete = 0;
    return {
      visits: scope.kinds,
      visit(entry) {
        if (!scope.admit(entry)) return;
        const index = groups.length;
        groups.push(objectRef(entry));
        groupKeys.push(entry.key);
        if (groupSize(entry).completeness !== 'exact') incomplete++;
        for (const member of entry.texts('member')) links.add(index, dnKey(member));
      },
      finish() {
        const byFingerprint = new Map<number, number[]>();
        groupKeys.forEach((key, index) => {
          const [a] = fingerprint(key);
          const list = byFingerprint.get(a);
          if (list === undefined) byFingerprint.set(a, [index]);
          else list.push(index);
        });
        const children = new Map<number, number[]>();
        for (const link of links.each()) {
          const child = byFingerprint.get(link.first)?.find((i) => fingerprint(groupKeys[i] ?? '')[1] === link.second);
          if (child === undefined) continue;
          const list = children.get(link.parent);
          if (list === undefined) children.set(link.parent, [child]);
          else list.push(child);
        }
        const incompleteNote = incomplete === 0 ? '' : ` ${incomplete} group(s) have member lists that may be cut short, so nesting inside them may be missed.`;
        if (children.size === 0) return { status: 'passed', note: `No group has a group as a member.${incompleteNote} ${scope.summary()}` };
        const objects: ObjectRef[] = [...children].map(([parent, kids]) => {
          const shown = kids.slice(0, CHILDREN_SHOWN).map((k) => groups[k]?.dn ?? '?');
          return {
            ...(groups[parent] ?? { dn: '?' }),
            detail: `${kids.length} member group(s): ${shown.join('; ')}${kids.length > CHILDREN_SHOWN ? `; and ${kids.length - CHILDREN_SHOWN} more` : ''}`,
          };
        });
        const nestedLinks = [...children.values()].reduce((n, kids) => n + kids.length, 0);
        return {
          status: 'failed',
          findings: [
            {
              kind: 'nested-groups',
              message: `${children.size.toLocaleString('en-US')} group(s) have other groups as members (${nestedLinks.toLocaleString('en-US')} nested membership(s)); scoping Cloud Sync on them would leave the nested members out.${incompleteNote} ${scope.summary()}`,
              objects,
              scope: { kind: 'objects' },
            },
          ],
        };
      },
    };
  },
});
