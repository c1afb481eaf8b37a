// --connect-config on a live scan: the export is read and cross-checked against the forest read over LDAP.
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { reportSchema } from '../../src/report/schema.js';
import { runCli } from '../ldap/run-cli.js';
import { describeWithDc } from './dc.js';

const SLOW = 180_000;
const EXAMPLE = path.join(import.meta.dirname, '..', '..', 'fixtures', 'connect-config', 'example-default');
const scratch = mkdtempSync(path.join(tmpdir(), 'readiness-connect-live-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** example-default, moved to the DC's domain: the same export as the DC's own Connect server would write. */
function exportFor(baseDn: string): string {
  const folder = path.join(scratch, 'export');
  cpSync(EXAMPLE, folder, { recursive: true });
  const dnsName = baseDn
    .split(',')
    .map((rdn) => rdn.replace(/^DC=/i, ''))
    .join('.');
  for (const sub of ['Connectors', 'GlobalSettings', 'SynchronizationRules']) {
    for (const name of readdirSync(path.join(folder, sub))) {
      const file = path.join(folder, sub, name);
      writeFileSync(file, readFileSync(file, 'utf8').replaceAll('DC=corp,DC=example,DC=com', baseDn).replaceAll('corp.example.com', dnsName));
    }
  }
  return folder;
}

describeWithDc('live scan with the Connect configuration export', 'plain', (dc) => {
  it(
    'answers the Connect questions from the export and counts the objects in its scope from the live read',
    async () => {
      const folder = exportFor(dc.baseDn);
      const result = await runCli(['scan', '--url', dc.ldapUrl, '--user', dc.bindUpn, '--format', 'json', '--connect-config', folder], {
        READINESS_PASSWORD: dc.password(),
      });
      expect([0, 1, 3]).toContain(result.code);
      const [report] = reportSchema.parse(JSON.parse(result.stdout)).forests;
      if (report === undefined) throw new Error('no forest in the report');
      expect(report.settings.connectConfig).toBe(folder);
      expect(report.problems.filter((p) => p.input === folder && p.severity === 'error')).toEqual([]);
      const answers = Object.fromEntries(report.answers.map((a) => [a.id, a]));
      expect(answers['connect-source-anchor']).toMatchObject({ answer: 'mS-DS-ConsistencyGuid', source: { file: 'GlobalSettings/MV.xml' } });
      expect(answers['connect-scope-over-2000']?.source?.value).toMatch(/^[\d,]+ users, groups and contacts in scope$/);
      expect(report.checks.find((c) => c.id === 'connect.sync-rules')?.status).toBe('passed');
    },
    SLOW,
  );

  it(
    "reports another forest's export as an input error on a live scan too",
    async () => {
      const other = path.join(import.meta.dirname, '..', '..', 'fixtures', 'connect-config', 'example-default');
      const result = await runCli(['scan', '--url', dc.ldapUrl, '--user', dc.bindUpn, '--format', 'json', '--connect-config', other], {
        READINESS_PASSWORD: dc.password(),
      });
      // Incomplete (exit 3), unless a hard blocker found in the forest decides first (exit 1).
      expect([1, 3]).toContain(result.code);
      const report = reportSchema.parse(JSON.parse(result.stdout));
      expect(report.complete).toBe(false);
      expect(report.incompleteReasons.join('\n')).toMatch(/the Connect export synchronises DC=corp,DC=example,DC=com, but the forest scanned holds/);
      expect(report.forests[0]?.answers.filter((a) => a.source !== undefined)).toEqual([]);
    },
    SLOW,
  );
});
