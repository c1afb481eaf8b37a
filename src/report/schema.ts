import { z } from 'zod';
import { tenantDigestSchema } from '../tenant/digest.js';

/**
 * The JSON report contract. This schema is the single source of truth: the TypeScript types are
 * inferred from it, the JSON reporter validates against it, and `readiness schema` prints it.
 * Bump REPORT_SCHEMA_VERSION on any change that could break a consumer (removing or renaming a
 * field, changing a type or an enum); adding an optional field does not need a bump.
 */
export const REPORT_SCHEMA_VERSION = 3;

const severity = z.enum(['blocker', 'warning', 'info']);
export const verdict = z
  .enum(['ready', 'ready-with-warnings', 'blocked', 'incomplete'])
  .describe(
    'In this order of precedence. blocked: at least one hard blocker was found (certain, even when data is also missing or questions are open). ' +
      'incomplete: no hard blocker found, but something was not read, not evaluated or not answered, so no clean verdict can be given. ' +
      'ready-with-warnings: warnings, or blockers that only need Connect Sync kept side by side for one workload (coexistence). ready: none of these.',
  );

const counts = z.object({
  users: z.number().int().nonnegative(),
  groups: z.number().int().nonnegative(),
  contacts: z.number().int().nonnegative(),
  computers: z.number().int().nonnegative(),
  managedServiceAccounts: z.number().int().nonnegative(),
  excluded: z.number().int().nonnegative().describe("users, groups and contacts Connect Sync's default rules skip"),
  privileged: z
    .number()
    .int()
    .nonnegative()
    .describe('objects with adminCount=1 (AdminSDHolder-protected) and direct members of a protected group: never in a pilot'),
});

const source = z.object({ title: z.string(), url: z.string(), date: z.string().describe('YYYY-MM-DD: version of the page the rule was checked against') });

const scope = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('forest') }),
  z.object({ kind: z.literal('domain'), dn: z.string() }),
  z.object({ kind: z.literal('objects') }),
  z.object({ kind: z.literal('tenant') }),
]);

export const objectRefSchema = z.object({
  dn: z.string(),
  forest: z.string().optional().describe('in a tenant finding: the DNS name of the forest the object is in'),
  detail: z.string().optional(),
  guid: z.string().optional().describe('objectGUID: follows the object across renames and moves'),
  samAccountName: z.string().optional(),
  objectClass: z.string().optional().describe('most specific structural class'),
  attribute: z.string().optional().describe('for value problems: the attribute holding the offending value'),
  value: z.string().optional().describe('for value problems: the offending value as read'),
  suggestion: z
    .string()
    .optional()
    .describe('for value problems with an obvious repair: the proposed value ("" = clear it); a proposal only, readiness writes nothing'),
});

export const findingSchema = z.object({
  id: z.string().describe('id of the check that raised it'),
  key: z.string().describe('<check id>/<finding kind>: what kind of problem this is, stable across runs'),
  fingerprint: z
    .string()
    .describe(
      'stable hash of key, scope and domain (and, where one check raises several findings of one kind there, what tells them apart): ' +
        'the same finding in another run or another input order has the same fingerprint; unique within a report',
    ),
  severity,
  title: z.string(),
  message: z.string(),
  count: z
    .number()
    .int()
    .nonnegative()
    .describe('the number of objects listed, or 1 for the forest or a domain as a whole, unless countOf says what else it counts'),
  countOf: z.string().optional().describe('present when count counts something other than the objects listed: UPN suffixes, the objects in a domain'),
  objects: z.array(objectRefSchema).describe('every object involved, never a sample'),
  scope: scope.describe('what it applies to: the whole forest, one domain, the objects listed, or the tenant (a finding across forests)'),
  coexistence: z
    .boolean()
    .describe('a blocker that need not be fixed first: Connect Sync keeps running side by side for this one workload (never under --target migration-tool)'),
  inScope: z.boolean().describe('false when the config file limits the judgement to some OUs and this finding lies wholly outside them: it does not count'),
  remediation: z.string(),
  sources: z.array(source),
});

export const problemSchema = z.object({
  severity: z.enum(['error', 'warning']),
  input: z.string(),
  location: z.string().optional(),
  message: z.string(),
  hint: z.string().optional(),
  affectsDn: z.string().optional(),
});

const nonNegative = z.number().int().nonnegative();

/** How many findings weigh on one verdict; a finding counts once however many of its objects are inside. */
const tallies = {
  blockers: nonNegative.describe('hardBlockers + coexistenceBlockers'),
  hardBlockers: nonNegative.describe('blockers that must be fixed before Cloud Sync can take over'),
  coexistenceBlockers: nonNegative.describe('blockers Connect Sync can keep handling side by side (devices, say)'),
  warnings: nonNegative,
};

const tally = z.object(tallies);

const containerVerdict = z.object({
  dn: z.string(),
  kind: z.enum(['domain', 'organizational-unit', 'container', 'implied']),
  domain: z.string().describe('DNS name of the domain holding it'),
  depth: nonNegative.describe('0 for the domain head, 1 for an OU directly below it: the tree of the Markdown table'),
  verdict: verdict.describe(
    'what the subtree owns: findings with an object inside it, and gaps in its data; forest- and domain-wide findings are in `inherited`',
  ),
  counts: counts.describe('objects in the whole subtree'),
  ...tallies,
  inherited: tally.describe(
    'forest- and domain-wide findings: prerequisites every OU of the domain shares (pilotPlan.prerequisites), not counted in `verdict`',
  ),
});

const pilotCandidate = z.object({
  rank: z.number().int().positive(),
  dn: z.string(),
  domain: z.string().describe('DNS name of the domain: Cloud Sync has one configuration per domain'),
  verdict: z.enum(['ready', 'ready-with-warnings']).describe('its own verdict (containers[].verdict)'),
  counts,
  syncedObjects: nonNegative.describe(
    'users + groups + contacts that Connect Sync does not exclude: what the move takes (for a subtree holding privileged accounts, without its sub-OUs listed as candidates of their own)',
  ),
  ...tallies,
  connectKeeps: z.array(z.string()).describe('keys of coexistence findings with objects in the subtree: Connect Sync keeps that workload for them'),
  connectSyncsToday: z
    .boolean()
    .optional()
    .describe(
      "from the Connect export's OU filter: false when Connect Sync does not synchronise this OU today, so Cloud Sync creates new Entra objects for it rather than taking over; absent without an export",
    ),
  wave: z
    .number()
    .int()
    .positive()
    .optional()
    .describe('1: the pilot; 2: ordinary OUs after it; 3: OUs holding privileged accounts; absent: a scoping limit left it out'),
  why: z.string().describe('why it is in that wave, or in none'),
});

const cloudSyncScope = z
  .array(z.object({ domain: z.string(), ous: z.array(z.string()), syncedObjects: nonNegative }))
  .describe('per domain, the OUs for that domain\'s Cloud Sync configuration ("Selected organizational units")');

export const pilotPlanSchema = z
  .object({
    status: z
      .enum(['ready', 'after-prerequisites', 'no-candidates', 'incomplete'])
      .describe(
        'after-prerequisites: candidates exist, but forest- or domain-wide hard blockers must be fixed first; incomplete: no OU can be recommended on partial data',
      ),
    reasons: z.array(z.string()).describe('why there is no plan, or nothing in it, or what comes first'),
    prerequisites: z
      .array(
        z.object({
          fingerprint: z.string(),
          key: z.string(),
          title: z.string(),
          severity,
          domain: z.string().optional().describe('DNS name of the domain it applies to; absent: the whole forest'),
          mustFixFirst: z.boolean().describe('a hard blocker: no OU can move before it is fixed; false: a warning to settle before the move'),
        }),
      )
      .describe('forest- and domain-wide findings every OU shares: listed once here, never counted against each OU'),
    ranking: z.string().describe('how candidates are ordered, in words'),
    limits: z.object({
      ousPerConfiguration: nonNegative.describe("Cloud Sync's ~50 OUs (4 MB) per configuration, one configuration per domain"),
      containersPerDomain: nonNegative.optional().describe('migration-tool: included containers per domain'),
      objects: nonNegative.optional().describe('migration-tool: in-scope objects in total'),
    }),
    candidates: z
      .array(pilotCandidate)
      .describe('OUs clean on their own: complete data, no hard blocker owned by the subtree; the largest such subtree, not its sub-OUs'),
    cloudSync: cloudSyncScope.describe("the first wave (the pilot): the OU scope to paste into the domain's Cloud Sync configuration"),
    laterWaves: z
      .array(z.object({ wave: z.number().int().positive(), title: z.string(), cloudSync: cloudSyncScope }))
      .describe('the OUs to add after the pilot, wave by wave (each wave adds to the scope before it)'),
    connectSync: z.object({
      method: z.enum(['cloudNoFlow-rules', 'migration-tool']),
      scopingFilters: z
        .array(
          z.object({
            objectTypes: z.array(z.enum(['user', 'group', 'contact'])),
            attribute: z.literal('dn'),
            operator: z.literal('ENDSWITH'),
            value: z.string(),
          }),
        )
        .describe(
          'one scoping-filter group per first-wave OU for the inbound cloudNoFlow rule: exactly the Cloud Sync scope, so the two engines never export the same object',
        ),
      steps: z.array(z.string()),
    }),
    connectKeeps: z
      .array(z.object({ key: z.string(), title: z.string(), count: nonNegative }))
      .describe('workloads Connect Sync must keep handling side by side (coexistence findings)'),
    notes: z.array(z.string()),
    sources: z.array(source),
  })
  .describe('which OUs can move to Cloud Sync first, and the matching Connect Sync side');

const openQuestion = z.object({
  id: z.string(),
  text: z.string(),
  choices: z.array(z.string()),
  howToFind: z.string(),
  askedBy: z.array(z.string()).describe('ids of the checks that ask it'),
});

const summary = z.object({
  blockers: z.number().int().nonnegative().describe('in-scope blocker findings: hardBlockers + coexistenceBlockers'),
  hardBlockers: nonNegative,
  coexistenceBlockers: nonNegative,
  warnings: z.number().int().nonnegative(),
  info: z.number().int().nonnegative(),
  checksPassed: z.number().int().nonnegative(),
  checksFailed: z.number().int().nonnegative(),
  checksNotEvaluated: z.number().int().nonnegative(),
  checksDisabled: z.number().int().nonnegative(),
  findingsOutOfScope: nonNegative.describe('findings wholly outside the config scope: listed, not counted'),
  openQuestions: nonNegative,
});

export const checkStatusSchema = z.object({
  id: z.string(),
  title: z.string(),
  severity,
  category: z.string(),
  status: z.enum(['passed', 'failed', 'not-evaluated', 'disabled']),
  reason: z.string().optional().describe('why the check was not evaluated'),
  note: z.string().optional(),
  sources: z.array(source).describe('the pages the rule was checked against'),
});

/** One forest's judgement: what a one-forest scan reported before the tenant envelope (schema 2), and its name. */
export const forestReportSchema = z.object({
  name: z.string().describe("the forest's DNS name (its root domain's); 'unknown forest' only when nothing in the input named it"),
  tool: z.object({ name: z.literal('readiness'), version: z.string() }),
  generatedAt: z.string().describe('ISO 8601'),
  target: z.enum(['cloud-sync', 'migration-tool']).describe('the profile the verdict is for'),
  allowPreview: z.boolean().describe('--allow-preview: preview features (device sync, say) count as possible'),
  inputs: z.array(z.object({ kind: z.enum(['ldif', 'ldap']), label: z.string() })),
  complete: z.boolean(),
  incompleteReasons: z.array(z.string()),
  verdict,
  headline: z.string().describe('the verdict in words with everything else still open, e.g. "BLOCKED — and 3 questions open, data incomplete"'),
  summary,
  settings: z.object({
    configFile: z.string().optional(),
    answersFile: z.string().optional(),
    connectConfig: z.string().optional().describe('the Connect Sync configuration export folder read (--connect-config)'),
    disabled: z.array(
      z.object({
        id: z.string(),
        by: z
          .string()
          .describe(
            'the config entry that switched it off (the id, a tag or a category), or "no --connect-config" for checks that read only the Connect export',
          ),
      }),
    ),
    options: z
      .array(z.object({ check: z.string(), option: z.string(), value: z.number(), default: z.number() }))
      .describe('thresholds changed by the config file'),
    scope: z
      .object({ include: z.array(z.string()), notFound: z.array(z.string()) })
      .optional()
      .describe('absent: the whole forest is judged; present: only findings touching these OU subtrees (and forest- or domain-wide ones) count'),
  }),
  answers: z.array(
    z.object({
      id: z.string(),
      answer: z.string(),
      askedBy: z.array(z.string()),
      source: z
        .object({ file: z.string().describe('relative to the export folder'), setting: z.string(), value: z.string() })
        .optional()
        .describe('present when the Connect configuration export (--connect-config) gave the answer; absent: the answers file did'),
      answersFileValue: z.string().optional().describe('what the answers file said when the export contradicts it: the export wins'),
    }),
  ),
  openQuestions: z.array(openQuestion).describe('questions LDAP cannot answer and the answers file did not: never assumed'),
  inventory: z.object({
    forest: z.object({
      name: z.string().optional().describe("DNS name of the forest root domain: the forest's name"),
      rootDomain: z.string().optional(),
      functionalLevel: z.number().int().optional(),
      schemaVersion: z.number().int().optional(),
      hasExternalDirectoryObjectId: z.boolean().optional().describe('absent when the schema was not read'),
      upnSuffixes: z.array(z.string()),
      partitionsRead: z.object({ configuration: z.boolean(), schema: z.boolean() }),
    }),
    domains: z.array(
      z.object({
        dn: z.string(),
        dnsName: z.string(),
        netbiosName: z.string().optional(),
        functionalLevel: z.number().int().optional(),
        partitionRead: z.boolean(),
        ...counts.shape,
      }),
    ),
    totals: counts.extend({ entries: z.number().int().nonnegative() }),
    groups: z.object({
      total: z.number().int().nonnegative(),
      large: z.array(z.object({ dn: z.string(), members: z.number().int().nonnegative(), completeness: z.enum(['exact', 'may-be-truncated', 'truncated']) })),
    }),
    trusts: z.array(
      z.object({
        dn: z.string(),
        partner: z.string(),
        direction: z.number().int().optional(),
        type: z.number().int().optional(),
        attributes: z.number().int().optional(),
      }),
    ),
  }),
  verdicts: z.object({
    forest: verdict,
    domains: z
      .array(z.object({ dn: z.string(), verdict, ...tallies }))
      .describe(
        "every domain the judgement covers (with a config scope: those holding an included OU), judged whole: its objects, its own and the forest's findings",
      ),
    containers: z.array(containerVerdict).describe('every OU and container (with a config scope: those inside it), by domain, parents before children'),
  }),
  pilotPlan: pilotPlanSchema,
  checks: z.array(checkStatusSchema),
  findings: z.array(findingSchema),
  problems: z.array(problemSchema),
  problemsNotShown: z.object({ errors: z.number().int().nonnegative(), warnings: z.number().int().nonnegative() }),
  tenantDigest: tenantDigestSchema.optional(),
});

/**
 * The report: the tenant's verdict over every forest scanned (or merged), the tenant-wide checks, then each
 * forest's own judgement. One forest and nothing tenant-wide: the envelope says what that forest says.
 */
export const reportSchema = z.object({
  schemaVersion: z.literal(REPORT_SCHEMA_VERSION),
  ...forestReportSchema.pick({ tool: true, generatedAt: true, target: true, allowPreview: true, inputs: true }).shape,
  complete: z.boolean().describe('every forest complete and every tenant check evaluated'),
  incompleteReasons: z.array(z.string()).describe("every forest's reasons (each starting with the forest's name when there are several) and the tenant's"),
  verdict: verdict.describe(
    "the tenant's: blocked if any forest or tenant finding is a hard blocker; else incomplete if any forest is incomplete or has open questions, or a tenant check was not evaluated (or, with several forests, none ran); else ready-with-warnings; else ready",
  ),
  headline: z.string().describe('the verdict in words with everything else still open over all forests'),
  summary: z.object({ forests: nonNegative, ...summary.shape }).describe("every forest's summary and the tenant checks' findings, added up"),
  tenant: z.object({
    checks: z.array(checkStatusSchema).describe('the tenant-wide checks (tenant.*): values unique in the tenant, people in two forests, limits summed'),
    findings: z.array(findingSchema).describe("tenant-wide findings: scope { kind: 'tenant' }, objects name their forest"),
  }),
  merged: z
    .array(z.object({ file: z.string(), generatedAt: z.string(), forests: z.array(z.string()) }))
    .optional()
    .describe('only on reports made by readiness merge: the reports merged, each with the forests it held'),
  forests: z.array(forestReportSchema).min(1).describe('one report per forest, ordered by name'),
});

export type Report = z.infer<typeof reportSchema>;
export type ForestReport = z.infer<typeof forestReportSchema>;
export type CheckStatus = z.infer<typeof checkStatusSchema>;
export type Finding = z.infer<typeof findingSchema>;
export type ReportObject = z.infer<typeof objectRefSchema>;
export type Verdict = z.infer<typeof verdict>;
export type ContainerVerdict = z.infer<typeof containerVerdict>;
export type PilotPlan = z.infer<typeof pilotPlanSchema>;
export type PilotCandidate = z.infer<typeof pilotCandidate>;
export type OpenQuestion = z.infer<typeof openQuestion>;

export function reportJsonSchema(): unknown {
  return z.toJSONSchema(reportSchema, { target: 'draft-2020-12' });
}
