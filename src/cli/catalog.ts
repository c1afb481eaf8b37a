import type { Described } from '../checks/check.js';
import { CHECKS } from '../checks/registry.js';
import { TENANT_RULES } from '../tenant/registry.js';

/** Every check and tenant rule, for the catalog, `explain`, the templates and the config file's ids, tags and categories. */
export const CATALOG: readonly Described[] = [...CHECKS, ...TENANT_RULES];
