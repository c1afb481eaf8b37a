import { defineCheck, defineQuestion } from '../check.js';
import { YES_NO, judgeYesNoQuestions } from '../support/questions.js';
import { CLOUD_SYNC_MIGRATION_FAQ, DECISION_GUIDE } from '../support/sources.js';

const PASS_THROUGH = defineQuestion({
  id: 'pass-through-authentication',
  text: 'Is pass-through authentication (PTA) the sign-in method, or are PTA agents registered in the tenant?',
  choices: YES_NO,
  howToFind:
    'Microsoft Entra admin center > Entra Connect > Connect Sync: "Pass-through authentication" shows Enabled and lists the authentication agents; or the sign-in method page of the Connect wizard',
});

export default defineCheck({
  meta: {
    id: 'auth.pass-through',
    title: 'Pass-through authentication is configured through Connect',
    severity: 'warning',
    category: 'authentication',
    tags: ['authentication', 'manual'],
    rationale:
      'Pass-through authentication leaves no object in Active Directory, so only the admin can say whether it is used. ' +
      'The decision guide lists "Pass-through authentication config" as Connect-only; the migration FAQ (05/2026) says PTA is configured separately from sync ' +
      'and keeps working after migration, still managed through the Connect Sync configuration wizard. So PTA does not block the move, but it keeps a ' +
      'dependency on the Connect installation (its wizard) after users move to Cloud Sync.',
    remediation:
      'Before decommissioning Connect Sync, decide how PTA is managed afterwards (keep the Connect wizard available, or move sign-in to password hash ' +
      'synchronization with staged rollout), and keep at least three PTA agents registered and up to date.',
    sources: [DECISION_GUIDE, CLOUD_SYNC_MIGRATION_FAQ],
    evidence: [],
    questions: [PASS_THROUGH],
    kinds: { 'pass-through-in-use': {} },
  },
  create(context) {
    return {
      finish: () =>
        judgeYesNoQuestions(context, [PASS_THROUGH], () => ({
          kind: 'pass-through-in-use',
          message:
            'Pass-through authentication is in use (answered). Cloud Sync cannot configure it: PTA keeps working after the migration, but agents and ' +
            'settings stay managed through the Connect Sync wizard, so Connect cannot simply be uninstalled.',
          scope: { kind: 'forest' },
        })),
    };
  },
});
