import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InventoryBuilder } from '../../src/inventory/builder.js';
import { LdifSource } from '../../src/sources/ldif/source.js';
import { collect, type Parsed } from './parse.js';
import type { SourceEvent } from '../../src/sources/source.js';

/** Real AD data from public projects (see ../shared/realdata/SOURCES.md); never copied into this repo. */
const REALDATA = join(import.meta.dirname, '..', '..', '..', 'shared', 'realdata');
const file = (name: string): string => join(REALDATA, name);

async function read(path: string): Promise<Parsed> {
  const events: SourceEvent[] = [];
  for await (const event of new LdifSource(path).events()) events.push(event);
  return collect(events);
}

describe.skipIf(!existsSync(REALDATA))('real AD exports', () => {
  describe('Windows Server 2016 schema, as Microsoft ships it for ldifde (CRLF, Windows-1252 header, DC=X)', () => {
    it('reads 1,498 attributeSchema entries without a single problem', async () => {
      const path = file('samba_AD_DS_Attributes__Windows_Server_2016.ldf');
      expect(readFileSync(path).includes('\r\n')).toBe(true);
      const { entries, problems } = await read(path);
      expect(problems).toEqual([]);
      expect(entries).toHaveLength(1498);
      expect(entries.every((e) => e.isA('attributeSchema'))).toBe(true);
      expect(entries.every((e) => e.key.endsWith(',cn=schema,cn=configuration,dc=x'))).toBe(true);
      const external = entries.find((e) => e.text('ldapdisplayname') === 'msDS-ExternalDirectoryObjectId');
      expect(external?.bytes('schemaidguid')?.length).toBe(16);
      const upn = entries.find((e) => e.text('ldapdisplayname') === 'userPrincipalName');
      expect(upn?.int('rangeupper')).toBe(1024);
    });

    it('reads 269 classSchema entries without a single problem', async () => {
      const { entries, problems } = await read(file('samba_AD_DS_Classes__Windows_Server_2016.ldf'));
      expect(problems).toEqual([]);
      expect(entries).toHaveLength(269);
      expect(entries.every((e) => e.isA('classSchema'))).toBe(true);
      const user = entries.find((e) => e.text('ldapdisplayname') === 'user');
      expect(user?.texts('maycontain')).toContain('msDS-SourceObjectDN');
    });

    it('feeds the schema facts of the inventory', async () => {
      const builder = new InventoryBuilder();
      for (const name of ['samba_AD_DS_Attributes__Windows_Server_2016.ldf', 'samba_AD_DS_Classes__Windows_Server_2016.ldf']) {
        for (const entry of (await read(file(name))).entries) builder.add(entry, name);
      }
      const inventory = builder.finish();
      expect(inventory.partitions.schema).toBe(true);
      expect(inventory.schema.attributes.size).toBe(1498);
      expect(inventory.schema.classes.size).toBe(269);
      expect(inventory.schema.attributes.has('msds-externaldirectoryobjectid')).toBe(true);
      expect(inventory.schema.attributes.has('ms-ds-consistencyguid')).toBe(true);
      expect(inventory.domains).toEqual([]);
      expect(inventory.unclassified.count).toBe(0);
    });
  });

  describe('Samba ldbsearch output (# record N comments, folding at 79 columns)', () => {
    it('reads the 217 entries of a provisioned domain cleanly', async () => {
      const { entries, problems } = await read(file('samba_release-4-5-0-pre1_expected-links-after-dbcheck.ldif'));
      expect(problems).toEqual([]);
      expect(entries).toHaveLength(217);
      const folded = entries.find((e) => e.dn.startsWith('CN=User,CN={31B2F340'));
      expect(folded?.text('objectcategory')).toBe('CN=Container,CN=Schema,CN=Configuration,DC=release-4-5-0-pre1,DC=samba,DC=corp');
      // The export lists objectCategory, not objectClass: the entries are read, but cannot be classified.
      const groups = entries.filter((e) => e.text('objectcategory')?.startsWith('CN=Group,') === true);
      expect(groups).toHaveLength(38);
      expect(groups.some((g) => g.values('member').length > 0)).toBe(true);
    });

    it('reads the configuration objects of a 5-site forest cleanly, @ROOTDSE as the RootDSE, GUIDs as AD stores them', async () => {
      const { entries, problems } = await read(file('samba_ldif-utils-test-multisite.ldif'));
      expect(problems).toEqual([]);
      expect(entries).toHaveLength(68);
      const rootDse = entries.find((e) => e.dn === '');
      expect(rootDse?.text('schemanamingcontext')).toBe('CN=Schema,CN=Configuration,DC=ad,DC=samba,DC=example,DC=com');
      const crossRef = entries.find((e) => e.isA('crossRef'));
      expect(crossRef?.text('ncname')).toBe('DC=DomainDnsZones,DC=ad,DC=samba,DC=example,DC=com');
      expect(crossRef?.bytes('objectguid')?.toString('hex')).toBe('cd8087f27ac8714a9f4c15d66464bab8');
      expect(crossRef?.texts('msds-nc-replica-locations')).toContain(
        'CN=NTDS Settings,CN=WIN03,CN=Servers,CN=Site-2,CN=Sites,CN=Configuration,DC=ad,DC=samba,DC=example,DC=com',
      );
    });
  });

  describe('Samba provisioning templates (${DOMAINDN} placeholders are not DNs)', () => {
    it('reports every record with a placeholder DN as an error naming its line, and does not crash', async () => {
      const { entries, errors } = await read(file('samba_provision_users.ldif'));
      expect(entries).toEqual([]);
      expect(errors).toHaveLength(43);
      for (const error of errors) {
        expect(error.input).toBe(file('samba_provision_users.ldif'));
        expect(error.location).toMatch(/^line \d+ \(.*\$\{DOMAINDN\}\)$/);
        expect(error.message).toContain('invalid DN');
      }
    });
  });
});
