import type { TenantRule } from './rule.js';
import accountResourcePairs from './rules/account-resource-pairs.js';
import crossForestDuplicates from './rules/cross-forest-duplicates.js';
import limits from './rules/limits.js';
import migrationToolOneForest from './rules/migration-tool-one-forest.js';
import upnSuffixInSeveralForests from './rules/upn-suffix-in-several-forests.js';

/** Every tenant rule, one line each, sorted by file name; tests hold the list to the files in rules/. */
export const TENANT_RULES: readonly TenantRule[] = [accountResourcePairs, crossForestDuplicates, limits, migrationToolOneForest, upnSuffixInSeveralForests];
