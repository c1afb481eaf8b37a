import { defineCheck, defineQuestion, learn, type CheckResult, type FindingInput } from '../check.js';
import { attribute, partition, toPass } from '../evidence.js';
import type { Entry } from '../../model/entry.js';
import { guidText } from '../support/ad-values.js';
import { ObjectScope } from '../support/hygiene.js';
import { ObjectList } from '../support/object-list.js';
import type { ObjectFacts } from '../support/object-ref.js';
import { CLOUD_SYNC_FAQ } from '../support/sources.js';

const SOURCE_ANCHOR = defineQuestion({
  id: 'connect-source-anchor',
  text: 'Which attribute does Connect Sync use as the sourceAnchor?',
  choices: ['objectGUID', 'mS-DS-ConsistencyGuid', 'other-attribute'],
  howToFind:
    'On the Connect server: the wizard\'s "View or export current configuration" page shows "Source anchor"; or run ' +
    "(Get-ADSyncGlobalSettings).Parameters | ? Name -eq 'Microsoft.SynchronizationOption.AnchorAttribute'.",
});

const CONNECT_DESIGN_CONCEPTS = learn(
  'identity/hybrid/connect/plan-connect-design-concepts',
  'Microsoft Entra Connect: design concepts (sourceAnchor)',
  '2023-11-06',
);

type Kind = 'custom-anchor' | 'groups-and-contacts' | 'users' | 'uncomparable' | 'anchor-unknown';

type Comparison = 'none' | 'equal' | 'different' | 'no-objectguid';

function compare(entry: Entry): { result: Comparison; consistency?: Buffer; guid?: Buffer } {
  const consistency = entry.bytes('ms-ds-consistencyguid');
  if (consistency === undefined) return { result: 'none' };
  const guid = entry.bytes('objectguid');
  if (guid === undefined) return { result: 'no-objectguid', consistency };
  return { result: consistency.equals(guid) ? 'equal' : 'different', consistency, guid };
}

function mismatch(consistency: Buffer, guid: Buffer): ObjectFacts {
  return {
    detail: `mS-DS-ConsistencyGuid ${guidText(consistency)} ≠ objectGUID ${guidText(guid)}`,
    attribute: 'mS-DS-ConsistencyGuid',
    value: guidText(consistency),
  };
}

export default defineCheck({
  meta: {
    id: 'identity.source-anchor',
    title: 'Source anchors Cloud Sync would compute differently from Connect Sync',
    severity: 'blocker',
    category: 'identity',
    tags: ['identity', 'source-anchor'],
    rationale:
      'Cloud Sync always anchors on mS-DS-ConsistencyGuid when it is present and falls back to objectGUID; this cannot be changed, and Cloud Sync never writes ' +
      'mS-DS-ConsistencyGuid back. Connect Sync anchors on objectGUID (1.1.486 and older, DirSync, legacy express installs), on mS-DS-ConsistencyGuid for users only ' +
      '(1.1.524+, objectGUID for every other object type), or on a custom attribute such as employeeID. Where the two anchors differ, Cloud Sync does not match the ' +
      'existing Entra object: it creates a duplicate or fails. So groups and contacts with a ConsistencyGuid that differs from their objectGUID always mismatch; ' +
      'users with one mismatch when Connect anchors on objectGUID; and a custom anchor attribute mismatches for everyone. Which anchor Connect uses is only visible ' +
      'in its configuration, so it is asked.',
    remediation:
      'For groups and contacts (and users when Connect anchors on objectGUID): find out who set mS-DS-ConsistencyGuid (an ADMT or cross-forest move, another sync tool); ' +
      'if the Entra objects carry the objectGUID anchor, clear the attribute or set it to the objectGUID bytes before Cloud Sync sees the object. ' +
      'A custom anchor attribute (employeeID ...) cannot be carried over: plan a re-anchoring with Microsoft support or stay on Connect Sync.',
    sources: [CLOUD_SYNC_FAQ, CONNECT_DESIGN_CONCEPTS],
    evidence: [partition('domain'), toPass(attribute('sAMAccountName', 'user'))],
    questions: [SOURCE_ANCHOR],
    kinds: {
      'custom-anchor': { title: 'Connect anchors on a custom attribute' },
      'groups-and-contacts': { title: 'Groups and contacts whose ConsistencyGuid differs from objectGUID' },
      users: { title: 'Users whose ConsistencyGuid differs from objectGUID' },
      uncomparable: { title: 'Anchors that could not be compared', severity: 'warning' },
      'anchor-unknown': { title: 'Which anchor Connect uses is still open', severity: 'warning' },
    },
  },
  create(context) {
    const scope = new ObjectScope();
    const groupsAndContacts = new ObjectList();
    const users = new ObjectList();
    const uncomparable = new ObjectList();
    let usersEqual = 0;
    let withGuid = 0;
    return {
      visits: scope.kinds,
      visit(entry) {
        if (!scope.admit(entry)) return;
        if (entry.has('objectguid')) withGuid++;
        const { result, consistency, guid } = compare(entry);
        if (result === 'no-objectguid') uncomparable.add(entry, { detail: 'mS-DS-ConsistencyGuid present, objectGUID not in the input' });
        if (result !== 'different' || consistency === undefined || guid === undefined) {
          if (result === 'equal' && entry.kind === 'user') usersEqual++;
          return;
        }
        (entry.kind === 'user' ? users : groupsAndContacts).add(entry, mismatch(consistency, guid));
      },
      finish(): CheckResult<Kind> {
        const anchor = context.answer(SOURCE_ANCHOR);
        const findings: FindingInput<Kind>[] = [];
        const seen = `${users.length.toLocaleString('en-US')} user(s) with a ConsistencyGuid different from objectGUID, ${usersEqual.toLocaleString('en-US')} with an equal one. ${scope.summary()}`;
        if (scope.examined > 0 && withGuid === 0) {
          return {
            status: 'not-evaluated',
            reason: `objectGUID is not in the input, so anchors cannot be compared: export it too (ldifde does by default). ${scope.summary()}`,
          };
        }
        if (anchor === 'other-attribute') {
          findings.push({
            kind: 'custom-anchor',
            message: `Connect Sync's sourceAnchor is a custom attribute (answers file). Cloud Sync cannot use it: every synchronised object would get a different anchor. ${scope.summary()}`,
            scope: { kind: 'forest' },
          });
        }
        if (groupsAndContacts.length > 0) {
          findings.push({
            kind: 'groups-and-contacts',
            message: `${groupsAndContacts.length.toLocaleString('en-US')} group(s)/contact(s) carry an mS-DS-ConsistencyGuid different from their objectGUID. Connect anchors these on objectGUID, Cloud Sync would anchor them on the ConsistencyGuid.`,
            objects: groupsAndContacts.view(),
            scope: { kind: 'objects' },
          });
        }
        if (users.length > 0 && anchor === 'objectGUID') {
          findings.push({
            kind: 'users',
            message: `${users.length.toLocaleString('en-US')} user(s) carry an mS-DS-ConsistencyGuid different from their objectGUID while Connect anchors users on objectGUID (answers file).`,
            objects: users.view(),
            scope: { kind: 'objects' },
          });
        }
        if (uncomparable.length > 0) {
          findings.push({
            kind: 'uncomparable',
            message: `${uncomparable.length.toLocaleString('en-US')} object(s) have an mS-DS-ConsistencyGuid but no objectGUID in the input.`,
            objects: uncomparable.view(),
            scope: { kind: 'objects' },
          });
        }
        // Without the answer only certain findings fail the check; the users' judgement stays an open question.
        if (findings.length > 0 && anchor === undefined) {
          findings.push({
            kind: 'anchor-unknown',
            message:
              `open question: ${SOURCE_ANCHOR.text} — answer it in the answers file: a custom anchor attribute would block every object` +
              (users.length === 0
                ? '.'
                : `, and these ${users.length.toLocaleString('en-US')} user(s) with an mS-DS-ConsistencyGuid different from their objectGUID are blockers if Connect anchors on objectGUID.`),
            objects: users.view(),
            scope: users.length === 0 ? { kind: 'forest' } : { kind: 'objects' },
          });
        }
        if (findings.length > 0) return { status: 'failed', findings };
        if (anchor === undefined) {
          return {
            status: 'not-evaluated',
            reason: `open question: ${SOURCE_ANCHOR.text} — answer it in the answers file (a custom anchor attribute would block every object). Seen so far: ${seen}`,
          };
        }
        return { status: 'passed', note: seen };
      },
    };
  },
});
