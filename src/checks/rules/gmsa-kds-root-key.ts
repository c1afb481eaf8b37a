import { defineCheck, defineQuestion, type CheckResult, type ObjectRef } from '../check.js';
import { partition } from '../evidence.js';
import { fileTimeToDate, isoDay, plural } from '../support/ad-values.js';
import { objectRef } from '../support/object-ref.js';
import { YES_NO, openQuestionReason } from '../support/questions.js';
import { CLOUD_SYNC_GMSA, CLOUD_SYNC_PREREQUISITES, KDS_ROOT_KEY, MS_ADSC_KDS_ROOT_KEY } from '../support/sources.js';

const MASTER_ROOT_KEYS = 'cn=master root keys,cn=group key distribution service,cn=services,cn=configuration,';

const KEY_EXISTS = defineQuestion({
  id: 'kds-root-key-exists',
  text: 'Does Get-KdsRootKey, run as a Domain Admin or Enterprise Admin, list a root key whose EffectiveTime is in the past?',
  choices: YES_NO,
  howToFind: 'On a DC or a machine with the AD PowerShell module, as a Domain Admin: Get-KdsRootKey | Select-Object KeyId, EffectiveTime',
});

interface RootKey {
  ref: ObjectRef;
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
      'The default agent install creates a group managed service account, and DCs need a KDS root key (msKds-ProvRootKey under CN=Master Root Keys,' +
      'CN=Group Key Distribution Service,CN=Services in the configuration partition) before they generate gMSA passwords. Add-KdsRootKey without ' +
      '-EffectiveImmediately makes a key usable only 10 days later. Only Enterprise Admins, Domain Admins and SYSTEM may read root keys, and the container ' +
      'itself stays readable to ordinary users (seen on the seeded Samba DC), so an empty container proves nothing: a key is "missing" only when the admin ' +
      'says Get-KdsRootKey lists none. An existing gMSA proves a key exists, since none can be created without one.',
    remediation:
      'As an Enterprise Admin run Add-KdsRootKey (for a lab, -EffectiveTime ((Get-Date).AddHours(-10))), wait for replication, and confirm with Get-KdsRootKey; ' +
      'or scan as a Domain Admin so the keys themselves can be read.',
    sources: [CLOUD_SYNC_PREREQUISITES, CLOUD_SYNC_GMSA, KDS_ROOT_KEY, MS_ADSC_KDS_ROOT_KEY],
    evidence: [partition('configuration')],
    questions: [KEY_EXISTS],
    kinds: { 'no-root-key': {}, 'key-not-yet-usable': { title: 'KDS root key not yet usable', severity: 'warning' } },
  },
  create(context) {
    let container: ObjectRef | undefined;
    const keys: RootKey[] = [];
    const gmsas: string[] = [];
    return {
      visit(entry) {
        const kind = entry.kind;
        if (kind === 'managed-service-account') {
          if (entry.isA('msds-groupmanagedserviceaccount')) gmsas.push(entry.dn);
          return;
        }
        if (kind !== 'other' && kind !== 'container') return;
        if (entry.key.startsWith(MASTER_ROOT_KEYS)) container = objectRef(entry);
        else if (entry.isA('mskds-provrootkey') && entry.parentKey.startsWith(MASTER_ROOT_KEYS)) {
          keys.push({ ref: objectRef(entry), usableFrom: fileTimeToDate(entry.bigint('mskds-usestarttime')) });
        }
      },
      finish() {
        if (keys.length > 0) return judgeVisibleKeys(keys);
        if (gmsas.length > 0) {
          return {
            status: 'passed',
            note: `no root key is readable by the scanning account, but ${plural(gmsas.length, 'group managed service account')} exist (${gmsas[0] ?? ''}${gmsas.length > 1 ? ', ...' : ''}), and none can be created without one`,
          };
        }
        const answer = context.answer(KEY_EXISTS);
        if (answer === 'yes') return { status: 'passed', note: 'no root key readable by the scanning account; Get-KdsRootKey lists one (answered)' };
        if (answer === 'no') {
          return {
            status: 'failed',
            findings: [
              {
                kind: 'no-root-key',
                message:
                  'There is no usable KDS root key (answered: Get-KdsRootKey lists none): the default agent install cannot create its group managed service account.',
                objects: container === undefined ? [] : [container],
                scope: { kind: 'forest' },
              },
            ],
          };
        }
        const seen =
          container === undefined
            ? 'unknown: CN=Master Root Keys,CN=Group Key Distribution Service,CN=Services,CN=Configuration,... is not in the input (not exported, or not readable)'
            : 'unknown: the Master Root Keys container was read but shows no root key, which is what an account without Domain or Enterprise Admin rights sees whether or not a key exists';
        return { status: 'not-evaluated', reason: `${seen}; ${openQuestionReason([KEY_EXISTS])}` };
      },
    };
  },
});

function judgeVisibleKeys(keys: readonly RootKey[]): CheckResult<'key-not-yet-usable'> {
  const now = new Date();
  const refs: ObjectRef[] = keys.map((k) => ({ ...k.ref, detail: k.usableFrom === undefined ? 'start time unknown' : `usable from ${isoDay(k.usableFrom)}` }));
  if (keys.every((k) => k.usableFrom !== undefined && k.usableFrom > now)) {
    return {
      status: 'failed',
      findings: [
        {
          kind: 'key-not-yet-usable',
          message: `${plural(keys.length, 'KDS root key')} exist, but none is usable before ${refs.map((r) => r.detail).join(', ')} (compared with the scan time, ${isoDay(now)}): the agent install fails until then.`,
          objects: refs,
          scope: { kind: 'forest' },
        },
      ],
    };
  }
  return { status: 'passed', note: `${plural(keys.length, 'KDS root key')}: ${refs.map((r) => r.detail).join(', ')}` };
}
