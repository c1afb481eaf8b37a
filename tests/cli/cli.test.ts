import { type SpawnSyncReturns, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHECKS } from '../../src/checks/registry.js';
import type { ReportDiff } from '../../src/report/diff.js';
import { type ForestReport, reportSchema } from '../../src/report/schema.js';
import { forestOf } from '../report/helpers.js';
import { EXIT } from '../../src/cli/exit-codes.js';
import { buildCli } from './built-cli.js';

/**
 * The built CLI, run as users and scripts run it: a child process with its own stdout, stderr and exit
 * code. It is built into a folder of its own (inside node_modules, so that its imports resolve), because
 * a build of dist/ running at the same time would swap files under it.
 */
let BIN = '';
const dir = mkdtempSync(join(tmpdir(), 'readiness-cli-'));

const DOMAIN = 'DC=corp,DC=example,DC=com';
const record = (dn: string, ...lines: string[]): string => `dn: ${dn}\r\nchangetype: add\r\n${lines.join('\r\n')}\r\n\r\n`;
const members = (n: number): string[] => Array.from({ length: n }, (_, i) => `member: CN=U${i},OU=Staff,${DOMAIN}`);
const forest = (groupMembers: number): string =>
  record(DOMAIN, 'objectClass: top', 'objectClass: domain', 'objectClass: domainDNS', 'msDS-Behavior-Version: 7') +
  record(`OU=Staff,${DOMAIN}`, 'objectClass: top', 'objectClass: organizationalUnit') +
  record(`CN=U0,OU=Staff,${DOMAIN}`, 'objectClass: top', 'objectClass: person', 'objectClass: user', 'sAMAccountName: u0') +
  record(`CN=Team,OU=Staff,${DOMAIN}`, 'objectClass: top', 'objectClass: group', ...members(groupMembers));

/** Only the two scale checks run, so that exit codes 0 and 1 do not depend on the rest of the catalog. */
const ONLY_SCALE = `checks:\n  disable: [${CHECKS.map((c) => c.meta.id)
  .filter((id) => id !== 'groups.large' && id !== 'scale.objects-per-domain')
  .join(', ')}]\n  options:\n    groups.large:\n      maxMembers: 3\n`;

function file(name: string, content: string | Buffer): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

const clean = file('clean.ldf', forest(2));
const blocked = file('blocked.ldf', forest(5));
const malformed = file('malformed.ldf', `${forest(2)}dn: CN=Broken,OU=Staff,${DOMAIN}\r\nthis line has no colon\r\n\r\n`);
const config = file('only-scale.yaml', ONLY_SCALE);

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

function run(args: string[], options: { input?: string | Buffer; env?: Record<string, string> } = {}): Run {
  const env = { ...process.env, ...options.env };
  for (const name of ['NO_COLOR', 'FORCE_COLOR', 'READINESS_DEBUG', 'READINESS_PASSWORD']) if (options.env?.[name] === undefined) delete env[name];
  const result: SpawnSyncReturns<string> = spawnSync(process.execPath, [BIN, ...args], { cwd: dir, env, input: options.input, encoding: 'utf8' });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** The report on stdout, valid against the schema, and its one forest: what these one-forest tests look at. */
function json(result: Run): ForestReport {
  return forestOf(reportSchema.parse(JSON.parse(result.stdout)));
}

beforeAll(() => {
  BIN = buildCli('readiness-cli-test');
}, 180_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('readiness scan exit codes', () => {
  it('0: complete scan, no blockers; JSON on stdout when it is not a terminal, valid against the report schema', () => {
    const result = run(['scan', '--ldif', clean, '--config', config]);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const report = json(result);
    expect(report.complete).toBe(true);
    expect(report.verdict).toBe('ready');
    expect(report.inventory.domains).toMatchObject([{ dn: DOMAIN, users: 1, groups: 1 }]);
    expect(report.checks.find((c) => c.id === 'groups.large')?.status).toBe('passed');
  });

  it('1: complete scan with a blocker', () => {
    const result = run(['scan', '--ldif', blocked, '--config', config]);
    expect(result.status).toBe(1);
    const report = json(result);
    expect(report.verdict).toBe('blocked');
    expect(report.findings).toMatchObject([{ id: 'groups.large', severity: 'blocker', objects: [{ dn: `CN=Team,OU=Staff,${DOMAIN}` }] }]);
  });

  it('1: a hard blocker found wins over missing data: blocked, and the report still says it is incomplete', () => {
    const blockedAndBroken = file('blocked-and-broken.ldf', `${forest(5)}dn: CN=Broken,OU=Staff,${DOMAIN}\r\nthis line has no colon\r\n\r\n`);
    const result = run(['scan', '--ldif', blockedAndBroken, '--config', config]);
    expect(result.status).toBe(1);
    const report = json(result);
    expect(report.verdict).toBe('blocked');
    expect(report.complete).toBe(false);
    expect(report.headline).toBe('BLOCKED — and data incomplete');
    expect(report.incompleteReasons).toHaveLength(1);
  });

  it('3: a malformed file is reported with file and line in the JSON, verdict incomplete', () => {
    const result = run(['scan', '--ldif', malformed, '--config', config]);
    expect(result.status).toBe(3);
    const report = json(result);
    expect(report.verdict).toBe('incomplete');
    expect(report.complete).toBe(false);
    const line = forest(2).split('\r\n').length + 1;
    expect(report.problems).toEqual([
      expect.objectContaining({
        severity: 'error',
        input: malformed,
        location: `line ${line} (CN=Broken,OU=Staff,${DOMAIN})`,
        message: expect.stringContaining('"this line has no colon"'),
      }),
    ]);
    expect(report.incompleteReasons.join('\n')).toContain(`${malformed}, line ${line}`);
  });

  it('3: the terminal summary and the Markdown report name the file and line too', () => {
    for (const format of ['table', 'md']) {
      const result = run(['scan', '--ldif', malformed, '--config', config, '--format', format]);
      expect(result.status, format).toBe(3);
      expect(result.stdout, format).toMatch(/INCOMPLETE|incomplete/);
      expect(result.stdout, format).toContain(`${malformed}, line `);
    }
  });

  it('3 with --strict: stops at the first error with one line naming file and line, and no report', () => {
    const result = run(['scan', '--ldif', malformed, '--config', config, '--strict']);
    expect(result.status).toBe(3);
    expect(result.stdout).toBe('');
    const [first, ...rest] = result.stderr.trimEnd().split('\n');
    expect(first).toMatch(new RegExp(`^readiness: error: ${malformed.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}, line \\d+ \\(CN=Broken,.*\\(--strict\\)$`));
    expect(rest.every((l) => l.startsWith('readiness: hint: '))).toBe(true);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it('2: a missing file, with a hint and no stack trace', () => {
    const result = run(['scan', '--ldif', join(dir, 'missing.ldf')]);
    expect(result.status).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('missing.ldf: no such file');
    expect(result.stderr).toContain('readiness: hint:');
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it.each([[['scan', '--no-such-option']], [['scan', '--ldif', 'x.ldf', '--format', 'pdf']], [['scan']], [['no-such-command']]])(
    '2: usage error %j',
    (args) => {
      const result = run(args);
      expect(result.status).toBe(2);
      expect(result.stdout).toBe('');
      expect(result.stderr).not.toBe('');
      expect(result.stderr).not.toMatch(/\n\s+at /);
    },
  );

  it('documents the exit codes in --help', () => {
    const result = run(['--help']);
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/Exit codes:[\s\S]*0 [\s\S]*1 [\s\S]*2 [\s\S]*3 /);
  });
});

describe('readiness scan inputs', () => {
  it('reads LDIF from stdin ("-"), plain or gzip-compressed, and .gz files', () => {
    const expected = json(run(['scan', '--ldif', clean, '--config', config])).inventory;
    for (const input of [readFileSync(clean), gzipSync(readFileSync(clean))]) {
      const result = run(['scan', '--ldif', '-', '--config', config], { input });
      expect(result.status).toBe(0);
      expect(json(result).inputs).toEqual([{ kind: 'ldif', label: 'stdin' }]);
      expect(json(result).inventory).toEqual(expected);
    }
    const gz = file('clean.ldf.gz', gzipSync(readFileSync(clean)));
    expect(json(run(['scan', '--ldif', gz, '--config', config])).inventory).toEqual(expected);
  });

  it('3: a truncated .gz file makes the scan incomplete and names the file', () => {
    const big = Buffer.from(
      forest(2) + Array.from({ length: 300 }, (_, i) => record(`CN=X${i},OU=Staff,${DOMAIN}`, 'objectClass: user', `description: ${'x'.repeat(300)}`)).join(''),
    );
    const gz = gzipSync(big);
    const cut = file('cut.ldf.gz', gz.subarray(0, Math.floor(gz.length * 0.6)));
    const result = run(['scan', '--ldif', cut, '--config', config]);
    expect(result.status).toBe(3);
    const report = json(result);
    expect(report.verdict).toBe('incomplete');
    expect(report.problems).toEqual([
      expect.objectContaining({ severity: 'error', input: cut, message: expect.stringContaining('gzip data ends unexpectedly') }),
    ]);
  });

  it('3: an ldapsearch export stopped by a size limit (non-zero "result:") makes the scan incomplete', () => {
    const entries = forest(2)
      .replace(/\r\nchangetype: add/g, '')
      .replace(/\r\n/g, '\n');
    const limited = file('limited.ldif', `# extended LDIF\n#\n\n${entries}# search result\nsearch: 2\nresult: 4 Size limit exceeded\n\n# numEntries: 4\n`);
    const result = run(['scan', '--ldif', limited, '--config', config]);
    expect(result.status).toBe(3);
    const report = json(result);
    expect(report.verdict).toBe('incomplete');
    expect(report.problems).toEqual([
      expect.objectContaining({ severity: 'error', input: limited, message: expect.stringContaining('result: 4 Size limit exceeded') }),
    ]);
    expect(report.inventory.domains[0]?.users).toBe(1);
  });

  it('says nothing about partitions that were not exported: facts that need them are absent, not guessed', () => {
    const { forest: facts } = json(run(['scan', '--ldif', clean, '--config', config])).inventory;
    expect(facts.partitionsRead).toEqual({ configuration: false, schema: false });
    expect(facts).not.toHaveProperty('hasExternalDirectoryObjectId');
    expect(facts).not.toHaveProperty('schemaVersion');
    expect(facts).not.toHaveProperty('functionalLevel');
  });

  it('reads several files in one scan', () => {
    const users = file('more-users.ldf', record(`CN=U9,OU=Staff,${DOMAIN}`, 'objectClass: user'));
    const report = json(run(['scan', '--ldif', clean, users, '--config', config]));
    expect(report.inputs.map((i) => i.label)).toEqual([clean, users]);
    expect(report.inventory.domains[0]?.users).toBe(2);
  });
});

describe('readiness scan output', () => {
  it('--output takes the format from the extension; --format wins over it', () => {
    const cases: [string, string[], (text: string) => void][] = [
      ['report.json', [], (t) => expect(reportSchema.parse(JSON.parse(t)).verdict).toBe('ready')],
      ['report.md', [], (t) => expect(t).toMatch(/^# /)],
      ['report.txt', ['--format', 'md'], (t) => expect(t).toMatch(/^# /)],
      ['report.html', [], (t) => expect(t).toMatch(/^<!doctype html>/)],
      ['page.txt', ['--format', 'html'], (t) => expect(t).toMatch(/^<!doctype html>/)],
      ['forced.md', ['--format', 'json'], (t) => expect(JSON.parse(t)).toMatchObject({ schemaVersion: 3 })],
    ];
    for (const [name, extra, check] of cases) {
      const path = join(dir, name);
      const result = run(['scan', '--ldif', clean, '--config', config, '--output', path, ...extra]);
      expect(result.status, name).toBe(0);
      expect(result.stdout, name).toBe('');
      check(readFileSync(path, 'utf8'));
    }
  });

  it('--output to a folder that does not exist is a usage error, found before the scan', () => {
    const result = run(['scan', '--ldif', clean, '--config', config, '--output', join(dir, 'nope', 'r.json')]);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain(`the folder ${join(dir, 'nope')} does not exist`);
  });

  it('--format md and table print to stdout without colour when stdout is not a terminal', () => {
    const md = run(['scan', '--ldif', clean, '--config', config, '--format', 'md']);
    expect(md.stdout).toMatch(/^# /);
    const table = run(['scan', '--ldif', clean, '--config', config, '--format', 'table']);
    expect(table.status).toBe(0);
    expect(table.stdout).toContain('corp.example.com');
    expect(table.stdout).not.toContain('\x1b[');
  });

  // `script` gives the CLI a real terminal, the only place where colour is on by default.
  const script = ['/usr/bin/script', '/bin/script'].find((p) => existsSync(p));
  it.skipIf(script === undefined)('colours the terminal summary on a terminal, and honours NO_COLOR', () => {
    const onTerminal = (extra: Record<string, string>): string => {
      const command = `${process.execPath} ${BIN} scan --ldif ${clean} --config ${config}`;
      const env = { ...process.env, ...extra };
      for (const name of ['NO_COLOR', 'FORCE_COLOR']) if (extra[name] === undefined) delete env[name];
      const result = spawnSync(script as string, ['-qec', command, '/dev/null'], { cwd: dir, env, encoding: 'utf8' });
      expect(result.status).toBe(0);
      return result.stdout;
    };
    const coloured = onTerminal({});
    expect(coloured).toContain('corp.example.com');
    expect(coloured).toContain('\x1b[');
    const plain = onTerminal({ NO_COLOR: '1' });
    expect(plain).toContain('corp.example.com');
    expect(plain).not.toMatch(/\x1b\[[0-9;]*m/);
    // no-color.org: an empty NO_COLOR does not switch colour off.
    expect(onTerminal({ NO_COLOR: '' })).toContain('\x1b[');
  });

  it.skipIf(script === undefined)('on a terminal, shows the phases and the summary beside --output; --quiet shows nothing', () => {
    const onTerminal = (extra: string): string => {
      const command = `${process.execPath} ${BIN} scan --ldif ${clean} --config ${config} --output ${join(dir, 'tty.json')} ${extra}`;
      const result = spawnSync(script as string, ['-qec', command, '/dev/null'], { cwd: dir, env: { ...process.env, NO_COLOR: '1' }, encoding: 'utf8' });
      expect(result.status).toBe(0);
      return result.stdout;
    };
    const shown = onTerminal('');
    expect(shown).toMatch(/running \d+ checks on 4 objects/);
    expect(shown).toContain('writing report');
    expect(shown).toContain('corp.example.com');
    expect(onTerminal('--quiet')).toBe('');
  });
});

describe('the README', () => {
  const ROOT = join(import.meta.dirname, '..', '..');
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');

  it('sample command runs from the clone as written, with the exit code the README gives (1: hard blockers)', () => {
    const command = /^npx readiness (scan --ldif fixtures\/sample\S* --answers \S+)$/m.exec(readme)?.[1];
    expect(command).toBeDefined();
    const result = spawnSync(process.execPath, [BIN, ...(command ?? '').split(' '), '--format', 'json'], { cwd: ROOT, encoding: 'utf8' });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(1);
    expect(reportSchema.parse(JSON.parse(result.stdout)).inputs).toHaveLength(4);
  });

  it('and --help list the same exit codes', () => {
    const table = readme.slice(readme.indexOf('## Exit codes'));
    const inReadme = [...table.matchAll(/^\| (\d) \|/gm)].map((m) => Number(m[1]));
    const inHelp = [...run(['--help']).stdout.matchAll(/^ {2}(\d) {2}/gm)].map((m) => Number(m[1]));
    expect(inReadme).toEqual(Object.values(EXIT));
    expect(inHelp).toEqual(Object.values(EXIT));
  });
});

describe('readiness schema', () => {
  it('prints a valid JSON Schema that the JSON report validates against', () => {
    const result = run(['schema']);
    expect(result.status).toBe(0);
    const schema = JSON.parse(result.stdout) as Record<string, unknown>;
    expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    const ajv = new Ajv2020({ strict: false, allErrors: true });
    const validate = ajv.compile(schema);
    for (const input of [clean, blocked, malformed]) {
      const report: unknown = JSON.parse(run(['scan', '--ldif', input, '--config', config]).stdout);
      expect(validate(report), JSON.stringify(validate.errors)).toBe(true);
    }
    expect(validate({ schemaVersion: 1 })).toBe(false);
  });
});

describe('readiness scan --format csv', () => {
  it('--output fixes.csv writes the fix list: BOM, header, a row per object', () => {
    const path = join(dir, 'fixes.CSV');
    const result = run(['scan', '--ldif', blocked, '--config', config, '--output', path]);
    expect(result.status).toBe(1);
    const text = readFileSync(path, 'utf8');
    expect(text.startsWith('\uFEFFkey,fingerprint,check,severity,forest,domain,dn,')).toBe(true);
    const rows = text.slice(1).trimEnd().split('\r\n');
    expect(rows).toHaveLength(2);
    expect(rows[1]).toContain(`groups.large/`);
    expect(rows[1]).toContain(`"CN=Team,OU=Staff,${DOMAIN}"`);
    expect(rows[1]).toContain(',corp.example.com,corp.example.com,');
  });
});

describe('readiness diff', () => {
  const scanTo = (name: string, input: string): string => {
    const path = join(dir, name);
    run(['scan', '--ldif', input, '--config', config, '--output', path]);
    return path;
  };
  let before: string;
  let after: string;
  beforeAll(() => {
    before = scanTo('before.json', blocked);
    after = scanTo('after.json', clean);
  });

  it('exit 0 when the newer scan adds no hard blocker; the JSON says what was fixed and how the verdict moved', () => {
    const result = run(['diff', before, after]);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const diff = JSON.parse(result.stdout) as ReportDiff;
    expect(diff.verdictChanges[0]).toEqual({ level: 'forest', forest: 'corp.example.com', from: 'blocked', to: 'ready' });
    expect(diff.summary).toMatchObject({ findingsFixed: 1, findingsNew: 0, newHardBlockers: 0 });
  });

  it('exit 3 when the newer scan adds no hard blocker but is incomplete: a missing finding may be unread, not fixed', () => {
    const result = run(['diff', before, scanTo('incomplete.json', malformed)]);
    expect(result.status).toBe(3);
    expect((JSON.parse(result.stdout) as ReportDiff).notes[0]).toContain('the newer scan is incomplete');
  });

  it('exit 1 when the newer scan has a hard blocker the older did not; table and md name it', () => {
    const json = run(['diff', after, before]);
    expect(json.status).toBe(1);
    const table = run(['diff', after, before, '--format', 'table']);
    expect(table.stdout).toContain('Verdict forest: ready → blocked');
    expect(table.stdout).toContain('1 hard blocker(s) the older scan did not have.');
    const path = join(dir, 'progress.md');
    expect(run(['diff', after, before, '--output', path]).status).toBe(1);
    expect(readFileSync(path, 'utf8')).toMatch(/^# Remediation progress: ready → blocked/);
  });

  it('refuses two forests, other schema versions and files that are not reports, in one line with a hint (exit 2)', () => {
    const fabrikam = scanTo('fabrikam.json', file('fabrikam.ldf', forest(2).replaceAll(DOMAIN, 'DC=fabrikam,DC=com')));
    const oldSchema = file('v1.json', JSON.stringify({ ...JSON.parse(readFileSync(before, 'utf8')), schemaVersion: 1 }));
    const report = readFileSync(before, 'utf8');
    const cases: [string, RegExp][] = [
      [fabrikam, /different forests \(corp\.example\.com and fabrikam\.com\)/],
      [oldSchema, /v1\.json: report schema version 1, but this readiness reads version 3/],
      [clean, /clean\.ldf: not JSON/],
      [file('other.json', '{"schemaVersion": 3}'), /other\.json: not a valid readiness report/],
      [join(dir, 'missing.json'), /missing\.json: cannot be read \(ENOENT\)/],
      [file('cut.json', report.slice(0, report.length / 2)), /cut\.json: not JSON: the file ends before the report does/],
      [file('empty.json', ' \n'), /empty\.json: empty: no JSON in it/],
      [file('two.json', `${report}${report}`), /two\.json: not JSON \(Unexpected "\{"/],
      [file('zeros.json', '\0'.repeat(4096)), /zeros\.json: not JSON/],
    ];
    for (const [other, message] of cases) {
      const result = run(['diff', before, other]);
      expect(result.status, other).toBe(2);
      expect(result.stdout).toBe('');
      const lines = result.stderr.trimEnd().split('\n');
      expect(lines[0]).toMatch(message);
      expect(lines.slice(1).every((l) => l.startsWith('readiness: hint: '))).toBe(true);
    }
  });
});
