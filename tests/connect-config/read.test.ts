import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConnectConfigError } from '../../src/sources/connect-config/errors.js';
import type { AdConnector } from '../../src/sources/connect-config/model.js';
import { LIMITS, readConnectConfig } from '../../src/sources/connect-config/read.js';

const EXPORTS = join(import.meta.dirname, '..', '..', 'fixtures', 'connect-config');
const REAL = join(import.meta.dirname, '..', '..', '..', 'shared', 'realdata', 'connect-config-contoso');
const AD_FILE = 'Connectors/Connector_{ae4db4cc-b16b-4eb2-acf5-837ca84e4d7d}.xml';
const MV_FILE = 'GlobalSettings/MV.xml';

const scratch = mkdtempSync(join(tmpdir(), 'readiness-connect-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** A copy of a fixture export to damage. */
function copyOf(name: string, as: string): string {
  const folder = join(scratch, as);
  cpSync(join(EXPORTS, name), folder, { recursive: true });
  return folder;
}

async function failure(folder: string): Promise<ConnectConfigError> {
  const error = await readConnectConfig(folder).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ConnectConfigError);
  return error as ConnectConfigError;
}

describe.skipIf(!existsSync(REAL))('the real export (contoso.com, Connect 1.1.130.0)', () => {
  it('reads every file: both connectors, the global settings and 62 built-in rules whose connector GUIDs match despite their case', async () => {
    const config = await readConnectConfig(REAL);
    expect(config.connectors.map((c) => [c.kind, c.name])).toEqual([
      ['ad', 'contoso.com'],
      ['entra', 'contoso.onmicrosoft.com - AAD'],
    ]);
    const ad = config.connectors[0] as AdConnector;
    expect(ad).toMatchObject({
      forestName: 'contoso.com',
      loginUser: 'MSOL_d1edb676ca03',
      loginDomain: 'contoso.com',
      passwordHashSync: false,
      groupFilteringGroupDn: undefined,
    });
    expect(ad.partitions).toEqual([
      expect.objectContaining({ dn: 'DC=contoso,DC=com', selected: true, inclusions: ['OU=CORP,DC=contoso,DC=com'], exclusions: ['DC=contoso,DC=com'] }),
    ]);
    expect(ad.partitions[0]?.objectClasses).toContain('inetOrgPerson');
    expect(ad.selectedAttributes).toHaveLength(132);
    expect(config.connectors[1]).toMatchObject({ kind: 'entra', passwordWriteback: false });
    expect(config.globalSettings.get('Microsoft.SynchronizationOption.AnchorAttribute')).toEqual({ value: 'objectGUID', file: MV_FILE });
    expect(config.globalSettings.get('Microsoft.Synchronize.ServerConfigurationVersion')?.value).toBe('1.1.130.0');
    expect(config.rules).toHaveLength(62);
    expect(config.rules.every((r) => r.builtIn && r.disabled === false)).toBe(true);
    const ids = new Set(config.connectors.map((c) => c.id));
    expect(config.rules.every((r) => ids.has(r.connectorId))).toBe(true);
    const userJoin = config.rules.find((r) => r.name === 'In from AD - User Join');
    expect(userJoin).toMatchObject({ direction: 'Inbound', precedence: 100, linkType: 'Provision', sourceObjectType: 'user', targetObjectType: 'person' });
    expect(userJoin?.scopingFilter).toEqual([
      [
        { attribute: 'isCriticalSystemObject', operator: 'NOTEQUAL', value: 'TRUE' },
        { attribute: 'adminDescription', operator: 'NOTSTARTSWITH', value: 'User_' },
      ],
    ]);
    const groupJoin = config.rules.find((r) => r.name === 'Out to AAD - Group Join');
    expect(groupJoin?.mappings.find((m) => m.destination === 'member')?.expression).toBe(
      'IIF(([memberCount]> 50000),Error("Maximum Group member count exceeded"),IgnoreThisFlow)',
    );
  });

  it('the fixture copy without the embedded schema reads the same', async () => {
    const real = await readConnectConfig(REAL);
    const copy = await readConnectConfig(join(EXPORTS, 'contoso-com-2016'));
    expect(copy.connectors).toEqual(real.connectors.map((c) => ({ ...c })));
    expect(copy.rules).toEqual(real.rules);
    expect([...copy.globalSettings]).toEqual([...real.globalSettings]);
  });
});

describe('reading an export', () => {
  it('reads a rule of an older export without <disabled> as unknown, not as enabled', async () => {
    const folder = copyOf('example-default', 'no-disabled');
    const rule = join(folder, 'SynchronizationRules', 'SynchronizationRule_{0b088913-b613-4d9d-9563-9988b7719ed6}.xml');
    writeFileSync(rule, readFileSync(rule, 'utf8').replace('  <disabled>False</disabled>\n', ''));
    const config = await readConnectConfig(folder);
    expect(config.rules.find((r) => r.name === 'In from AD - User Join')?.disabled).toBeUndefined();
  });

  it('collects parameters wherever they sit under GlobalSettings, so settings a newer version adds or moves still read', async () => {
    const folder = copyOf('example-default', 'newer-settings');
    writeFileSync(join(folder, 'GlobalSettings', 'Extra.xml'), '<settings><group><parameter name="Microsoft.Future.Setting">on</parameter></group></settings>');
    const config = await readConnectConfig(folder);
    expect(config.globalSettings.get('Microsoft.Future.Setting')).toEqual({ value: 'on', file: 'GlobalSettings/Extra.xml' });
    expect(config.globalSettings.get('Microsoft.UserSignIn.SignOnMethod')?.value).toBe('PasswordHashSync');
  });

  it('reads a connector that is neither AD nor Entra ID as another source', async () => {
    const config = await readConnectConfig(join(EXPORTS, 'example-several-connectors'));
    expect(config.connectors.map((c) => c.kind).sort()).toEqual(['ad', 'ad', 'entra', 'other']);
    expect(config.connectors.find((c) => c.kind === 'other')).toMatchObject({
      name: 'hr-directory',
      category: 'Extensible2',
      subtype: 'Generic LDAP (Microsoft)',
    });
  });
});

describe('bad input: one line naming the file (and line), never a stack trace', () => {
  it('a folder that does not exist, or a file', async () => {
    expect((await failure(join(scratch, 'missing'))).message).toMatch(/missing: cannot be read \(ENOENT\)/);
    expect((await failure(join(EXPORTS, 'README.md'))).message).toMatch(/is a file, not the export folder/);
  });

  it('a folder that is not an export', async () => {
    const error = await failure(join(EXPORTS, '..', 'sample'));
    expect(error.message).toMatch(/not a Connect Sync configuration export \(no Connectors\/, GlobalSettings\/, SynchronizationRules\/ folder\)/);
    expect(error.hint).toMatch(/Get-ADSyncServerConfiguration -Path DIR/);
  });

  it('a missing MV.xml', async () => {
    const folder = copyOf('example-default', 'no-mv');
    rmSync(join(folder, MV_FILE));
    expect((await failure(folder)).message).toMatch(/GlobalSettings\/ holds no XML file \(MV.xml is missing\)/);
  });

  it('a truncated connector file, with the line where it broke off', async () => {
    const folder = copyOf('example-default', 'truncated');
    const file = join(folder, AD_FILE);
    const text = readFileSync(file, 'utf8');
    writeFileSync(file, text.slice(0, text.indexOf('<ma-partition-data>') + 40));
    const error = await failure(folder);
    expect(error.message).toMatch(/^Connectors\/Connector_\{ae4db4cc-b16b-4eb2-acf5-837ca84e4d7d\}\.xml, line \d+: not well-formed XML/);
    expect(error.hint).toMatch(/export the configuration again/);
  });

  it('an XML external entity is refused and the file it names is never read', async () => {
    const secret = join(scratch, 'secret.txt');
    writeFileSync(secret, 'TOP-SECRET-VALUE');
    const folder = copyOf('example-default', 'xxe');
    const file = join(folder, MV_FILE);
    const text = readFileSync(file, 'utf8').replace('>PasswordHashSync<', '>&leak;<');
    writeFileSync(file, `<!DOCTYPE saved-mv-configuration [ <!ENTITY leak SYSTEM "file://${secret}"> ]>\n${text}`);
    const error = await failure(folder);
    expect(error.message).toBe('GlobalSettings/MV.xml, line 1: holds a DOCTYPE declaration, which Get-ADSyncServerConfiguration never writes; it was not read');
    expect(`${error.message} ${error.hint}`).not.toContain('TOP-SECRET');
  });

  it('an entity bomb is refused before anything is expanded', async () => {
    const folder = copyOf('example-default', 'bomb');
    const file = join(folder, AD_FILE);
    const entities = Array.from({ length: 10 }, (_, i) => `<!ENTITY l${i + 1} "${`&l${i};`.repeat(10)}">`).join('');
    const text = readFileSync(file, 'utf8').replace('<name>corp.example.com</name>', '<name>&l10;</name>');
    writeFileSync(file, `<?xml version="1.0"?>\n<!DOCTYPE ma-data [<!ENTITY l0 "lol">${entities}]>\n${text}`);
    expect((await failure(folder)).message).toMatch(/^Connectors\/.*\.xml, line 2: holds a DOCTYPE declaration/);
  });

  it('a file of another kind where a connector should be', async () => {
    const folder = copyOf('example-default', 'wrong-root');
    writeFileSync(join(folder, 'Connectors', 'Connector_{00000000-0000-0000-0000-000000000001}.xml'), '\n<html><body/></html>');
    expect((await failure(folder)).message).toBe(
      'Connectors/Connector_{00000000-0000-0000-0000-000000000001}.xml, line 2: <html> where <ma-data> was expected',
    );
  });

  it('a connector without a type', async () => {
    const folder = copyOf('example-default', 'no-category');
    const file = join(folder, AD_FILE);
    writeFileSync(file, readFileSync(file, 'utf8').replace('<category>AD</category>', '<category />'));
    expect((await failure(folder)).message).toMatch(/Connector_\{ae4db4cc.*\.xml: has no <category>/);
  });

  it('a file larger than any export file', async () => {
    const folder = copyOf('example-default', 'huge');
    truncateSync(join(folder, 'SynchronizationRules', 'SynchronizationRule_{0b088913-b613-4d9d-9563-9988b7719ed6}.xml'), LIMITS.fileBytes + 1);
    expect((await failure(folder)).message).toMatch(/SynchronizationRule_\{0b088913.*\.xml: 67,108,865 bytes, beyond what an export file holds/);
  });
});
