import { leafValue } from '../../model/dn.js';
import type { Entry } from '../../model/entry.js';

/*
 * Connect names written-back groups and stamps adminDescription "Group_<Entra object id>". Cloud Sync's group
 * provisioning keeps the id in msDS-ExternalDirectoryObjectId instead (the migration copies adminDescription
 * there), so a group with only that attribute is already Cloud Sync's.
 */
export const WRITTEN_BACK_ID = /^Group_[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The signs that Connect wrote the group back from Entra ID; empty for a group born in AD. */
export function connectWritebackSigns(entry: Entry): string[] {
  const signs: string[] = [];
  if (WRITTEN_BACK_ID.test(entry.text('admindescription') ?? '')) signs.push('adminDescription Group_<id>');
  if (WRITTEN_BACK_ID.test(leafValue(entry.dn))) signs.push('named Group_<id>');
  return signs;
}
