import type { CheckResult, PartitionRequirement } from './check.js';
import { hasPartition } from './engine.js';
import type { Inventory } from '../inventory/inventory.js';

/**
 * For checks that can fail on any one partition but can only pass when all were read: the
 * not-evaluated result naming what is missing and why it matters, or undefined when all are there.
 */
export function unreadPartitions(inventory: Inventory, needed: readonly [PartitionRequirement, string][]): CheckResult<never> | undefined {
  const unread = needed.filter(([requirement]) => !hasPartition(inventory, requirement)).map(([, why]) => why);
  return unread.length === 0 ? undefined : { status: 'not-evaluated', reason: `${unread.join(' and ')} is not in the input` };
}

/**
 * For checks whose evidence sits in one well-known container of every domain (CN=System, CN=Program Data):
 * the not-evaluated result when a domain was read without that container, or undefined when none was.
 */
export function domainsWithoutContainer(inventory: Inventory, seenIn: ReadonlySet<string>, container: string): CheckResult<never> | undefined {
  const unread = inventory.domains.filter((d) => d.partitionRead && !seenIn.has(d.key));
  if (unread.length === 0) return undefined;
  return { status: 'not-evaluated', reason: `${container} is not in the input for ${unread.map((d) => d.dnsName).join(', ')}` };
}
