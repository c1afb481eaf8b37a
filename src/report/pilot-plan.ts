import { plural } from '../checks/support/ad-values.js';
import type { Target } from '../checks/check.js';
import { CLOUD_SYNC_PREREQUISITES, MIGRATION_TOOL, PILOT_TUTORIAL } from '../checks/support/sources.js';
import { syncedObjects } from '../inventory/inventory.js';
import { dnKey, parentKey, parseDn } from '../model/dn.js';
import { compareText } from '../model/order.js';
import type { ContainerVerdict, Finding, PilotCandidate, PilotPlan } from './schema.js';
import { type DomainLocator, isPrerequisite } from './verdicts.js';

/** About 50 OUs or groups fit in a Cloud Sync configuration's 4 MB scoping limit (how-to-prerequisites). */
const CLOUD_SYNC_OUS_PER_CONFIGURATION = 50;

export const PILOT_RANKING =
  'OUs holding privileged accounts come last (a pilot needs ordinary users); then OUs that hold users come first (people who sign in notice problems); ' +
  'then OUs that need nothing kept on Connect Sync; then the fewest warnings of their own; then the fewest objects (the smallest blast radius first); ' +
  'ties by DN. Each candidate is the largest subtree clean on its own: its sub-OUs are clean too, so a smaller pilot can scope one of them instead. ' +
  'Wave 1 is the pilot: the best-ranked OU with users, no privileged account and nothing kept on Connect Sync. Wave 2 adds the other ordinary OUs, ' +
  'wave 3 the OUs holding privileged accounts.';

/** The guided migration tool's scope limits, from the check options a config file can change. */
export interface MigrationToolLimits {
  containersPerDomain: number;
  objects: number;
}

export interface PilotInput {
  containers: readonly ContainerVerdict[];
  /** Per container key, indexes into `findings` of the object findings its subtree owns. */
  findingsAt: ReadonlyMap<string, ReadonlySet<number>>;
  findings: readonly Finding[];
  domains: DomainLocator;
  target: Target;
  migrationTool: MigrationToolLimits;
  /** Why the scan is incomplete, if it is. */
  incompleteReasons: readonly string[];
  /** Whether Connect's OU filter covers a container today (from its configuration export; absent without one). */
  connectSynchronises?: (containerKey: string) => boolean;
}

const WAVE_TITLES: Record<number, string> = {
  1: 'the pilot',
  2: 'ordinary OUs after the pilot',
  3: 'OUs holding privileged accounts, last',
};

/**
 * Which OUs can move to Cloud Sync first, and the matching Connect Sync side. A candidate is a real OU
 * (Cloud Sync scopes by OU) whose whole subtree was read and owns no hard blocker; forest- and domain-wide
 * findings are prerequisites listed once at the top, never held against each OU.
 */
export function pilotPlan(input: PilotInput): PilotPlan {
  const limits = limitsOf(input);
  const candidates = rank(findCandidates(input));
  assignWaves(candidates, limits);
  const scopes = wavesOf(candidates);
  const firstWave = scopes.get(1) ?? [];
  const prerequisites = prerequisitesOf(input);
  const connectKeeps = input.findings.filter((f) => f.coexistence && f.severity !== 'info').map((f) => ({ key: f.key, title: f.title, count: f.count }));

  return {
    status: statusOf(candidates, prerequisites, input),
    reasons: reasonsOf(candidates, prerequisites, input),
    prerequisites,
    ranking: PILOT_RANKING,
    limits,
    candidates,
    cloudSync: firstWave,
    laterWaves: [...scopes].filter(([wave]) => wave > 1).map(([wave, cloudSync]) => ({ wave, title: WAVE_TITLES[wave] ?? `wave ${wave}`, cloudSync })),
    connectSync:
      input.target === 'migration-tool'
        ? { method: 'migration-tool', scopingFilters: [], steps: migrationToolSteps(input.migrationTool) }
        : {
            method: 'cloudNoFlow-rules',
            // An OU Connect does not synchronise needs no cloudNoFlow rule: Connect never exports its objects.
            scopingFilters: firstWave.flatMap((scope) =>
              scope.ous
                .filter((dn) => input.connectSynchronises?.(dnKey(dn)) !== false)
                .map((dn) => ({
                  objectTypes: ['user' as const, 'group' as const, 'contact' as const],
                  attribute: 'dn' as const,
                  operator: 'ENDSWITH' as const,
                  value: dn,
                })),
            ),
            steps: CLOUD_NO_FLOW_STEPS,
          },
    connectKeeps,
    notes: [
      'Cloud Sync matches the objects Connect Sync created through ms-DS-ConsistencyGuid: make sure the objects in scope carry it (Connect Sync does not fill it for groups by default).',
      'Moving an object between a Cloud Sync OU and a Connect Sync OU during the coexistence period deletes and re-creates it in Microsoft Entra ID: freeze moves across the boundary.',
      'Each later wave adds its OUs to the same configuration (and to the cloudNoFlow scoping filters) once the wave before it runs cleanly.',
      ...notSynchronisedByConnect(candidates),
      ...(connectKeeps.length > 0
        ? [
            `Connect Sync keeps running for ${[...new Set(connectKeeps.map((k) => k.key))].join(', ')}: the cloudNoFlow rules cover users, groups and contacts only, so computers stay with Connect Sync.`,
          ]
        : []),
    ],
    sources: input.target === 'migration-tool' ? [MIGRATION_TOOL, CLOUD_SYNC_PREREQUISITES] : [PILOT_TUTORIAL, CLOUD_SYNC_PREREQUISITES],
  };
}

function notSynchronisedByConnect(candidates: readonly PilotCandidate[]): string[] {
  const outside = candidates.filter((c) => c.connectSyncsToday === false).map((c) => c.dn);
  if (outside.length === 0) return [];
  return [
    `Connect Sync does not synchronise ${outside.join('; ')} today (its OU filter in the export): Cloud Sync will create new objects in Microsoft Entra ID for them ` +
      'instead of taking over existing ones, and they need no cloudNoFlow rule. Check that nothing in the tenant already stands for these accounts.',
  ];
}

function limitsOf(input: PilotInput): PilotPlan['limits'] {
  return {
    ousPerConfiguration: CLOUD_SYNC_OUS_PER_CONFIGURATION,
    ...(input.target === 'migration-tool' ? { containersPerDomain: input.migrationTool.containersPerDomain, objects: input.migrationTool.objects } : {}),
  };
}

const CLOUD_NO_FLOW_STEPS = [
  'Back up the Connect Sync configuration, then stop its scheduler: Stop-ADSyncSyncCycle; Set-ADSyncScheduler -SyncCycleEnabled $false.',
  'For each object type (user, group, contact), add an inbound rule from the AD connector: link type Join, a unique precedence, one scoping-filter group per OU below (dn ENDSWITH the OU DN), and a Constant transformation flowing True to cloudNoFlow.',
  'For each object type, add an outbound rule to the Microsoft Entra connector: link type JoinNoFlow, scoping filter cloudNoFlow EQUAL True, no transformations.',
  'Do not remove these OUs from Connect Sync OU filtering instead: objects leaving its scope are deleted in Microsoft Entra ID (users soft-deleted, groups hard-deleted and not restorable).',
  'Configure Cloud Sync for each domain with "Selected organizational units" set to exactly the domain\'s OU list above, then re-enable the scheduler: Set-ADSyncScheduler -SyncCycleEnabled $true.',
];

function migrationToolSteps(limits: MigrationToolLimits): string[] {
  return [
    'Run the guided migration from the active Connect Sync server (Configure > "Transition to Cloud Sync"); it refuses a staging server.',
    `Include exactly the containers listed above for each domain; the tool's limits are ${limits.containersPerDomain} included containers per domain and ${plural(limits.objects, 'in-scope object')} in one forest.`,
    'Do not add cloudNoFlow rules first: the tool treats custom sync rules as a migration-blocking feature.',
    'After the migration the tool puts Connect Sync into staging mode: keep it installed for the two-week validation period.',
  ];
}

function isOu(c: ContainerVerdict): boolean {
  if (c.kind === 'organizational-unit') return true;
  // An OU whose own entry was not exported, but whose objects were.
  return c.kind === 'implied' && parseDn(c.dn)[0]?.type === 'ou';
}

/**
 * The largest subtrees clean on their own. One that holds privileged accounts is split: its clean sub-OUs
 * of ordinary users are candidates of their own, and the subtree follows last with the rest (adding a parent
 * OU to the scope later takes in what its children already moved).
 */
function findCandidates(input: PilotInput): PilotCandidate[] {
  const clean = (c: ContainerVerdict): boolean => isOu(c) && (c.verdict === 'ready' || c.verdict === 'ready-with-warnings') && syncedObjects(c.counts) > 0;
  const cleanOus = input.containers.filter(clean);
  const cleanKeys = new Set(cleanOus.map((c) => dnKey(c.dn)));
  const cleanChildren = new Map<string, ContainerVerdict[]>();
  for (const c of cleanOus) {
    const parent = parentKey(dnKey(c.dn));
    const siblings = cleanChildren.get(parent);
    if (siblings === undefined) cleanChildren.set(parent, [c]);
    else siblings.push(c);
  }
  // The largest ordinary (no privileged account) clean subtrees at or below a clean OU.
  const ordinary = (c: ContainerVerdict): ContainerVerdict[] => (c.counts.privileged === 0 ? [c] : (cleanChildren.get(dnKey(c.dn)) ?? []).flatMap(ordinary));
  return cleanOus
    .filter((c) => !hasCleanAncestor(dnKey(c.dn), cleanKeys, input.domains))
    .flatMap((root) => {
      if (root.counts.privileged === 0) return [candidateOf(root, input)];
      const inner = (cleanChildren.get(dnKey(root.dn)) ?? []).flatMap(ordinary).map((c) => candidateOf(c, input));
      const rest = candidateOf(root, input);
      rest.syncedObjects -= inner.reduce((sum, c) => sum + c.syncedObjects, 0);
      return [...inner, rest];
    });
}

function candidateOf(c: ContainerVerdict, input: PilotInput): PilotCandidate {
  // What Connect Sync keeps for this OU: its own objects' coexistence findings (forest-wide ones are listed once for the plan).
  const connectKeeps = [...(input.findingsAt.get(dnKey(c.dn)) ?? [])]
    .map((i) => input.findings[i] as Finding)
    .filter((f) => f.coexistence)
    .map((f) => f.key);
  return {
    rank: 0,
    dn: c.dn,
    domain: c.domain,
    verdict: c.verdict as PilotCandidate['verdict'],
    counts: c.counts,
    syncedObjects: syncedObjects(c.counts),
    blockers: c.blockers,
    hardBlockers: c.hardBlockers,
    coexistenceBlockers: c.coexistenceBlockers,
    warnings: c.warnings,
    connectKeeps: [...new Set(connectKeeps)].sort(compareText),
    ...(input.connectSynchronises === undefined ? {} : { connectSyncsToday: input.connectSynchronises(dnKey(c.dn)) }),
    why: '',
  };
}

function hasCleanAncestor(key: string, cleanKeys: ReadonlySet<string>, domains: DomainLocator): boolean {
  for (const ancestor of domains.upToDomain(parentKey(key))) if (cleanKeys.has(ancestor)) return true;
  return false;
}

function rank(candidates: PilotCandidate[]): PilotCandidate[] {
  const order = (c: PilotCandidate): number[] => [
    c.counts.privileged > 0 ? 1 : 0,
    c.counts.users > 0 ? 0 : 1,
    c.connectKeeps.length > 0 ? 1 : 0,
    c.warnings,
    c.syncedObjects,
  ];
  candidates.sort((a, b) => {
    const ka = order(a);
    const kb = order(b);
    for (let i = 0; i < ka.length; i++) if (ka[i] !== kb[i]) return (ka[i] as number) - (kb[i] as number);
    return compareText(dnKey(a.dn), dnKey(b.dn));
  });
  candidates.forEach((c, i) => (c.rank = i + 1));
  return candidates;
}

/** The wave a candidate belongs in by what it holds, before the scoping limits are applied. */
function naturalWave(c: PilotCandidate, pilotTaken: boolean): { wave: number; why: string } {
  if (c.counts.privileged > 0) {
    return {
      wave: 3,
      why: `holds ${plural(c.counts.privileged, 'privileged account')} (adminCount=1 or a protected group's member): move it once ordinary users run on Cloud Sync`,
    };
  }
  if (pilotTaken) return { wave: 2, why: 'after the pilot' };
  if (c.counts.users === 0) return { wave: 2, why: 'holds no users: a pilot needs people who sign in and notice problems' };
  if (c.connectKeeps.length > 0) return { wave: 2, why: `Connect Sync keeps ${c.connectKeeps.join(', ')} for it: a pilot should move whole` };
  return { wave: 1, why: 'the pilot: the best-ranked OU of ordinary users' };
}

/** Gives each candidate its wave in rank order (privileged OUs rank last) while the scoping limits allow; the rest wait. */
function assignWaves(candidates: PilotCandidate[], limits: PilotPlan['limits']): void {
  const perDomain = new Map<string, number>();
  let objects = 0;
  let pilotTaken = false;
  const ousPerDomain = Math.min(limits.ousPerConfiguration, limits.containersPerDomain ?? Number.POSITIVE_INFINITY);
  for (const c of candidates) {
    const taken = perDomain.get(c.domain) ?? 0;
    if (taken >= ousPerDomain) {
      c.why = `${c.domain} already has ${ousPerDomain} OUs in scope (the ${limits.containersPerDomain === undefined ? 'Cloud Sync ~50 OUs / 4 MB scoping limit' : "guided tool's containers per domain"})`;
      continue;
    }
    if (limits.objects !== undefined && objects + c.syncedObjects > limits.objects) {
      c.why = `it would take the scope over the guided tool's ${plural(limits.objects, 'in-scope object')} (${(objects + c.syncedObjects).toLocaleString('en-US')})`;
      continue;
    }
    const { wave, why } = naturalWave(c, pilotTaken);
    c.wave = wave;
    c.why = why;
    pilotTaken ||= wave === 1;
    perDomain.set(c.domain, taken + 1);
    objects += c.syncedObjects;
  }
}

/** Per wave, the OUs of each domain in rank order. */
function wavesOf(candidates: readonly PilotCandidate[]): Map<number, PilotPlan['cloudSync']> {
  const waves = new Map<number, PilotPlan['cloudSync']>();
  const placed = candidates
    .filter((c) => c.wave !== undefined)
    .sort((a, b) => (a.wave as number) - (b.wave as number) || compareText(a.domain, b.domain) || a.rank - b.rank);
  for (const c of placed) {
    const wave = waves.get(c.wave as number) ?? [];
    waves.set(c.wave as number, wave);
    let scope = wave.find((s) => s.domain === c.domain);
    if (scope === undefined) {
      scope = { domain: c.domain, ous: [], syncedObjects: 0 };
      wave.push(scope);
    }
    scope.ous.push(c.dn);
    scope.syncedObjects += c.syncedObjects;
  }
  return waves;
}

function prerequisitesOf(input: PilotInput): PilotPlan['prerequisites'] {
  return input.findings
    .filter((f) => isPrerequisite(f, input.domains) && f.severity !== 'info' && !f.coexistence)
    .map((f) => {
      const domain = f.scope.kind === 'domain' ? input.domains.dnsNameOf(dnKey(f.scope.dn)) : undefined;
      return {
        fingerprint: f.fingerprint,
        key: f.key,
        title: f.title,
        severity: f.severity,
        ...(domain === undefined ? {} : { domain }),
        mustFixFirst: f.severity === 'blocker',
      };
    });
}

function statusOf(candidates: readonly PilotCandidate[], prerequisites: PilotPlan['prerequisites'], input: PilotInput): PilotPlan['status'] {
  if (candidates.length === 0) return input.incompleteReasons.length > 0 ? 'incomplete' : 'no-candidates';
  return prerequisites.some((p) => p.mustFixFirst) ? 'after-prerequisites' : 'ready';
}

function reasonsOf(candidates: readonly PilotCandidate[], prerequisites: PilotPlan['prerequisites'], input: PilotInput): string[] {
  const reasons: string[] = [];
  const mustFix = prerequisites.filter((p) => p.mustFixFirst);
  if (mustFix.length > 0) {
    reasons.push(
      `Fix ${mustFix.length === 1 ? 'this prerequisite' : `these ${mustFix.length} prerequisites`} first: ${mustFix.map((p) => p.title).join('; ')}. They hold for every OU alike, so the ranking below is by what each OU owns.`,
    );
  }
  if (input.incompleteReasons.length > 0) {
    reasons.push(
      candidates.length > 0
        ? 'The scan is incomplete: OUs whose subtree was not fully read or judged are left out (see "Why the scan is incomplete").'
        : 'No OU can be recommended while the scan is incomplete: a check that was not evaluated or a question not answered could hide a blocker anywhere (see "Why the scan is incomplete").',
    );
  }
  if (candidates.length === 0 && input.incompleteReasons.length === 0) {
    const ous = input.containers.filter(isOu);
    if (ous.length === 0) reasons.push('No organizational unit was found in the input (Cloud Sync is scoped by OU).');
    else if (ous.every((c) => syncedObjects(c.counts) === 0)) reasons.push('No OU holds users, groups or contacts that Cloud Sync would synchronise.');
    else reasons.push('Every OU holding users, groups or contacts owns a hard blocker in its subtree: fix those first (see Findings).');
  }
  if (candidates.length > 0 && !candidates.some((c) => c.wave === 1)) {
    reasons.push('No OU qualifies as a pilot (users, no privileged account, nothing kept on Connect Sync): start with the best-ranked candidate of wave 2.');
  }
  if (candidates.some((c) => c.wave === undefined)) reasons.push('Some candidates do not fit the scoping limits: they wait until the scope can grow.');
  return reasons;
}
