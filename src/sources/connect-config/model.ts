/**
 * What a Connect Sync configuration export (Get-ADSyncServerConfiguration) says, as far as a move to Cloud Sync
 * cares. Every fact keeps the file it came from (relative to the export folder) so answers can name their source.
 */
export interface ConnectConfig {
  /** The folder as given. */
  folder: string;
  connectors: Connector[];
  /** Every GlobalSettings parameter by name (e.g. Microsoft.SynchronizationOption.AnchorAttribute), whatever its parent element. */
  globalSettings: ReadonlyMap<string, GlobalSetting>;
  rules: SyncRule[];
}

export interface GlobalSetting {
  value: string;
  /** The file it was read from, relative to the export folder (GlobalSettings/MV.xml). */
  file: string;
}

interface ConnectorBase {
  /** The connector's GUID, lower-case without braces: rules refer to it in another letter case. */
  id: string;
  name: string;
  file: string;
}

export interface AdPartition {
  /** The naming context's DN, e.g. DC=corp,DC=contoso,DC=com. */
  dn: string;
  selected: boolean;
  /** OU filtering: containers included and excluded (DNs). The most specific one above an object decides. */
  inclusions: string[];
  exclusions: string[];
  /** Object classes the connector reads from this partition (user, group, contact, inetOrgPerson ...). */
  objectClasses: string[];
}

export interface AdConnector extends ConnectorBase {
  kind: 'ad';
  forestName: string | undefined;
  /** The AD DS connector account (MSOL_..., or one the admin chose) and its domain. */
  loginUser: string | undefined;
  loginDomain: string | undefined;
  /** adma-configuration/password-hash-sync-config/enabled; undefined on exports without it. */
  passwordHashSync: boolean | undefined;
  /** Connector.GroupFilteringGroupDn: the group whose members alone are synchronised; undefined when empty. */
  groupFilteringGroupDn: string | undefined;
  /** The attributes the connector imports (attribute-inclusion). */
  selectedAttributes: string[];
  partitions: AdPartition[];
}

export interface EntraConnector extends ConnectorBase {
  kind: 'entra';
  /** aad-password-reset-config/enabled; undefined on exports without it. */
  passwordWriteback: boolean | undefined;
}

/** A connector to something other than AD or Entra ID (LDAP, SQL, a generic ECMA2 connector ...). */
export interface OtherConnector extends ConnectorBase {
  kind: 'other';
  category: string;
  subtype: string;
}

export type Connector = AdConnector | EntraConnector | OtherConnector;

export interface ScopeCondition {
  attribute: string;
  operator: string;
  value: string;
}

export interface AttributeMapping {
  destination: string;
  sources: string[];
  expression: string | undefined;
}

export interface SyncRule {
  file: string;
  id: string;
  name: string;
  /** Built-in rules carry an immutable tag starting "Microsoft."; a custom rule has none or another. */
  immutableTag: string | undefined;
  builtIn: boolean;
  /** Inbound or Outbound, as the export writes it. */
  direction: string;
  /** undefined on older exports, which do not write the element. */
  disabled: boolean | undefined;
  /** The connector's GUID, lower-case without braces (matches Connector.id). */
  connectorId: string;
  sourceObjectType: string;
  targetObjectType: string;
  linkType: string;
  precedence: number | undefined;
  /** Scoping filter: groups OR-ed together, conditions within a group AND-ed. */
  scopingFilter: ScopeCondition[][];
  joinCriteria: { source: string; target: string }[][];
  mappings: AttributeMapping[];
}

/** A global setting's value; undefined when the export does not have it or leaves it empty. */
export function settingValue(config: ConnectConfig, name: string): string | undefined {
  const value = config.globalSettings.get(name)?.value;
  return value === undefined || value === '' ? undefined : value;
}

export function adConnectors(config: ConnectConfig): AdConnector[] {
  return config.connectors.filter((c): c is AdConnector => c.kind === 'ad');
}
