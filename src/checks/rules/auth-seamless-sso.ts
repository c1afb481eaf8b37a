import { defineCheck, type FindingInput, type ObjectRef } from '../check.js';
import { attribute, partition, toPass } from '../evidence.js';
import { InputClock, UAC, fileTimeToDate, hasFlag, isoDay } from '../support/ad-values.js';
import { objectRef } from '../support/object-ref.js';
import { CLOUD_SYNC_SSO, SEAMLESS_SSO_HOW_IT_WORKS, SEAMLESS_SSO_QUICK_START } from '../support/sources.js';

const AES_TYPES = 0x8 | 0x10; // AES128_CTS_HMAC_SHA1_96, AES256_CTS_HMAC_SHA1_96
const DAY_MS = 86_400_000;

interface SsoAccount {
  ref: ObjectRef;
  encryptionTypes: number | undefined;
  keySetOn: Date | undefined;
  delegation: string[];
}

export default defineCheck({
  meta: {
    id: 'auth.seamless-sso',
    title: 'Seamless single sign-on is in use',
    severity: 'info',
    category: 'authentication',
    tags: ['authentication'],
    rationale:
      'The AZUREADSSOACC$ computer account is the Kerberos identity of Seamless SSO. Seamless SSO works with Cloud Sync and keeps working after migration, ' +
      'but the Cloud Sync agent cannot enable or manage it: that is done with the AzureADSSO PowerShell module shipped with Connect. ' +
      'Hygiene from the same pages, reported as warnings: the account should use AES (msDS-SupportedEncryptionTypes with 0x8/0x10), not RC4 only; its ' +
      'Kerberos key (pwdLastSet) should be rolled over at least every 30 days; Kerberos delegation on it must be off. Key age is measured against the ' +
      "newest whenChanged in the input (the export's own day), or the scan time when the input has none.",
    remediation:
      'Before removing Connect Sync, copy the AzureADSSO module (AzureADSSO.psd1) from the Connect server and document how you roll over the ' +
      'AZUREADSSOACC$ Kerberos key (Update-AzureADSSOForest) without the Connect wizard. Roll the key over now if it is older than 30 days, ' +
      'set msDS-SupportedEncryptionTypes to AES (roll the key over first), and clear any delegation on the account.',
    sources: [SEAMLESS_SSO_HOW_IT_WORKS, SEAMLESS_SSO_QUICK_START, CLOUD_SYNC_SSO],
    evidence: [partition('domain'), toPass(attribute('sAMAccountName', 'computer'))],
    options: { maxKeyAgeDays: 30 },
    kinds: {
      'seamless-sso': {},
      'rc4-only': { title: 'Seamless SSO account allows RC4 only', severity: 'warning' },
      'stale-key': { title: 'Seamless SSO Kerberos key not rolled over', severity: 'warning' },
      delegation: { title: 'Kerberos delegation enabled on the Seamless SSO account', severity: 'warning' },
    },
  },
  create(context) {
    const accounts: SsoAccount[] = [];
    const clock = new InputClock();
    return {
      visit(entry) {
        clock.see(entry.text('whenchanged'));
        if (entry.kind !== 'computer' || entry.text('samaccountname')?.toUpperCase() !== 'AZUREADSSOACC$') return;
        const uac = entry.int('useraccountcontrol');
        const delegation = [
          hasFlag(uac, UAC.trustedForDelegation) ? 'unconstrained delegation (TRUSTED_FOR_DELEGATION)' : undefined,
          hasFlag(uac, UAC.trustedToAuthForDelegation) ? 'protocol transition (TRUSTED_TO_AUTH_FOR_DELEGATION)' : undefined,
          entry.has('msds-allowedtodelegateto') ? `constrained delegation to ${entry.texts('msds-allowedtodelegateto').join(', ')}` : undefined,
        ].filter((x) => x !== undefined);
        accounts.push({
          ref: objectRef(entry),
          encryptionTypes: entry.int('msds-supportedencryptiontypes'),
          keySetOn: fileTimeToDate(entry.bigint('pwdlastset')),
          delegation,
        });
      },
      finish() {
        if (accounts.length === 0) return { status: 'passed' };
        const findings: FindingInput<'seamless-sso' | 'rc4-only' | 'stale-key' | 'delegation'>[] = [
          {
            kind: 'seamless-sso',
            message: `Seamless SSO is configured: ${accounts.length} AZUREADSSOACC$ computer account(s) found. It keeps working under Cloud Sync, but is managed with the AzureADSSO PowerShell module, not the agent.`,
            objects: accounts.map((a) => a.ref),
            scope: { kind: 'forest' },
          },
        ];
        const rc4Only: ObjectRef[] = accounts
          .filter((a) => a.encryptionTypes !== undefined && (a.encryptionTypes & AES_TYPES) === 0)
          .map((a) => ({ ...a.ref, detail: `msDS-SupportedEncryptionTypes 0x${(a.encryptionTypes ?? 0).toString(16)}` }));
        if (rc4Only.length > 0) {
          findings.push({
            kind: 'rc4-only',
            message: `${rc4Only.length} AZUREADSSOACC$ account(s) have msDS-SupportedEncryptionTypes without AES: Microsoft recommends AES; roll the key over before switching, or Seamless SSO stops.`,
            objects: rc4Only,
          });
        }
        const maxDays = context.option('maxKeyAgeDays');
        const { date: now, basis } = clock.now();
        const stale: ObjectRef[] = accounts
          .filter((a) => a.keySetOn !== undefined && now.getTime() - a.keySetOn.getTime() > maxDays * DAY_MS)
          .map((a) => ({
            ...a.ref,
            detail: `key set ${isoDay(a.keySetOn ?? now)}, ${Math.floor((now.getTime() - (a.keySetOn ?? now).getTime()) / DAY_MS)} days old`,
          }));
        if (stale.length > 0) {
          findings.push({
            kind: 'stale-key',
            message: `${stale.length} AZUREADSSOACC$ account(s) have a Kerberos key (pwdLastSet) older than ${maxDays} days, measured against ${basis}: roll it over with Update-AzureADSSOForest.`,
            objects: stale,
          });
        }
        const delegated: ObjectRef[] = accounts.filter((a) => a.delegation.length > 0).map((a) => ({ ...a.ref, detail: a.delegation.join('; ') }));
        if (delegated.length > 0) {
          findings.push({
            kind: 'delegation',
            message: `${delegated.length} AZUREADSSOACC$ account(s) allow Kerberos delegation: Microsoft says delegation on this account must be disabled.`,
            objects: delegated,
          });
        }
        return { status: 'failed', findings };
      },
    };
  },
});
