import { type Command, Option } from 'commander';
import { diffReports, IncomparableReportsError, type ReportDiff } from '../report/diff.js';
import { diffJsonChunks, renderDiffMarkdown, renderDiffTable } from '../reporters/diff.js';
import { UserError } from './errors.js';
import { EXIT } from './exit-codes.js';
import { colorWanted, replaceFile, writeStdout, writeTextPieces } from './output.js';
import { readReport } from './report-file.js';

const DIFF_FORMATS = ['table', 'md', 'json'] as const;
type DiffFormat = (typeof DIFF_FORMATS)[number];

export function registerDiff(program: Command): void {
  program
    .command('diff')
    .description(
      'compare two JSON reports of one forest or tenant: what was fixed, what is new, what is still open, and how the verdicts moved (forests matched by name)',
    )
    .argument('<old>', 'the earlier report (readiness scan --format json; may be gzip-compressed)')
    .argument('<new>', 'the later report')
    .addOption(new Option('--format <format>', 'table | md | json (default: table on a terminal, json otherwise)').choices(DIFF_FORMATS))
    .option('-o, --output <file>', 'write the comparison to a file')
    .addHelpText(
      'after',
      '\nExit codes: 1 when the newer report has hard blockers the older did not (a CI gate); 3 when not, but the newer report is incomplete; 0 otherwise; 2 for unreadable or incomparable reports.',
    )
    .action(async (oldPath: string, newPath: string, flags: { format?: DiffFormat; output?: string }) => {
      process.exitCode = await runDiff(oldPath, newPath, flags);
    });
}

async function runDiff(oldPath: string, newPath: string, flags: { format?: DiffFormat; output?: string }): Promise<number> {
  const [older, newer] = [await readReport(oldPath), await readReport(newPath)];
  let diff: ReportDiff;
  try {
    diff = diffReports(older, newer);
  } catch (error) {
    if (error instanceof IncomparableReportsError) throw new UserError(`${oldPath} and ${newPath}: ${error.message}`, EXIT.usage, error.hint);
    throw error;
  }
  const format =
    flags.format ??
    (flags.output === undefined && process.stdout.isTTY === true ? 'table' : flags.output?.toLowerCase().endsWith('.md') === true ? 'md' : 'json');
  const color = flags.output === undefined && colorWanted(process.stdout);
  if (format === 'json') await writeTextPieces(diffJsonChunks(diff), flags.output);
  else {
    const text = format === 'md' ? renderDiffMarkdown(diff) : renderDiffTable(diff, { color });
    if (flags.output === undefined) await writeStdout(text);
    else await replaceFile(flags.output, text);
  }
  if (diff.summary.newHardBlockers > 0) return EXIT.blockers;
  return diff.new.complete ? EXIT.noBlockers : EXIT.incomplete;
}
