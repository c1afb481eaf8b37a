import type { Entry, ObjectKind } from '../../model/entry.js';
import { connectSyncExclusion, EXCLUSION_TEXT, type ExclusionReason } from '../../inventory/exclusions.js';
import type { CheckRun, FindingInput, SourceRef } from '../check.js';
import type { ValueCheck, ValueProblem } from './address-syntax.js';
import { ObjectList } from './object-list.js';

/**
 * What the IdFix-class checks share: which objects they look at (Connect Sync's own exclusions, one rule
 * for every check), how per-value problems become findings, and the sources they rest on.
 */

/** IdFix's rules as its last release runs them; its docs moved from the repository to GitHub Pages. */
export const IDFIX_RULES: SourceRef = {
  title: 'IdFix 2.6.0.3 rules (microsoft/idfix src/IdFix/Rules and Settings/Constants.cs; deprecated on 2026-06-30)',
  url: 'https://github.com/microsoft/idfix/tree/master/src/IdFix/Rules',
  date: '2024-12-03',
};

export const M365_PREPARE_DIRECTORY_SYNC: SourceRef = {
  title: 'Prepare for directory synchronization to Microsoft 365',
  url: 'https://learn.microsoft.com/microsoft-365/enterprise/prepare-for-directory-synchronization',
  date: '2023-12-28',
};

const SYNCED_KINDS: readonly ObjectKind[] = ['user', 'group', 'contact'];

/**
 * The objects a check looks at, with a tally of the ones Connect Sync skips (and why) so every message
 * can say how many were left out.
 */
export class ObjectScope {
  private readonly skipped = new Map<ExclusionReason, number>();
  examined = 0;

  /** `kinds`: the kinds of object looked at (a check's `visits`); default users (inetOrgPerson included), groups and contacts. */
  constructor(readonly kinds: readonly ObjectKind[] = SYNCED_KINDS) {}

  /** True when the entry is of a kind the check looks at and Connect Sync would synchronise it; counts the skipped ones. */
  admit(entry: Entry): boolean {
    if (!this.kinds.includes(entry.kind)) return false;
    const reason = connectSyncExclusion(entry);
    if (reason !== undefined) {
      this.skipped.set(reason, (this.skipped.get(reason) ?? 0) + 1);
      return false;
    }
    this.examined++;
    return true;
  }

  /** "1,204 users, groups, contacts examined; 9 skipped as Connect Sync skips them (4 critical system objects, ...)." */
  summary(): string {
    const total = [...this.skipped.values()].reduce((a, b) => a + b, 0);
    const examined = `${this.examined.toLocaleString('en-US')} ${[...this.kinds].map((k) => `${k}s`).join(', ')} examined`;
    if (total === 0) return `${examined}; none skipped.`;
    const parts = [...this.skipped].map(([reason, n]) => `${n.toLocaleString('en-US')} ${EXCLUSION_TEXT[reason]}`);
    return `${examined}; ${total.toLocaleString('en-US')} skipped as Connect Sync skips them (${parts.join(', ')}).`;
  }
}

/** One thing wrong with one object, filed under one of the check's finding kinds. */
export interface Problem<Kind extends string = string> extends ValueProblem {
  finding: Kind;
  /** For a value problem: the attribute (as AD spells it), the offending value and the proposed repair. */
  attribute?: string;
  value?: string;
  suggestion?: string;
}

/** The problems a value check found in one attribute value, filed under `finding`. */
export function valueProblems<Kind extends string>(finding: Kind, attribute: string, value: string, check: ValueCheck): Problem<Kind>[] {
  // Built field by field: spreading objects is a large share of a scan where every object has a problem.
  return check.problems.map((p) => {
    const problem: Problem<Kind> = { kind: p.kind, finding, attribute, value };
    if (p.detail !== undefined) problem.detail = p.detail;
    if (check.suggestion !== undefined) problem.suggestion = check.suggestion;
    return problem;
  });
}

/** One finding kind's objects: one entry per offending value, so the fix list has a row per value. */
class ProblemList {
  readonly refs = new ObjectList();
  objects = 0;
  private readonly tally = new Map<string, number>();

  add(entry: Entry, problems: readonly Problem[]): void {
    const byValue = new Map<string, Problem[]>();
    for (const p of problems) {
      const key = p.attribute === undefined ? '' : `${p.attribute}\u0000${p.value ?? ''}`;
      const group = byValue.get(key);
      if (group === undefined) byValue.set(key, [p]);
      else group.push(p);
    }
    for (const group of byValue.values()) {
      const [first] = group as [Problem, ...Problem[]];
      const detail = group.map((p) => (p.detail === undefined ? p.kind : `${p.kind}: ${p.detail}`)).join('; ');
      const suggestion = group.find((p) => p.suggestion !== undefined)?.suggestion;
      this.refs.add(entry, {
        detail,
        ...(first.attribute === undefined ? {} : { attribute: first.attribute, value: first.value ?? '' }),
        ...(suggestion === undefined ? {} : { suggestion }),
      });
    }
    this.objects++;
    for (const kind of new Set(problems.map((p) => p.kind))) this.tally.set(kind, (this.tally.get(kind) ?? 0) + 1);
  }

  /** "3 × bad character, 1 × too long", most frequent first. */
  breakdown(): string {
    return [...this.tally]
      .sort((a, b) => b[1] - a[1])
      .map(([kind, n]) => `${n.toLocaleString('en-US')} × ${kind}`)
      .join(', ');
  }
}

/**
 * The whole run of a per-object IdFix-class rule: look at every object Connect Sync would synchronise,
 * collect its problems, and report one finding per kind (in the order `findings` names them) listing
 * every offending value, with a tally per problem and the skipped objects counted. `findings` says, per
 * kind, what the objects have ("have an invalid userPrincipalName").
 */
export function perObjectRule<Kind extends string>(findings: Readonly<Record<Kind, string>>, inspect: (entry: Entry) => Problem<Kind>[]): CheckRun<Kind> {
  const scope = new ObjectScope();
  const found = new Map<Kind, ProblemList>();
  return {
    visits: scope.kinds,
    visit(entry) {
      if (!scope.admit(entry)) return;
      const problems = inspect(entry);
      if (problems.length === 0) return;
      for (const kind of new Set(problems.map((p) => p.finding))) {
        let list = found.get(kind);
        if (list === undefined) found.set(kind, (list = new ProblemList()));
        list.add(
          entry,
          problems.filter((p) => p.finding === kind),
        );
      }
    },
    finish() {
      if (found.size === 0) return { status: 'passed', note: scope.summary() };
      const results: FindingInput<Kind>[] = [];
      for (const kind of Object.keys(findings) as Kind[]) {
        const list = found.get(kind);
        if (list === undefined) continue;
        results.push({
          kind,
          message: `${list.objects.toLocaleString('en-US')} object(s) ${findings[kind]} (${list.breakdown()}). ${scope.summary()}`,
          objects: list.refs.view(),
          scope: { kind: 'objects' },
          // One entry per offending value: the count is still of objects.
          ...(list.refs.length === list.objects ? {} : { tally: { count: list.objects, of: 'objects' } }),
        });
      }
      return { status: 'failed', findings: results };
    },
  };
}
