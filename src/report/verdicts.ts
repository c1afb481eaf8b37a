import { ObjectList } from '../checks/support/object-list.js';
import { addCounts, emptyCounts, type Inventory, type ObjectCounts } from '../inventory/inventory.js';
import { dnKey, isAtOrBelow, parentKey } from '../model/dn.js';
import { compareText } from '../model/order.js';
import type { JudgementScope } from './scope.js';
import type { ContainerVerdict, Finding, Verdict } from './schema.js';

/**
 * What keeps a verdict from being clean, in order of precedence.
 *
 * - A hard blocker (severity blocker, no coexistence) makes a verdict `blocked`: it was found, so it is
 *   certain whatever else is unknown, and a pipeline gating on the exit code must see it.
 * - Otherwise missing data, a check not evaluated or an open question makes it `incomplete`.
 * - Otherwise a coexistence blocker (Connect Sync keeps that one workload, devices say, side by side with
 *   mutually exclusive scopes) or a warning makes it `ready-with-warnings`: nothing must be fixed first.
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

export function tallyOf(findings: Iterable<Finding>): Tally {
  const tally = emptyTally();
  for (const f of findings) count(tally, f);
  return tally;
}

export function tallyFields(t: Tally): Tally & { blockers: number } {
  return { blockers: t.hardBlockers + t.coexistenceBlockers, ...t };
}

/** `unknown`: something this verdict rests on was not read, not evaluated, or not answered. */
export function verdictOf(t: Tally, unknown: boolean): Verdict {
  if (t.hardBlockers > 0) return 'blocked';
  if (unknown) return 'incomplete';
  return t.coexistenceBlockers > 0 || t.warnings > 0 ? 'ready-with-warnings' : 'ready';
}

/** Where the data or the judgement has holes: everywhere (a check not evaluated, an open question) or in known subtrees. */
export interface Gaps {
  forestWide: boolean;
  /** Keys of subtrees inside domains that were not (all) read. */
  subtrees: readonly string[];
}

function hasGap(key: string, gaps: Gaps, domains: DomainLocator): boolean {
  // A gap inside this subtree (within its domain: a child domain is not part of its parent's subtree), or one that covers it from above.
  return gaps.forestWide || gaps.subtrees.some((gap) => domains.inSubtree(gap, key) || isAtOrBelow(key, gap));
}

export interface DomainVerdict extends Tally {
  dn: string;
  verdict: Verdict;
  blockers: number;
}

/** A domain moves as a whole only when nothing in it, nor the forest or the domain itself, blocks. */
export function domainVerdicts(inventory: Inventory, findings: readonly Finding[], gaps: Gaps, scope: JudgementScope, domains: DomainLocator): DomainVerdict[] {
  return inventory.domains
    .filter((d) => scope.touchesDomain(d.key))
    .map((d) => {
      const tally = tallyOf(findings.filter((f) => appliesToSubtree(f, d.key, domains)));
      return { dn: d.dn, verdict: verdictOf(tally, !d.partitionRead || hasGap(d.key, gaps, domains)), ...tallyFields(tally) };
    });
}

/**
 * Which domain a DN belongs to. A child domain's DN sits below its parent's (DC=child,DC=corp is
 * "below" DC=corp), but it is a separate partition with its own Cloud Sync configuration, so a
 * subtree never reaches across a domain boundary.
 */
export class DomainLocator {
  private readonly longestFirst: readonly string[];
  private readonly dnsNames: ReadonlyMap<string, string>;
  /** CN=Configuration,<root> sits below the root domain's DN but belongs to no domain (schema is inside it). */
  private readonly configurationKey: string | undefined;

  constructor(inventory: Inventory) {
    this.longestFirst = inventory.domains.map((d) => d.key).sort((a, b) => b.length - a.length);
    this.dnsNames = new Map(inventory.domains.map((d) => [d.key, d.dnsName]));
    const configurationDn = inventory.forest.configurationDn;
    this.configurationKey = configurationDn === undefined ? undefined : dnKey(configurationDn);
  }

  of(key: string): string | undefined {
    if (this.configurationKey !== undefined && isAtOrBelow(key, this.configurationKey)) return undefined;
    return this.longestFirst.find((d) => isAtOrBelow(key, d));
  }

  /** DNS name of the domain holding `key`, or undefined outside every domain. */
  dnsNameOf(key: string): string | undefined {
    const domain = this.of(key);
    return domain === undefined ? undefined : this.dnsNames.get(domain);
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

/**
 * What a finding reaches: the whole forest, one domain (by key), or the objects it lists. An object finding
 * whose objects all lie outside every domain (a service connection point in the configuration partition,
 * say) is about the forest.
 */
export function reachOf(f: Finding, domains: DomainLocator): { kind: 'forest' } | { kind: 'domain'; key: string } | { kind: 'objects' } {
  if (f.scope.kind === 'domain') return { kind: 'domain', key: dnKey(f.scope.dn) };
  if (f.scope.kind === 'objects' && ObjectList.someKey(f.objects, (key) => domains.of(key) !== undefined)) return { kind: 'objects' };
  return { kind: 'forest' };
}

/** True for a finding about the forest or a whole domain: a prerequisite for every OU it reaches, owned by none. */
export function isPrerequisite(f: Finding, domains: DomainLocator): boolean {
  return reachOf(f, domains).kind !== 'objects';
}

/** True when the finding weighs on the subtree at `key`: forest-wide, its domain's, or one of its objects is inside. */
export function appliesToSubtree(f: Finding, key: string, domains: DomainLocator): boolean {
  const reach = reachOf(f, domains);
  if (reach.kind === 'forest') return true;
  if (reach.kind === 'domain') return domains.of(key) === reach.key;
  return ObjectList.someKey(f.objects, (objectKey) => domains.inSubtree(objectKey, key));
}

export interface ContainerJudgement {
  verdicts: ContainerVerdict[];
  /** Indexes into the findings list of the object findings inside each subtree: what the subtree owns. */
  findingsAt: ReadonlyMap<string, ReadonlySet<number>>;
}

/**
 * Verdict per OU and container for what its subtree owns: object findings with an object inside. Forest-
 * and domain-wide findings (no KDS root key, say) are prerequisites for every OU alike, so they are
 * counted apart as `inherited` and never make every OU blocked. Object findings mark every container
 * above each object, climbing only until a container already marked, so the cost grows with objects (plus
 * containers times depth), not objects times depth nor objects times containers.
 */
export function containerVerdicts(
  inventory: Inventory,
  findings: readonly Finding[],
  gaps: Gaps,
  scope: JudgementScope,
  domains: DomainLocator,
): ContainerJudgement {
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
    if (finding.severity === 'info' || isPrerequisite(finding, domains)) return;
    for (const objectKey of ObjectList.keysOf(finding.objects)) {
      for (const key of domains.upToDomain(objectKey)) {
        const owned = findingsAt.get(key);
        // Marked by an object before this one, and so was every container above it: the rest of the way is done.
        if (owned?.has(index)) break;
        owned?.add(index);
      }
    }
  });

  const inheritedBy = inheritedTallies(inventory, findings, domains);
  const verdicts: ContainerVerdict[] = [];
  for (const [key, counts] of subtree) {
    const node = inventory.containers.get(key);
    const domainKey = domains.of(key);
    const domain = inventory.domains.find((d) => d.key === domainKey);
    if (node === undefined || domain === undefined) continue;
    const own = tallyOf([...(findingsAt.get(key) ?? [])].map((i) => findings[i] as Finding));
    const unknown = hasGap(key, gaps, domains) || !domain.partitionRead;
    verdicts.push({
      dn: node.dn,
      kind: node.kind,
      domain: domain.dnsName,
      depth: depthBelow(key, domain.key),
      verdict: verdictOf(own, unknown),
      counts,
      ...tallyFields(own),
      inherited: tallyFields(inheritedBy.get(domain.key) ?? emptyTally()),
    });
  }
  verdicts.sort((a, b) => compareText(a.domain, b.domain) || compareText(treeOrder(a.dn), treeOrder(b.dn)));
  return { verdicts, findingsAt };
}

/** Per domain: the forest-wide findings plus that domain's own, which every container in it inherits. */
function inheritedTallies(inventory: Inventory, findings: readonly Finding[], domains: DomainLocator): Map<string, Tally> {
  const reaches = findings.map((f) => reachOf(f, domains));
  return new Map(
    inventory.domains.map((d) => [
      d.key,
      tallyOf(
        findings.filter((_, i) => {
          const r = reaches[i];
          return r?.kind === 'forest' || (r?.kind === 'domain' && r.key === d.key);
        }),
      ),
    ]),
  );
}

/** 0 for the domain head, 1 for an OU directly below it, and so on. */
function depthBelow(key: string, domainKey: string): number {
  let depth = 0;
  for (let k = key; k !== domainKey && k !== ''; k = parentKey(k)) depth++;
  return depth;
}

/** Sorts parents before their children and siblings alphabetically (per domain: the caller sorts by domain first). */
function treeOrder(dn: string): string {
  return dnKey(dn).split(',').reverse().join('\u0001');
}
