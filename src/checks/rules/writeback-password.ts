import { defineCheck, learn, type FindingInput, type ObjectRef } from '../check.js';
import { attribute, partition, toPass } from '../evidence.js';
import { ObjectScope } from '../support/hygiene.js';
import { objectRef } from '../support/object-ref.js';

const SSPR_WRITEBACK_TUTORIAL = learn(
  'identity/authentication/tutorial-enable-cloud-sync-sspr-writeback',
  'Tutorial: enable cloud sync self-service password reset writeback',
  '2023-09-13',
);

const SE_DACL_PROTECTED = 0x1000; // SECURITY_DESCRIPTOR control flag: inheritance disabled (MS-DTYP 2.4.6)
const INTERVALS_PER_DAY = 864_000_000_000n; // minPwdAge is stored as negative 100-nanosecond intervals

/** Inheritance is off when the self-relative security descriptor's control word has SE_DACL_PROTECTED. */
function inheritanceDisabled(descriptor: Buffer | undefined): boolean {
  return descriptor !== undefined && descriptor.length >= 4 && (descriptor.readUInt16LE(2) & SE_DACL_PROTECTED) !== 0;
}

function days(interval: bigint): string {
  const d = Number(-interval) / Number(INTERVALS_PER_DAY);
  return `${Number.isInteger(d) ? d : d.toFixed(2)} day(s)`;
}

export default defineCheck({
  meta: {
    id: 'writeback.password',
    title: 'Accounts and policies that stop password writeback',
    severity: 'warning',
    category: 'writeback',
    tags: ['writeback', 'password-writeback'],
    rationale:
      'Cloud Sync writes passwords back (SSPR writeback, agent 1.1.977.0 or later) through permissions its gMSA holds on the domain and inherits on every user. ' +
      'Accounts whose permission inheritance is disabled do not get them, so their resets fail: AdminSDHolder-protected accounts (adminCount=1) are the common case. ' +
      'A minimum password age above zero (domain policy or a fine-grained password policy) makes a second reset within that age fail. When Connect and Cloud Sync ' +
      'serve the same domain, the Cloud Sync agent handles all password writeback for it.',
    remediation:
      'Decide whether protected accounts should use SSPR at all (privileged accounts usually should not); for the others, re-enable inheritance or grant the gMSA ' +
      'Reset Password and write access to lockoutTime and pwdLastSet on them. Set the minimum password age to 0 where users must be able to reset twice in a day.',
    sources: [SSPR_WRITEBACK_TUTORIAL],
    evidence: [partition('domain'), toPass(attribute('sAMAccountName', 'user'))],
    kinds: {
      'protected-accounts': { title: 'Accounts whose password resets are not written back' },
      'min-password-age': { title: 'Minimum password age above zero' },
      'fine-grained-min-password-age': { title: 'Fine-grained password policies with a minimum password age' },
      'min-password-age-not-read': { title: 'Minimum password age not read', severity: 'info' },
    },
  },
  create() {
    const scope = new ObjectScope(['user']);
    const protectedAccounts: ObjectRef[] = [];
    const domainAges: { ref: ObjectRef; key: string; age: string }[] = [];
    const policyAges: ObjectRef[] = [];
    const domainsWithoutAge: { dn: string; key: string }[] = [];
    let descriptorsRead = 0;
    return {
      visit(entry) {
        if (entry.kind === 'domain') {
          const age = entry.bigint('minpwdage');
          if (age === undefined) domainsWithoutAge.push({ dn: entry.dn, key: entry.key });
          else if (age < 0n) domainAges.push({ ref: objectRef(entry, { detail: `minPwdAge ${days(age)}` }), key: entry.key, age: days(age) });
          return;
        }
        if (entry.isA('msds-passwordsettings')) {
          const age = entry.bigint('msds-minimumpasswordage');
          if (age !== undefined && age < 0n) policyAges.push(objectRef(entry, { detail: `fine-grained policy msDS-MinimumPasswordAge ${days(age)}` }));
          return;
        }
        if (!scope.admit(entry)) return;
        const descriptor = entry.bytes('ntsecuritydescriptor');
        if (descriptor !== undefined) descriptorsRead++;
        const reasons = [
          ...(entry.int('admincount') === 1 ? ['adminCount=1 (AdminSDHolder-protected)'] : []),
          ...(inheritanceDisabled(descriptor) ? ['permission inheritance disabled'] : []),
        ];
        if (reasons.length > 0) protectedAccounts.push(objectRef(entry, { detail: reasons.join(', ') }));
      },
      finish(inventory) {
        const findings: FindingInput<'protected-accounts' | 'min-password-age' | 'fine-grained-min-password-age' | 'min-password-age-not-read'>[] = [];
        // Application partitions (DomainDnsZones ...) are domainDNS objects too, but carry no password policy.
        const domains = new Set(inventory.domains.map((d) => d.key));
        const isDomain = (d: { key: string }): boolean => domains.has(d.key);
        const descriptorNote =
          descriptorsRead === 0
            ? 'Security descriptors were not in the input, so only adminCount=1 was used; other accounts with inheritance disabled are not seen.'
            : `Security descriptors were read for ${descriptorsRead.toLocaleString('en-US')} user(s).`;
        if (protectedAccounts.length > 0) {
          findings.push({
            kind: 'protected-accounts',
            message: `${protectedAccounts.length.toLocaleString('en-US')} user(s) do not inherit the gMSA's password permissions. ${descriptorNote} ${scope.summary()}`,
            objects: protectedAccounts,
            scope: { kind: 'objects' },
          });
        }
        for (const domain of domainAges.filter(isDomain)) {
          findings.push({
            kind: 'min-password-age',
            message: `The domain ${domain.ref.dn} sets a minimum password age of ${domain.age}: a second reset within it is refused.`,
            objects: [domain.ref],
            scope: { kind: 'domain', dn: domain.ref.dn },
          });
        }
        if (policyAges.length > 0) {
          findings.push({
            kind: 'fine-grained-min-password-age',
            message: `${policyAges.length} fine-grained password polic(ies) set a minimum password age: their users cannot reset twice within it.`,
            objects: policyAges,
            scope: { kind: 'forest' },
          });
        }
        const unread = domainsWithoutAge.filter(isDomain).map((d) => d.dn);
        if (unread.length > 0) {
          findings.push({
            kind: 'min-password-age-not-read',
            message: `minPwdAge was not in the input for ${unread.join(', ')}: export it with the domain head to judge repeated resets.`,
            objects: unread.map((dn) => ({ dn })),
            scope: { kind: 'forest' },
          });
        }
        if (findings.length === 0) return { status: 'passed', note: `${descriptorNote} ${scope.summary()}` };
        return { status: 'failed', findings };
      },
    };
  },
});
