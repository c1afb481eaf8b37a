import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { ConnectConfigError } from './errors.js';
import type { AdConnector, AdPartition, AttributeMapping, ConnectConfig, Connector, GlobalSetting, ScopeCondition, SyncRule } from './model.js';
import { attribute, child, children, descendants, lineAt, parseExportXml, text, texts, type XmlElement } from './xml.js';

/** A real export has a few hundred files of at most a few MB (the AD connector's embedded schema); far more is not an export. */
export const LIMITS = { files: 5_000, fileBytes: 64 * 1024 * 1024, totalBytes: 512 * 1024 * 1024 };

const FOLDERS = { connectors: 'Connectors', globalSettings: 'GlobalSettings', rules: 'SynchronizationRules' } as const;
const ENTRA_SUBTYPE = 'Windows Azure Active Directory (Microsoft)';
const HOW_TO_EXPORT = 'on the Connect Sync server run Get-ADSyncServerConfiguration -Path DIR and pass that DIR (see docs/connect-config.md)';
const EXPORT_AGAIN = 'export the configuration again with Get-ADSyncServerConfiguration -Path DIR';

interface ExportFile {
  /** Relative to the export folder, with forward slashes: what reports show. */
  name: string;
  text: string;
}

/** Reads a Connect Sync configuration export folder into a ConnectConfig; throws ConnectConfigError on anything unusable. */
export async function readConnectConfig(folder: string): Promise<ConnectConfig> {
  const files = await listExport(folder);
  const budget = { files: 0, bytes: 0 };
  const read = async (sub: string, name: string): Promise<ExportFile> => readBounded(folder, `${sub}/${name}`, budget);
  const connectors: Connector[] = [];
  for (const name of files.connectors) connectors.push(parseConnector(await read(FOLDERS.connectors, name)));
  const globalSettings = new Map<string, GlobalSetting>();
  for (const name of files.globalSettings) collectParameters(await read(FOLDERS.globalSettings, name), globalSettings);
  const rules: SyncRule[] = [];
  for (const name of files.rules) rules.push(parseRule(await read(FOLDERS.rules, name)));
  if (connectors.length === 0) {
    throw new ConnectConfigError(
      `${folder}: ${FOLDERS.connectors}/ holds no connector file, so this export cannot say what Connect synchronises`,
      EXPORT_AGAIN,
    );
  }
  return { folder, connectors, globalSettings, rules };
}

async function listExport(folder: string): Promise<Record<keyof typeof FOLDERS, string[]>> {
  let top: string[];
  try {
    top = await fs.readdir(folder);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new ConnectConfigError(
      `--connect-config ${folder}: ${code === 'ENOTDIR' ? 'is a file, not the export folder' : `cannot be read (${code ?? 'unknown error'})`}`,
      HOW_TO_EXPORT,
    );
  }
  const missing = Object.values(FOLDERS).filter((sub) => !top.includes(sub));
  if (missing.length > 0) {
    throw new ConnectConfigError(`${folder}: not a Connect Sync configuration export (no ${missing.map((m) => `${m}/`).join(', ')} folder)`, HOW_TO_EXPORT);
  }
  const xmlIn = async (sub: string): Promise<string[]> => {
    const names = (await fs.readdir(join(folder, sub))).filter((n) => n.toLowerCase().endsWith('.xml')).sort();
    return names;
  };
  const listed = { connectors: await xmlIn(FOLDERS.connectors), globalSettings: await xmlIn(FOLDERS.globalSettings), rules: await xmlIn(FOLDERS.rules) };
  const count = listed.connectors.length + listed.globalSettings.length + listed.rules.length;
  if (count > LIMITS.files) {
    throw new ConnectConfigError(
      `${folder}: ${count.toLocaleString('en-US')} XML files, more than the ${LIMITS.files.toLocaleString('en-US')} an export holds`,
      HOW_TO_EXPORT,
    );
  }
  if (listed.globalSettings.length === 0) {
    throw new ConnectConfigError(`${folder}: ${FOLDERS.globalSettings}/ holds no XML file (MV.xml is missing)`, EXPORT_AGAIN);
  }
  return listed;
}

async function readBounded(folder: string, name: string, budget: { files: number; bytes: number }): Promise<ExportFile> {
  const path = join(folder, name);
  let size: number;
  try {
    size = (await fs.stat(path)).size;
  } catch (error) {
    throw new ConnectConfigError(`${name}: cannot be read (${(error as NodeJS.ErrnoException).code ?? 'unknown error'})`, EXPORT_AGAIN);
  }
  if (size > LIMITS.fileBytes || budget.bytes + size > LIMITS.totalBytes) {
    throw new ConnectConfigError(
      `${name}: ${size.toLocaleString('en-US')} bytes, beyond what an export file holds (at most ${LIMITS.fileBytes.toLocaleString('en-US')} per file, ${LIMITS.totalBytes.toLocaleString('en-US')} in all)`,
      HOW_TO_EXPORT,
    );
  }
  budget.files++;
  budget.bytes += size;
  const text = await fs.readFile(path, 'utf8');
  return { name, text: text.charCodeAt(0) === 0xfeff ? text.slice(1) : text };
}

function expectRoot(file: ExportFile, expected: string, skip: readonly string[] = []): XmlElement {
  const { name, root } = parseExportXml(file.text, file.name, skip);
  if (name !== expected) {
    throw new ConnectConfigError(
      `${file.name}, line ${lineAt(file.text, file.text.indexOf(`<${name}`))}: <${name}> where <${expected}> was expected`,
      EXPORT_AGAIN,
    );
  }
  return root;
}

function required(file: ExportFile, element: XmlElement, tag: string): string {
  const value = text(element, tag);
  if (value === undefined || value === '') {
    throw new ConnectConfigError(`${file.name}: has no <${tag}>, so it cannot be read as part of an export`, EXPORT_AGAIN);
  }
  return value;
}

function guidKey(guid: string): string {
  return guid.replace(/[{}]/g, '').toLowerCase();
}

function bool(value: string | undefined): boolean | undefined {
  if (value === undefined || value === '') return undefined;
  return value === '1' || value.toLowerCase() === 'true';
}

function parseConnector(file: ExportFile): Connector {
  // The embedded DSML schema is most of an AD connector's bytes and says nothing about scope.
  const root = expectRoot(file, 'ma-data', ['ma-data.schema']);
  const base = { id: guidKey(required(file, root, 'id')), name: text(root, 'name') ?? '', file: file.name };
  const category = required(file, root, 'category');
  const subtype = text(root, 'subtype') ?? '';
  if (category === 'AD') return parseAdConnector(root, base);
  if (category === 'Extensible2' && subtype === ENTRA_SUBTYPE) {
    return { ...base, kind: 'entra', passwordWriteback: bool(text(root, 'private-configuration', 'MAConfig', 'aad-password-reset-config', 'enabled')) };
  }
  return { ...base, kind: 'other', category, subtype };
}

function parseAdConnector(root: XmlElement, base: { id: string; name: string; file: string }): AdConnector {
  const adma = child(root, 'private-configuration', 'adma-configuration');
  const groupFilter = children(child(adma, 'parameter-values'), 'parameter').find((p) => attribute(p, 'name') === 'Connector.GroupFilteringGroupDn');
  const groupFilteringGroupDn = text(groupFilter);
  const partitions: AdPartition[] = children(child(root, 'ma-partition-data'), 'partition').map((partition) => {
    const containers = child(partition, 'filter', 'containers');
    return {
      dn: text(partition, 'name') ?? '',
      selected: bool(text(partition, 'selected')) === true,
      inclusions: texts(child(containers, 'inclusions'), 'inclusion').filter((dn) => dn !== ''),
      exclusions: texts(child(containers, 'exclusions'), 'exclusion').filter((dn) => dn !== ''),
      objectClasses: texts(child(partition, 'filter', 'object-classes'), 'object-class'),
    };
  });
  return {
    ...base,
    kind: 'ad',
    forestName: text(adma, 'forest-name'),
    loginUser: text(adma, 'forest-login-user'),
    loginDomain: text(adma, 'forest-login-domain'),
    passwordHashSync: bool(text(adma, 'password-hash-sync-config', 'enabled')),
    groupFilteringGroupDn: groupFilteringGroupDn === '' ? undefined : groupFilteringGroupDn,
    selectedAttributes: texts(child(root, 'attribute-inclusion'), 'attribute'),
    partitions,
  };
}

/** Every parameter[@name] anywhere in the file, so settings newer versions add or move still read. */
function collectParameters(file: ExportFile, into: Map<string, GlobalSetting>): void {
  const { root } = parseExportXml(file.text, file.name);
  for (const parameter of descendants(root, 'parameter')) {
    const name = attribute(parameter, 'name');
    if (name !== undefined) into.set(name, { value: text(parameter) ?? '', file: file.name });
  }
}

function parseRule(file: ExportFile): SyncRule {
  const root = expectRoot(file, 'synchronizationRule');
  const immutableTag = text(root, 'immutable-tag') || undefined;
  const precedence = Number.parseInt(text(root, 'precedence') ?? '', 10);
  const scopingFilter: ScopeCondition[][] = children(child(root, 'synchronizationCriteria'), 'conditions')
    .map((group) =>
      children(group, 'scope').map((scope) => ({
        attribute: text(scope, 'csAttribute') ?? '',
        operator: text(scope, 'csOperator') ?? '',
        value: text(scope, 'csValue') ?? '',
      })),
    )
    .filter((group) => group.length > 0);
  const joinCriteria = children(child(root, 'relationshipCriteria'), 'conditions')
    .map((group) => children(group, 'condition').map((c) => ({ source: text(c, 'csAttribute') ?? '', target: text(c, 'ilmAttribute') ?? '' })))
    .filter((group) => group.length > 0);
  const mappings: AttributeMapping[] = children(child(root, 'attribute-mappings'), 'mapping').map((mapping) => ({
    destination: text(mapping, 'dest') ?? '',
    sources: texts(child(mapping, 'src'), 'attr'),
    expression: text(mapping, 'expression') || undefined,
  }));
  return {
    file: file.name,
    id: guidKey(text(root, 'id') ?? ''),
    name: required(file, root, 'name'),
    immutableTag,
    builtIn: immutableTag?.startsWith('Microsoft.') === true,
    direction: text(root, 'direction') ?? '',
    disabled: bool(text(root, 'disabled')),
    connectorId: guidKey(required(file, root, 'connector')),
    sourceObjectType: text(root, 'sourceObjectType') ?? '',
    targetObjectType: text(root, 'targetObjectType') ?? '',
    linkType: text(root, 'linkType') ?? '',
    precedence: Number.isNaN(precedence) ? undefined : precedence,
    scopingFilter,
    joinCriteria,
    mappings,
  };
}
