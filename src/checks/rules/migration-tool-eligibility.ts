import { defineCheck, type CheckResult, type FindingInput, type ObjectRef, type Question, type Severity } from '../check.js';
import { syncedObjects } from '../../inventory/inventory.js';
import { YES_NO, openQuestionReason } from '../questions.js';
import { MIGRATION_TOOL } from './sources.js';
import { connectWritebackSigns } from './writeback-groups.js';
import { HYBRID_JOIN_SCP_PREFIX } from './devices-hybrid-join.js';


const SCOPE_OVER_LIMIT: Question = {
  id: 'connect-scope-over-2000',
  text: "Does Connect Sync's scope (its domain and OU filter) hold more than 2,000 users, groups and contacts?",
  choices: YES_NO,
  howToFind: 'Synchronization Service Manager > Connectors > the AD connector > Search Connector Space (scope: all); or the object count in the Entra admin center (Microsoft Entra Connect > Connect Sync)',
};
const CONTAINERS_OVER_LIMIT: Question = {
  id: 'connect-included-containers-over-30',
  text: "Does Connect Sync's OU filter include more than 30 containers in any one domain?",
  choices: YES_NO,
  howToFind: 'Connect wizard > Customize synchronization options > Domain and OU filtering: count the ticked containers per domain',
};
const CUSTOM_UPN: Question = {
  id: 'connect-custom-upn',
  text: 'Does Connect Sync take the Entra user principal name from an attribute other than userPrincipalName (for example mail)?',
  choices: YES_NO,
  howToFind: 'Connect wizard > View or export current configuration: "User Principal Name" under the AD connector',
};
const DIRECTORY_EXTENSIONS: Question = {
  id: 'connect-directory-extensions',
  text: 'Does Connect Sync synchronise directory extension attributes?',
  choices: YES_NO,
  howToFind: 'Connect wizard > Customize synchronization options > Optional features: "Directory extension attribute sync"',
};
/** Asked by config.filtering-and-rules; the migration tool refuses both, so their answers count here too. */
const SHARED_QUESTIONS: readonly { id: string; refusal: string }[] = [
  { id: 'connect-custom-sync-rules', refusal: 'custom synchronization rules' },
  { id: 'connect-group-filtering', refusal: 'group filtering' },
];
const OWN_QUESTIONS: readonly { question: Question; refusal: string }[] = [
  { question: CONTAINERS_OVER_LIMIT, refusal: 'more than 30 included containers in a domain' },
  { question: CUSTOM_UPN, refusal: 'a custom UPN' },
  { question: DIRECTORY_EXTENSIONS, refusal: 'directory extensions' },
];

export default defineCheck({
  meta: {
    id: 'migration-tool.eligibility',
    title: "Will Microsoft's guided migration tool accept this environment?",
    severity: 'info',
    category: 'migration-tool',
    tags: ['migration-tool', 'limits'],
    rationale:
      'The guided migration tool (Connect wizard > "Transition to Cloud Sync", September 2026) only takes, in its current wave, one AD forest with at most 2,000 ' +
      'in-scope objects, additive OU inclusion scoping with at most 30 included containers per domain, and no migration-blocking feature: custom sync rules, group ' +
      'filtering, a custom UPN, directory extensions, device synchronization or unsupported writeback scenarios (it carries over user and group sync, PHS, password ' +
      'writeback and Exchange hybrid writeback, not group writeback). What AD shows is judged here; what only the Connect configuration shows is asked. ' +
      'Under --target migration-tool a refusal is a blocker; otherwise it is information, since a manual move to Cloud Sync has none of these limits.',
    remediation:
      'If the tool will refuse, either remove the reason (scope Connect to fewer objects or containers, drop the feature) or plan the move by hand: configure ' +
      'Cloud Sync for pilot OUs side by side with Connect Sync, with mutually exclusive scopes.',
    sources: [MIGRATION_TOOL],
    requires: ['domain-partition'],
    options: { maxObjects: 2_000 },
    questions: [SCOPE_OVER_LIMIT, CONTAINERS_OVER_LIMIT, CUSTOM_UPN, DIRECTORY_EXTENSIONS],
  },
  create(context) {
    const severity: Severity = context.target === 'migration-tool' ? 'blocker' : 'info';
    const maxObjects = context.option('maxObjects');
    const forests = new Map<string, string>();
    const hybridJoinScps: ObjectRef[] = [];
    let certifiedComputers = 0;
    const writtenBackGroups: ObjectRef[] = [];
    return {
      visit(entry) {
        if (entry.kind === 'computer') {
          if (entry.has('usercertificate')) certifiedComputers++;
        } else if (entry.kind === 'group') {
          if (connectWritebackSigns(entry).length > 0) writtenBackGroups.push({ dn: entry.dn });
        } else if (entry.isA('configuration')) {
          forests.set(entry.key, entry.dn);
        } else if (entry.key.startsWith(HYBRID_JOIN_SCP_PREFIX)) {
          hybridJoinScps.push({ dn: entry.dn });
        }
      },
      finish(inventory): CheckResult {
        const refusals: FindingInput[] = [];
        const refuse = (finding: Omit<FindingInput, 'severity'>): void => {
          refusals.push({ severity, ...finding });
        };
        if (forests.size > 1) {
          refuse({
            title: 'More than one forest',
            message: `The input holds ${forests.size} forests; the migration tool handles one.`,
            objects: [...forests.values()].map((dn) => ({ dn })),
            scope: { kind: 'forest' },
          });
        }
        const total = inventory.domains.reduce((n, d) => n + syncedObjects(d.counts), 0);
        const open: Question[] = [];
        const overLimit = context.answer(SCOPE_OVER_LIMIT.id);
        if (total > maxObjects) {
          if (overLimit === 'yes') {
            refuse({
              title: `More than ${maxObjects.toLocaleString('en-US')} objects in scope`,
              message: `Connect's scope holds more than ${maxObjects.toLocaleString('en-US')} objects (answered; the forest has ${total.toLocaleString('en-US')} users, groups and contacts it could synchronise). The tool accepts at most ${maxObjects.toLocaleString('en-US')}.`,
              objects: inventory.domains.map((d) => ({ dn: d.dn, detail: `${syncedObjects(d.counts).toLocaleString('en-US')} objects` })),
              scope: { kind: 'forest' },
            });
          } else if (overLimit === undefined) {
            open.push(SCOPE_OVER_LIMIT);
          }
        }
        if (hybridJoinScps.length > 0 && certifiedComputers > 0) {
          refuse({
            title: 'Device synchronization',
            message: `The hybrid join SCP exists and ${certifiedComputers.toLocaleString('en-US')} computer(s) carry a userCertificate: Connect synchronises devices, which the tool refuses (see devices.hybrid-join).`,
            objects: hybridJoinScps,
            scope: { kind: 'forest' },
          });
        }
        if (writtenBackGroups.length > 0) {
          refuse({
            title: 'Group writeback',
            message: `${writtenBackGroups.length.toLocaleString('en-US')} group(s) were written back by Connect: group writeback is not among the scenarios the tool carries over (see writeback.groups).`,
            objects: writtenBackGroups,
            scope: { kind: 'objects' },
          });
        }
        const asked: { id: string; refusal: string; question?: Question }[] = [
          ...OWN_QUESTIONS.map((q) => ({ id: q.question.id, refusal: q.refusal, question: q.question })),
          ...SHARED_QUESTIONS,
        ];
        for (const { id, refusal, question } of asked) {
          const answer = context.answer(id);
          if (answer === 'yes') {
            refuse({ title: `Connect uses ${refusal}`, message: `Connect Sync uses ${refusal} (answered), which the migration tool refuses.`, scope: { kind: 'forest' } });
          } else if (answer === undefined && question !== undefined) {
            open.push(question);
          }
        }
        const unanswered = asked.filter((q) => q.question === undefined && context.answer(q.id) === undefined).map((q) => q.id);
        const stillOpen = [
          ...(open.length === 0 ? [] : [openQuestionReason(open)]),
          ...(unanswered.length === 0 ? [] : [`also open (asked by config.filtering-and-rules): ${unanswered.join(', ')}`]),
        ].join('; ');
        const openIds = [...open.map((q) => q.id), ...unanswered];
        const forestsRead = forests.size === 0 ? ' The number of forests is unknown: no configuration partition is in the input.' : '';
        const counted = `The forest has ${total.toLocaleString('en-US')} users, groups and contacts Connect could synchronise (limit ${maxObjects.toLocaleString('en-US')} in scope).${forestsRead}`;
        if (refusals.length > 0) {
          return {
            status: 'failed',
            findings: refusals.map((f) => ({ ...f, message: `${f.message} ${counted}${openIds.length === 0 ? '' : ` Questions still open: ${openIds.join(', ')}.`}` })),
          };
        }
        if (stillOpen === '') return { status: 'passed', note: `Nothing seen or answered that the migration tool refuses. ${counted}` };
        if (context.target === 'migration-tool') return { status: 'not-evaluated', reason: `${stillOpen}. ${counted}` };
        return {
          status: 'failed',
          findings: [
            {
              severity: 'info',
              title: 'The migration tool may accept this environment',
              message: `Nothing in AD makes the migration tool refuse, but Connect's configuration decides the rest: ${stillOpen}. ${counted}`,
              scope: { kind: 'forest' },
            },
          ],
        };
      },
    };
  },
});
