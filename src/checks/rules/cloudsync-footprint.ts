import { defineCheck, type ObjectRef } from '../check.js';
import { container, partition, toPass } from '../evidence.js';
import { plural } from '../support/ad-values.js';
import { objectRef } from '../support/object-ref.js';
import { CLOUD_SYNC_GMSA, MIGRATION_TOOL } from '../support/sources.js';

/** The installer names the gMSA CN=provAgentgMSA; its sAMAccountName is provAgentgMSA$ or, in newer agents, pGMSA_<hex>$. */
const AGENT_GMSA = /^(provAgentgMSA|pGMSA_)/i;

export default defineCheck({
  meta: {
    id: 'cloudsync.footprint',
    title: 'Cloud Sync agents were installed before',
    severity: 'info',
    category: 'agent',
    tags: ['agent', 'inventory'],
    rationale:
      'The provisioning agent installer creates a group managed service account, CN=provAgentgMSA in CN=Managed Service Accounts ' +
      '(sAMAccountName provAgentgMSA$ or pGMSA_<hex>$). Finding one means an agent was installed in this domain, possibly with Cloud Sync configurations ' +
      "already active in the tenant; the guided migration tool's readiness review looks for existing agents and configurations. A custom gMSA chosen at " +
      'install time cannot be recognised by name.',
    remediation:
      'Check in the Entra admin center (Entra Connect > Cloud Sync) which agents and configurations exist for these domains before planning scopes, ' +
      'so that Connect and Cloud Sync never export the same objects; remove gMSAs of agents that are gone.',
    sources: [CLOUD_SYNC_GMSA, MIGRATION_TOOL],
    evidence: [partition('domain'), toPass(container('CN=Managed Service Accounts', 'every-domain', 'where the agent installer creates its gMSA'))],
    kinds: { 'agent-gmsa': {} },
  },
  create() {
    const accounts: ObjectRef[] = [];
    return {
      visits: ['managed-service-account'],
      visit(entry) {
        const sam = entry.text('samaccountname') ?? '';
        if (AGENT_GMSA.test(sam) || AGENT_GMSA.test(entry.text('cn') ?? '')) accounts.push(objectRef(entry, { detail: sam }));
      },
      finish() {
        if (accounts.length > 0) {
          return {
            status: 'failed',
            findings: [
              {
                kind: 'agent-gmsa',
                message: `${plural(accounts.length, 'Cloud Sync agent gMSA')} found: a provisioning agent was installed in ${accounts.length === 1 ? 'this domain' : 'these domains'}; check which agents and configurations are active before scoping.`,
                objects: accounts,
                scope: { kind: 'forest' },
              },
            ],
          };
        }
        return { status: 'passed', note: 'no provAgentgMSA / pGMSA_ account: no agent was installed with the default gMSA' };
      },
    };
  },
});
