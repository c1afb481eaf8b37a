import { describe, expect, it } from 'vitest';
import { Entry } from '../../src/model/entry.js';
import { connectWritebackSigns } from '../../src/checks/support/group-writeback.js';
import { HYBRID_JOIN_SCP_PREFIX } from '../../src/checks/support/hybrid-join.js';
import { dnKey } from '../../src/model/dn.js';

const ID = '0a1b2c3d-0000-4000-8000-000000000004';
const group = (dn: string, attributes: [string, string[]][] = []): Entry =>
  new Entry(dn, new Map<string, string[]>([['objectclass', ['top', 'group']], ...attributes]));

describe('Connect group writeback signs', () => {
  it('reads the Group_<id> stamp in adminDescription and in the name', () => {
    expect(connectWritebackSigns(group(`CN=Group_${ID},OU=WB,DC=x`, [['admindescription', [`Group_${ID}`]]]))).toEqual([
      'adminDescription Group_<id>',
      'named Group_<id>',
    ]);
    expect(connectWritebackSigns(group('CN=Sales,OU=Staff,DC=x', [['admindescription', ['Sales team']]]))).toEqual([]);
    // Cloud Sync keeps the id in msDS-ExternalDirectoryObjectId: not Connect's footprint.
    expect(connectWritebackSigns(group('CN=Cloud,OU=Staff,DC=x', [['msds-externaldirectoryobjectid', [`Group_${ID}`]]]))).toEqual([]);
  });
});

describe('hybrid join SCP location', () => {
  it('matches the SCP as dnKey writes it, whatever the casing of the export', () => {
    const scp = 'CN=62a0ff2e-97b9-4513-943f-0d221bd30080,CN=Device Registration Configuration,CN=Services,CN=Configuration,DC=corp,DC=example,DC=com';
    expect(dnKey(scp).startsWith(HYBRID_JOIN_SCP_PREFIX)).toBe(true);
  });
});
