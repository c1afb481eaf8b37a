import { dnKey, DnSyntaxError, parentKey } from '../model/dn.js';
import type { Finding, Report, ReportObject, Verdict } from './schema.js';

/**
 * What changed between two scans of one forest: the remediation loop's progress report. Findings are
 * matched by fingerprint, objects within a finding by objectGUID (by DN only when a report lacks the GUID),
 * so a user renamed or moved while being fixed is neither "fixed" nor "new".
 */
/** unknown: in the older scan, and its check was switched off or not evaluated in the newer one. */
export type ChangeStatus = 'fixed' | 'new' | 'open' | 'unknown';
export type Relocation = 'moved' | 'renamed' | 'moved-and-renamed';

export interface ObjectChange {
  status: ChangeStatus;
  /** The DN in the newer scan, or in the older one for a fixed object. */
  dn: string;
  guid?: string;
  samAccountName?: string;
  /** Set when the object is in both scans under another DN. */
  previousDn?: string;
  relocation?: Relocation;
}

export interface FindingChange {
  status: ChangeStatus;
  fingerprint: string;
  key: string;
  id: string;
  severity: Finding['severity'];
  /** A blocker that must be fixed before the move (not coexistence, inside the judged scope), in the newer scan if there. */
  hardBlocker: boolean;
  title: string;
  objects: ObjectChange[];
}

export interface VerdictChange {
  level: 'forest' | 'domain' | 'container';
  dn?: string;
  /** "absent": the domain or OU is in one scan only. */
  from: Verdict | 'absent';
  to: Verdict | 'absent';
}

export interface ReportDiff {
  diffVersion: 1;
  old: ScanSide;
  new: ScanSide;
  verdictChanges: VerdictChange[];
  findings: FindingChange[];
  summary: {
    findingsFixed: number;
    findingsNew: number;
    findingsOpen: number;
    findingsUnknown: number;
    objectsFixed: number;
    objectsNew: number;
    objectsOpen: number;
    objectsRelocated: number;
    /** Hard blockers in the newer scan that the older one did not have: new findings, or new objects in open ones. */
    newHardBlockers: number;
  };
  /** What the reader must weigh before trusting the comparison (an incomplete scan, another target ...). */
  notes: string[];
}

interface ScanSide {
  generatedAt: string;
  verdict: Verdict;
  complete: boolean;
}

/** The two reports cannot be compared: they describe different forests. */
export class IncomparableReportsError extends Error {
  constructor(
    message: string,
    readonly hint: string,
  ) {
    super(message);
    this.name = 'IncomparableReportsError';
  }
}

export function diffReports(older: Report, newer: Report): ReportDiff {
  assertSameForest(older, newer);
  const oldByFingerprint = new Map(older.findings.map((f) => [f.fingerprint, f]));
  const newFingerprints = new Set(newer.findings.map((f) => f.fingerprint));
  const findings: FindingChange[] = [];
  for (const f of newer.findings) {
    const before = oldByFingerprint.get(f.fingerprint);
    findings.push(findingChange(before === undefined ? 'new' : 'open', f, compareObjects(before?.objects ?? [], f.objects)));
  }
  const judgedAgain = new Set(newer.checks.filter((c) => c.status === 'passed' || c.status === 'failed').map((c) => c.id));
  for (const f of older.findings) {
    if (newFingerprints.has(f.fingerprint)) continue;
    // Gone because its check did not run this time is not fixed: nobody looked.
    const status = judgedAgain.has(f.id) ? 'fixed' : 'unknown';
    findings.push(
      findingChange(
        status,
        f,
        compareObjects(f.objects, []).map((o) => ({ ...o, status })),
      ),
    );
  }
  return {
    diffVersion: 1,
    old: side(older),
    new: side(newer),
    verdictChanges: verdictChanges(older, newer),
    findings,
    summary: summarise(findings),
    notes: notesOn(older, newer),
  };
}

function side(report: Report): ScanSide {
  return { generatedAt: report.generatedAt, verdict: report.verdict, complete: report.complete };
}

function findingChange(status: ChangeStatus, f: Finding, objects: ObjectChange[]): FindingChange {
  return {
    status,
    fingerprint: f.fingerprint,
    key: f.key,
    id: f.id,
    severity: f.severity,
    hardBlocker: f.severity === 'blocker' && !f.coexistence && f.inScope,
    title: f.title,
    objects,
  };
}

function safeKey(dn: string): string {
  try {
    return dnKey(dn);
  } catch (error) {
    if (error instanceof DnSyntaxError) return dn.toLowerCase();
    throw error;
  }
}

/** One entry per object: a finding lists an object once per offending value. */
function distinctObjects(objects: readonly ReportObject[]): ReportObject[] {
  const seen = new Map<string, ReportObject>();
  for (const o of objects) {
    const id = o.guid === undefined ? `dn:${safeKey(o.dn)}` : `guid:${o.guid.toLowerCase()}`;
    if (!seen.has(id)) seen.set(id, o);
  }
  return [...seen.values()];
}

function compareObjects(olderObjects: readonly ReportObject[], newerObjects: readonly ReportObject[]): ObjectChange[] {
  const olderLeft = distinctObjects(olderObjects);
  const changes: ObjectChange[] = [];
  const unmatched: ReportObject[] = [];
  const byGuid = new Map(olderLeft.filter((o) => o.guid !== undefined).map((o) => [o.guid?.toLowerCase(), o]));
  const matched = new Set<ReportObject>();
  for (const o of distinctObjects(newerObjects)) {
    const before = o.guid === undefined ? undefined : byGuid.get(o.guid.toLowerCase());
    if (before === undefined) unmatched.push(o);
    else {
      matched.add(before);
      changes.push(openChange(before, o));
    }
  }
  // A report without GUIDs (or an object that lacked one) can only be followed by its DN; two different
  // GUIDs under one DN are two objects (deleted and created again).
  const byDn = new Map(olderLeft.filter((o) => !matched.has(o)).map((o) => [safeKey(o.dn), o]));
  for (const o of unmatched) {
    const before = byDn.get(safeKey(o.dn));
    if (before !== undefined && (before.guid === undefined || o.guid === undefined)) {
      byDn.delete(safeKey(o.dn));
      matched.add(before);
      changes.push(openChange(before, o));
    } else {
      changes.push(objectChange('new', o));
    }
  }
  for (const o of olderLeft) if (!matched.has(o)) changes.push(objectChange('fixed', o));
  return changes;
}

function objectChange(status: ChangeStatus, o: ReportObject): ObjectChange {
  return {
    status,
    dn: o.dn,
    ...(o.guid === undefined ? {} : { guid: o.guid }),
    ...(o.samAccountName === undefined ? {} : { samAccountName: o.samAccountName }),
  };
}

function openChange(before: ReportObject, after: ReportObject): ObjectChange {
  const change = objectChange('open', after);
  const from = safeKey(before.dn);
  const to = safeKey(after.dn);
  if (from === to) return change;
  const moved = parentKey(from) !== parentKey(to);
  const renamed = leafOf(from) !== leafOf(to);
  return { ...change, previousDn: before.dn, relocation: moved && renamed ? 'moved-and-renamed' : moved ? 'moved' : 'renamed' };
}

function leafOf(key: string): string {
  const parent = parentKey(key);
  return parent === '' ? key : key.slice(0, key.length - parent.length - 1);
}

function verdictChanges(older: Report, newer: Report): VerdictChange[] {
  const changes: VerdictChange[] = [];
  if (older.verdicts.forest !== newer.verdicts.forest) changes.push({ level: 'forest', from: older.verdicts.forest, to: newer.verdicts.forest });
  const compare = (
    level: 'domain' | 'container',
    before: readonly { dn: string; verdict: Verdict }[],
    after: readonly { dn: string; verdict: Verdict }[],
  ): void => {
    const old = new Map(before.map((v) => [safeKey(v.dn), v]));
    for (const v of after) {
      const from = old.get(safeKey(v.dn))?.verdict ?? 'absent';
      if (from !== v.verdict) changes.push({ level, dn: v.dn, from, to: v.verdict });
      old.delete(safeKey(v.dn));
    }
    for (const v of old.values()) changes.push({ level, dn: v.dn, from: v.verdict, to: 'absent' });
  };
  compare('domain', older.verdicts.domains, newer.verdicts.domains);
  compare('container', older.verdicts.containers, newer.verdicts.containers);
  return changes;
}

function summarise(findings: readonly FindingChange[]): ReportDiff['summary'] {
  const objects = findings.flatMap((f) => f.objects);
  const findingsWith = (status: ChangeStatus): number => findings.filter((f) => f.status === status).length;
  const objectsWith = (status: ChangeStatus): number => objects.filter((o) => o.status === status).length;
  const hard = findings.filter((f) => f.hardBlocker);
  return {
    findingsFixed: findingsWith('fixed'),
    findingsNew: findingsWith('new'),
    findingsOpen: findingsWith('open'),
    findingsUnknown: findingsWith('unknown'),
    objectsFixed: objectsWith('fixed'),
    objectsNew: objectsWith('new'),
    objectsOpen: objectsWith('open'),
    objectsRelocated: objects.filter((o) => o.relocation !== undefined).length,
    newHardBlockers:
      hard.filter((f) => f.status === 'new').length + hard.filter((f) => f.status === 'open' && f.objects.some((o) => o.status === 'new')).length,
  };
}

/** Reports of one forest name the same root domain; without the configuration partition, they share a domain. */
function assertSameForest(older: Report, newer: Report): void {
  const oldRoot = older.inventory.forest.rootDomain;
  const newRoot = newer.inventory.forest.rootDomain;
  if (oldRoot !== undefined && newRoot !== undefined) {
    if (safeKey(oldRoot) !== safeKey(newRoot)) {
      throw new IncomparableReportsError(`the reports are of different forests (${oldRoot} and ${newRoot})`, 'compare two scans of the same forest');
    }
    return;
  }
  const oldDomains = new Set(older.inventory.domains.map((d) => safeKey(d.dn)));
  if (!newer.inventory.domains.some((d) => oldDomains.has(safeKey(d.dn)))) {
    const names = (r: Report): string => r.inventory.domains.map((d) => d.dnsName).join(', ') || 'no domain';
    throw new IncomparableReportsError(`the reports share no domain (${names(older)}; ${names(newer)})`, 'compare two scans of the same forest');
  }
}

function notesOn(older: Report, newer: Report): string[] {
  const notes: string[] = [];
  if (!newer.complete) notes.push('the newer scan is incomplete: a finding missing from it may not be fixed, only not read (see its incompleteReasons)');
  if (!older.complete) notes.push('the older scan is incomplete: a "new" finding may have been there, unread');
  if (older.target !== newer.target) notes.push(`the scans were judged for different targets (${older.target}, ${newer.target}): coexistence blockers differ`);
  const scopeOf = (r: Report): string => (r.settings.scope?.include ?? []).map(safeKey).sort().join(';');
  if (scopeOf(older) !== scopeOf(newer)) notes.push('the scans were judged on different config scopes: findings may have moved in or out of scope');
  const unjudged = newer.checks.filter((c) => c.status === 'disabled' || c.status === 'not-evaluated').map((c) => c.id);
  if (unjudged.length > 0) notes.push(`not judged in the newer scan, so nothing is fixed there: ${unjudged.join(', ')}`);
  return notes;
}
