import { BINARY_ATTRIBUTES } from '../../model/binary-attributes.js';

/**
 * Every attribute the inventory and the checks read, requested for configuration, schema and
 * domain objects alike. Asking for named attributes instead of "*" keeps pages small and makes
 * the LDAP and LDIF inputs agree; tests/ldap/attributes.test.ts fails when a check starts reading
 * an attribute that is missing here. `member` is not listed: it is always asked for by range.
 */
export const ENTRY_ATTRIBUTES: readonly string[] = [
  // every object
  'objectClass',
  'cn',
  'objectGUID',
  'isCriticalSystemObject',
  'description',
  'whenChanged',
  'systemFlags',
  'options',
  'nTSecurityDescriptor',
  // security principals, contacts, mail
  'sAMAccountName',
  'userPrincipalName',
  'userAccountControl',
  'primaryGroupID',
  'mS-DS-ConsistencyGuid',
  'adminCount',
  'pwdLastSet',
  'msDS-SupportedEncryptionTypes',
  'msDS-AllowedToDelegateTo',
  'displayName',
  'givenName',
  'mail',
  'mailNickname',
  'msExchHideFromAddressLists',
  'proxyAddresses',
  'targetAddress',
  'msExchRecipientTypeDetails',
  'msExchMasterAccountSid',
  'msDS-ExternalDirectoryObjectId',
  'adminDescription',
  'groupType',
  // computers, devices, keys
  'dNSHostName',
  'operatingSystem',
  'operatingSystemVersion',
  'userCertificate',
  'keywords',
  'msDS-DeviceLocation',
  'msKds-UseStartTime',
  // forest, domains, password policies, trusts
  'msDS-Behavior-Version',
  'nCName',
  'dnsRoot',
  'nETBIOSName',
  'uPNSuffixes',
  'minPwdAge',
  'msDS-MinimumPasswordAge',
  'trustPartner',
  'trustDirection',
  'trustType',
  'trustAttributes',
  // schema (read with SCHEMA_FILTER); the partial attribute set tells what a Global Catalog lacks
  'lDAPDisplayName',
  'objectVersion',
  'rangeUpper',
  'isMemberOfPartialAttributeSet',
];

/** First window of the member list; the reply says whether more windows follow. */
export const MEMBER_FIRST_WINDOW = 'member;range=0-*';

/** What a scan asks the RootDSE for: discovery facts the inventory reports. */
export const ROOT_DSE_ATTRIBUTES: readonly string[] = [
  'namingContexts',
  'defaultNamingContext',
  'configurationNamingContext',
  'schemaNamingContext',
  'rootDomainNamingContext',
  'domainFunctionality',
  'forestFunctionality',
  'domainControllerFunctionality',
  'dnsHostName',
  'serverName',
  'dsServiceName',
  'highestCommittedUSN',
  'isGlobalCatalogReady',
  'supportedControl',
  'supportedSASLMechanisms',
  'supportedLDAPVersion',
];

/** The schema objects checks look at: the head (objectVersion), attribute and class definitions. */
export const SCHEMA_FILTER = '(|(objectClass=dMD)(objectClass=attributeSchema)(objectClass=classSchema))';

/**
 * ldapts returns bytes only for attribute names that match its list exactly, in the server's
 * spelling; everything else is decoded as UTF-8. These are the lDAPDisplayNames of
 * BINARY_ATTRIBUTES as AD and Samba return them.
 */
const SERVER_SPELLING: readonly string[] = [
  'objectGUID',
  'objectSid',
  'mS-DS-ConsistencyGuid',
  'userCertificate',
  'userSMIMECertificate',
  'cACertificate',
  'msExchMasterAccountSid',
  'msExchMailboxGuid',
  'msExchArchiveGUID',
  'sIDHistory',
  'nTSecurityDescriptor',
  'msDS-GroupMSAMembership',
  'msDS-ManagedPasswordId',
  'msKds-RootKeyData',
  'msKds-KDFParam',
  'msKds-SecretAgreementParam',
  'schemaIDGUID',
  'attributeSecurityGUID',
  'securityIdentifier',
  'logonHours',
  'thumbnailPhoto',
  'jpegPhoto',
  'msDS-GenerationId',
  'replPropertyMetaData',
  'dSASignature',
  'invocationId',
];

/** Server spellings of every binary attribute; names without a known spelling are passed as they are. */
export function explicitBufferAttributes(): string[] {
  const known = new Map(SERVER_SPELLING.map((name) => [name.toLowerCase(), name]));
  return [...BINARY_ATTRIBUTES].map((lower) => known.get(lower) ?? lower);
}
