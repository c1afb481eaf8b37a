/**
 * The guided migration tool's limits in its current wave (migrate-connect-sync-cloud-sync-tool, 09/2026): the
 * defaults of migration-tool.eligibility's options. A config file can change them there, and the pilot plan
 * takes the effective values from the scan result (see effectiveOptions in the engine).
 */
export const MIGRATION_TOOL_LIMITS = {
  /** In-scope users, groups and contacts in the one forest the tool takes. */
  maxObjects: 2_000,
  /** Included containers per domain in the OU filter. */
  maxContainersPerDomain: 30,
} as const;

/** The check whose options carry the limits (a config file changes them under checks.options.<this id>). */
export const MIGRATION_TOOL_CHECK = 'migration-tool.eligibility';

/**
 * The limits the scan judged with: migration-tool.eligibility's effective options from the scan result, or
 * the defaults when that check is not in the catalog that ran.
 */
export function migrationToolLimits(outcomes: readonly { meta: { id: string }; options: Readonly<Record<string, number>> }[]): {
  objects: number;
  containersPerDomain: number;
} {
  const options = outcomes.find((o) => o.meta.id === MIGRATION_TOOL_CHECK)?.options ?? {};
  return {
    objects: options.maxObjects ?? MIGRATION_TOOL_LIMITS.maxObjects,
    containersPerDomain: options.maxContainersPerDomain ?? MIGRATION_TOOL_LIMITS.maxContainersPerDomain,
  };
}
