import type { Entry } from '../model/entry.js';

/**
 * Users, groups and contacts that Connect Sync's out-of-box rules never synchronise, as "Microsoft Entra
 * Connect Sync: Understanding the default configuration" lists them and the rules' own cloudFiltered and
 * mailEnabled expressions state them (read from a real Connect configuration export): counting or
 * flagging them would overstate what a migration moves. Every check and the inventory use this one
 * rule; nothing is skipped for its name alone (IdFix's "Admini*", "Guest*", "*$" prefixes skip people).
 */
export type ExclusionReason =
  'critical-system-object' | 'conflict-object' | 'connect-service-account' | 'no-sam-account-name' | 'exchange-system-object' | 'not-mail-enabled';

/** What each reason covers, for messages that say how many objects were skipped and why. */
export const EXCLUSION_TEXT: Readonly<Record<ExclusionReason, string>> = {
  'critical-system-object': 'critical system objects',
  'conflict-object': 'CNF conflict objects',
  'connect-service-account': "Connect's and DirSync's own accounts, group and contacts (MSOL_, AAD_ ...)",
  'no-sam-account-name': 'users without sAMAccountName',
  'exchange-system-object': 'Exchange system, arbitration and discovery mailboxes and role groups',
  'not-mail-enabled': 'contacts and distribution groups that are not mail-enabled',
};

const CONFLICT_DN = /\\0A\s*CNF:|\nCNF:/i;
const CONNECT_ACCOUNT = /^(MSOL_|AAD_)/i;
/** msExchRecipientTypeDetails bits Connect filters for users: system attendant, system, arbitration and discovery mailboxes, public folders, mailbox plans. */
const EXCHANGE_SYSTEM_USER_BITS = 0x21c07000n;
/** The role-group bit Connect filters for groups. */
const EXCHANGE_ROLE_GROUP_BIT = 0x40000000n;
/** groupType bit of a security group: without it the group is a distribution group. */
const SECURITY_GROUP_BIT = 0x80000000;

function startsWithIgnoringCase(value: string | undefined, prefix: string): boolean {
  return value !== undefined && value.slice(0, prefix.length).toLowerCase() === prefix.toLowerCase();
}

/** `Left(x, 4) = "CAS_" && InStr(x, "}") > 0`: Exchange's CAS mailboxes ("CAS_{...}"). */
function isCasMailboxName(value: string | undefined): boolean {
  return startsWithIgnoringCase(value, 'CAS_') && value?.includes('}') === true;
}

/**
 * Connect's mailEnabled for contacts and groups, as its out-of-box "In from AD - Contact/Group Join" rules
 * compute it: the first proxy address containing "SMTP:" (Contains is case-sensitive, so the primary) has
 * an "@", or mail has one.
 */
function isMailEnabled(entry: Entry): boolean {
  const primary = entry.texts('proxyaddresses').find((p) => p.includes('SMTP:'));
  return primary?.includes('@') === true || entry.text('mail')?.includes('@') === true;
}

function recipientTypeHas(entry: Entry, bits: bigint): boolean {
  const details = entry.bigint('msexchrecipienttypedetails');
  return details !== undefined && (details & bits) !== 0n;
}

// The inventory and every check that scopes by this rule ask about the same entry in turn (each entry goes to
// all of them before the next is read), so the answer for the last entry asked about is kept.
let lastEntry: Entry | undefined;
let lastReason: ExclusionReason | undefined;

export function connectSyncExclusion(entry: Entry): ExclusionReason | undefined {
  if (entry !== lastEntry) {
    lastReason = exclusionOf(entry);
    lastEntry = entry;
  }
  return lastReason;
}

function exclusionOf(entry: Entry): ExclusionReason | undefined {
  // IsPresent, not "= TRUE": the out-of-box rules skip the object whatever the value.
  if (entry.has('iscriticalsystemobject')) return 'critical-system-object';
  if (CONFLICT_DN.test(entry.dn)) return 'conflict-object';
  const sam = entry.text('samaccountname');
  switch (entry.kind) {
    case 'user': {
      if (sam === undefined) return 'no-sam-account-name';
      if (CONNECT_ACCOUNT.test(sam)) return 'connect-service-account';
      const alias = entry.text('mailnickname');
      if (sam.toLowerCase() === 'support_388945a0' || startsWithIgnoringCase(alias, 'SystemMailbox{') || isCasMailboxName(alias) || isCasMailboxName(sam)) {
        return 'exchange-system-object';
      }
      return recipientTypeHas(entry, EXCHANGE_SYSTEM_USER_BITS) ? 'exchange-system-object' : undefined;
    }
    case 'contact': {
      if (entry.text('displayname')?.includes('(MSOL)') === true && entry.bool('msexchhidefromaddresslists') === true) return 'connect-service-account';
      if (isCasMailboxName(entry.text('mailnickname'))) return 'exchange-system-object';
      return isMailEnabled(entry) ? undefined : 'not-mail-enabled';
    }
    case 'group': {
      if (sam?.toLowerCase() === 'msol_ad_sync_richcoexistence') return 'connect-service-account';
      if (recipientTypeHas(entry, EXCHANGE_ROLE_GROUP_BIT)) return 'exchange-system-object';
      const groupType = entry.int('grouptype');
      const distribution = groupType !== undefined && (groupType & SECURITY_GROUP_BIT) === 0;
      return distribution && !isMailEnabled(entry) ? 'not-mail-enabled' : undefined;
    }
    default:
      return undefined;
  }
}
