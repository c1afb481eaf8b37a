import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { describeEvidence, type Evidence, missing } from '../../src/checks/evidence.js';
import { scan } from '../../src/checks/engine.js';
import { CHECKS } from '../../src/checks/registry.js';
import { InventoryBuilder } from '../../src/inventory/builder.js';
import { dnKey } from '../../src/model/dn.js';
import { Entry } from '../../src/model/entry.js';
import type { EntrySource, SourceEvent } from '../../src/sources/source.js';
import { CONNECT_EXPORTS, FIXTURES, type Fixture, fixtureSources, readFixture } from './fixture-harness.js';
import { readConnectConfig } from '../../src/sources/connect-config/read.js';

class Entries implements EntrySource {
  readonly kind = 'ldif';
  readonly label = 'entries in memory';
  constructor(private readonly entries: readonly Entry[]) {}
  async *events(): AsyncIterable<SourceEvent> {
    await Promise.resolve();
    for (const entry of this.entries) yield { type: 'entry', entry };
  }
}

async function entriesOf(fixture: Fixture): Promise<Entry[]> {
  const entries: Entry[] = [];
  for (const source of fixtureSources(fixture)) {
    for await (const event of source.events()) if (event.type === 'entry') entries.push(event.entry);
  }
  return entries;
}

/** The input as it would be had this evidence not been exported (or not been readable). */
function without(entries: readonly Entry[], evidence: Evidence): Entry[] {
  if ('partition' in evidence) {
    const inPartition = {
      domain: (e: Entry) => e.kind === 'domain',
      configuration: (e: Entry) => e.key.startsWith('cn=configuration,') || e.key.includes(',cn=configuration,'),
      schema: (e: Entry) => e.key.startsWith('cn=schema,cn=configuration,') || e.key.includes(',cn=schema,cn=configuration,'),
    }[evidence.partition];
    return entries.filter((e) => !inPartition(e));
  }
  if ('container' in evidence) {
    const below = `${dnKey(evidence.container)},${evidence.in === 'configuration' ? 'cn=configuration,' : 'dc='}`;
    return entries.filter((e) => !(e.key.startsWith(below) || e.key.includes(`,${below}`)));
  }
  if ('objects' in evidence) return entries.filter((e) => e.kind !== evidence.objects);
  // The export is not an entry: the test scans without it instead.
  if ('connectExport' in evidence) return [...entries];
  const name = evidence.attribute.toLowerCase();
  return entries.map((e) =>
    e.kind === evidence.of && e.attributes.has(name) ? new Entry(e.dn, new Map([...e.attributes].filter(([n]) => n !== name)), e.ranged) : e,
  );
}

function cleanPassOf(id: string): Fixture | undefined {
  return readdirSync(join(FIXTURES, id))
    .filter((f) => f.endsWith('.ldif'))
    .map((f) => readFixture(join(FIXTURES, id, f), id, CHECKS))
    .find((f) => f.status === 'passed' && f.findings.length === 0);
}

describe('a check passes only on evidence', () => {
  it('only checks that read nothing from the directory declare no evidence', () => {
    const none = CHECKS.filter((c) => c.meta.evidence.length === 0);
    expect(none.every((c) => (c.meta.questions ?? []).length > 0)).toBe(true);
  });

  // Every check's clean pass, with each piece of its evidence taken away in turn, must become not evaluated.
  for (const check of CHECKS.filter((c) => c.meta.evidence.length > 0)) {
    for (const evidence of check.meta.evidence) {
      it(`${check.meta.id} without ${describeEvidence(evidence)}`, async () => {
        const fixture = cleanPassOf(check.meta.id);
        expect(fixture, 'a fixture that passes clean').toBeDefined();
        if (fixture === undefined) return;
        const full = await entriesOf(fixture);
        const connectConfig = fixture.connectConfig === undefined ? undefined : await readConnectConfig(join(CONNECT_EXPORTS, fixture.connectConfig));
        const base = { checks: [check], answers: fixture.answers, settings: { options: fixture.options }, allowPreview: fixture.allowPreview };
        const options = connectConfig === undefined ? base : { ...base, connectConfig };
        expect((await scan([new Entries(full)], options)).outcomes[0]?.result.status, 'passes with everything').toBe('passed');
        if ('connectExport' in evidence) {
          // The export is an optional input: without it the check does not run at all, and says so.
          expect((await scan([new Entries(full)], base)).outcomes[0]?.result.status).toBe('disabled');
          return;
        }
        const result = await scan([new Entries(without(full, evidence))], options);
        const outcome = result.outcomes[0]?.result;
        const reason = missing(evidence, result.inventory);
        expect(reason, 'the evidence is gone').toBeDefined();
        expect(outcome).toMatchObject({ status: 'not-evaluated', reason: expect.stringContaining(reason ?? '') });
      });
    }
  }
});

describe('evidence record', () => {
  it('keeps the attribute names seen per kind of object and the objects that came back bare', () => {
    const builder = new InventoryBuilder();
    const computer = (dn: string, attributes: [string, string[]][]): Entry =>
      new Entry(dn, new Map<string, string[]>([['objectclass', ['top', 'computer']], ...attributes]));
    builder.add(computer('CN=A,CN=Computers,DC=x', [['operatingsystem', ['Windows Server 2022']]]), 'test.ldif');
    builder.add(computer('CN=B,CN=Computers,DC=x', [['samaccountname', ['B$']]]), 'test.ldif');
    builder.add(new Entry('CN=C,OU=Hidden,DC=x', new Map()), 'test.ldif');
    builder.add(new Entry('CN=D,OU=Hidden,DC=x', new Map()), 'test.ldif');
    const { evidence } = builder.finish();
    expect(evidence.kinds.get('computer')).toEqual({ count: 2, attributes: new Set(['objectclass', 'operatingsystem', 'samaccountname']) });
    expect(evidence.unreadable).toEqual({ count: 2, containers: new Map([['OU=Hidden,DC=x', 2]]) });
  });
});
