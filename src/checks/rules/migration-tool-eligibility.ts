import { defineCheck, defineQuestion, type CheckContext, type CheckResult, type FindingInput, type ObjectRef, type Question, type Severity } from '../check.js';
import { partition } from '../evidence.js';
import type { Entry } from '../../model/entry.js';
import { type Inventory, syncedObjects } from '../../inventory/inventory.js';
import { type ConnectScope, connectScope } from '../connect-scope.js';
import { CUSTOM_SYNC_RULES, GROUP_FILTERING } from '../support/connect-configuration.js';
import { connectWritebackSigns } from '../support/group-writeback.js';
import { HYBRID_JOIN_SCP_PREFIX } from '../support/hybrid-join.js';
import { MIGRATION_TOOL_LIMITS } from '../support/migration-tool.js';
import { objectRef } from '../support/object-ref.js';
import { YES_NO, openQuestionReason } from '../support/questions.js';
import { MIGRATION_TOOL } from '../support/sources.js';

const SCOPE_OVER_LIMIT = defineQuestion({
  id: 'connect-scope-over-2000',
  text: "Does Connect Sync's scope (its domain and OU filter) hold more than 2,000 users, groups and contacts?",
  choices: YES_NO,
  howToFind:
    'Synchronization Service Manager > Connectors > the AD connector > Search Connector Space (scope: all); or the object count in the Entra admin center (Microsoft Entra Connect > Connect Sync)',
});
const CONTAINERS_OVER_LIMIT = defineQuestion({
  id: 'connect-included-containers-over-30',
  text: "Does Connect Sync's OU filter include more than 30 containers in any one domain?",
  choices: YES_NO,
  howToFind: 'Connect wizard > Customize synchronization options > Domain and OU filtering: count the ticked containers per domain',
});
const CUSTOM_UPN = defineQuestion({
  id: 'connect-custom-upn',
  text: 'Does Connect Sync take the Entra user principal name from an attribute other than userPrincipalName (for example mail)?',
  choices: YES_NO,
  howToFind: 'Connect wizard > View or export current configuration: "User Principal Name" under the AD connector',
});
const DIRECTORY_EXTENSIONS = defineQuestion({
  id: 'connect-directory-extensions',
  text: 'Does Connect Sync synchronise directory extension attributes?',
  choices: YES_NO,
  howToFind: 'Connect wizard > Customize synchronization options > Optional features: "Directory extension attribute sync"',
});

/** The last two are config.filtering-and-rules' questions too: the tool refuses what they ask about, so both checks ask them. */
const QUESTIONS = [SCOPE_OVER_LIMIT, CONTAINERS_OVER_LIMIT, CUSTOM_UPN, DIRECTORY_EXTENSIONS, CUSTOM_SYNC_RULES, GROUP_FILTERING] as const;
type QuestionId = (typeof QUESTIONS)[number]['id'];
type Kind =
  | 'several-forests'
  | 'too-many-objects'
  | 'device-sync'
  | 'group-writeback'
  | 'too-many-containers'
  | 'custom-upn'
  | 'directory-extensions'
  | 'custom-sync-rules'
  | 'group-filtering'
  | 'may-accept';

/** The features only Connect's configuration shows that make the tool refuse, in the order they are reported. */
const REFUSED_FEATURES: readonly { question: Question<QuestionId, 'yes' | 'no'>; refusal: string; kind: Kind }[] = [
  { question: CONTAINERS_OVER_LIMIT, refusal: 'more than 30 included containers in a domain', kind: 'too-many-containers' },
  { question: CUSTOM_UPN, refusal: 'a custom UPN', kind: 'custom-upn' },
  { question: DIRECTORY_EXTENSIONS, refusal: 'directory extensions', kind: 'directory-extensions' },
  { question: CUSTOM_SYNC_RULES, refusal: 'custom synchronization rules', kind: 'custom-sync-rules' },
  { question: GROUP_FILTERING, refusal: 'group filtering', kind: 'group-filtering' },
];

/** What the entry stream shows that the tool cares about. */
interface Seen {
  forests: Map<string, string>;
  hybridJoinScps: ObjectRef[];
  certifiedComputers: number;
  writtenBackGroups: ObjectRef[];
}

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
    evidence: [partition('domain')],
    options: { ...MIGRATION_TOOL_LIMITS },
    questions: QUESTIONS,
    kinds: {
      'several-forests': { title: 'More than one forest' },
      'too-many-objects': { title: 'More objects in scope than the tool accepts' },
      'device-sync': { title: 'Device synchronization' },
      'group-writeback': { title: 'Group writeback' },
      'too-many-containers': { title: 'Connect uses more than 30 included containers in a domain' },
      'custom-upn': { title: 'Connect uses a custom UPN' },
      'directory-extensions': { title: 'Connect uses directory extensions' },
      'custom-sync-rules': { title: 'Connect uses custom synchronization rules' },
      'group-filtering': { title: 'Connect uses group filtering' },
      'may-accept': { title: 'The migration tool may accept this environment' },
    },
  },
  create(context) {
    const seen: Seen = { forests: new Map(), hybridJoinScps: [], certifiedComputers: 0, writtenBackGroups: [] };
    return {
      visit: (entry) => see(seen, entry),
      finish: (inventory) => judge(context, seen, inventory),
    };
  },
});

function see(seen: Seen, entry: Entry): void {
  if (entry.kind === 'computer') {
    if (entry.has('usercertificate')) seen.certifiedComputers++;
  } else if (entry.kind === 'group') {
    if (connectWritebackSigns(entry).length > 0) seen.writtenBackGroups.push(objectRef(entry));
  } else if (entry.isA('configuration')) {
    seen.forests.set(entry.key, entry.dn);
  } else if (entry.key.startsWith(HYBRID_JOIN_SCP_PREFIX)) {
    seen.hybridJoinScps.push(objectRef(entry));
  }
}

type Context = CheckContext<keyof typeof MIGRATION_TOOL_LIMITS, QuestionId>;
type Refusal = Omit<FindingInput<Kind>, 'severity'>;

/** The tool's refusals that AD itself shows: several forests, device sync, group writeback. */
function refusalsInAd(seen: Seen): Refusal[] {
  const refusals: Refusal[] = [];
  if (seen.forests.size > 1) {
    refusals.push({
      kind: 'several-forests',
      message: `The input holds ${seen.forests.size} forests; the migration tool handles one.`,
      objects: [...seen.forests.values()].map((dn) => ({ dn })),
      scope: { kind: 'forest' },
    });
  }
  if (seen.hybridJoinScps.length > 0 && seen.certifiedComputers > 0) {
    refusals.push({
      kind: 'device-sync',
      message: `The hybrid join SCP exists and ${seen.certifiedComputers.toLocaleString('en-US')} computer(s) carry a userCertificate: Connect synchronises devices, which the tool refuses (see devices.hybrid-join).`,
      objects: seen.hybridJoinScps,
      scope: { kind: 'forest' },
    });
  }
  if (seen.writtenBackGroups.length > 0) {
    refusals.push({
      kind: 'group-writeback',
      message: `${seen.writtenBackGroups.length.toLocaleString('en-US')} group(s) were written back by Connect: group writeback is not among the scenarios the tool carries over (see writeback.groups).`,
      objects: seen.writtenBackGroups,
      scope: { kind: 'objects' },
    });
  }
  return refusals;
}

/**
 * The object limit: AD shows how many objects Connect could synchronise; how many are in its scope takes Connect's
 * OU filter, read from its configuration export when there is one, else asked.
 */
function objectLimit(context: Context, inventory: Inventory, total: number, scope: ConnectScope | undefined, open: Question[]): Refusal[] {
  const maxObjects = context.option('maxObjects');
  if (scope?.total !== undefined) {
    if (scope.total <= maxObjects) return [];
    return [
      {
        kind: 'too-many-objects',
        title: `More than ${maxObjects.toLocaleString('en-US')} objects in scope`,
        message: `Connect's scope holds ${scope.total.toLocaleString('en-US')} users, groups and contacts (its OU filter, from the export, applied to the forest read). The tool accepts at most ${maxObjects.toLocaleString('en-US')}.`,
        objects: scope.partitions.map((p) => ({ dn: p.dn, detail: `${(p.inScope ?? 0).toLocaleString('en-US')} objects in Connect's scope` })),
        scope: { kind: 'forest' },
      },
    ];
  }
  if (total <= maxObjects) return [];
  const overLimit = context.answer(SCOPE_OVER_LIMIT);
  if (overLimit === undefined) open.push(SCOPE_OVER_LIMIT);
  if (overLimit !== 'yes') return [];
  return [
    {
      kind: 'too-many-objects',
      title: `More than ${maxObjects.toLocaleString('en-US')} objects in scope`,
      message: `Connect's scope holds more than ${maxObjects.toLocaleString('en-US')} objects (answered; the forest has ${total.toLocaleString('en-US')} users, groups and contacts it could synchronise). The tool accepts at most ${maxObjects.toLocaleString('en-US')}.`,
      objects: inventory.domains.map((d) => ({ dn: d.dn, detail: `${syncedObjects(d.counts).toLocaleString('en-US')} objects` })),
      scope: { kind: 'forest' },
    },
  ];
}

/** The refusals only Connect's configuration shows, as answered; unanswered ones are left open. */
function answeredRefusals(context: Context, open: Question[]): Refusal[] {
  const refusals: Refusal[] = [];
  for (const { question, refusal, kind } of REFUSED_FEATURES) {
    const answer = context.answer(question);
    if (answer === 'yes')
      refusals.push({ kind, message: `Connect Sync uses ${refusal} (answered), which the migration tool refuses.`, scope: { kind: 'forest' } });
    else if (answer === undefined) open.push(question);
  }
  return refusals;
}

/**
 * A refusal is a blocker only under --target migration-tool; otherwise it is information, since a manual
 * move has none of these limits. Without a refusal, open questions leave the tool's answer unknown.
 */
function judge(context: Context, seen: Seen, inventory: Inventory): CheckResult<Kind> {
  const severity: Severity = context.target === 'migration-tool' ? 'blocker' : 'info';
  const total = inventory.domains.reduce((n, d) => n + syncedObjects(d.counts), 0);
  const scope = context.connectConfig === undefined ? undefined : connectScope(context.connectConfig, inventory);
  const open: Question[] = [];
  const refusals = [...refusalsInAd(seen), ...objectLimit(context, inventory, total, scope, open), ...answeredRefusals(context, open)];
  const maxObjects = context.option('maxObjects');
  const forestsRead = seen.forests.size === 0 ? ' The number of forests is unknown: no configuration partition is in the input.' : '';
  const counted =
    scope?.total === undefined
      ? `The forest has ${total.toLocaleString('en-US')} users, groups and contacts Connect could synchronise (limit ${maxObjects.toLocaleString('en-US')} in scope).${forestsRead}`
      : `Connect's scope holds ${scope.total.toLocaleString('en-US')} of the forest's ${total.toLocaleString('en-US')} users, groups and contacts (limit ${maxObjects.toLocaleString('en-US')}).${forestsRead}`;
  if (refusals.length > 0) {
    const stillOpen = open.length === 0 ? '' : ` Questions still open: ${open.map((q) => q.id).join(', ')}.`;
    return { status: 'failed', findings: refusals.map((f) => ({ ...f, severity, message: `${f.message} ${counted}${stillOpen}` })) };
  }
  if (open.length === 0) return { status: 'passed', note: `Nothing seen or answered that the migration tool refuses. ${counted}` };
  if (context.target === 'migration-tool') return { status: 'not-evaluated', reason: `${openQuestionReason(open)}. ${counted}` };
  return {
    status: 'failed',
    findings: [
      {
        kind: 'may-accept',
        message: `Nothing in AD makes the migration tool refuse, but Connect's configuration decides the rest: ${openQuestionReason(open)}. ${counted}`,
        scope: { kind: 'forest' },
      },
    ],
  };
}
