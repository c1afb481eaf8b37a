import { defineCheck } from '../check.js';
import { partition } from '../evidence.js';
import { CLOUD_SYNC_GMSA, CLOUD_SYNC_PREREQUISITES, SCHEMA_VERSIONS } from '../support/sources.js';

/** objectVersion of the schema head → the Windows Server adprep that set it. */
const SCHEMA_RELEASES: readonly [number, string][] = [
  [13, 'Windows 2000 Server'],
  [30, 'Windows Server 2003'],
  [31, 'Windows Server 2003 R2'],
  [44, 'Windows Server 2008'],
  [47, 'Windows Server 2008 R2'],
  [56, 'Windows Server 2012'],
  [69, 'Windows Server 2012 R2'],
  [87, 'Windows Server 2016'],
  [88, 'Windows Server 2019/2022'],
  [91, 'Windows Server 2025'],
];

/** group Managed Service Accounts (the agent's provAgentgMSA) arrive with the Windows Server 2012 schema. */
const GMSA_SCHEMA = 56;

function schemaRelease(objectVersion: number): string {
  const exact = SCHEMA_RELEASES.find(([v]) => v === objectVersion);
  if (exact !== undefined) return exact[1];
  const below = SCHEMA_RELEASES.filter(([v]) => v < objectVersion).at(-1);
  return below === undefined ? 'older than Windows 2000 Server' : `newer than ${below[1]} (unlisted version)`;
}

export default defineCheck({
  meta: {
    id: 'schema.version',
    title: "Schema too old for the agent's group managed service account",
    severity: 'blocker',
    category: 'schema',
    tags: ['schema', 'agent'],
    rationale:
      'The Cloud Sync agent runs as a group managed service account (provAgentgMSA), which needs the schema at Windows Server 2012 or later ' +
      '(objectVersion 56). objectVersion only tells which adprep last ran, not which OS the DCs run; attributes Cloud Sync needs are checked on their own ' +
      '(schema.external-directory-object-id).',
    remediation: 'Run adprep /forestprep from Windows Server 2016 or later media (or promote a 2016+ DC, which extends the schema), then rescan.',
    sources: [CLOUD_SYNC_PREREQUISITES, CLOUD_SYNC_GMSA, SCHEMA_VERSIONS],
    evidence: [partition('schema')],
    kinds: { 'schema-too-old': {} },
  },
  create() {
    return {
      finish(inventory) {
        const version = inventory.schema.objectVersion;
        if (version === undefined) {
          return { status: 'not-evaluated', reason: 'the schema head (CN=Schema,CN=Configuration,... with objectVersion) is not in the input' };
        }
        const release = schemaRelease(version);
        if (version >= GMSA_SCHEMA) return { status: 'passed', note: `schema objectVersion ${version}: ${release}` };
        return {
          status: 'failed',
          findings: [
            {
              kind: 'schema-too-old',
              message: `Schema objectVersion ${version} (${release}) is older than Windows Server 2012 (56): the default agent install cannot create its group managed service account.`,
              objects: inventory.forest.schemaDn === undefined ? [] : [{ dn: inventory.forest.schemaDn, detail: `objectVersion ${version}` }],
              scope: { kind: 'forest' },
            },
          ],
        };
      },
    };
  },
});
