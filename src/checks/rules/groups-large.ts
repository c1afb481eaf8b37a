import { defineCheck, type FindingInput, type ObjectRef } from '../check.js';
import { attribute, partition, toPass } from '../evidence.js';
import { objectRef } from '../support/object-ref.js';
import { CLOUD_SYNC_PREREQUISITES, DECISION_GUIDE } from '../support/sources.js';
import { groupSize } from '../../inventory/builder.js';
import type { GroupSize } from '../../inventory/inventory.js';

export default defineCheck({
  meta: {
    id: 'groups.large',
    title: 'Groups above the Cloud Sync member limit',
    severity: 'blocker',
    category: 'scale',
    tags: ['groups', 'limits'],
    rationale:
      'Cloud Sync supports groups of up to 50,000 members (Connect Sync: 250,000). Larger groups are not synchronised whole. ' +
      "A group exported with exactly 1,500 (or 1,000) members and no range marker may have been cut at AD's range-retrieval limit, so its real size is unknown.",
    remediation:
      'Split each group above the limit into nested groups under 50,000 direct members, or keep it on Connect Sync. ' +
      'For groups whose size is unknown, export again so that ranged values are followed (ldifde does this; ldapsearch needs the range requested) or scan live.',
    sources: [DECISION_GUIDE, CLOUD_SYNC_PREREQUISITES],
    evidence: [partition('domain'), toPass(attribute('member', 'group'))],
    options: { maxMembers: 50_000 },
    kinds: { 'over-limit': {}, 'size-unknown': { title: 'Group size unknown: member list may be truncated', severity: 'warning' } },
  },
  create(context) {
    const limit = context.option('maxMembers');
    const over: { size: GroupSize; ref: ObjectRef }[] = [];
    const unknown: { size: GroupSize; ref: ObjectRef }[] = [];
    return {
      visits: ['group'],
      visit(entry) {
        const size = groupSize(entry);
        if (size.members > limit) over.push({ size, ref: objectRef(entry) });
        else if (size.completeness !== 'exact') unknown.push({ size, ref: objectRef(entry) });
      },
      finish() {
        const findings: FindingInput<'over-limit' | 'size-unknown'>[] = [];
        if (over.length > 0) {
          findings.push({
            kind: 'over-limit',
            message: `${over.length} group(s) have more than ${limit.toLocaleString('en-US')} members.`,
            objects: over.map(({ size, ref }) => ({ ...ref, detail: `${size.members.toLocaleString('en-US')} members` })),
          });
        }
        if (unknown.length > 0) {
          findings.push({
            kind: 'size-unknown',
            message: `${unknown.length} group(s) have a member list that may be cut short (exactly 1,500 or 1,000 values without a range marker, or range windows that never reached the end).`,
            objects: unknown.map(({ size, ref }) => ({
              ...ref,
              detail:
                size.completeness === 'truncated'
                  ? `at least ${size.members.toLocaleString('en-US')} members (range incomplete)`
                  : `${size.members.toLocaleString('en-US')} members read, may be truncated`,
            })),
          });
        }
        return findings.length > 0 ? { status: 'failed', findings } : { status: 'passed' };
      },
    };
  },
});
