import type { CheckResult, Requirement } from './check.js';
import { hasPartition } from './engine.js';
import type { Inventory } from '../inventory/inventory.js';

/**
 * For checks that can fail on any one partition but can only pass when all were read: the
 * not-evaluated result naming what is missing and why it matters, or undefined when all are there.
 */
export function unreadPartitions(inventory: Inventory, needed: readonly [Requirement, string][]): CheckResult | undefined {
  const unread = needed.filter(([requirement]) => !hasPartition(inventory, requirement)).map(([, why]) => why);
  return unread.length === 0 ? undefined : { status: 'not-evaluated', reason: `${unread.join(' and ')} is not in the input` };
}
