import { cpSync, rmSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

const ROOT = join(import.meta.dirname, '..', '..');

/**
 * Builds the CLI into a folder of its own (inside node_modules, so that its imports resolve), because a
 * build of dist/ running at the same time would swap files under the tests. Returns the bin script.
 */
export function buildCli(folder: string): string {
  const build = join(ROOT, 'node_modules', '.cache', folder);
  rmSync(build, { recursive: true, force: true });
  const tsc = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
  execFileSync(process.execPath, [tsc, '-p', join(ROOT, 'tsconfig.build.json'), '--outDir', join(build, 'dist')], { cwd: ROOT, stdio: 'pipe' });
  // The CLI reads its version from ../../package.json, and package.json makes dist/ ES modules.
  cpSync(join(ROOT, 'package.json'), join(build, 'package.json'));
  cpSync(join(ROOT, 'bin'), join(build, 'bin'), { recursive: true });
  return join(build, 'bin', 'readiness.js');
}
