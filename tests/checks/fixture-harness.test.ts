import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CHECKS } from '../../src/checks/registry.js';
import { FixtureError, readFixture } from './fixture-harness.js';

const dir = mkdtempSync(join(tmpdir(), 'fixture-harness-'));

function fixture(header: string, checkId = 'groups.large'): () => unknown {
  const path = join(dir, 'f.ldif');
  writeFileSync(path, `# A description: free text.\n${header}\nversion: 1\n`);
  return () => readFixture(path, checkId, CHECKS);
}

describe('fixture harness (as strict as RuleTester)', () => {
  it('reads every key', () => {
    const read = fixture(
      [
        '# with: domain configuration',
        '# expect: failed',
        '# expect-finding: blocker 2 over-limit',
        '# expect-object: CN=Big,DC=x',
        '# expect-value: userPrincipalName=a b@x',
        '# expect-message: more than',
        '# option: groups.large.maxMembers=100',
        '# answer: pass-through-authentication=yes',
        '# target: migration-tool',
        '# allow-preview: yes',
      ].join('\n'),
    )();
    expect(read).toMatchObject({
      with: ['domain', 'configuration'],
      status: 'failed',
      findings: [{ severity: 'blocker', count: 2, kind: 'over-limit' }],
      values: [{ attribute: 'userPrincipalName', value: 'a b@x' }],
      options: { 'groups.large': { maxMembers: 100 } },
      answers: { 'pass-through-authentication': 'yes' },
      target: 'migration-tool',
      allowPreview: true,
    });
  });

  const mistakes: [string, string, RegExp][] = [
    ['an unknown key', '# expect: passed\n# expected-finding: warning 1', /line 3: unknown key "expected-finding"/],
    ['no expect line', '# with: domain', /needs an "# expect:" line/],
    ['an unknown status', '# expect: failing', /"expect: failing": use one of passed, failed, not-evaluated/],
    ['an unknown severity', '# expect: failed\n# expect-finding: error 1', /"error" is no severity/],
    [
      'a kind the check does not declare',
      '# expect: failed\n# expect-finding: blocker 1 too-big',
      /groups.large declares no finding kind "too-big"; its kinds: over-limit, size-unknown/,
    ],
    ['an unknown option', '# expect: passed\n# option: groups.large.maxMember=5', /no check has the option "groups.large.maxMember"/],
    ['an option without a number', '# expect: passed\n# option: groups.large.maxMembers=many', /needs a number/],
    ['an unknown question', '# expect: passed\n# answer: pass-thru=yes', /no check asks the question "pass-thru"/],
    [
      'an answer outside the choices',
      '# expect: passed\n# answer: pass-through-authentication=maybe',
      /"maybe" is not a choice of "pass-through-authentication" \(yes, no\)/,
    ],
    ['an unknown base file', '# with: domian\n# expect: passed', /there is no _base\/domian.ldif/],
    ['an unknown target', '# expect: passed\n# target: cloudsync', /use one of cloud-sync, migration-tool/],
  ];
  for (const [what, header, message] of mistakes) {
    it(`refuses ${what}`, () => {
      expect(fixture(header)).toThrow(FixtureError);
      expect(fixture(header)).toThrow(message);
    });
  }

  it('refuses a folder that names no check', () => {
    expect(fixture('# expect: passed', 'groups.huge')).toThrow(/names no registered check/);
  });
});
