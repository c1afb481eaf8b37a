import { z } from 'zod';

/**
 * The JSON report contract. This schema is the single source of truth: the TypeScript types are
 * inferred from it, the JSON reporter validates against it, and `readiness schema` prints it.
 * Bump REPORT_SCHEMA_VERSION on any change that could break a consumer (removing or renaming a
 * field, changing a type or an enum); adding an optional field does not need a bump.
 */
export const REPORT_SCHEMA_VERSION = 1;

const severity = z.enum(['blocker', 'warning', 'info']);
export const verdict = z
  .enum(['ready', 'ready-with-warnings', 'blocked', 'incomplete'])
  .describe('incomplete: something was not read or not evaluated, so no clean verdict can be given');

const counts = z.object({
  users: z.number().int().nonnegative(),
  groups: z.number().int().nonnegative(),
  contacts: z.number().int().nonnegative(),
  computers: z.number().int().nonnegative(),
  managedServiceAccounts: z.number().int().nonnegative(),
  excluded: z.number().int().nonnegative().describe("users, groups and contacts Connect Sync's default rules skip"),
});

const source = z.object({ title: z.string(), url: z.string(), date: z.string().describe('YYYY-MM-DD: version of the page the rule was checked against') });

const scope = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('forest') }),
  z.object({ kind: z.literal('domain'), dn: z.string() }),
  z.object({ kind: z.literal('objects') }),
]);

export const findingSchema = z.object({
  id: z.string().describe('id of the check that raised it'),
  severity,
  title: z.string(),
  message: z.string(),
  count: z.number().int().nonnegative(),
  objects: z.array(z.object({ dn: z.string(), detail: z.string().optional() })).describe('every object involved, never a sample'),
  scope,
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

const containerVerdict = z.object({
  dn: z.string(),
  kind: z.enum(['domain', 'organizational-unit', 'container', 'implied']),
  verdict,
  /** Objects in the whole subtree. */
  counts,
  blockers: z.number().int().nonnegative(),
  warnings: z.number().int().nonnegative(),
});

export const reportSchema = z.object({
  schemaVersion: z.literal(REPORT_SCHEMA_VERSION),
  tool: z.object({ name: z.literal('readiness'), version: z.string() }),
  generatedAt: z.string().describe('ISO 8601'),
  target: z.string().describe('the profile the verdict is for, e.g. cloud-sync'),
  inputs: z.array(z.object({ kind: z.enum(['ldif', 'ldap']), label: z.string() })),
  complete: z.boolean(),
  incompleteReasons: z.array(z.string()),
  verdict,
  summary: z.object({
    blockers: z.number().int().nonnegative(),
    warnings: z.number().int().nonnegative(),
    info: z.number().int().nonnegative(),
    checksPassed: z.number().int().nonnegative(),
    checksFailed: z.number().int().nonnegative(),
    checksNotEvaluated: z.number().int().nonnegative(),
    checksDisabled: z.number().int().nonnegative(),
  }),
  inventory: z.object({
    forest: z.object({
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
      large: z.array(
        z.object({ dn: z.string(), members: z.number().int().nonnegative(), completeness: z.enum(['exact', 'may-be-truncated', 'truncated']) }),
      ),
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
    domains: z.array(z.object({ dn: z.string(), verdict })),
    containers: z.array(containerVerdict).describe('every OU and container holding objects, parents before children'),
  }),
  checks: z.array(
    z.object({
      id: z.string(),
      title: z.string(),
      severity,
      category: z.string(),
      status: z.enum(['passed', 'failed', 'not-evaluated', 'disabled']),
      reason: z.string().optional().describe('why the check was not evaluated'),
      note: z.string().optional(),
    }),
  ),
  findings: z.array(findingSchema),
  problems: z.array(problemSchema),
  problemsNotShown: z.object({ errors: z.number().int().nonnegative(), warnings: z.number().int().nonnegative() }),
});

export type Report = z.infer<typeof reportSchema>;
export type Finding = z.infer<typeof findingSchema>;
export type Verdict = z.infer<typeof verdict>;
export type ContainerVerdict = z.infer<typeof containerVerdict>;

export function reportJsonSchema(): unknown {
  return z.toJSONSchema(reportSchema, { target: 'draft-2020-12' });
}
