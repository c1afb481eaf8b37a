import { defineCheck } from '../check.js';
import { CUSTOM_SYNC_RULES, GROUP_FILTERING } from '../support/connect-configuration.js';
import { judgeYesNoQuestions } from '../support/questions.js';
import { CLOUD_SYNC_CONFIGURE, DECISION_GUIDE, MIGRATION_TOOL } from '../support/sources.js';

export default defineCheck({
  meta: {
    id: 'config.filtering-and-rules',
    title: 'Connect Sync uses custom rules or filtering that Cloud Sync cannot reproduce',
    severity: 'blocker',
    category: 'configuration',
    tags: ['configuration', 'manual', 'migration-tool'],
    rationale:
      'Sync rules and filters live in the Connect configuration, not in Active Directory. Cloud Sync has no advanced sync rules (only the expression ' +
      'builder) and only limited attribute-based filtering (decision guide); it scopes by all users, selected OUs or selected security groups, and its ' +
      'group scoping takes direct members only and is meant for pilots (how-to-configure). The guided migration tool refuses custom sync rules and group filtering.',
    remediation:
      'Export the Connect configuration and list every custom rule and filter. Translate scoping to OUs (move objects if needed) and attribute flows to ' +
      'Cloud Sync expressions where possible; keep Connect Sync for what cannot be translated.',
    sources: [DECISION_GUIDE, CLOUD_SYNC_CONFIGURE, MIGRATION_TOOL],
    evidence: [],
    questions: [CUSTOM_SYNC_RULES, GROUP_FILTERING],
    kinds: {
      'custom-sync-rules': { title: 'Connect Sync uses custom sync rules or attribute filtering' },
      'group-filtering': { title: 'Connect Sync uses group-based filtering' },
    },
  },
  create(context) {
    const migrationTool = context.target === 'migration-tool';
    return {
      finish: () =>
        judgeYesNoQuestions(context, [CUSTOM_SYNC_RULES, GROUP_FILTERING], (question) =>
          question === CUSTOM_SYNC_RULES
            ? {
                kind: 'custom-sync-rules',
                message:
                  'Custom sync rules or attribute-value filtering are in use (answered). Cloud Sync has no advanced sync rules and only limited attribute ' +
                  `filtering${migrationTool ? ', and the guided migration tool refuses custom sync rules' : ''}: each rule must be translated or stay on Connect Sync.`,
                scope: { kind: 'forest' },
              }
            : {
                kind: 'group-filtering',
                severity: migrationTool ? 'blocker' : 'warning',
                message: migrationTool
                  ? 'Group-based filtering is in use (answered), and the guided migration tool refuses group filtering: scope by OU before using the tool.'
                  : 'Group-based filtering is in use (answered). Cloud Sync can scope to selected security groups, but only their direct members ' +
                    '(no nested groups) and Microsoft recommends it for pilots only: plan OU scoping for production.',
                scope: { kind: 'forest' },
              },
        ),
    };
  },
});
