import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { scan } from '../../src/checks/engine.js';
import { CHECKS } from '../../src/checks/registry.js';
import { loadAnswers } from '../../src/config/answers.js';
import { buildReport } from '../../src/report/build.js';
import type { ForestReport } from '../../src/report/schema.js';
import type { ConnectConfig } from '../../src/sources/connect-config/model.js';
import { readConnectConfig } from '../../src/sources/connect-config/read.js';
import { LdifSource } from '../../src/sources/ldif/source.js';

const SAMPLE = join(import.meta.dirname, '..', '..', 'fixtures', 'sample');
const SAMPLE_EXPORT = join(import.meta.dirname, '..', '..', 'fixtures', 'connect-config', 'sample-forest');
const CORP = 'DC=corp,DC=contoso,DC=test';
const HR = `OU=HR,OU=Users,OU=Corp,${CORP}`;
const ADMINS = `OU=Admins,OU=Corp,${CORP}`;

/** The sample forest with its team's answers, and the given Connect export. */
async function planWith(connectConfig: ConnectConfig | undefined): Promise<ForestReport['pilotPlan']> {
  const sources = ['domain', 'domain-emea', 'configuration', 'schema'].map((f) => new LdifSource(join(SAMPLE, 'ldifde', `${f}.ldf`)));
  const answers = loadAnswers(join(SAMPLE, 'answers.yaml'), CHECKS);
  const result = await scan(sources, { checks: CHECKS, answers, ...(connectConfig === undefined ? {} : { connectConfig }) });
  return buildReport(result, { toolVersion: 'test', target: 'cloud-sync', allowPreview: false, now: new Date(0), answers }).pilotPlan;
}

describe("the pilot plan follows Connect's OU filter", () => {
  it('marks the OUs Connect synchronises today and the one it does not (OU=Admins is excluded in the sample export)', async () => {
    const plan = await planWith(await readConnectConfig(SAMPLE_EXPORT));
    expect(plan.candidates.find((c) => c.dn === HR)).toMatchObject({ connectSyncsToday: true, wave: 1 });
    expect(plan.candidates.find((c) => c.dn === ADMINS)).toMatchObject({ connectSyncsToday: false });
    expect(plan.candidates.filter((c) => c.connectSyncsToday === false).map((c) => c.dn)).toEqual([ADMINS]);
    expect(plan.notes.join('\n')).toContain(
      `Connect Sync does not synchronise ${ADMINS} today (its OU filter in the export): Cloud Sync will create new objects`,
    );
    expect(plan.connectSync.scopingFilters.map((f) => f.value)).toEqual([HR]);
  });

  it('writes no cloudNoFlow rule for a pilot OU Connect does not synchronise', async () => {
    const config = await readConnectConfig(SAMPLE_EXPORT);
    for (const connector of config.connectors) if (connector.kind === 'ad') connector.partitions.find((p) => p.dn === CORP)?.exclusions.push(HR);
    const plan = await planWith(config);
    expect(plan.cloudSync.flatMap((c) => c.ous)).toEqual([HR]);
    expect(plan.candidates.find((c) => c.dn === HR)).toMatchObject({ connectSyncsToday: false, wave: 1 });
    expect(plan.connectSync.scopingFilters).toEqual([]);
  });

  it('says nothing about Connect without an export', async () => {
    const plan = await planWith(undefined);
    expect(plan.candidates.find((c) => c.dn === HR)).not.toHaveProperty('connectSyncsToday');
    expect(plan.connectSync.scopingFilters.map((f) => f.value)).toEqual([HR]);
  });
});
