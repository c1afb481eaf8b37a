import { dnKey, DnSyntaxError, parentKey } from '../model/dn.js';
import { ObjectChangeList } from './object-changes.js';
import type { CheckStatus, Finding, ForestReport, Report, ReportObject, Verdict } from './schema.js';

/**
 * What changed between two scans of one tenant (or one forest): the remediation loop's progress report.
 * Forests are matched by name, findings within a forest (and the tenant-wide ones) by fingerprint, objects
 * within a finding by objectGUID (by DN only when a report lacks the GUID), so a user renamed or moved
 * while being fixed is neither "fixed" nor "new".
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
  /** The forest the finding is in; absent for a tenant-wide finding. */
  forest?: string;
  fingerprint: string;
  key: string;
  id: string;
  severity: Finding['severity'];
  /** A blocker that must be fixed before the move (not coexistence, inside the judged scope), in the newer scan if there. */
  hardBlocker: boolean;
  title: string;
  /** Read-only: a finding can list a million objects, kept off the heap (ObjectChangeList). */
  objects: readonly ObjectChange[];
}

export interface VerdictChange {
  level: 'tenant' | 'forest' | 'domain' | 'container';
  /** The forest it is in; absent for the tenant. */
  forest?: string;
  dn?: string;
  /** "absent": the forest, domain or OU is in one scan only. */
  from: Verdict | 'absent';
  to: Verdict | 'absent';
}

/** compared: in both reports; added: only in the newer (its findings are new); removed: only in the older (its findings are not judged again). */
export interface ForestMatch {
  name: string;
  status: 'compared' | 'added' | 'removed';
}

export interface ReportDiff {
  diffVersion: 2;
  /** The tenant's verdict on each side (the forest's, for reports of one forest). */
  old: ScanSide;
  new: ScanSide;
  forests: ForestMatch[];
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
  const pairs = pairForests(older.forests, newer.forests);
  const severalForests = older.forests.length > 1 || newer.forests.length > 1;
  const findings = diffFindings(older.tenant, newer.tenant, undefined);
  const verdicts: VerdictChange[] = [];
  if (severalForests && older.verdict !== newer.verdict) verdicts.push({ level: 'tenant', from: older.verdict, to: newer.verdict });
  const notes = tenantNotesOn(newer);
  for (const { name, before, after } of pairs) {
    findings.push(...diffFindings(before ?? { checks: [], findings: [] }, after ?? { checks: [], findings: [] }, name));
    verdicts.push(...verdictChanges(before, after, name));
    if (after === undefined) notes.push(`forest ${name} is only in the older report: it was not scanned again, so none of its findings is fixed`);
    else if (before === undefined) notes.push(`forest ${name} is only in the newer report: all its findings are new to this comparison`);
    else notes.push(...forestNotesOn(before, after).map((note) => (severalForests ? `${name}: ${note}` : note)));
  }
  return {
    diffVersion: 2,
    old: side(older),
    new: side(newer),
    forests: pairs.map(({ name, before, after }) => ({
      name,
      status: before === undefined ? 'added' : after === undefined ? 'removed' : 'compared',
    })),
    verdictChanges: verdicts,
    findings,
    summary: summarise(findings),
    notes,
  };
}

/** What a side judged: its checks (to tell "fixed" from "not looked at") and its findings. */
interface Judged {
  checks: readonly CheckStatus[];
  findings: readonly Finding[];
}

function diffFindings(older: Judged, newer: Judged, forest: string | undefined): FindingChange[] {
  const oldByFingerprint = new Map(older.findings.map((f) => [f.fingerprint, f]));
  const newFingerprints = new Set(newer.findings.map((f) => f.fingerprint));
  const findings: FindingChange[] = [];
  for (const f of newer.findings) {
    const before = oldByFingerprint.get(f.fingerprint);
    findings.push(findingChange(before === undefined ? 'new' : 'open', f, compareObjects(before?.objects ?? [], f.objects), forest));
  }
  const judgedAgain = new Set(newer.checks.filter((c) => c.status === 'passed' || c.status === 'failed').map((c) => c.id));
  for (const f of older.findings) {
    if (newFingerprints.has(f.fingerprint)) continue;
    // Gone because its check did not run this time is not fixed: nobody looked.
    const status = judgedAgain.has(f.id) ? 'fixed' : 'unknown';
    findings.push(findingChange(status, f, compareObjects(f.objects, [], status), forest));
  }
  return findings;
}

/** A forest of either report; in both when `before` and `after` are there. */
interface ForestPair {
  name: string;
  before?: ForestReport;
  after?: ForestReport;
}

/**
 * The forests of both reports, paired by name; a forest scanned once without its configuration partition may
 * be named after another of its domains, so two forests sharing a domain are the same forest too. Reports
 * with no forest in common describe different tenants.
 */
function pairForests(older: readonly ForestReport[], newer: readonly ForestReport[]): ForestPair[] {
  const unpaired = new Set(older);
  const claim = (match: (f: ForestReport) => boolean): ForestReport | undefined => {
    const found = [...unpaired].find(match);
    if (found !== undefined) unpaired.delete(found);
    return found;
  };
  // Names first, so that a match by a shared domain never takes a forest that another is named after.
  const named = newer.map((after) => ({ after, before: claim((f) => f.name.toLowerCase() === after.name.toLowerCase()) }));
  const pairs: ForestPair[] = named.map(({ after, before }) => {
    const match = before ?? claim((f) => sameForest(f, after));
    return match === undefined ? { name: after.name, after } : { name: after.name, before: match, after };
  });
  for (const before of unpaired) pairs.push({ name: before.name, before });
  if (!pairs.some((p) => p.before !== undefined && p.after !== undefined)) {
    const names = (forests: readonly ForestReport[]): string => forests.map((f) => f.name).join(', ');
    throw new IncomparableReportsError(
      older.length === 1 && newer.length === 1
        ? `the reports are of different forests (${names(older)} and ${names(newer)})`
        : `the reports share no forest (${names(older)}; ${names(newer)})`,
      'compare two scans of the same forest or forests',
    );
  }
  return pairs;
}

function side(report: Report): ScanSide {
  return { generatedAt: report.generatedAt, verdict: report.verdict, complete: report.complete };
}

function findingChange(status: ChangeStatus, f: Finding, objects: readonly ObjectChange[], forest: string | undefined): FindingChange {
  return {
    status,
    ...(forest === undefined ? {} : { forest }),
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

/** What tells objects apart: objectGUID, or the DN where a report lacks the GUID. */
function objectId(o: ReportObject): string {
  return o.guid === undefined ? `dn:${safeKey(o.dn)}` : `guid:${o.guid.toLowerCase()}`;
}

/**
 * The objects of one finding in both scans, matched by objectGUID, then by DN where either lacks the GUID. A finding
 * can list every user of a forest in both reports: the objects stay where the reports keep them (off the heap when
 * read back) and are read again by index; in memory are their ids, and the changes go to an ObjectChangeList.
 * `gone` is the status of an object only in the older scan.
 */
function compareObjects(older: readonly ReportObject[], newer: readonly ReportObject[], gone: ChangeStatus = 'fixed'): readonly ObjectChange[] {
  const changes = new ObjectChangeList();
  // One entry per object: a finding lists an object once per offending value; the first counts. One map of ids
  // for both sides (an id only in the newer scan maps to ONLY_NEWER): most objects are in both.
  const ids = new Map<string, number>();
  for (let i = 0; i < older.length; i++) {
    const id = objectId(older[i] as ReportObject);
    if (!ids.has(id)) ids.set(id, i);
  }
  const matched = new Uint8Array(older.length);
  const seenInNewer = new Uint8Array(older.length);
  const unmatched: number[] = [];
  for (let j = 0; j < newer.length; j++) {
    const o = newer[j] as ReportObject;
    const id = objectId(o);
    const before = ids.get(id);
    if (before === ONLY_NEWER || (before !== undefined && seenInNewer[before] === 1)) continue;
    if (before === undefined) ids.set(id, ONLY_NEWER);
    else seenInNewer[before] = 1;
    if (before === undefined || o.guid === undefined) unmatched.push(j);
    else {
      matched[before] = 1;
      changes.add(openChange(older[before] as ReportObject, o));
    }
  }
  // A report without GUIDs (or an object that lacked one) can only be followed by its DN; two different
  // GUIDs under one DN are two objects (deleted and created again). Of older objects alike in DN, the last counts.
  const byDn = new Map<string, number>(unmatched.map((j) => [safeKey((newer[j] as ReportObject).dn), ONLY_NEWER]));
  if (byDn.size > 0)
    for (const i of ids.values()) {
      const key = i === ONLY_NEWER || matched[i] === 1 ? undefined : safeKey((older[i] as ReportObject).dn);
      if (key !== undefined && byDn.has(key)) byDn.set(key, i);
    }
  for (const j of unmatched) {
    const o = newer[j] as ReportObject;
    const key = safeKey(o.dn);
    const i = byDn.get(key) ?? ONLY_NEWER;
    const before = i === ONLY_NEWER ? undefined : (older[i] as ReportObject);
    if (before !== undefined && (before.guid === undefined || o.guid === undefined)) {
      byDn.delete(key);
      matched[i] = 1;
      changes.add(openChange(before, o));
    } else {
      changes.add(objectChange('new', o));
    }
  }
  for (const i of ids.values()) if (i !== ONLY_NEWER && matched[i] !== 1) changes.add(objectChange(gone, older[i] as ReportObject));
  return changes.view();
}

/** In compareObjects' map of ids: an object the older scan does not list. */
const ONLY_NEWER = -1;

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

/** The forest's own verdict, and each domain's and OU's; a forest in one report only moves from or to "absent". */
function verdictChanges(older: ForestReport | undefined, newer: ForestReport | undefined, forest: string): VerdictChange[] {
  const changes: VerdictChange[] = [];
  const oldForest = older?.verdicts.forest ?? 'absent';
  const newForest = newer?.verdicts.forest ?? 'absent';
  if (oldForest !== newForest) changes.push({ level: 'forest', forest, from: oldForest, to: newForest });
  const compare = (
    level: 'domain' | 'container',
    before: readonly { dn: string; verdict: Verdict }[],
    after: readonly { dn: string; verdict: Verdict }[],
  ): void => {
    const old = new Map(before.map((v) => [safeKey(v.dn), v]));
    for (const v of after) {
      const from = old.get(safeKey(v.dn))?.verdict ?? 'absent';
      if (from !== v.verdict) changes.push({ level, forest, dn: v.dn, from, to: v.verdict });
      old.delete(safeKey(v.dn));
    }
    for (const v of old.values()) changes.push({ level, forest, dn: v.dn, from: v.verdict, to: 'absent' });
  };
  compare('domain', older?.verdicts.domains ?? [], newer?.verdicts.domains ?? []);
  compare('container', older?.verdicts.containers ?? [], newer?.verdicts.containers ?? []);
  return changes;
}

function summarise(findings: readonly FindingChange[]): ReportDiff['summary'] {
  const findingsWith = (status: ChangeStatus): number => findings.filter((f) => f.status === status).length;
  // Counted in one pass over each finding's changes: there can be millions, read from their records.
  const objects = { fixed: 0, new: 0, open: 0, unknown: 0, relocated: 0 };
  for (const f of findings)
    for (const o of f.objects) {
      objects[o.status]++;
      if (o.relocation !== undefined) objects.relocated++;
    }
  const hard = findings.filter((f) => f.hardBlocker);
  return {
    findingsFixed: findingsWith('fixed'),
    findingsNew: findingsWith('new'),
    findingsOpen: findingsWith('open'),
    findingsUnknown: findingsWith('unknown'),
    objectsFixed: objects.fixed,
    objectsNew: objects.new,
    objectsOpen: objects.open,
    objectsRelocated: objects.relocated,
    newHardBlockers:
      hard.filter((f) => f.status === 'new').length + hard.filter((f) => f.status === 'open' && f.objects.some((o) => o.status === 'new')).length,
  };
}

/** Without the configuration partition a forest's name is a guess: then two reports sharing a domain are of one forest. */
function sameForest(older: ForestReport, newer: ForestReport): boolean {
  if (older.inventory.forest.rootDomain !== undefined && newer.inventory.forest.rootDomain !== undefined) return false;
  const oldDomains = new Set(older.inventory.domains.map((d) => safeKey(d.dn)));
  return newer.inventory.domains.some((d) => oldDomains.has(safeKey(d.dn)));
}

/** The tenant checks not judged again; each forest's own notes follow (forestNotesOn). */
function tenantNotesOn(newer: Report): string[] {
  const notes: string[] = [];
  const unjudged = newer.tenant.checks.filter((c) => c.status === 'disabled' || c.status === 'not-evaluated').map((c) => c.id);
  if (unjudged.length > 0) notes.push(`not judged in the newer scan, so nothing is fixed there: ${unjudged.join(', ')}`);
  return notes;
}

function forestNotesOn(older: ForestReport, newer: ForestReport): string[] {
  const notes: string[] = [];
  if (!newer.complete) notes.push('the newer scan is incomplete: a finding missing from it may not be fixed, only not read (see its incompleteReasons)');
  if (!older.complete) notes.push('the older scan is incomplete: a "new" finding may have been there, unread');
  if (older.target !== newer.target) notes.push(`the scans were judged for different targets (${older.target}, ${newer.target}): coexistence blockers differ`);
  const scopeOf = (r: ForestReport): string => (r.settings.scope?.include ?? []).map(safeKey).sort().join(';');
  if (scopeOf(older) !== scopeOf(newer)) notes.push('the scans were judged on different config scopes: findings may have moved in or out of scope');
  const unjudged = newer.checks.filter((c) => c.status === 'disabled' || c.status === 'not-evaluated').map((c) => c.id);
  if (unjudged.length > 0) notes.push(`not judged in the newer scan, so nothing is fixed there: ${unjudged.join(', ')}`);
  return notes;
}
