import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildCli } from './built-cli.js';

/**
 * The package as an administrator installs it: `npm pack`, then `npm install -g ./x.tgz`, then `readiness`
 * from any folder. The dependencies travel inside the tarball (bundleDependencies), so the install needs
 * no registry: it runs here with --offline, as it would on a jump host without internet access.
 */
const ROOT = join(import.meta.dirname, '..', '..');
const dir = mkdtempSync(join(tmpdir(), 'readiness-package-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const npm = (args: string[], cwd: string): string =>
  execFileSync('npm', [...args, '--no-audit', '--no-fund', '--ignore-scripts'], { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

describe('the packed package', () => {
  it('installs globally from its tarball without a registry and runs as `readiness` from another folder', () => {
    const build = dirname(dirname(buildCli('readiness-package-test')));
    const unpacked = join(dir, 'package');
    cpSync(build, unpacked, { recursive: true });
    // The runtime dependencies as npm ci installed them, which npm pack bundles.
    const runtime = npm(['ls', '--omit=dev', '--parseable', '--all'], ROOT).trim().split('\n').slice(1);
    for (const folder of runtime) cpSync(folder, join(unpacked, folder.slice(ROOT.length + 1)), { recursive: true });
    npm(['pack', '--pack-destination', dir], unpacked);
    const tarball = readdirSync(dir).find((name) => name.endsWith('.tgz'));
    expect(tarball).toMatch(/^ad-readiness-readiness-\d+\.\d+\.\d+\.tgz$/);

    const prefix = join(dir, 'prefix');
    const elsewhere = join(dir, 'elsewhere');
    mkdirSync(elsewhere);
    npm(['install', '--global', '--offline', '--prefix', prefix, join(dir, tarball as string)], elsewhere);
    const env = { ...process.env, PATH: `${join(prefix, 'bin')}:${process.env.PATH ?? ''}` };
    const version = execFileSync('readiness', ['--version'], { cwd: elsewhere, env, encoding: 'utf8' });
    expect(version.trim()).toBe(JSON.parse(execFileSync('npm', ['pkg', 'get', 'version'], { cwd: ROOT, encoding: 'utf8' })) as string);
    const checks = execFileSync('readiness', ['checks', '--json'], { cwd: elsewhere, env, encoding: 'utf8' });
    expect((JSON.parse(checks) as unknown[]).length).toBeGreaterThan(30);
  }, 240_000);
});
