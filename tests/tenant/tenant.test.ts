import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { scan } from '../../src/checks/engine.js';
import { ObjectList } from '../../src/checks/support/object-list.js';
import { LdifSource } from '../../src/sources/ldif/source.js';
import { createDigestCollector, digestFromJson, digestToJson, keyCheckOf, type TenantDigest, tenantDigestSchema } from '../../src/tenant/digest.js';
import { judgeTenant, type TenantOutcome } from '../../src/tenant/judge.js';

const FIXTURES = path.join(import.meta.dirname, '..', '..', 'fixtures', 'tenant');
const KEY = Buffer.from('a key the two teams share, 32 b');
const OTHER_KEY = Buffer.from('another team used this key inst');

async function digestOf(file: string, valueHashKey?: Buffer): Promise<TenantDigest> {
  const collector = createDigestCollector(valueHashKey === undefined ? {} : { valueHashKey });
  const result = await scan([new LdifSource(path.resolve(FIXTURES, file))], { checks: [], observers: [collector] });
  return collector.finish(result.inventory);
}

/** The digest as merge sees it: written into a report and read back. */
function throughJson(digest: TenantDigest): TenantDigest {
  return digestFromJson(tenantDigestSchema.parse(JSON.parse(JSON.stringify(digestToJson(digest)))));
}

const statusOf = (outcome: TenantOutcome, id: string): string | undefined => outcome.checks.find((c) => c.id === id)?.status;
const findingsOf = (outcome: TenantOutcome, key: string): TenantOutcome['findings'] => outcome.findings.filter((f) => f.key === key);
const dns = (finding: TenantOutcome['findings'][number] | undefined): string[] => (finding?.objects ?? []).map((o) => `${o.forest} ${o.dn}`).sort();

describe('tenant digest', () => {
  it('names the forest, its domain SID, suffixes, counts and linked account domains (ldapsearch dialect)', async () => {
    const digest = await digestOf('fabrikam.ldif');
    expect(digest.forest).toBe('fabrikam.test');
    expect(digest.domains).toEqual([{ dn: 'DC=fabrikam,DC=test', dnsName: 'fabrikam.test', sid: 'S-1-5-21-4000-5000-6000', partitionRead: true }]);
    expect(digest.counts).toEqual({ users: 4, groups: 0, contacts: 1, devices: 0 });
    expect([...digest.upnSuffixes]).toEqual([
      ['fabrikam.com', 3],
      ['northwind.com', 1],
    ]);
    // The room mailbox's msExchMasterAccountSID is SELF: no link to another forest.
    expect([...digest.linkedAccountDomains]).toEqual([['S-1-5-21-1000-2000-3000', 1]]);
  });
});

describe('tenant digest without values', () => {
  it('keeps no values when told not to (one forest, no --value-hashes), and still counts linked mailboxes per domain', async () => {
    const collector = createDigestCollector({ collectValues: false });
    const result = await scan([new LdifSource(path.join(FIXTURES, 'fabrikam.ldif'))], { checks: [], observers: [collector] });
    const digest = collector.finish(result.inventory);
    expect(digest.values).toBeUndefined();
    expect([...digest.linkedAccountDomains]).toEqual([['S-1-5-21-1000-2000-3000', 1]]);
    expect(judgeTenant([digest], { target: 'cloud-sync' }).findings).toEqual([]);
  });
});

describe('tenant checks', () => {
  it('finds the cross-forest duplicates, the account/resource pair, the same person and the shared suffix in two forests', async () => {
    const outcome = judgeTenant([await digestOf('contoso.ldf'), await digestOf('fabrikam.ldif')], { target: 'cloud-sync' });
    expect(Object.fromEntries(outcome.checks.map((c) => [c.id, c.status]))).toEqual({
      'tenant.account-resource-pairs': 'failed',
      'tenant.cross-forest-duplicates': 'failed',
      'tenant.limits': 'passed',
      'tenant.migration-tool-one-forest': 'passed',
      'tenant.upn-suffix-in-several-forests': 'failed',
    });

    const [duplicates] = findingsOf(outcome, 'tenant.cross-forest-duplicates/shared-across-forests');
    expect(duplicates?.severity).toBe('blocker');
    expect(duplicates?.scope).toEqual({ kind: 'tenant' });
    expect(dns(duplicates)).toEqual([
      'contoso.test CN=Alice,OU=People,DC=contoso,DC=test',
      'contoso.test CN=Sales,OU=People,DC=contoso,DC=test',
      'fabrikam.test CN=Alice Smith,OU=Mailboxes,DC=fabrikam,DC=test',
      'fabrikam.test CN=Sales Contact,OU=Mailboxes,DC=fabrikam,DC=test',
    ]);
    expect(duplicates?.message).toContain('4 objects are involved, 1 of them contacts (GAL synchronisation, most likely)');
    expect(duplicates?.objects.find((o) => o.samAccountName === 'asmith')).toMatchObject({
      attribute: 'mail',
      value: 'alice@contoso.com',
      detail: 'mail "alice@contoso.com" is also on: userPrincipalName of CN=Alice,OU=People,DC=contoso,DC=test (contoso.test)',
    });

    const [linked] = findingsOf(outcome, 'tenant.account-resource-pairs/linked-accounts');
    expect(linked?.severity).toBe('blocker');
    expect(dns(linked)).toEqual(['contoso.test CN=Bob,OU=People,DC=contoso,DC=test', 'fabrikam.test CN=Bob Mailbox,OU=Mailboxes,DC=fabrikam,DC=test']);
    const [sameAddress] = findingsOf(outcome, 'tenant.account-resource-pairs/same-address');
    expect(sameAddress?.severity).toBe('warning');
    expect(dns(sameAddress)).toEqual(['contoso.test CN=Alice,OU=People,DC=contoso,DC=test', 'fabrikam.test CN=Alice Smith,OU=Mailboxes,DC=fabrikam,DC=test']);
    // Two forests after a merger can share every address (GAL synchronisation): the lists that grow with them are kept off the heap.
    for (const finding of [duplicates, linked, sameAddress]) expect(ObjectList.behind(finding?.objects ?? []), finding?.key).toBeDefined();

    const [suffixes] = findingsOf(outcome, 'tenant.upn-suffix-in-several-forests/shared-suffixes');
    expect(suffixes?.message).toContain('northwind.com: contoso.test (1), fabrikam.test (1)');
    expect(suffixes).toMatchObject({ count: 1, countOf: 'UPN suffixes' });

    const [tool] = findingsOf(outcome, 'tenant.migration-tool-one-forest/several-forests');
    expect(tool?.severity).toBe('info');
  });

  it('makes several forests a blocker under --target migration-tool', async () => {
    const outcome = judgeTenant([await digestOf('contoso.ldf'), await digestOf('tailspin.ldf')], { target: 'migration-tool' });
    expect(statusOf(outcome, 'tenant.migration-tool-one-forest')).toBe('failed');
    expect(findingsOf(outcome, 'tenant.migration-tool-one-forest/several-forests')[0]?.severity).toBe('blocker');
  });

  it('passes every check with no finding for one forest', async () => {
    const outcome = judgeTenant([await digestOf('contoso.ldf')], { target: 'migration-tool' });
    expect(outcome.findings).toEqual([]);
    expect(new Set(outcome.checks.map((c) => c.status))).toEqual(new Set(['passed']));
  });

  it('compares three forests, and a forest that shares nothing adds nothing', async () => {
    const two = judgeTenant([await digestOf('contoso.ldf'), await digestOf('fabrikam.ldif')], { target: 'cloud-sync' });
    const three = judgeTenant([await digestOf('tailspin.ldf'), await digestOf('contoso.ldf'), await digestOf('fabrikam.ldif')], { target: 'cloud-sync' });
    const blockers = (o: TenantOutcome): string[] => o.findings.filter((f) => f.severity !== 'info').map((f) => `${f.fingerprint} ${dns(f).join('|')}`);
    expect(blockers(three)).toEqual(blockers(two));
  });

  it('reports the same findings, objects in the same order, whatever the order of the forests', async () => {
    const contoso = await digestOf('contoso.ldf');
    const fabrikam = await digestOf('fabrikam.ldif');
    const listed = (o: TenantOutcome): unknown =>
      o.findings.map((f) => [f.fingerprint, f.objects.map((object) => `${object.forest} ${object.dn} ${object.detail}`)]);
    expect(listed(judgeTenant([fabrikam, contoso], { target: 'cloud-sync' }))).toEqual(listed(judgeTenant([contoso, fabrikam], { target: 'cloud-sync' })));
  });

  it('judges merged reports with value hashes as it judges one run', async () => {
    const direct = judgeTenant([await digestOf('contoso.ldf', KEY), await digestOf('fabrikam.ldif', KEY)], { target: 'cloud-sync' });
    const merged = judgeTenant([throughJson(await digestOf('contoso.ldf', KEY)), throughJson(await digestOf('fabrikam.ldif', KEY))], { target: 'cloud-sync' });
    expect(merged.checks.map((c) => [c.id, c.status])).toEqual(direct.checks.map((c) => [c.id, c.status]));
    expect(merged.findings.map((f) => [f.key, dns(f)])).toEqual(direct.findings.map((f) => [f.key, dns(f)]));
    // The report shows the hash, never the value.
    const hashed = findingsOf(merged, 'tenant.cross-forest-duplicates/shared-across-forests')[0]?.objects ?? [];
    expect(hashed.map((o) => o.value)).toEqual(expect.arrayContaining([expect.stringMatching(/^\(hashed\) [\w-]{22}$/)]));
    expect(JSON.stringify(digestToJson(await digestOf('contoso.ldf', KEY)))).not.toContain('alice@contoso.com');
  });

  it('says the cross-forest comparison was not evaluated for reports made without --value-hashes, and counts linked mailboxes per domain', async () => {
    const outcome = judgeTenant([throughJson(await digestOf('contoso.ldf')), throughJson(await digestOf('fabrikam.ldif'))], { target: 'cloud-sync' });
    expect(outcome.checks.find((c) => c.id === 'tenant.cross-forest-duplicates')).toMatchObject({
      status: 'not-evaluated',
      reason: expect.stringContaining('contoso.test, fabrikam.test were made without --value-hashes'),
    });
    expect(statusOf(outcome, 'tenant.upn-suffix-in-several-forests')).toBe('failed');
    const [linkedDomain] = findingsOf(outcome, 'tenant.account-resource-pairs/linked-domains');
    expect(linkedDomain).toMatchObject({ severity: 'blocker', count: 1, countOf: 'linked mailboxes' });
    expect(linkedDomain?.objects).toEqual([expect.objectContaining({ dn: 'DC=contoso,DC=test', forest: 'contoso.test' })]);
    expect(statusOf(outcome, 'tenant.account-resource-pairs')).toBe('not-evaluated');
  });

  it('refuses to compare values hashed with different keys, naming the forests', async () => {
    const outcome = judgeTenant([throughJson(await digestOf('contoso.ldf', KEY)), throughJson(await digestOf('fabrikam.ldif', OTHER_KEY))], {
      target: 'cloud-sync',
    });
    const reason = outcome.checks.find((c) => c.id === 'tenant.cross-forest-duplicates')?.reason ?? '';
    expect(reason).toContain(`contoso.test (key check ${keyCheckOf(KEY)})`);
    expect(reason).toContain(`fabrikam.test (key check ${keyCheckOf(OTHER_KEY)})`);
    expect(findingsOf(outcome, 'tenant.cross-forest-duplicates/shared-across-forests')).toEqual([]);
  });

  it('does not pass a rule on a forest whose domain was not read', async () => {
    const unread = { ...(await digestOf('tailspin.ldf')), domains: [{ dn: 'DC=tailspin,DC=test', dnsName: 'tailspin.test', partitionRead: false }] };
    const outcome = judgeTenant([await digestOf('contoso.ldf'), unread], { target: 'cloud-sync' });
    expect(outcome.checks.find((c) => c.id === 'tenant.limits')).toMatchObject({
      status: 'not-evaluated',
      reason: expect.stringContaining('no domain partition of tailspin.test was read'),
    });
    expect(statusOf(outcome, 'tenant.migration-tool-one-forest')).toBe('passed');
  });

  it('switches rules off by id, tag or category', async () => {
    const outcome = judgeTenant([await digestOf('contoso.ldf'), await digestOf('fabrikam.ldif')], {
      target: 'cloud-sync',
      disabled: new Set(['multi-forest']),
    });
    expect(new Set(outcome.checks.map((c) => c.status))).toEqual(new Set(['disabled']));
    expect(outcome.findings).toEqual([]);
  });
});

describe('tenant digest in a report', () => {
  it('refuses value hashes that name a holder the digest does not list', async () => {
    const json = digestToJson(await digestOf('tailspin.ldf', KEY));
    const broken = { ...json, valueHashes: { ...json.valueHashes!, holders: [] } };
    expect(() => digestFromJson(tenantDigestSchema.parse(broken))).toThrow('the tenant digest of tailspin.test names holder 0, but lists 0 holders');
  });

  it('writes the same value hashes whatever the order the objects were read in', async () => {
    const records = readFileSync(path.join(FIXTURES, 'contoso.ldf'), 'utf8').split('\n\n');
    const reversed = path.join(mkdtempSync(path.join(tmpdir(), 'readiness-tenant-')), 'contoso-reversed.ldf');
    writeFileSync(reversed, [records[0], ...records.slice(1).reverse()].join('\n\n'));
    const forward = digestToJson(await digestOf('contoso.ldf', KEY));
    const backward = digestToJson(await digestOf(reversed, KEY));
    expect(backward.valueHashes?.holders[0]).not.toBeUndefined();
    expect(backward).toEqual(forward);
  });

  it("hashes a one-forest scan's values as it reads them, to the same lists as the digest that keeps them in memory", async () => {
    // Two forests' objects in one scan hold values in common (different DNs) and link to each other's SIDs; contoso
    // read again with its DNs in upper case is the same objects read twice, which the scan reads once.
    const upper = path.join(mkdtempSync(path.join(tmpdir(), 'readiness-tenant-')), 'contoso-upper.ldf');
    writeFileSync(
      upper,
      readFileSync(path.join(FIXTURES, 'contoso.ldf'), 'utf8').replace(/^dn: (.*)$/gm, (_, dn: string) => `dn: ${dn.toUpperCase()}`),
    );
    const kept = createDigestCollector({ valueHashKey: KEY });
    const streamed = createDigestCollector({ valueHashKey: KEY, collectValues: false });
    const sources = [path.join(FIXTURES, 'contoso.ldf'), path.join(FIXTURES, 'fabrikam.ldif'), upper].map((file) => new LdifSource(file));
    const result = await scan(sources, { checks: [], observers: [kept, streamed] });
    const fromMemory = digestToJson(kept.finish(result.inventory));
    const streamedDigest = streamed.finish(result.inventory);
    expect(streamedDigest.values).toBeUndefined();
    const fromStream = digestToJson(streamedDigest);
    const lines = fromMemory.valueHashes?.values ?? [];
    const hashes = lines.map((line) => line.split(' ')[0]);
    expect(new Set(hashes).size).toBeLessThan(hashes.length);
    const apart = await Promise.all(['contoso.ldf', 'fabrikam.ldif', upper].map(async (file) => digestToJson(await digestOf(file, KEY))));
    expect(lines.length).toBeLessThan(apart.reduce((sum, digest) => sum + (digest.valueHashes?.values.length ?? 0), 0));
    expect(fromStream).toEqual(fromMemory);
  });

  it('keeps no values without a key, and only hashes with one', async () => {
    expect(digestToJson(await digestOf('tailspin.ldf')).valueHashes).toBeUndefined();
    const hashed = digestToJson(await digestOf('tailspin.ldf', KEY)).valueHashes;
    expect(hashed).toMatchObject({ algorithm: 'HMAC-SHA-256/128', keyCheck: keyCheckOf(KEY) });
    // erin: one key for UPN = mail, and her objectSid.
    expect(hashed?.values).toHaveLength(2);
    expect(hashed?.holders).toEqual(['CN=Erin,CN=Users,DC=tailspin,DC=test\u000000000000-0000-0000-0000-0000000000c1\u0000erin\u0000user']);
  });
});
