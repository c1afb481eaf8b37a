/**
 * Attributes whose values are octet strings, not text. Both sources keep these as bytes
 * (LDIF `::` base64, LDAP explicitBufferAttributes) so checks see the same value type either way.
 * Names are lower-case, as attribute names are everywhere in the model.
 */
export const BINARY_ATTRIBUTES: ReadonlySet<string> = new Set([
  'objectguid',
  'objectsid',
  'ms-ds-consistencyguid',
  'usercertificate',
  'usersmimecertificate',
  'cacertificate',
  'msexchmasteraccountsid',
  'msexchmailboxguid',
  'msexcharchiveguid',
  'sidhistory',
  'ntsecuritydescriptor',
  'msds-groupmsamembership',
  'msds-managedpasswordid',
  'mskds-rootkeydata',
  'mskds-kdfparam',
  'mskds-secretagreementparam',
  'schemaidguid',
  'attributesecurityguid',
  'securityidentifier',
  'logonhours',
  'thumbnailphoto',
  'jpegphoto',
  'msds-generationid',
  'replpropertymetadata',
  'dsasignature',
  'invocationid',
]);

export function isBinaryAttribute(lowerName: string): boolean {
  return BINARY_ATTRIBUTES.has(lowerName);
}
