import { readdirSync } from 'node:fs';
import path from 'node:path';
import { scan } from '../src/checks/engine.js';
import { CHECKS } from '../src/checks/registry.js';
import { type ProfileFlags, resolveProfile } from '../src/config/scan-profile.js';
import { buildReport } from '../src/report/build.js';
import { buildTenantReport } from '../src/report/tenant-report.js';
import type { Report } from '../src/report/schema.js';
import { LdifSource } from '../src/sources/ldif/source.js';

const FIXTURES = path.relative(process.cwd(), path.join(import.meta.dirname, '..', 'fixtures'));

/** The report `readiness scan --ldif FILES` (with these flags) writes, dated at `now` so that outputs are reproducible. */
export async function reportOf(files: readonly string[], flags: ProfileFlags = {}, now = new Date(0)): Promise<Report> {
  const profile = resolveProfile(flags, CHECKS);
  const result = await scan(
    files.map((f) => new LdifSource(f)),
    { checks: CHECKS, ...profile.scan },
  );
  const context = { ...profile.report, toolVersion: 'test', now };
  return buildTenantReport([buildReport(result, context)], { checks: [], findings: [] }, context);
}

/** The bundled sample forest (ldifde dialect) with its answers, as `npm run sample` scans it. */
export async function sampleReport(now = new Date(0)): Promise<Report> {
  const folder = path.join(FIXTURES, 'sample', 'ldifde');
  const files = readdirSync(folder)
    .filter((f) => f.endsWith('.ldf'))
    .sort()
    .map((f) => path.join(folder, f));
  return reportOf(files, { answers: path.join(FIXTURES, 'sample', 'answers.yaml') }, now);
}
