import { defineCheck, type ObjectRef } from '../check.js';
import { fileTimeToDate, isoDay, plural } from '../ad-values.js';
import { CLOUD_SYNC_GMSA, CLOUD_SYNC_PREREQUISITES, MS_ADSC_KDS_ROOT_KEY } from './sources.js';

const MASTER_ROOT_KEYS = 'cn=master root keys,cn=group key distribution service,cn=services,cn=configuration,';

interface RootKey {
  dn: string;
  usableFrom: Date | undefined;
}

export default defineCheck({
  meta: {
    id: 'gmsa.kds-root-key',
    title: 'No KDS root key: the agent cannot get its group managed service account',
    severity: 'blocker',
    category: 'agent',
    tags: ['agent', 'gmsa'],
    rationale:
      'The default agent install creates a group managed service account, and gMSA passwords are derived from a KDS root key ' +
      '(msKds-ProvRootKey under CN=Master Root Keys,CN=Group Key Distribution Service,CN=Services in the configuration partition). ' +
      'Add-KdsRootKey without -EffectiveImmediately makes a key usable only 10 days later. Only Enterprise Admins, Domain Admins and SYSTEM may read ' +
      'root keys, so an export or bind without that right sees no keys: the check therefore says "missing" only when the Master Root Keys container ' +
      'itself was read, and "unknown" (not evaluated) when it was not.',
    remediation:
      'As an Enterprise Admin run Add-KdsRootKey (for a lab, -EffectiveTime ((Get-Date).AddHours(-10))), wait for replication, and confirm with Get-KdsRootKey. ' +
      'If the scan ran without admin rights, run Get-KdsRootKey first: the key may exist but be hidden from the scanning account.',
    sources: [CLOUD_SYNC_PREREQUISITES, CLOUD_SYNC_GMSA, MS_ADSC_KDS_ROOT_KEY],
    requires: ['configuration-partition'],
  },
  create() {
    let container: string | undefined;
    const keys: RootKey[] = [];
    return {
      visit(entry) {
        if (entry.kind !== 'other' && entry.kind !== 'container') return;
        if (entry.key.startsWith(MASTER_ROOT_KEYS)) container = entry.dn;
        else if (entry.isA('mskds-provrootkey') && entry.parentKey.startsWith(MASTER_ROOT_KEYS)) {
          keys.push({ dn: entry.dn, usableFrom: fileTimeToDate(entry.bigint('mskds-usestarttime')) });
        }
      },
      finish() {
        if (container === undefined && keys.length === 0) {
          return {
            status: 'not-evaluated',
            reason:
              'unknown: CN=Master Root Keys,CN=Group Key Distribution Service,CN=Services,CN=Configuration,... is not in the input (not exported, or not readable by the account used)',
          };
        }
        if (keys.length === 0) {
          return {
            status: 'failed',
            findings: [
              {
                message:
                  'The Master Root Keys container was read but holds no KDS root key: the default agent install cannot create its group managed service account. ' +
                  'Root keys are readable only by Enterprise Admins, Domain Admins and SYSTEM: if the scan ran without those rights, confirm with Get-KdsRootKey.',
                objects: container === undefined ? [] : [{ dn: container }],
                scope: { kind: 'forest' },
              },
            ],
          };
        }
        const now = new Date();
        const refs: ObjectRef[] = keys.map((k) => ({ dn: k.dn, detail: k.usableFrom === undefined ? 'start time unknown' : `usable from ${isoDay(k.usableFrom)}` }));
        if (keys.every((k) => k.usableFrom !== undefined && k.usableFrom > now)) {
          return {
            status: 'failed',
            findings: [
              {
                severity: 'warning',
                title: 'KDS root key not yet usable',
                message: `${plural(keys.length, 'KDS root key')} exist, but none is usable before ${refs.map((r) => r.detail).join(', ')} (compared with the scan time, ${isoDay(now)}): the agent install fails until then.`,
                objects: refs,
                scope: { kind: 'forest' },
              },
            ],
          };
        }
        return { status: 'passed', note: `${plural(keys.length, 'KDS root key')}: ${refs.map((r) => r.detail).join(', ')}` };
      },
    };
  },
});
