import { execFileSync } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reportSchema } from '../../src/report/schema.js';
import { buildCli } from '../cli/built-cli.js';
import { expectOutcome, runCli, scratchFolder, summarise } from './cli-harness.js';
import { answersGarbage, bindsButFindsNothing, type FakeServer, fakeServer, neverAnswers, refusesBind, WRONG_PASSWORD } from './fake-ldap-server.js';
import { domainHead, ONE_CHECK_CONFIG, users } from './forest.js';

/**
 * The CLI's part of the hostile-input suite (issue 13): password on stdin, YAML files, output faults,
 * live faults from fake servers on loopback, folders and globs, secrets. Slow and big cases are in
 * cli-slow.test.ts behind READINESS_HOSTILE_SLOW=1.
 */
let bin = '';
const dir = scratchFolder();
const file = (name: string, content: string | Buffer): string => {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
};
const forest = file('forest.ldf', domainHead + users('Staff', 3));
const config = file('one-check.yaml', ONE_CHECK_CONFIG);
const servers: FakeServer[] = [];

beforeAll(() => {
  bin = buildCli('readiness-hostile-test');
}, 180_000);
afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
  rmSync(dir, { recursive: true, force: true });
  summarise('cli-faults');
});

async function server(host: string, behaviour: Parameters<typeof fakeServer>[1]): Promise<FakeServer> {
  const fake = await fakeServer(host, behaviour);
  servers.push(fake);
  return fake;
}

const live = (fake: FakeServer, ...extra: string[]): string[] => ['scan', '--url', fake.url, '--user', 'scanner@corp.example.com', ...extra];

describe('--password-stdin', () => {
  it('stops at the size cap when stdin never ends a line (yes x |), in bounded memory', async () => {
    const run = await runCli(bin, ['scan', '--server', '127.0.0.5:1', '--user', 'a@b.c', '--password-stdin'], { endlessStdin: true });
    expectOutcome('password-stdin', 'endless stdin', run, { status: 2, stderr: /first line is longer than 4,096 bytes/, maxSeconds: 10 });
  });

  it('takes the first line without waiting for the end of input ((echo pw; sleep 40) |)', async () => {
    const fake = await server('127.0.0.5', refusesBind(WRONG_PASSWORD));
    const run = await runCli(bin, [...live(fake), '--password-stdin'], { input: 'pw\n', keepStdinOpen: true });
    expectOutcome('password-stdin', 'open stdin after the line', run, { status: 2, stderr: /bind refused: wrong user name or password/, maxSeconds: 10 });
  });
});

describe('YAML files (--config, --answers)', () => {
  const aliasBomb = file(
    'bomb.yaml',
    ['a: &a [x, x, x, x, x, x, x, x, x]', ...'bcdefgh'.split('').map((k, i) => `${k}: &${k} [${Array(9).fill(`*${'abcdefg'[i]}`).join(', ')}]`)].join('\n'),
  );
  const huge = file('huge.yaml', `# ${'x'.repeat(2 * 1024 * 1024)}\n`);
  const fifo = join(dir, 'fifo.yaml');
  execFileSync('mkfifo', [fifo]);
  const cases: [string, string, RegExp][] = [
    ['/dev/zero', '/dev/zero', /not a regular file/],
    ['/dev/urandom', '/dev/urandom', /not a regular file/],
    ['a FIFO', fifo, /not a regular file/],
    ['a 2 MiB file', huge, /larger than 1024 KiB/],
    ['an alias bomb', aliasBomb, /not usable YAML \(Excessive alias count/],
    ['a folder', dir, /not a regular file/],
  ];
  for (const flag of ['--config', '--answers']) {
    it.each(cases)(`${flag} %s is a config error (exit 2), read in bounded time and memory`, async (_name, path, message) => {
      const run = await runCli(bin, ['scan', '--ldif', forest, flag, path], { cwd: dir });
      expectOutcome('yaml', `${flag} ${_name}`, run, { status: 2, stderr: message, maxSeconds: 10 });
    });
  }
});

describe('output faults', () => {
  it('stdout closed early (| true) ends quietly with the verdict exit code', async () => {
    const run = await runCli(bin, ['scan', '--ldif', forest, '--config', config], { closeStdout: true });
    expectOutcome('output', 'stdout closed', run, { status: 0, quiet: true });
  });

  it('stdout full (> /dev/full) is one line and exit 2, never 1', async () => {
    const full = openSync('/dev/full', 'w');
    try {
      const run = await runCli(bin, ['scan', '--ldif', forest, '--config', config], { stdoutFd: full });
      expectOutcome('output', 'stdout full', run, { status: 2, stderr: /cannot write the report to standard output: no space left on the device \(ENOSPC\)/ });
    } finally {
      closeSync(full);
    }
  });

  it('an unknown --output extension is refused before the scan instead of writing JSON', async () => {
    const run = await runCli(bin, ['scan', '--ldif', '-', '--output', join(dir, 'r.pdf')], { keepStdinOpen: true });
    expectOutcome('output', 'unknown extension', run, { status: 2, stderr: /r\.pdf: the extension does not name a report format/ });
  });

  it('--output into a missing folder is refused before the scan starts (stdin that never ends is not waited for)', async () => {
    const run = await runCli(bin, ['scan', '--ldif', '-', '--output', join(dir, 'missing', 'r.json')], { keepStdinOpen: true });
    expectOutcome('output', 'missing folder', run, { status: 2, stderr: /the folder .*missing does not exist/ });
  });

  it('--output onto a device is refused: the rename would replace it', async () => {
    const run = await runCli(bin, ['scan', '--ldif', forest, '--output', '/dev/null', '--format', 'json']);
    expectOutcome('output', 'device as --output', run, { status: 2, stderr: /\/dev\/null: is not a regular file/ });
  });

  it('--output replaces the previous report only when the new one is complete, and leaves no temporary file', async () => {
    const target = file('report.json', 'previous report');
    const run = await runCli(bin, ['scan', '--ldif', forest, '--config', config, '--output', target]);
    expectOutcome('output', 'replace report', run, { status: 0, quiet: true });
    expect(reportSchema.parse(JSON.parse(readFileSync(target, 'utf8'))).verdict).toBe('ready');
    expect(readdirSync(dir).filter((name) => name.endsWith('.tmp'))).toEqual([]);
  });
});

describe('live faults (fake servers on loopback)', () => {
  const env = { READINESS_PASSWORD: 'Zq7-secret' };

  it('a server that binds but returns no RootDSE: exit 2 at once, no hang (the open connection kept the process alive)', async () => {
    const fake = await server('127.0.0.6', bindsButFindsNothing);
    const run = await runCli(bin, live(fake), { env });
    expectOutcome('live', 'no RootDSE', run, { status: 2, stderr: /returned no RootDSE/, secrets: ['Zq7-secret'] });
  });

  it('a server that answers garbage is a protocol error within seconds, not timeouts', async () => {
    const fake = await server('127.0.0.6', answersGarbage);
    const run = await runCli(bin, live(fake), { env });
    expectOutcome('live', 'garbage', run, { status: 2, stderr: /does not speak LDAP/, maxSeconds: 5 });
    expect(fake.accepted()).toBe(1);
  });

  it('a server that never answers fails after --timeout, once, without retries', async () => {
    const fake = await server('127.0.0.6', neverAnswers);
    const run = await runCli(bin, [...live(fake), '--timeout', '2'], { env });
    expectOutcome('live', 'silent server', run, { status: 2, stderr: /no answer in time/, maxSeconds: 8 });
    expect(fake.accepted()).toBe(1);
  });

  it('--timeout must be a number of seconds', async () => {
    const run = await runCli(bin, ['scan', '--server', '127.0.0.6', '--user', 'a@b.c', '--timeout', 'soon'], { env });
    expectOutcome('live', 'bad --timeout', run, { status: 2, stderr: /--timeout "soon" is not a number of seconds/ });
  });

  it('a password with a line break, echoed by the server in another letter case, is never printed', async () => {
    const password = 'Zq7\nXk9-Secret';
    // An unusual result code, so that the server's own words reach the message.
    const fake = await server('127.0.0.6', refusesBind({ resultCode: 80, diagnostic: `cannot bind with password ${password.toUpperCase()}` }));
    const run = await runCli(bin, live(fake), { env: { READINESS_PASSWORD: password } });
    expectOutcome('secrets', 'echoed password with a line break', run, {
      status: 2,
      stderr: /LDAP error 80: cannot bind with password \*\*\*/,
      secrets: ['Zq7', 'Xk9-Secret'],
    });
  });

  it('credentials in --url are refused without repeating them', async () => {
    for (const url of ['ldap://scanner:S3cr3t-pw@dc1.example.com', 'ldaps://scanner:S3cr3t-pw@dc1.example.com:notaport', 'http://scanner:S3cr3t-pw@dc1']) {
      const run = await runCli(bin, ['scan', '--url', url, '--user', 'a@b.c'], { env });
      expectOutcome('secrets', `credentials in ${url.split(':')[0] ?? ''} URL`, run, {
        status: 2,
        stderr: /no credentials in the URL/,
        secrets: ['S3cr3t-pw'],
      });
    }
    for (const flags of [
      ['--server', 'scanner:S3cr3t-pw@dc1'],
      ['--server', 'dc1', '--gc', 'scanner:S3cr3t-pw@gc1:3268'],
    ]) {
      const run = await runCli(bin, ['scan', ...flags, '--user', 'a@b.c'], { env });
      expectOutcome('secrets', `credentials in ${flags.at(-2) ?? ''}`, run, {
        status: 2,
        stderr: /no credentials in the URL or server name/,
        secrets: ['S3cr3t-pw'],
      });
    }
  });
});

describe('folders and glob patterns', () => {
  const exports = join(dir, 'exports');
  mkdirSync(exports);
  writeFileSync(join(exports, 'domain.ldf'), domainHead);
  writeFileSync(join(exports, 'staff.LDIF'), users('Staff', 2));
  writeFileSync(join(exports, 'sales.ldf'), users('Sales', 2));
  writeFileSync(join(exports, 'notes.txt'), 'not LDIF');

  it('--ldif FOLDER reads every LDIF file in it, sorted, and nothing else', async () => {
    const run = await runCli(bin, ['scan', '--ldif', exports, '--config', config]);
    const report = reportSchema.parse(JSON.parse(run.stdout));
    const read = report.inputs.map((i) => i.label);
    expectOutcome('inputs', 'folder', run, { status: 0, quiet: true, dropped: read.length !== 3 });
    expect(read).toEqual(['domain.ldf', 'sales.ldf', 'staff.LDIF'].map((name) => join(exports, name)));
    expect(report.forests[0]?.inventory.domains[0]?.users).toBe(4);
  });

  it('a quoted glob pattern is expanded by the tool (PowerShell and cmd do not expand it)', async () => {
    const run = await runCli(bin, ['scan', '--ldif', 'exports/*.ldf', '--config', config], { cwd: dir });
    const report = reportSchema.parse(JSON.parse(run.stdout));
    expectOutcome('inputs', 'glob', run, { status: 0, quiet: true, dropped: report.inputs.length !== 2 });
    expect(report.inputs.map((i) => i.label)).toEqual(['exports/domain.ldf', 'exports/sales.ldf']);
  });

  it('a pattern that matches nothing and a folder without LDIF files are usage errors', async () => {
    const none = await runCli(bin, ['scan', '--ldif', 'exports/*.ldif.gz'], { cwd: dir });
    expectOutcome('inputs', 'glob without match', none, { status: 2, stderr: /"exports\/\*\.ldif\.gz": no file matches/ });
    const empty = join(dir, 'empty');
    mkdirSync(empty);
    const run = await runCli(bin, ['scan', '--ldif', empty]);
    expectOutcome('inputs', 'folder without LDIF', run, { status: 2, stderr: /the folder has no LDIF file/ });
  });
});
