import type { Entry } from '../model/entry.js';

/**
 * Objects Connect Sync's default rules never synchronise, so counting or flagging them would
 * overstate what a migration moves (concept-azure-ad-connect-sync-default-configuration.md).
 */
export type ExclusionReason = 'critical-system-object' | 'connect-service-account' | 'conflict-object';

const CONFLICT_DN = /\\0A\s*CNF:|\nCNF:/i;
const CONNECT_ACCOUNT = /^(MSOL_|AAD_)/i;

export function connectSyncExclusion(entry: Entry): ExclusionReason | undefined {
  if (entry.bool('iscriticalsystemobject') === true) return 'critical-system-object';
  if (CONFLICT_DN.test(entry.dn)) return 'conflict-object';
  const sam = entry.text('samaccountname');
  if (sam !== undefined && CONNECT_ACCOUNT.test(sam)) return 'connect-service-account';
  return undefined;
}
