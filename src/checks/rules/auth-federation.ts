import { defineCheck, type ObjectRef } from '../check.js';
import { container, partition, toPass } from '../evidence.js';
import { plural } from '../support/ad-values.js';
import { objectRef } from '../support/object-ref.js';
import { DECISION_GUIDE } from '../support/sources.js';

const ADFS_CONTAINER = 'cn=adfs,cn=microsoft,cn=program data,';

export default defineCheck({
  meta: {
    id: 'auth.federation',
    title: 'AD FS federation appears to be in use',
    severity: 'info',
    category: 'authentication',
    tags: ['authentication', 'heuristic'],
    rationale:
      'An AD FS farm keeps its certificate-sharing keys (DKM) in CN=ADFS,CN=Microsoft,CN=Program Data of a domain, so that container is a strong hint ' +
      'that AD FS runs in this forest (a hint only: it says nothing about whether Entra ID domains are federated to it). Cloud Sync synchronises identities ' +
      'for federated domains, but it does not set up or manage AD FS ("AD FS integration setup": Connect only, decision guide); the guide counts ' +
      '"AD FS managed separately" as ready for migration. The federation\'s ImmutableID claim must keep matching the anchor Cloud Sync uses ' +
      '(ms-DS-ConsistencyGuid when present, else objectGUID).',
    remediation:
      'Confirm which Entra ID domains are federated (Get-MgDomain, AuthenticationType) and plan AD FS management without the Connect wizard, or a move to ' +
      "password hash sync / cloud authentication with staged rollout; check the relying party trust's ImmutableID rule against the Cloud Sync anchor.",
    sources: [DECISION_GUIDE],
    evidence: [partition('domain'), toPass(container('CN=Program Data', 'every-domain', 'where AD FS keeps its keys'))],
    kinds: { 'adfs-keys': {} },
  },
  create() {
    const adfsContainers: ObjectRef[] = [];
    let dkmObjects = 0;
    return {
      visit(entry) {
        const key = entry.key;
        if (key.startsWith(ADFS_CONTAINER)) adfsContainers.push(objectRef(entry));
        else if (key.includes(`,${ADFS_CONTAINER}`)) dkmObjects++;
      },
      finish() {
        if (adfsContainers.length > 0 || dkmObjects > 0) {
          return {
            status: 'failed',
            findings: [
              {
                kind: 'adfs-keys',
                message:
                  `${plural(adfsContainers.length, 'AD FS key container')} (CN=ADFS,CN=Microsoft,CN=Program Data) with ${plural(dkmObjects, 'object')} below: an AD FS farm ` +
                  "stores its keys here. Cloud Sync does not configure AD FS: federation must be managed separately, and its ImmutableID claim must match Cloud Sync's anchor.",
                objects: adfsContainers,
                scope: { kind: 'forest' },
              },
            ],
          };
        }
        return { status: 'passed' };
      },
    };
  },
});
