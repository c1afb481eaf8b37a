import { promises as fs } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { glob, isDynamicPattern } from 'tinyglobby';
import { type ForestGroup, ForestGroupingError, groupByForest } from '../inventory/forest-groups.js';
import { LdifSource } from '../sources/ldif/source.js';
import type { LdifLimits } from '../sources/ldif/limits.js';
import { SourceUnavailableError } from '../sources/source.js';
import { UserError } from './errors.js';
import { EXIT } from './exit-codes.js';

/** What a folder is searched for: ldifde writes .ldf, ldapsearch users write .ldif; either may be gzipped. */
const LDIF_EXTENSIONS = ['.ldf', '.ldif', '.ldf.gz', '.ldif.gz'];

/** The --ldif inputs put in forests (one group unless the exports hold several forests' configuration partitions). */
export async function openLdifForests(args: readonly string[], limits: Partial<LdifLimits> = {}): Promise<ForestGroup[]> {
  const { sources, stdin } = await openLdifSources(args, limits);
  try {
    return await groupByForest(sources, new Set(stdin === undefined ? [] : [stdin]));
  } catch (error) {
    if (error instanceof ForestGroupingError) throw new UserError(error.message, EXIT.usage, error.hint);
    throw error;
  }
}

/**
 * One LDIF source per file that --ldif names, each checked to be readable before the scan starts.
 * An argument is a file, "-" for standard input, a folder (its LDIF files), or a glob pattern that the
 * tool expands itself: PowerShell and cmd pass "*.ldf" through as it is, and 10,000 file names do not
 * fit on a command line (npx fails with E2BIG past about 128 KB).
 */
async function openLdifSources(args: readonly string[], limits: Partial<LdifLimits>): Promise<{ sources: LdifSource[]; stdin?: LdifSource }> {
  const paths: string[] = [];
  for (const arg of args) paths.push(...(await expandArgument(arg)));
  if (paths.length === 0)
    throw new UserError('nothing to scan', EXIT.usage, 'pass --ldif FILE|FOLDER|"PATTERN"... or --server HOST --user NAME (see readiness scan --help)');
  if (paths.filter((p) => p === '-').length > 1) throw new UserError('stdin (-) can be read only once', EXIT.usage);
  const sources = paths.map((p) => new LdifSource(p, process.stdin, limits));
  try {
    for (const source of sources) await source.assertReadable();
  } catch (error) {
    if (error instanceof SourceUnavailableError) throw new UserError(error.message, EXIT.usage, error.hint);
    throw error;
  }
  const stdin = sources[paths.indexOf('-')];
  return stdin === undefined ? { sources } : { sources, stdin };
}

async function expandArgument(arg: string): Promise<string[]> {
  if (arg === '-') return [arg];
  const stat = await fs.stat(arg).catch(() => undefined);
  if (stat?.isDirectory() === true) return ldifFilesIn(arg);
  if (stat !== undefined || !isDynamicPattern(arg)) return [arg];
  // Glob patterns use forward slashes; a Windows user writes C:\exports\*.ldf.
  const pattern = process.platform === 'win32' ? arg.replaceAll('\\', '/') : arg;
  const matches = await glob(pattern, { onlyFiles: true, expandDirectories: false, absolute: isAbsolute(arg) });
  if (matches.length === 0) throw new UserError(`--ldif "${arg}": no file matches`, EXIT.usage, 'check the folder and the pattern, e.g. "exports/*.ldf"');
  return matches.sort();
}

async function ldifFilesIn(folder: string): Promise<string[]> {
  const names = (await fs.readdir(folder, { withFileTypes: true }))
    .filter((entry) => !entry.isDirectory() && LDIF_EXTENSIONS.some((extension) => entry.name.toLowerCase().endsWith(extension)))
    .map((entry) => entry.name)
    .sort();
  if (names.length === 0)
    throw new UserError(
      `--ldif ${folder}: the folder has no LDIF file (${LDIF_EXTENSIONS.join(', ')})`,
      EXIT.usage,
      'export the partitions into it first, or name the files',
    );
  return names.map((name) => join(folder, name));
}
