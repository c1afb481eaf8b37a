import { defineCheck } from '../check.js';
import { partition } from '../evidence.js';
import { CLOUD_SYNC_PREREQUISITES, PROVISIONING_TO_AD_PREREQUISITES } from '../support/sources.js';

export default defineCheck({
  meta: {
    id: 'schema.external-directory-object-id',
    title: 'Schema lacks msDS-ExternalDirectoryObjectId',
    severity: 'warning',
    category: 'schema',
    tags: ['schema', 'writeback'],
    rationale:
      'Cloud Sync lists msDS-ExternalDirectoryObjectId as a schema prerequisite; group provisioning to AD and Exchange hybrid writeback write it. ' +
      'It arrives with the Windows Server 2016 schema or an Exchange 2016+ schema preparation, so the attribute itself is checked, not the schema version.',
    remediation: 'Extend the schema to Windows Server 2016 or later (adprep /forestprep from a 2016+ DC) or run Exchange 2016+ /PrepareSchema, then rescan.',
    sources: [CLOUD_SYNC_PREREQUISITES, PROVISIONING_TO_AD_PREREQUISITES],
    evidence: [partition('schema')],
    kinds: { 'attribute-missing': {} },
  },
  create() {
    return {
      finish(inventory) {
        if (inventory.schema.attributes.has('msds-externaldirectoryobjectid')) return { status: 'passed' };
        return {
          status: 'failed',
          findings: [
            {
              kind: 'attribute-missing',
              message: `No attributeSchema with lDAPDisplayName msDS-ExternalDirectoryObjectId is in the schema${
                inventory.schema.objectVersion === undefined ? '' : ` (schema objectVersion ${inventory.schema.objectVersion})`
              }.`,
              scope: { kind: 'forest' },
              ...(inventory.forest.schemaDn === undefined ? {} : { objects: [{ dn: inventory.forest.schemaDn }], scope: { kind: 'forest' } }),
            },
          ],
        };
      },
    };
  },
});
