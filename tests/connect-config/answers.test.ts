import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { answersFromConnectConfig } from '../../src/checks/connect-answers.js';
import { connectScope, synchronisedByConnect } from '../../src/checks/connect-scope.js';
import { scan } from '../../src/checks/engine.js';
import { CHECKS } from '../../src/checks/registry.js';
import { InventoryBuilder } from '../../src/inventory/builder.js';
import type { Inventory } from '../../src/inventory/inventory.js';
import { dnKey } from '../../src/model/dn.js';
import type { AdPartition, ConnectConfig } from '../../src/sources/connect-config/model.js';
import { readConnectConfig } from '../../src/sources/connect-config/read.js';
import { LdifSource } from '../../src/sources/ldif/source.js';

const EXPORTS = join(import.meta.dirname, '..', '..', 'fixtures', 'connect-config');
const BASE = join(import.meta.dirname, '..', '..', 'fixtures', 'checks', '_base');
const exported = (name: string): Promise<ConnectConfig> => readConnectConfig(join(EXPORTS, name));

const scratch = mkdtempSync(join(tmpdir(), 'readiness-connect-scope-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const ROOT = 'DC=corp,DC=example,DC=com';
const CHILD = `DC=child,${ROOT}`;
// Users with a sAMAccountName and a mail-enabled contact: Connect's out-of-box rules skip users without one and contacts that are not.
const person = (dn: string, extra = ''): string =>
  `dn: ${dn}\nobjectClass: top\nobjectClass: person\nobjectClass: organizationalPerson\nobjectClass: user\nsAMAccountName: ${dn.slice(3, dn.indexOf(',')).replaceAll(' ', '')}\n${extra}`;
const container = (dn: string, cls = 'organizationalUnit'): string => `dn: ${dn}\nobjectClass: top\nobjectClass: ${cls}\n`;
const domainHead = (dn: string): string => `dn: ${dn}\nobjectClass: top\nobjectClass: domain\nobjectClass: domainDNS\n`;

/** A forest whose objects sit inside, outside and below the Connect OU filter, and a child domain Connect does not select. */
const FOREST = [
  domainHead(ROOT),
  person(`CN=At Root,${ROOT}`),
  container(`CN=Users,${ROOT}`, 'container'),
  person(`CN=Administrator,CN=Users,${ROOT}`, 'isCriticalSystemObject: TRUE\n'),
  person(`CN=Plain User,CN=Users,${ROOT}`),
  container(`OU=Staff,${ROOT}`),
  person(`CN=Ada,OU=Staff,${ROOT}`),
  person(`CN=Bob,OU=Staff,${ROOT}`),
  `dn: CN=Staff Group,OU=Staff,${ROOT}\nobjectClass: top\nobjectClass: group\n`,
  `dn: CN=Supplier,OU=Staff,${ROOT}\nobjectClass: top\nobjectClass: contact\nmail: supplier@example.org\n`,
  container(`OU=Contractors,OU=Staff,${ROOT}`),
  person(`CN=Carol,OU=Contractors,OU=Staff,${ROOT}`),
  container(`OU=Badge,OU=Contractors,OU=Staff,${ROOT}`),
  person(`CN=Dan,OU=Badge,OU=Contractors,OU=Staff,${ROOT}`),
  container(`OU=Other,${ROOT}`),
  person(`CN=Eve,OU=Other,${ROOT}`),
  domainHead(CHILD),
  container(`OU=Staff,${CHILD}`),
  person(`CN=Fay,OU=Staff,${CHILD}`),
].join('\n');

async function inventoryOf(ldif: string): Promise<Inventory> {
  const file = join(scratch, `forest-${Math.random().toString(36).slice(2)}.ldif`);
  writeFileSync(file, `version: 1\n\n${ldif}`);
  const builder = new InventoryBuilder();
  for await (const event of new LdifSource(file).events()) if (event.type === 'entry') builder.add(event.entry, file);
  return builder.finish();
}

function configWith(partitions: Partial<AdPartition>[]): ConnectConfig {
  return {
    folder: 'export',
    globalSettings: new Map(),
    rules: [],
    connectors: [
      {
        kind: 'ad',
        id: 'ad',
        name: 'corp.example.com',
        file: 'Connectors/Connector_{ad}.xml',
        forestName: 'corp.example.com',
        loginUser: 'MSOL_16fb75d0227d',
        loginDomain: 'corp.example.com',
        passwordHashSync: true,
        groupFilteringGroupDn: undefined,
        selectedAttributes: [],
        partitions: partitions.map((p) => ({ dn: ROOT, selected: true, inclusions: [], exclusions: [], objectClasses: ['user', 'group', 'contact'], ...p })),
      },
    ],
  };
}

describe("Connect's in-scope count: AD objects under Connect's OU filter", () => {
  it('takes the nearest filter entry above each container: included OUs, minus excluded sub-OUs, plus included ones below those', async () => {
    const inventory = await inventoryOf(FOREST);
    const config = configWith([
      {
        inclusions: [`OU=Staff,${ROOT}`, `CN=Users,${ROOT}`, `OU=Badge,OU=Contractors,OU=Staff,${ROOT}`],
        exclusions: [ROOT, `OU=Contractors,OU=Staff,${ROOT}`],
      },
    ]);
    // Staff: Ada, Bob, the group and the contact; Badge: Dan; Users: Plain User (Administrator is a critical system object).
    // Not: At Root (domain excluded), Carol (Contractors excluded), Eve (Other not included), Fay (child domain not selected).
    expect(connectScope(config, inventory)).toEqual({
      partitions: [{ dn: ROOT, connector: 'corp.example.com', file: 'Connectors/Connector_{ad}.xml', includedContainers: 3, inScope: 6 }],
      total: 6,
      notRead: [],
    });
  });

  it('takes a partition whose filter names nothing whole, but never a child domain below it', async () => {
    const inventory = await inventoryOf(FOREST);
    // At Root, Plain User, Ada, Bob, group, contact, Carol, Dan, Eve (Administrator excluded, Fay is in the child domain).
    expect(connectScope(configWith([{}]), inventory).total).toBe(9);
  });

  it('counts only the object classes the partition reads', async () => {
    const inventory = await inventoryOf(FOREST);
    const config = configWith([{ inclusions: [`OU=Staff,${ROOT}`], exclusions: [ROOT], objectClasses: ['group'] }]);
    expect(connectScope(config, inventory).total).toBe(1);
  });

  it('leaves the total open while a selected domain was not read', async () => {
    const inventory = await inventoryOf(FOREST);
    const config = configWith([{}, { dn: 'DC=elsewhere,DC=example,DC=com' }]);
    const scope = connectScope(config, inventory);
    expect(scope.total).toBeUndefined();
    expect(scope.notRead).toEqual(['DC=elsewhere,DC=example,DC=com']);
    expect(answersFromConnectConfig(config, inventory).map((a) => a.question)).not.toContain('connect-scope-over-2000');
  });

  it('answers "more than 2,000 in scope" from the figure', async () => {
    const many = Array.from({ length: 2_001 }, (_, i) => person(`CN=User ${i},OU=Staff,${ROOT}`)).join('\n');
    const inventory = await inventoryOf(`${domainHead(ROOT)}\n${container(`OU=Staff,${ROOT}`)}\n${container(`OU=Other,${ROOT}`)}\n${many}`);
    const answer = (config: ConnectConfig): string | undefined =>
      answersFromConnectConfig(config, inventory).find((a) => a.question === 'connect-scope-over-2000')?.answer;
    expect(answer(configWith([{ inclusions: [`OU=Staff,${ROOT}`], exclusions: [ROOT] }]))).toBe('yes');
    expect(answer(configWith([{ inclusions: [`OU=Other,${ROOT}`], exclusions: [ROOT] }]))).toBe('no');
  });
});

describe('which containers Connect synchronises today', () => {
  it('follows the OU filter of the partition that holds the container, and knows nothing of unselected domains', () => {
    const config = configWith([{ inclusions: [`OU=Staff,${ROOT}`], exclusions: [ROOT, `OU=Contractors,OU=Staff,${ROOT}`] }]);
    const synchronised = synchronisedByConnect(config);
    const at = (dn: string): boolean => synchronised(dnKey(dn));
    expect(at(`OU=Staff,${ROOT}`)).toBe(true);
    expect(at(`OU=Team,OU=Staff,${ROOT}`)).toBe(true);
    expect(at(`OU=Contractors,OU=Staff,${ROOT}`)).toBe(false);
    expect(at(`OU=Other,${ROOT}`)).toBe(false);
    expect(at(ROOT)).toBe(false);
    expect(at(`OU=Staff,${CHILD}`)).toBe(false);
    expect(synchronisedByConnect(configWith([{}, { dn: CHILD, inclusions: [`OU=Staff,${CHILD}`], exclusions: [CHILD] }]))(dnKey(`OU=Staff,${CHILD}`))).toBe(
      true,
    );
    expect(synchronisedByConnect(configWith([{}, { dn: CHILD, inclusions: [`OU=Staff,${CHILD}`], exclusions: [CHILD] }]))(dnKey(`OU=Other,${CHILD}`))).toBe(
      false,
    );
  });
});

describe('answers read from the export, each with its source', () => {
  const answersOf = async (name: string): Promise<Record<string, string>> => {
    const inventory = await inventoryOf(FOREST);
    return Object.fromEntries(answersFromConnectConfig(await exported(name), inventory).map((a) => [a.question, a.answer]));
  };

  it('a default install answers every question it can: no, and the anchor', async () => {
    expect(await answersOf('example-default')).toEqual({
      'connect-source-anchor': 'mS-DS-ConsistencyGuid',
      'connect-custom-upn': 'no',
      'connect-directory-extensions': 'no',
      'pass-through-authentication': 'no',
      'connect-group-filtering': 'no',
      'connect-custom-sync-rules': 'no',
      'connect-included-containers-over-30': 'no',
      'connect-scope-over-2000': 'no',
    });
  });

  it('each setting that changes an answer', async () => {
    expect(await answersOf('example-custom-upn-and-anchor')).toMatchObject({ 'connect-custom-upn': 'yes', 'connect-source-anchor': 'other-attribute' });
    expect(await answersOf('example-features')).toMatchObject({ 'connect-directory-extensions': 'yes' });
    expect(await answersOf('example-pass-through')).toMatchObject({ 'pass-through-authentication': 'yes' });
    expect(await answersOf('example-group-filtering')).toMatchObject({ 'connect-group-filtering': 'yes' });
    expect(await answersOf('example-custom-rules')).toMatchObject({ 'connect-custom-sync-rules': 'yes' });
    expect(await answersOf('example-32-included-containers')).toMatchObject({ 'connect-included-containers-over-30': 'yes' });
  });

  it('leaves pass-through authentication open on a 1.x export, which has no sign-on setting', async () => {
    expect(await answersOf('example-connect-1.1')).not.toHaveProperty('pass-through-authentication');
  });

  it('names the file and setting of each answer', async () => {
    const inventory = await inventoryOf(FOREST);
    const answers = answersFromConnectConfig(await exported('example-custom-rules'), inventory);
    expect(answers.find((a) => a.question === 'connect-custom-upn')?.source).toEqual({
      file: 'GlobalSettings/MV.xml',
      setting: 'Microsoft.SynchronizationOption.UPNAttribute',
      value: 'userPrincipalName',
    });
    expect(answers.find((a) => a.question === 'connect-custom-sync-rules')?.source).toEqual({
      file: 'SynchronizationRules/SynchronizationRule_{7c0e9a3b-5d21-4f6e-8b9a-1c2d3e4f5a6b}.xml',
      setting: 'immutable-tag',
      value:
        '1 custom rule(s) (no Microsoft immutable tag), e.g. "In from AD - User NoSync filter"; 1 disabled built-in rule(s), e.g. "In from AD - Group Join"',
    });
    const groupFiltering = answersFromConnectConfig(await exported('example-group-filtering'), inventory).find((a) => a.question === 'connect-group-filtering');
    expect(groupFiltering?.source).toMatchObject({ setting: 'Connector.GroupFilteringGroupDn', value: `CN=Sync Pilot,OU=Staff,${ROOT}` });
  });
});

describe('the export in a scan', () => {
  const sources = (): LdifSource[] => ['domain', 'configuration'].map((b) => new LdifSource(join(BASE, `${b}.ldif`)));

  it('overrides a contradicting answers-file value, and says both', async () => {
    const result = await scan(sources(), {
      checks: CHECKS,
      answers: { 'connect-custom-upn': 'yes', 'connect-group-filtering': 'no' },
      connectConfig: await exported('example-default'),
    });
    expect(result.exportAnswers?.find((a) => a.question === 'connect-custom-upn')?.answer).toBe('no');
    expect(result.problems).toEqual([
      expect.objectContaining({
        severity: 'warning',
        location: 'GlobalSettings/MV.xml (Microsoft.SynchronizationOption.UPNAttribute)',
        message: "the answers file says connect-custom-upn: yes, but the Connect export says no (userPrincipalName); the export's answer is used",
      }),
    ]);
  });

  it("reports another forest's export as an input error and uses none of its answers", async () => {
    const result = await scan(sources(), { checks: CHECKS, connectConfig: await exported('contoso-com-2016') });
    expect(result.exportAnswers).toEqual([]);
    expect(result.problems).toEqual([
      expect.objectContaining({
        severity: 'error',
        message: expect.stringMatching(
          /^the Connect export synchronises DC=contoso,DC=com, but the forest scanned holds DC=corp,DC=example,DC=com: it is another forest's/,
        ),
      }),
    ]);
  });

  it('warns when a domain Connect synchronises is not in the input', async () => {
    const result = await scan(sources(), { checks: CHECKS, connectConfig: configWith([{}, { dn: 'DC=elsewhere,DC=example,DC=com' }]) });
    expect(result.problems).toEqual([
      expect.objectContaining({
        severity: 'warning',
        message: expect.stringContaining('Connect synchronises DC=elsewhere,DC=example,DC=com, which is not in the input'),
      }),
    ]);
  });
});
