import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { scan } from '../../src/checks/engine.js';
import { CHECKS } from '../../src/checks/registry.js';
import { LdifSource } from '../../src/sources/ldif/source.js';

// Samba's template of the objects every new AD domain starts with (Administrator, Guest, krbtgt, the
// built-in and well-known groups, most with adminCount=1 and group nesting). Connect Sync skips them
// all as critical system objects, so the object checks must flag none of them and count every one.
const TEMPLATE = join(import.meta.dirname, '..', '..', '..', 'shared', 'realdata', 'samba_provision_users.ldif');
const OBJECT_CHECKS = [
  'groups.nested-scoping',
  'writeback.password',
  'identity.source-anchor',
  'phs.inetorgperson',
  'exchange.resource-forest',
  'writeback.groups',
  'hygiene.upn-format',
  'hygiene.duplicate-values',
  'hygiene.proxy-addresses',
  'hygiene.attribute-lengths',
  'hygiene.display-name',
];

describe.skipIf(!existsSync(TEMPLATE))("object checks on a new domain's default objects (real Samba template)", () => {
  const dir = mkdtempSync(join(tmpdir(), 'readiness-defaults-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('flag none of the critical system objects and say how many were skipped', async () => {
    const domain = 'DC=samba,DC=example,DC=com';
    const body = readFileSync(TEMPLATE, 'utf8')
      .replaceAll('${DOMAINDN}', domain)
      .replaceAll('${DOMAINSID}', 'S-1-5-21-1-2-3')
      .replace(/:: \$\{[A-Z0-9_]+\}/g, ':: cGFzc3dvcmQ='); // the template's base64 password placeholders
    const file = join(dir, 'defaults.ldif');
    writeFileSync(file, `dn: ${domain}\nobjectClass: top\nobjectClass: domain\nobjectClass: domainDNS\nminPwdAge: 0\n\n${body}`);
    const result = await scan([new LdifSource(file)], {
      checks: CHECKS.filter((c) => OBJECT_CHECKS.includes(c.meta.id)),
      answers: { 'connect-source-anchor': 'objectGUID' },
    });
    expect(result.problems.filter((p) => p.severity === 'error')).toEqual([]);
    for (const outcome of result.outcomes) {
      expect(outcome.result.status, outcome.meta.id).toBe('passed');
    }
    const notes = result.outcomes.map((o) => (o.result.status === 'passed' ? (o.result.note ?? '') : ''));
    expect(notes.find((n) => n.includes('users, groups, contacts examined'))).toMatch(
      /0 users, groups, contacts examined; \d+ skipped .*critical system objects/,
    );
    const nested = result.outcomes.find((o) => o.meta.id === 'groups.nested-scoping')?.result;
    expect(nested?.status === 'passed' ? nested.note : '').toMatch(/0 groups examined; \d+ skipped as Connect Sync skips them \(\d+ critical system objects\)/);
  });
});
