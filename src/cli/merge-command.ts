import type { Command } from 'commander';
import type { ForestReport, Report } from '../report/schema.js';
import { buildTenantReport } from '../report/tenant-report.js';
import { DigestFormatError, digestFromJson, type TenantDigest } from '../tenant/digest.js';
import { judgeTenant } from '../tenant/judge.js';
import { UserError } from './errors.js';
import { EXIT, exitCodeOf } from './exit-codes.js';
import { FORMAT_NAMES, prepareOutput, writeReport } from './output.js';
import { readReport } from './report-file.js';
import { TOOL_VERSION } from './version.js';

interface MergeFlags {
  format?: string;
  output?: string;
  quiet?: boolean;
}

export function registerMerge(program: Command): void {
  program
    .command('merge')
    .description(
      'one tenant report from JSON reports of its forests scanned apart (other teams, other days): the tenant-wide checks run again over all of them',
    )
    .argument(
      '<reports...>',
      'JSON reports (readiness scan --format json; may be gzip-compressed); for cross-forest duplicates, each made with --value-hashes and the same key',
    )
    .option('--format <format>', `${FORMAT_NAMES.join(' | ')} (default: from the --output extension; else table on a terminal, json otherwise)`)
    .option('-o, --output <file>', 'write the tenant report to a file (format from the extension unless --format is given)')
    .option('-q, --quiet', 'no summary on the terminal')
    .addHelpText(
      'after',
      '\nExit codes as for scan: 1 blocked, 3 incomplete (a forest incomplete, or a tenant check not evaluated: reports made without --value-hashes cannot be compared for duplicates), 0 otherwise, 2 for unreadable or unmergeable reports.',
    )
    .action(async (paths: string[], flags: MergeFlags) => {
      process.exitCode = await runMerge(paths, flags);
    });
}

async function runMerge(paths: readonly string[], flags: MergeFlags): Promise<number> {
  const target = await prepareOutput(flags.format, flags.output);
  const reports: { path: string; report: Report }[] = [];
  for (const path of paths) reports.push({ path, report: await readReport(path) });
  const first = reports[0];
  if (first === undefined) throw new UserError('nothing to merge', EXIT.usage, 'pass the JSON reports of the forests, e.g. readiness merge a.json b.json');
  for (const other of reports.slice(1)) assertSameJudgement(first, other);
  const forests = distinctForests(reports);
  const tenant = judgeTenant(
    forests.map(({ path, forest }) => digestOf(path, forest)),
    { target: first.report.target },
  );
  const report: Report = {
    ...buildTenantReport(
      forests.map((f) => f.forest),
      tenant,
      { toolVersion: TOOL_VERSION, target: first.report.target, allowPreview: first.report.allowPreview, now: new Date() },
    ),
    merged: reports.map(({ path, report }) => ({ file: path, generatedAt: report.generatedAt, forests: report.forests.map((f) => f.name) })),
  };
  await writeReport(report, target, { quiet: flags.quiet === true, rendered: () => undefined });
  return exitCodeOf(report);
}

/** Reports judged for different targets (or one with preview features counted) would give a tenant verdict neither asked for. */
function assertSameJudgement(first: { path: string; report: Report }, other: { path: string; report: Report }): void {
  const judged = (r: Report): string => `--target ${r.target}${r.allowPreview ? ' --allow-preview' : ''}`;
  if (judged(first.report) === judged(other.report)) return;
  throw new UserError(
    `${first.path} was judged with ${judged(first.report)}, but ${other.path} with ${judged(other.report)}`,
    EXIT.usage,
    'rescan the forests with the same --target and --allow-preview, then merge',
  );
}

/** A forest in two reports would be counted twice in every tenant figure: the teams must agree on whose scan counts. */
function distinctForests(reports: readonly { path: string; report: Report }[]): { path: string; forest: ForestReport }[] {
  const seen = new Map<string, string>();
  const forests: { path: string; forest: ForestReport }[] = [];
  for (const { path, report } of reports) {
    for (const forest of report.forests) {
      const earlier = seen.get(forest.name.toLowerCase());
      if (earlier !== undefined)
        throw new UserError(
          `the forest ${forest.name} is in ${earlier} and in ${path}`,
          EXIT.usage,
          'merge one report per forest (for the same forest on two days, use readiness diff)',
        );
      seen.set(forest.name.toLowerCase(), path);
      forests.push({ path, forest });
    }
  }
  return forests;
}

function digestOf(path: string, forest: ForestReport): TenantDigest {
  if (forest.tenantDigest === undefined)
    throw new UserError(`${path}: the forest ${forest.name} has no tenantDigest`, EXIT.usage, 'rescan it with this readiness version, then merge');
  try {
    return digestFromJson(forest.tenantDigest);
  } catch (error) {
    if (error instanceof DigestFormatError)
      throw new UserError(
        `${path}: the forest ${forest.name}'s tenantDigest: ${error.message}`,
        EXIT.usage,
        'pass the JSON report unedited, as readiness scan wrote it',
      );
    throw error;
  }
}
