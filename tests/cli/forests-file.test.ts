// The --forests file: one entry per forest, validated before any DC is contacted, and never a password in it.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { forestsTemplate, loadForestsFile } from '../../src/cli/forests-file.js';
import { ConfigFileError } from '../../src/config/yaml-file.js';
import { runCli } from '../ldap/run-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'readiness-forests-'));
function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

const SLOW = 60_000;

describe('loadForestsFile', () => {
  it('reads the template it writes: two forests, caFile relative to the file, the password by variable name', () => {
    const forests = loadForestsFile(file('template.yaml', forestsTemplate()));
    expect(forests).toEqual([
      {
        where: `${dir}/template.yaml, forest 1`,
        server: 'dc1.contoso.com',
        starttls: true,
        caFile: join(dir, 'contoso-ca.pem'),
        user: 'svc-readiness@contoso.com',
        passwordEnv: 'CONTOSO_PASSWORD',
      },
      {
        where: `${dir}/template.yaml, forest 2`,
        url: 'ldaps://dc1.fabrikam.com',
        user: 'FABRIKAM\\svc-readiness',
        passwordEnv: 'FABRIKAM_PASSWORD',
        timeout: 300,
      },
    ]);
  });

  it.each([
    [
      'a password',
      'forests:\n  - server: dc1\n    user: a@b.c\n  - server: dc2\n    user: a@b.c\n    password: hunter2\n',
      /line 6, key "forests\.1\.password": never write a password/,
    ],
    ['an unknown key', 'forests:\n  - server: dc1\n    user: a@b.c\n    bindDn: x\n', /line 4, key "forests\.0\.bindDn": unknown key; allowed: server, url/],
    [
      'server and url',
      'forests:\n  - server: dc1\n    url: ldaps://dc1\n    user: a@b.c\n',
      /key "forests\.0": give the DC as server or as url \(one of them\)/,
    ],
    ['no DC', 'forests:\n  - user: a@b.c\n', /key "forests\.0": give the DC as server or as url/],
    ['no bind account', 'forests:\n  - server: dc1\n', /key "forests\.0\.user": each forest needs its bind account/],
    [
      'a password in passwordEnv',
      'forests:\n  - server: dc1\n    user: a@b.c\n    passwordEnv: "S3cret!"\n',
      /key "forests\.0\.passwordEnv": the name of an environment variable/,
    ],
    ['a timeout that is not seconds', 'forests:\n  - server: dc1\n    user: a@b.c\n    timeout: soon\n', /key "forests\.0\.timeout": a number of seconds/],
    ['no forest', 'forests: []\n', /key "forests": name at least one forest/],
    ['a list without its key', '- server: dc1\n  user: a@b.c\n', /the file must be a map with a forests list/],
  ])('refuses %s, naming the file, the line and the key', (_name, text, message) => {
    const path = file('bad.yaml', text);
    expect(() => loadForestsFile(path)).toThrow(ConfigFileError);
    expect(() => loadForestsFile(path)).toThrow(message);
  });

  it('never repeats the password it refuses', () => {
    const path = file('secret.yaml', 'forests:\n  - server: dc1\n    user: a@b.c\n    password: Hunter-22\n');
    expect(() => loadForestsFile(path)).toThrow(/^(?!.*Hunter-22)/s);
  });
});

describe('readiness scan --forests / several --server (no DC needed)', () => {
  it(
    'writes the template with readiness forests --init',
    async () => {
      const result = await runCli(['forests', '--init']);
      expect(result.code).toBe(0);
      expect(result.stdout).toBe(forestsTemplate());
    },
    SLOW,
  );

  it(
    'names the forest whose password variable is not set, before contacting any DC',
    async () => {
      const path = file(
        'env.yaml',
        'forests:\n  - server: 127.0.0.1:1\n    user: a@a.test\n    passwordEnv: A_PW\n  - server: 127.0.0.1:1\n    user: b@b.test\n    passwordEnv: B_PW\n',
      );
      const result = await runCli(['scan', '--forests', path], { A_PW: 'x' });
      expect(result.code).toBe(2);
      expect(result.stderr).toContain(`error: ${path}, forest 2: no password given: B_PW is not set`);
      expect(result.stderr).not.toMatch(/refused the connection/);
    },
    SLOW,
  );

  it(
    'names the forest whose DC refuses the connection',
    async () => {
      const path = file('refused.yaml', 'forests:\n  - server: 127.0.0.1:1\n    user: a@a.test\n    passwordEnv: A_PW\n');
      const result = await runCli(['scan', '--forests', path], { A_PW: 'Secret-9' });
      expect(result.code).toBe(2);
      expect(result.stderr).toContain(`error: ${path}, forest 1: ldap://127.0.0.1:1 refused the connection`);
      expect(result.stderr).not.toContain('Secret-9');
    },
    SLOW,
  );

  it(
    'refuses per-forest flags beside --forests, and --gc beside several DCs',
    async () => {
      const path = file('plain.yaml', 'forests:\n  - server: dc1\n    user: a@b.c\n');
      const withUser = await runCli(['scan', '--forests', path, '--user', 'a@b.c']);
      expect(withUser.code).toBe(2);
      expect(withUser.stderr).toMatch(/--forests and --user cannot be combined/);
      const withGc = await runCli(['scan', '--server', 'dc1', '--server', 'dc2', '--gc', 'gc1', '--user', 'a@b.c'], { READINESS_PASSWORD: 'x' });
      expect(withGc.code).toBe(2);
      expect(withGc.stderr).toMatch(/--gc names one forest's Global Catalog, but several DCs were given/);
    },
    SLOW,
  );
});
