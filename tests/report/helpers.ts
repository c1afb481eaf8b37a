import { expect } from 'vitest';
import { join } from 'node:path';
import { type Check, type CheckMeta, defineCheck, type FindingInput, type Severity, type Target } from '../../src/checks/check.js';
import { scan, type ScanResult } from '../../src/checks/engine.js';
import { partition } from '../../src/checks/evidence.js';
import { buildReport, type ReportContext } from '../../src/report/build.js';
import type { ForestReport, Report } from '../../src/report/schema.js';
import { buildTenantReport } from '../../src/report/tenant-report.js';
import { LdifParser } from '../../src/sources/ldif/parser.js';
import { LdifSource } from '../../src/sources/ldif/source.js';
import type { EntrySource, SourceEvent } from '../../src/sources/source.js';

export const PILOT_FOREST = join(import.meta.dirname, '..', '..', 'fixtures', 'report', 'pilot-forest.ldif');
export const D = 'DC=pilot,DC=test';

const SOURCE = { title: 'test', url: 'https://example.test', date: '2026-01-01' };

/** A check that flags every object whose description is `marker`, so report logic is tested apart from the real catalog. */
export function markerCheck(
  id: string,
  marker: string,
  finding: Omit<FindingInput, 'kind' | 'message' | 'objects'> = {},
  extra: Partial<CheckMeta> = {},
): Check {
  return defineCheck({
    meta: {
      id,
      title: id,
      severity: 'blocker',
      category: 'test',
      rationale: 'r',
      remediation: 'fix it',
      sources: [SOURCE],
      kinds: { marked: {} },
      evidence: [],
      ...extra,
    },
    create() {
      const dns: string[] = [];
      return {
        visit(entry) {
          if (entry.text('description') === marker) dns.push(entry.dn);
        },
        finish() {
          if (dns.length === 0) return { status: 'passed' };
          return { status: 'failed', findings: [{ ...finding, kind: 'marked', message: `${dns.length} object(s)`, objects: dns.map((dn) => ({ dn })) }] };
        },
      };
    },
  });
}

/** A check that raises exactly the findings given (declaring the kinds they name), whatever the forest holds. */
export function raising(id: string, findings: FindingInput[], severity: Severity = 'warning', extra: Partial<CheckMeta> = {}): Check {
  return defineCheck({
    meta: {
      id,
      title: id,
      severity,
      category: 'test',
      rationale: 'r',
      remediation: 'fix it',
      sources: [SOURCE],
      kinds: Object.fromEntries(findings.map((f) => [f.kind, {}])),
      evidence: [],
      ...extra,
    },
    create: () => ({ finish: () => (findings.length === 0 ? { status: 'passed' } : { status: 'failed', findings }) }),
  });
}

/** A check whose evidence (the schema partition) the pilot forest does not hold: never evaluated there. */
export function blindCheck(id: string, severity: Severity = 'blocker'): Check {
  return raising(id, [], severity, { evidence: [partition('schema')] });
}

export const hard = markerCheck('test.hard', 'hard');
export const coexist = markerCheck('test.coexist', 'coexist', { coexistence: true });
export const warn = markerCheck('test.warn', 'warn', { severity: 'warning' });

export async function scanPilotForest(checks: readonly Check[], target: Target = 'cloud-sync'): Promise<ScanResult> {
  return scan([new LdifSource(PILOT_FOREST)], { checks, target });
}

export function report(result: ScanResult, context: Partial<ReportContext> = {}): ForestReport {
  return buildReport(result, { toolVersion: 'test', target: 'cloud-sync', allowPreview: false, now: new Date(0), ...context });
}

/** The report of a one-forest scan, as the CLI writes it: the forest in the tenant envelope, nothing tenant-wide. */
export function oneForest(forest: ForestReport): Report {
  return buildTenantReport(
    [forest],
    { checks: [], findings: [] },
    { toolVersion: forest.tool.version, target: forest.target, allowPreview: forest.allowPreview, now: new Date(forest.generatedAt) },
  );
}

/** The one forest of a report read back from the CLI. */
export function forestOf(r: Report): ForestReport {
  expect(r.forests).toHaveLength(1);
  return r.forests[0] as ForestReport;
}

export function verdictOf(r: ForestReport, dn: string): string | undefined {
  return r.verdicts.containers.find((c) => c.dn === `${dn},${D}`)?.verdict;
}

/** LDIF given as text, read through the real parser: for forests a test builds for itself. */
export function ldifText(text: string, label = 'test.ldif'): EntrySource {
  return {
    kind: 'ldif',
    label,
    async *events(): AsyncIterable<SourceEvent> {
      const parser = new LdifParser(label);
      yield* parser.push(Buffer.from(text, 'utf8'));
      yield* parser.end();
    },
  };
}

export const record = (dn: string, ...lines: string[]): string => `dn: ${dn}\n${lines.join('\n')}\n\n`;
/** A user Connect Sync would synchronise: it has a sAMAccountName (from its CN unless one is given). */
export const userRecord = (dn: string, ...extra: string[]): string =>
  record(
    dn,
    'objectClass: top',
    'objectClass: person',
    'objectClass: organizationalPerson',
    'objectClass: user',
    ...(extra.some((line) => line.startsWith('sAMAccountName:')) ? [] : [`sAMAccountName: ${dn.slice(dn.indexOf('=') + 1, dn.indexOf(',')).toLowerCase()}`]),
    ...extra,
  );
export const ouRecord = (dn: string): string => record(dn, 'objectClass: top', 'objectClass: organizationalUnit');
export const domainRecord = (dn: string): string => record(dn, 'objectClass: top', 'objectClass: domain', 'objectClass: domainDNS', 'msDS-Behavior-Version: 7');
