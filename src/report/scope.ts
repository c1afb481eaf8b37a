import { dnKey, isAtOrBelow } from '../model/dn.js';
import { ObjectList } from '../checks/support/object-list.js';
import type { Finding } from './schema.js';

/**
 * The OU subtrees a team plans to migrate (config `scope.include`). The engine still reads and
 * checks the whole forest, because forest-wide checks (duplicate values, say) need every object;
 * the scope only decides which findings and verdicts count. An empty list means the whole forest.
 */
export class JudgementScope {
  private readonly roots: readonly string[];

  constructor(include: readonly string[]) {
    this.roots = include.map(dnKey);
  }

  get wholeForest(): boolean {
    return this.roots.length === 0;
  }

  /** True for a container or object at or below an included OU. */
  contains(key: string): boolean {
    return this.wholeForest || this.roots.some((root) => isAtOrBelow(key, root));
  }

  /** True for a domain that holds an included OU (or is one). */
  touchesDomain(domainKey: string): boolean {
    return this.wholeForest || this.roots.some((root) => isAtOrBelow(root, domainKey) || isAtOrBelow(domainKey, root));
  }

  /**
   * Forest-wide findings always count; a domain-wide one counts for a domain in scope; an object
   * finding counts when at least one of its objects is inside (a duplicate UPN shared with an object
   * outside the scope still breaks the objects inside).
   */
  covers(finding: Pick<Finding, 'scope' | 'objects'>): boolean {
    if (this.wholeForest) return true;
    switch (finding.scope.kind) {
      case 'forest':
      case 'tenant':
        return true;
      case 'domain':
        return this.touchesDomain(dnKey(finding.scope.dn));
      case 'objects':
        // A finding that names no objects cannot be placed: it counts rather than hides.
        return finding.objects.length === 0 || ObjectList.someKey(finding.objects, (key) => this.contains(key));
    }
  }
}
