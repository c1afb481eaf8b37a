import type { Target } from '../checks/check.js';
import { CLOUD_SYNC_PREREQUISITES, MIGRATION_TOOL, PILOT_TUTORIAL } from '../checks/support/sources.js';
import { type Inventory, syncedObjects } from '../inventory/inventory.js';
import { dnKey, parentKey, parseDn } from '../model/dn.js';
import type { ContainerVerdict, Finding, PilotPlan } from './schema.js';
import type { DomainLocator } from './verdicts.js';

/** About 50 OUs or groups fit in a Cloud Sync configuration's 4 MB scoping limit (how-to-prerequisites). */
const CLOUD_SYNC_OUS_PER_CONFIGURATION = 50;
/** The guided migration tool's current wave (migrate-connect-sync-cloud-sync-tool, 09/2026). */
const MIGRATION_TOOL_CONTAINERS_PER_DOMAIN = 30;
const MIGRATION_TOOL_OBJECTS = 2000;

export const PILOT_RANKING =
  'OUs that hold users come first (a pilot needs people who sign in and notice problems); then OUs that need nothing kept on Connect Sync; ' +
  'then the fewest warnings (an OU of protected admin accounts, say, carries more than one of ordinary users); then the fewest objects (the smallest blast radius first); ties by DN. Each candidate is the largest clean ' +
  'subtree: its sub-OUs are clean too, so a smaller pilot can scope one of them instead.';

export interface PilotInput {
  inventory: Inventory;
  containers: readonly ContainerVerdict[];
  findingsAt: ReadonlyMap<string, ReadonlySet<number>>;
  findings: readonly Finding[];
  domains: DomainLocator;
  target: Target;
  /** Why the scan is incomplete, if it is. */
  incompleteReasons: readonly string[];
}

type Candidate = PilotPlan['candidates'][number];

/**
 * Which OUs can move to Cloud Sync first, and the matching Connect Sync side. A candidate is a real
 * OU (Cloud Sync scopes by OU) whose whole subtree was read and carries no hard blocker.
 */
export function pilotPlan(input: PilotInput): PilotPlan {
  const migrationTool = input.target === 'migration-tool';
  const limits = {
    ousPerConfiguration: CLOUD_SYNC_OUS_PER_CONFIGURATION,
    ...(migrationTool ? { containersPerDomain: MIGRATION_TOOL_CONTAINERS_PER_DOMAIN, objects: MIGRATION_TOOL_OBJECTS } : {}),
  };
  const candidates = rank(findCandidates(input));
  select(candidates, limits);
  const selected = candidates.filter((c) => c.selected);

  const cloudSync = [...new Set(selected.map((c) => c.domain))].map((domain) => {
    const ous = selected.filter((c) => c.domain === domain);
    return { domain, ous: ous.map((c) => c.dn), syncedObjects: ous.reduce((sum, c) => sum + c.syncedObjects, 0) };
  });
  const connectKeeps = input.findings.filter((f) => f.severity === 'blocker' && f.coexistence).map((f) => ({ id: f.id, title: f.title, count: f.count }));

  return {
    status: statusOf(candidates, input),
    reasons: reasonsOf(candidates, input),
    ranking: PILOT_RANKING,
    limits,
    candidates,
    cloudSync,
    connectSync: migrationTool
      ? { method: 'migration-tool', scopingFilters: [], steps: MIGRATION_TOOL_STEPS }
      : {
          method: 'cloudNoFlow-rules',
          scopingFilters: selected.map((c) => ({ objectTypes: ['user', 'group', 'contact'], attribute: 'dn', operator: 'ENDSWITH', value: c.dn })),
          steps: CLOUD_NO_FLOW_STEPS,
        },
    connectKeeps,
    notes: [
      'Cloud Sync matches the objects Connect Sync created through ms-DS-ConsistencyGuid: make sure the objects in scope carry it (Connect Sync does not fill it for groups by default).',
      'Moving an object between a Cloud Sync OU and a Connect Sync OU during the coexistence period deletes and re-creates it in Microsoft Entra ID: freeze moves across the boundary.',
      ...(connectKeeps.length > 0
        ? [`Connect Sync keeps running for ${connectKeeps.map((k) => k.id).join(', ')}: the cloudNoFlow rules cover users, groups and contacts only, so computers stay with Connect Sync.`]
        : []),
    ],
    sources: migrationTool ? [MIGRATION_TOOL, CLOUD_SYNC_PREREQUISITES] : [PILOT_TUTORIAL, CLOUD_SYNC_PREREQUISITES],
  };
}

const CLOUD_NO_FLOW_STEPS = [
  'Back up the Connect Sync configuration, then stop its scheduler: Stop-ADSyncSyncCycle; Set-ADSyncScheduler -SyncCycleEnabled $false.',
  'For each object type (user, group, contact), add an inbound rule from the AD connector: link type Join, a unique precedence, one scoping-filter group per OU below (dn ENDSWITH the OU DN), and a Constant transformation flowing True to cloudNoFlow.',
  'For each object type, add an outbound rule to the Microsoft Entra connector: link type JoinNoFlow, scoping filter cloudNoFlow EQUAL True, no transformations.',
  'Do not remove these OUs from Connect Sync OU filtering instead: objects leaving its scope are deleted in Microsoft Entra ID (users soft-deleted, groups hard-deleted and not restorable).',
  "Configure Cloud Sync for each domain with \"Selected organizational units\" set to exactly the domain's OU list above, then re-enable the scheduler: Set-ADSyncScheduler -SyncCycleEnabled $true.",
];

const MIGRATION_TOOL_STEPS = [
  'Run the guided migration from the active Connect Sync server (Configure > "Transition to Cloud Sync"); it refuses a staging server.',
  "Include exactly the containers listed above for each domain; the tool's limits are 30 included containers per domain and 2,000 in-scope objects in one forest.",
  'Do not add cloudNoFlow rules first: the tool treats custom sync rules as a migration-blocking feature.',
  'After the migration the tool puts Connect Sync into staging mode: keep it installed for the two-week validation period.',
];

function isOu(c: ContainerVerdict): boolean {
  if (c.kind === 'organizational-unit') return true;
  // An OU whose own entry was not exported, but whose objects were.
  return c.kind === 'implied' && parseDn(c.dn)[0]?.type === 'ou';
}

function findCandidates(input: PilotInput): Candidate[] {
  const clean = (c: ContainerVerdict): boolean =>
    isOu(c) && (c.verdict === 'ready' || c.verdict === 'ready-with-warnings') && syncedObjects(c.counts) > 0;
  const cleanKeys = new Set(input.containers.filter(clean).map((c) => dnKey(c.dn)));
  const domainNames = new Map(input.inventory.domains.map((d) => [d.key, d.dnsName]));
  const candidates: Candidate[] = [];
  for (const c of input.containers) {
    const key = dnKey(c.dn);
    if (!cleanKeys.has(key) || hasCleanAncestor(key, cleanKeys, input.domains)) continue;
    // Forest-wide coexistence findings (the hybrid join SCP, say) apply to every OU alike and are listed once
    // for the whole plan; a candidate names only those with objects of its own, which Connect Sync keeps.
    const connectKeeps = [...(input.findingsAt.get(key) ?? [])]
      .map((i) => input.findings[i] as Finding)
      .filter((f) => f.severity === 'blocker' && f.coexistence && f.scope.kind === 'objects')
      .map((f) => f.id);
    candidates.push({
      rank: 0,
      dn: c.dn,
      domain: domainNames.get(input.domains.of(key) ?? '') ?? '',
      verdict: c.verdict as Candidate['verdict'],
      counts: c.counts,
      syncedObjects: syncedObjects(c.counts),
      blockers: c.blockers,
      hardBlockers: c.hardBlockers,
      coexistenceBlockers: c.coexistenceBlockers,
      warnings: c.warnings,
      connectKeeps: [...new Set(connectKeeps)].sort(),
      selected: false,
    });
  }
  return candidates;
}

function hasCleanAncestor(key: string, cleanKeys: ReadonlySet<string>, domains: DomainLocator): boolean {
  for (const ancestor of domains.upToDomain(parentKey(key))) if (cleanKeys.has(ancestor)) return true;
  return false;
}

function rank(candidates: Candidate[]): Candidate[] {
  const key = (c: Candidate): number[] => [c.counts.users > 0 ? 0 : 1, c.connectKeeps.length > 0 ? 1 : 0, c.warnings, c.syncedObjects];
  candidates.sort((a, b) => {
    const ka = key(a);
    const kb = key(b);
    for (let i = 0; i < ka.length; i++) if (ka[i] !== kb[i]) return (ka[i] as number) - (kb[i] as number);
    return a.dn.localeCompare(b.dn);
  });
  candidates.forEach((c, i) => (c.rank = i + 1));
  return candidates;
}

/** Takes candidates in rank order while the scoping limits allow; the rest wait for a later wave. */
function select(candidates: Candidate[], limits: PilotPlan['limits']): void {
  const perDomain = new Map<string, number>();
  let objects = 0;
  const ousPerDomain = Math.min(limits.ousPerConfiguration, limits.containersPerDomain ?? Number.POSITIVE_INFINITY);
  for (const c of candidates) {
    const taken = perDomain.get(c.domain) ?? 0;
    if (taken >= ousPerDomain) {
      c.notSelectedBecause = `${c.domain} already has ${ousPerDomain} OUs in scope (the ${limits.containersPerDomain === undefined ? 'Cloud Sync ~50 OUs / 4 MB scoping limit' : "guided tool's 30 containers per domain"})`;
      continue;
    }
    if (limits.objects !== undefined && objects + c.syncedObjects > limits.objects) {
      c.notSelectedBecause = `it would take the scope over the guided tool's ${limits.objects.toLocaleString('en-US')} in-scope objects (${(objects + c.syncedObjects).toLocaleString('en-US')})`;
      continue;
    }
    c.selected = true;
    perDomain.set(c.domain, taken + 1);
    objects += c.syncedObjects;
  }
}

function statusOf(candidates: readonly Candidate[], input: PilotInput): PilotPlan['status'] {
  if (candidates.length > 0) return 'ready';
  return input.incompleteReasons.length > 0 ? 'incomplete' : 'no-candidates';
}

function reasonsOf(candidates: readonly Candidate[], input: PilotInput): string[] {
  const reasons: string[] = [];
  if (input.incompleteReasons.length > 0) {
    reasons.push(
      candidates.length > 0
        ? 'The scan is incomplete: OUs whose subtree was not fully read or judged are left out (see "Why the scan is incomplete").'
        : 'No OU can be recommended while the scan is incomplete: a check that was not evaluated could hide a blocker anywhere (see "Why the scan is incomplete").',
    );
  }
  if (candidates.length === 0 && input.incompleteReasons.length === 0) {
    const ous = input.containers.filter(isOu);
    if (ous.length === 0) reasons.push('No organizational unit was found in the input (Cloud Sync is scoped by OU).');
    else if (ous.every((c) => syncedObjects(c.counts) === 0)) reasons.push('No OU holds users, groups or contacts that Cloud Sync would synchronise.');
    else reasons.push('Every OU holding users, groups or contacts has a hard blocker in its subtree: fix the blockers first (see Findings).');
  }
  if (candidates.some((c) => !c.selected)) reasons.push('Some candidates do not fit the scoping limits: they are left for a later wave.');
  return reasons;
}
