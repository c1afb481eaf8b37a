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

const GUID_TEXT = /^([0-9a-f]{8})-([0-9a-f]{4})-([0-9a-f]{4})-([0-9a-f]{4})-([0-9a-f]{12})$/i;
const SID_TEXT = /^S-1-(\d+)((?:-\d+)+)$/i;
const GUID_ATTRIBUTES = new Set([
  'objectguid',
  'ms-ds-consistencyguid',
  'msexchmailboxguid',
  'msexcharchiveguid',
  'schemaidguid',
  'attributesecurityguid',
  'invocationid',
]);
const SID_ATTRIBUTES = new Set(['objectsid', 'sidhistory', 'securityidentifier', 'msexchmasteraccountsid']);

/**
 * The bytes of a binary attribute written as plain text. Samba's ldbsearch prints GUIDs and SIDs
 * in their string forms ("objectGUID: f28780cd-c87a-...", "objectSid: S-1-5-21-..."); those are
 * turned into the bytes AD stores, so checks see the same value whichever tool exported it.
 * Anything else is taken byte for byte (`raw` is a latin1 byte string: one char per byte).
 */
export function binaryFromText(lowerName: string, raw: string): Buffer {
  const converted = GUID_ATTRIBUTES.has(lowerName) ? guidBytes(raw) : SID_ATTRIBUTES.has(lowerName) ? sidBytes(raw) : undefined;
  return converted ?? Buffer.from(raw, 'latin1');
}

/** AD's GUID layout: the first three groups little-endian, the last two as written. */
function guidBytes(text: string): Buffer | undefined {
  const m = GUID_TEXT.exec(text);
  if (m === null) return undefined;
  const [, a, b, c, d, e] = m as unknown as [string, string, string, string, string, string];
  return Buffer.concat([Buffer.from(a, 'hex').reverse(), Buffer.from(b, 'hex').reverse(), Buffer.from(c, 'hex').reverse(), Buffer.from(d + e, 'hex')]);
}

/** MS-DTYP 2.4.2.2: revision, sub-authority count, 48-bit big-endian authority, little-endian 32-bit sub-authorities. */
function sidBytes(text: string): Buffer | undefined {
  const m = SID_TEXT.exec(text);
  if (m === null) return undefined;
  const authority = Number(m[1]);
  const subAuthorities = (m[2] as string).slice(1).split('-').map(Number);
  if (subAuthorities.length > 15 || authority > 0xffffffffffff || subAuthorities.some((s) => s > 0xffffffff)) return undefined;
  const bytes = Buffer.alloc(8 + 4 * subAuthorities.length);
  bytes[0] = 1;
  bytes[1] = subAuthorities.length;
  bytes.writeUIntBE(authority, 2, 6);
  subAuthorities.forEach((s, i) => bytes.writeUInt32LE(s, 8 + 4 * i));
  return bytes;
}

/** Attributes whose every value has one fixed layout: a GUID is 16 bytes, a SID is MS-DTYP 2.4.2.2. */
const FIXED_GUID_ATTRIBUTES = new Set(['objectguid', 'schemaidguid', 'attributesecurityguid', 'invocationid', 'msexchmailboxguid', 'msexcharchiveguid']);

/**
 * Why `bytes` cannot be a value of `lowerName` ("is 7 bytes long; a GUID is 16"), or undefined when
 * it can. A wrong length means a damaged or cut export; read as it is, it would give wrong anchors.
 */
export function binaryValueProblem(lowerName: string, bytes: Buffer): string | undefined {
  if (FIXED_GUID_ATTRIBUTES.has(lowerName)) return bytes.length === 16 ? undefined : `is ${bytes.length} bytes long; a GUID is 16`;
  if (SID_ATTRIBUTES.has(lowerName)) {
    const subAuthorities = bytes[1] ?? 0;
    if (bytes.length < 8 || bytes[0] !== 1 || subAuthorities > 15 || bytes.length !== 8 + 4 * subAuthorities) {
      return `is not a valid SID (${bytes.length} bytes; a SID is revision 1, then 8 bytes and 4 per sub-authority)`;
    }
  }
  return undefined;
}
