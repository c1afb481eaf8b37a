// Two Samba forests (scripts/samba-dc.sh: corp.example.test and fabrikam.example.test) read live in one run: with
// --server given once per forest, and with a --forests file naming each forest's DC, CA, account and password variable.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import type { ForestReport, Report } from '../../src/report/schema.js';
import { runCli } from '../ldap/run-cli.js';
import { type Dc, describeWithDc } from './dc.js';

const SLOW = 240_000;
const scratch = mkdtempSync(path.join(tmpdir(), 'readiness-forests-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
const TWO_FOREST_EXPORT = path.join(import.meta.dirname, '..', '..', 'fixtures', 'connect-config', 'two-forests');

function forestOf(report: Report, dc: Dc): ForestReport {
  const forest = report.forests.find((f) => f.name === dc.dnsDomain);
  if (forest === undefined) throw new Error(`no forest ${dc.dnsDomain} in the report: ${report.forests.map((f) => f.name).join(', ')}`);
  return forest;
}

/** Each forest read whole from its own DC: its one domain, its configuration and schema, no input error. */
function expectBothRead(report: Report, first: Dc, second: Dc, label: (dc: Dc) => string): void {
  expect(report.schemaVersion).toBe(3);
  expect(report.summary.forests).toBe(2);
  expect(report.forests.map((f) => f.name)).toEqual([first.dnsDomain, second.dnsDomain].sort());
  for (const dc of [first, second]) {
    const forest = forestOf(report, dc);
    expect(forest.inputs).toEqual([{ kind: 'ldap', label: label(dc) }]);
    expect(forest.inventory.domains.map((d) => [d.dn, d.partitionRead])).toEqual([[dc.baseDn, true]]);
    expect(forest.inventory.forest.partitionsRead).toEqual({ configuration: true, schema: true });
    expect(forest.problems.filter((p) => p.severity === 'error')).toEqual([]);
  }
  expect(forestOf(report, second).inventory.totals.users).toBeLessThan(forestOf(report, first).inventory.totals.users);
}

describeWithDc('two forests read live in one run', 'plain', (first) => {
  describeWithDc('(the second forest)', 'forest2', (second) => {
    it(
      'reads both with --server once per forest, one account that binds to both (an account of a trusted forest would)',
      async () => {
        const twin = second.seed?.crossForest;
        if (twin === undefined) throw new Error('the second forest was seeded without CROSS_FOREST_TWIN_OF');
        const password = first.password();
        const result = await runCli(
          ['scan', '--server', new URL(first.ldapUrl).host, '--server', new URL(second.ldapUrl).host, '--user', twin.upn, '--format', 'json'],
          { READINESS_PASSWORD: password },
        );
        expect([0, 1, 3], result.stderr).toContain(result.code);
        const report = JSON.parse(result.stdout) as Report;
        expectBothRead(report, first, second, (dc) => dc.ldapUrl);
        expect(result.stdout + result.stderr).not.toContain(password);
        // The twin's UPN and mail are also held in the first forest: the tenant check finds both across the forests.
        const duplicates = report.tenant.findings.filter((f) => f.id === 'tenant.cross-forest-duplicates');
        const holders = duplicates.flatMap((f) => f.objects.map((o) => `${o.forest ?? '?'} ${o.dn.toLowerCase()}`));
        expect(holders).toContain(`${second.dnsDomain} ${twin.dn.toLowerCase()}`);
        expect(duplicates.flatMap((f) => f.objects.map((o) => o.value?.toLowerCase()))).toEqual(
          expect.arrayContaining([twin.upn.toLowerCase(), twin.mail.toLowerCase()]),
        );
        expect(report.verdict).toBe('blocked');
      },
      SLOW,
    );

    it(
      'refuses two DCs of one forest before reading anything (exit 2)',
      async () => {
        const host = new URL(first.ldapUrl).hostname;
        const result = await runCli(['scan', '--server', host, '--server', `${host}:389`, '--user', first.bindUpn, '--format', 'json'], {
          READINESS_PASSWORD: first.password(),
        });
        expect(result.code).toBe(2);
        expect(result.stdout).toBe('');
        expect(result.stderr).toContain(`are DCs of the same forest (its root domain is ${first.baseDn})`);
      },
      SLOW,
    );

    it(
      'reads both with --forests FILE over LDAPS, each with its own CA, account and password variable, and each judged on its own Connect connector',
      async () => {
        const file = path.join(scratch, 'forests.yaml');
        const entry = (dc: Dc, variable: string): string =>
          `  - url: ${dc.ldapsUrl}\n    caFile: ${dc.caFile}\n    user: ${dc.bindUpn}\n    passwordEnv: ${variable}\n`;
        writeFileSync(file, `forests:\n${entry(first, 'CORP_PASSWORD')}${entry(second, 'FABRIKAM_PASSWORD')}`);
        const result = await runCli(['scan', '--forests', file, '--connect-config', TWO_FOREST_EXPORT, '--format', 'json'], {
          CORP_PASSWORD: first.password(),
          FABRIKAM_PASSWORD: second.password(),
        });
        expect([0, 1, 3], result.stderr).toContain(result.code);
        const report = JSON.parse(result.stdout) as Report;
        expectBothRead(report, first, second, (dc) => dc.ldapsUrl);
        const scopeFile = (dc: Dc): string | undefined => forestOf(report, dc).answers.find((a) => a.id === 'connect-scope-over-2000')?.source?.file;
        expect(scopeFile(first)).toBe('Connectors/Connector_{ae4db4cc-b16b-4eb2-acf5-837ca84e4d7d}.xml');
        expect(scopeFile(second)).toBe('Connectors/Connector_{4f1e2d3c-5b6a-4798-8a9b-0c1d2e3f4a5b}.xml');
        const customRules = (dc: Dc): string | undefined => forestOf(report, dc).answers.find((a) => a.id === 'connect-custom-sync-rules')?.answer;
        expect([customRules(first), customRules(second)]).toEqual(['no', 'yes']);
        expect(result.stdout + result.stderr).not.toContain(first.password());
        expect(result.stdout + result.stderr).not.toContain(second.password());
      },
      SLOW,
    );
  });
});
