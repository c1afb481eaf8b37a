import { addCounts, emptyCounts, type Inventory, type ObjectCounts } from '../inventory/inventory.js';
import { dnKey, isAtOrBelow, parentKey } from '../model/dn.js';
import type { JudgementScope } from './scope.js';
import type { ContainerVerdict, Finding, Verdict } from './schema.js';

/**
 * What keeps a verdict from being clean.
 *
 * - A hard blocker (severity blocker, no coexistence) makes a verdict `blocked`.
 * - A coexistence blocker (Connect Sync can keep that one workload, devices say, side by side with
 *   mutually exclusive scopes) does not stop Cloud Sync from taking over the rest: the verdict is
 *   `ready-with-warnings` and the pilot plan says what Connect keeps. Such a forest is never `ready`,
 *   and the exit code stays 0 because nothing has to be fixed before the move.
 * - Missing data makes a verdict `incomplete`, whatever else was found.
 */
export interface Tally {
  hardBlockers: number;
  coexistenceBlockers: number;
  warnings: number;
}

export function emptyTally(): Tally {
  return { hardBlockers: 0, coexistenceBlockers: 0, warnings: 0 };
}

export function count(tally: Tally, finding: Finding): void {
  if (finding.severity === 'blocker') {
    if (finding.coexistence) tally.coexistenceBlockers++;
    else tally.hardBlockers++;
  } else if (finding.severity === 'warning') {
    tally.warnings++;
  }
}

export function tallyFields(t: Tally): Tally & { blockers: number } {
  return { blockers: t.hardBlockers + t.coexistenceBlockers, ...t };
}

/** `openQuestions` only matters for the forest: a fact nobody answered keeps it from being plainly ready. */
export function verdictOf(incomplete: boolean, t: Tally, openQuestions = 0): Verdict {
  if (incomplete) return 'incomplete';
  if (t.hardBlockers > 0) return 'blocked';
  return t.coexistenceBlockers > 0 || t.warnings > 0 || openQuestions > 0 ? 'ready-with-warnings' : 'ready';
}

/** Where the data has holes: everywhere (a check not evaluated, an error with no place) or in known subtrees. */
export interface Gaps {
  forestWide: boolean;
  /** Keys of subtrees that were not (all) read. */
  subtrees: readonly string[];
}

function hasGap(key: string, gaps: Gaps): boolean {
  // A gap inside this subtree, or one that covers it from above.
  return gaps.forestWide || gaps.subtrees.some((gap) => isAtOrBelow(gap, key) || isAtOrBelow(key, gap));
}

export interface DomainVerdict extends Tally {
  dn: string;
  verdict: Verdict;
  blockers: number;
}

export function domainVerdicts(inventory: Inventory, findings: readonly Finding[], gaps: Gaps, scope: JudgementScope): DomainVerdict[] {
  const domains = new DomainLocator(inventory);
  return inventory.domains
    .filter((d) => scope.touchesDomain(d.key))
    .map((d) => {
      const tally = emptyTally();
      for (const f of findings) if (appliesToSubtree(f, d.key, domains)) count(tally, f);
      return { dn: d.dn, verdict: verdictOf(!d.partitionRead || hasGap(d.key, gaps), tally), ...tallyFields(tally) };
    });
}

/**
 * Which domain a DN belongs to. A child domain's DN sits below its parent's (DC=child,DC=corp is
 * "below" DC=corp), but it is a separate partition with its own Cloud Sync configuration, so a
 * subtree never reaches across a domain boundary.
 */
export class DomainLocator {
  private readonly longestFirst: readonly string[];
  /** CN=Configuration,<root> sits below the root domain's DN but belongs to no domain (schema is inside it). */
  private readonly configurationKey: string | undefined;

  constructor(inventory: Inventory) {
    this.longestFirst = inventory.domains.map((d) => d.key).sort((a, b) => b.length - a.length);
    const configurationDn = inventory.forest.configurationDn;
    this.configurationKey = configurationDn === undefined ? undefined : dnKey(configurationDn);
  }

  of(key: string): string | undefined {
    if (this.configurationKey !== undefined && isAtOrBelow(key, this.configurationKey)) return undefined;
    return this.longestFirst.find((d) => isAtOrBelow(key, d));
  }

  /** The key itself and its ancestors up to its domain head, never beyond. */
  *upToDomain(key: string): Generator<string> {
    const domain = this.of(key);
    if (domain === undefined) return;
    for (let k = key; k !== '' && isAtOrBelow(k, domain); k = parentKey(k)) yield k;
  }

  /** True when `key` lies in the subtree at `subtreeKey`, within the same domain. */
  inSubtree(key: string, subtreeKey: string): boolean {
    return isAtOrBelow(key, subtreeKey) && this.of(key) === this.of(subtreeKey);
  }
}

/** True when the finding is about the subtree at `key`: forest-wide, its domain's, or one of its objects is inside. */
export function appliesToSubtree(f: Finding, key: string, domains: DomainLocator): boolean {
  if (f.scope.kind === 'forest') return true;
  if (f.scope.kind === 'domain') return domains.of(key) === dnKey(f.scope.dn);
  return f.objects.some((o) => domains.inSubtree(dnKey(o.dn), key));
}

export interface ContainerJudgement {
  verdicts: ContainerVerdict[];
  /** Indexes into the findings list of everything that weighs on each subtree. */
  findingsAt: ReadonlyMap<string, ReadonlySet<number>>;
}

/**
 * Verdict per OU and container, for the subtree below it: Cloud Sync is scoped by OU, so a team can
 * pick a pilot from the subtrees that are ready. Object findings mark every container above each
 * object once, so the cost grows with objects times depth, not objects times containers.
 */
export function containerVerdicts(inventory: Inventory, findings: readonly Finding[], gaps: Gaps, scope: JudgementScope): ContainerJudgement {
  const domains = new DomainLocator(inventory);
  const subtree = new Map<string, ObjectCounts>();
  const findingsAt = new Map<string, Set<number>>();
  for (const node of inventory.containers.values()) {
    if (domains.of(node.key) === undefined || !scope.contains(node.key)) continue;
    subtree.set(node.key, emptyCounts());
    findingsAt.set(node.key, new Set());
  }
  for (const node of inventory.containers.values()) {
    for (const key of domains.upToDomain(node.key)) {
      const counts = subtree.get(key);
      if (counts !== undefined) addCounts(counts, node.direct);
    }
  }

  findings.forEach((finding, index) => {
    if (finding.severity === 'info') return;
    if (finding.scope.kind === 'objects') {
      for (const object of finding.objects) {
        for (const key of domains.upToDomain(dnKey(object.dn))) findingsAt.get(key)?.add(index);
      }
    } else {
      for (const [key, marks] of findingsAt) if (appliesToSubtree(finding, key, domains)) marks.add(index);
    }
  });

  const verdicts: ContainerVerdict[] = [];
  for (const [key, counts] of subtree) {
    const node = inventory.containers.get(key);
    if (node === undefined) continue;
    const tally = emptyTally();
    for (const index of findingsAt.get(key) ?? []) count(tally, findings[index] as Finding);
    const domain = inventory.domains.find((d) => d.key === domains.of(key));
    const incomplete = hasGap(key, gaps) || domain?.partitionRead !== true;
    verdicts.push({ dn: node.dn, kind: node.kind, verdict: verdictOf(incomplete, tally), counts, ...tallyFields(tally) });
  }
  verdicts.sort((a, b) => treeOrder(a.dn).localeCompare(treeOrder(b.dn)));
  return { verdicts, findingsAt };
}

/** Sorts parents before their children and siblings alphabetically. */
function treeOrder(dn: string): string {
  return dnKey(dn).split(',').reverse().join('\u0001');
}
