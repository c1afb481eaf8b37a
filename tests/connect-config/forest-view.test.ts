// One Connect server synchronising two forests: each forest's scan is judged on its own AD connector, and a forest
// the export does not read gets a warning and no answers (fixtures/connect-config/two-forests).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { scan, type ScanResult } from '../../src/checks/engine.js';
import { CHECKS } from '../../src/checks/registry.js';
import { readConnectConfig } from '../../src/sources/connect-config/read.js';
import { LdifSource } from '../../src/sources/ldif/source.js';

const EXPORT = join(import.meta.dirname, '..', '..', 'fixtures', 'connect-config', 'two-forests');
const scratch = mkdtempSync(join(tmpdir(), 'readiness-forest-view-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const user = (dn: string): string =>
  `dn: ${dn}\nobjectClass: top\nobjectClass: person\nobjectClass: organizationalPerson\nobjectClass: user\nsAMAccountName: ${dn.slice(3, dn.indexOf(',')).replaceAll(' ', '')}\n`;
const ou = (dn: string): string => `dn: ${dn}\nobjectClass: top\nobjectClass: organizationalUnit\n`;

/** A one-domain forest with `inScope` users under OU=Corp (what both connectors include) and one user outside it. */
function forest(root: string, inScope: number): string {
  const entries = [`dn: ${root}\nobjectClass: top\nobjectClass: domain\nobjectClass: domainDNS\n`, ou(`OU=Corp,${root}`), ou(`OU=Elsewhere,${root}`)];
  for (let i = 1; i <= inScope; i++) entries.push(user(`CN=User ${i},OU=Corp,${root}`));
  entries.push(user(`CN=Outside,OU=Elsewhere,${root}`), user(`CN=MSOL_0123456789ab,OU=Elsewhere,${root}`));
  const file = join(scratch, `${root}.ldif`);
  writeFileSync(file, `version: 1\n\n${entries.join('\n')}`);
  return file;
}

async function scanWithExport(root: string, inScope: number): Promise<ScanResult> {
  return scan([new LdifSource(forest(root, inScope))], { checks: CHECKS, connectConfig: await readConnectConfig(EXPORT) });
}

const answer = (result: ScanResult, question: string) => result.exportAnswers?.find((a) => a.question === question);
const outcome = (result: ScanResult, id: string) => result.outcomes.find((o) => o.meta.id === id)?.result;

describe('a Connect export with an AD connector per forest', () => {
  it("judges the first forest on its own connector: its scope counted, the other forest's domain and custom rule not its concern", async () => {
    const result = await scanWithExport('DC=corp,DC=example,DC=test', 3);
    expect(result.problems).toEqual([]);
    expect(answer(result, 'connect-scope-over-2000')).toMatchObject({
      answer: 'no',
      source: { file: 'Connectors/Connector_{ae4db4cc-b16b-4eb2-acf5-837ca84e4d7d}.xml', value: '3 users, groups and contacts in scope' },
    });
    expect(answer(result, 'connect-custom-sync-rules')?.answer).toBe('no');
    expect(outcome(result, 'connect.sync-rules')?.status).toBe('passed');
    expect(result.connectConfig?.connectors.map((c) => c.name)).toEqual(['corp.example.test', 'contoso.onmicrosoft.com - AAD']);
    // what Connect synchronises as a whole is still said: two forests, which the migration tool does not take
    const connectors = outcome(result, 'connect.connectors');
    expect(connectors?.status).toBe('passed');
    expect(connectors?.status === 'passed' ? connectors.findings.map((f) => f.kind) : []).toEqual(['several-forests']);
  });

  it('judges the second forest on its connector: its custom rule and its own scope', async () => {
    const result = await scanWithExport('DC=fabrikam,DC=example,DC=test', 2);
    expect(result.problems).toEqual([]);
    expect(answer(result, 'connect-scope-over-2000')).toMatchObject({
      answer: 'no',
      source: { file: 'Connectors/Connector_{4f1e2d3c-5b6a-4798-8a9b-0c1d2e3f4a5b}.xml', value: '2 users, groups and contacts in scope' },
    });
    expect(answer(result, 'connect-custom-sync-rules')).toMatchObject({ answer: 'yes', source: { value: expect.stringContaining('User NoSync filter') } });
    const rules = outcome(result, 'connect.sync-rules');
    expect(rules?.status === 'failed' ? rules.findings.map((f) => f.message) : []).toEqual([expect.stringContaining('on connector fabrikam.example.test')]);
  });

  it('warns about a forest none of its connectors reads, uses none of its answers, and leaves its checks not evaluated', async () => {
    const result = await scanWithExport('DC=other,DC=test', 1);
    expect(result.exportAnswers).toEqual([]);
    expect(result.connectConfig).toBeUndefined();
    expect(result.problems).toEqual([
      expect.objectContaining({
        severity: 'warning',
        message: expect.stringMatching(
          /^none of the Connect export's 2 AD connectors \(for fabrikam\.example\.test, corp\.example\.test\) reads this forest, and the forest scanned holds DC=other,DC=test: Connect does not synchronise it/,
        ),
      }),
    ]);
    for (const id of ['connect.connectors', 'connect.sync-rules', 'connect.features', 'connect.server']) {
      expect(outcome(result, id), id).toMatchObject({ status: 'not-evaluated', reason: expect.stringContaining('has no AD connector for this forest') });
    }
  });
});
