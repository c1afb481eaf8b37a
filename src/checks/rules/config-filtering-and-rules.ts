import { defineCheck, type Question } from '../check.js';
import { YES_NO, judgeYesNoQuestions } from '../questions.js';
import { CLOUD_SYNC_CONFIGURE, DECISION_GUIDE, MIGRATION_TOOL } from './sources.js';

const CUSTOM_RULES: Question = {
  id: 'connect-custom-sync-rules',
  text: 'Does Connect Sync use custom synchronization rules or attribute-value filtering (scoping filters on attributes)?',
  choices: YES_NO,
  howToFind:
    'On the Connect server: Synchronization Rules Editor, or `Get-ADSyncRule | Where-Object { -not $_.ImmutableTag }` lists custom rules; ' +
    'scoping filters on attributes show in the rules\' Scoping filter tab',
};

const GROUP_FILTERING: Question = {
  id: 'connect-group-filtering',
  text: 'Does Connect Sync use group-based filtering (only members of one group are synchronised)?',
  choices: YES_NO,
  howToFind: 'Connect wizard > Customize synchronization options > "Filter users and devices": "Synchronize selected" shows the group',
};

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
    questions: [CUSTOM_RULES, GROUP_FILTERING],
  },
  create(context) {
    const migrationTool = context.target === 'migration-tool';
    return {
      finish: () =>
        judgeYesNoQuestions(context, [CUSTOM_RULES, GROUP_FILTERING], (question) =>
          question === CUSTOM_RULES
            ? {
                title: 'Connect Sync uses custom sync rules or attribute filtering',
                message:
                  'Custom sync rules or attribute-value filtering are in use (answered). Cloud Sync has no advanced sync rules and only limited attribute ' +
                  `filtering${migrationTool ? ', and the guided migration tool refuses custom sync rules' : ''}: each rule must be translated or stay on Connect Sync.`,
                scope: { kind: 'forest' },
              }
            : {
                title: 'Connect Sync uses group-based filtering',
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
