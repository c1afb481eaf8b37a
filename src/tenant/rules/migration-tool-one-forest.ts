import { MIGRATION_TOOL } from '../../checks/support/sources.js';
import { defineTenantRule } from '../rule.js';

export default defineTenantRule({
  meta: {
    id: 'tenant.migration-tool-one-forest',
    title: 'The guided migration tool takes one forest',
    severity: 'blocker',
    category: 'migration-tool',
    tags: ['migration-tool', 'multi-forest'],
    rationale:
      'In its current wave the guided migration tool (Connect wizard > "Transition to Cloud Sync") migrates one AD forest. Under --target migration-tool ' +
      'several forests are a blocker; otherwise this is information, since a move by hand has no such limit.',
    remediation:
      'Move by hand: configure Cloud Sync for pilot OUs side by side with Connect Sync, forest by forest, with mutually exclusive scopes; or wait for a ' +
      'wave of the tool that takes several forests.',
    sources: [MIGRATION_TOOL],
    evidence: [],
    readsObjects: false,
    kinds: { 'several-forests': {} },
  },
  judge(tenant) {
    const forests = tenant.digests.map((d) => d.forest);
    if (forests.length < 2) return { status: 'passed', note: 'One forest.' };
    return {
      status: 'failed',
      findings: [
        {
          kind: 'several-forests',
          severity: tenant.target === 'migration-tool' ? 'blocker' : 'info',
          message: `${forests.length} forests synchronise to this tenant (${forests.join(', ')}); the migration tool takes one.`,
          tally: { count: forests.length, of: 'forests' },
        },
      ],
    };
  },
});
