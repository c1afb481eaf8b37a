import { defineCheck, type ObjectRef } from '../check.js';
import { CLOUD_SYNC_SSO, SEAMLESS_SSO_HOW_IT_WORKS } from './sources.js';

export default defineCheck({
  meta: {
    id: 'auth.seamless-sso',
    title: 'Seamless single sign-on is in use',
    severity: 'info',
    category: 'authentication',
    tags: ['authentication'],
    rationale:
      'The AZUREADSSOACC$ computer account is the Kerberos identity of Seamless SSO. Seamless SSO works with Cloud Sync and keeps working after migration, ' +
      'but the Cloud Sync agent cannot enable or manage it: that is done with the AzureADSSO PowerShell module shipped with Connect.',
    remediation:
      'Before removing Connect Sync, copy the AzureADSSO module (AzureADSSO.psd1) from the Connect server and document how you roll over the ' +
      'AZUREADSSOACC$ Kerberos key (Update-AzureADSSOForest) without the Connect wizard.',
    sources: [SEAMLESS_SSO_HOW_IT_WORKS, CLOUD_SYNC_SSO],
    requires: ['domain-partition'],
  },
  create() {
    const accounts: ObjectRef[] = [];
    return {
      visit(entry) {
        if (entry.kind === 'computer' && entry.text('samaccountname')?.toUpperCase() === 'AZUREADSSOACC$') accounts.push({ dn: entry.dn });
      },
      finish() {
        if (accounts.length === 0) return { status: 'passed' };
        return {
          status: 'failed',
          findings: [
            {
              message: `Seamless SSO is configured: ${accounts.length} AZUREADSSOACC$ computer account(s) found. It keeps working under Cloud Sync, but is managed with the AzureADSSO PowerShell module, not the agent.`,
              objects: accounts,
              scope: { kind: 'forest' },
            },
          ],
        };
      },
    };
  },
});
