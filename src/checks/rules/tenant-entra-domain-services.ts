import { defineCheck, defineQuestion } from '../check.js';
import { YES_NO, judgeYesNoQuestions } from '../support/questions.js';
import { DECISION_GUIDE, WHAT_IS_CLOUD_SYNC_2023 } from '../support/sources.js';

const DOMAIN_SERVICES = defineQuestion({
  id: 'entra-domain-services',
  text: 'Is Microsoft Entra Domain Services (a managed domain) enabled in the tenant these users synchronise to?',
  choices: YES_NO,
  howToFind:
    'Azure portal > Microsoft Entra Domain Services lists managed domains; or look for the "Domain Controller Services" service principal (appId 2565bd9d-da50-47d4-8b85-4c97f669dc36) in Enterprise applications',
});

export default defineCheck({
  meta: {
    id: 'tenant.entra-domain-services',
    title: 'Microsoft Entra Domain Services depends on the synchronised identities',
    severity: 'blocker',
    category: 'tenant',
    tags: ['tenant', 'manual'],
    rationale:
      'A Domain Services managed domain is a tenant-side service, invisible from Active Directory. The 2023 Cloud Sync comparison table lists ' +
      '"Microsoft Entra Domain Services support" as yes for Connect and no for Cloud Sync. The current decision guide (02/2025) dropped that row ' +
      "without saying support changed, so Microsoft's own pages no longer agree on it; until a current page says otherwise, treat it as unsupported.",
    remediation:
      'If a managed domain exists, keep Connect Sync for the users it serves, or confirm with Microsoft (support case or a current Learn page) that ' +
      'Cloud Sync provides what the managed domain needs before moving them.',
    sources: [WHAT_IS_CLOUD_SYNC_2023, DECISION_GUIDE],
    evidence: [],
    questions: [DOMAIN_SERVICES],
    kinds: { 'domain-services-in-use': {} },
  },
  create(context) {
    return {
      finish: () =>
        judgeYesNoQuestions(context, [DOMAIN_SERVICES], () => ({
          kind: 'domain-services-in-use',
          message:
            "Microsoft Entra Domain Services is in use (answered). Microsoft's comparison table marks it as not supported with Cloud Sync; the users " +
            'the managed domain serves need Connect Sync until Microsoft documents otherwise.',
          scope: { kind: 'forest' },
        })),
    };
  },
});
