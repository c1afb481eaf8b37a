import { promises as fs } from 'node:fs';
import { type Command, Option } from 'commander';
import { diffReports, IncomparableReportsError, type ReportDiff } from '../report/diff.js';
import { REPORT_SCHEMA_VERSION, type Report, reportSchema } from '../report/schema.js';
import { renderDiffMarkdown, renderDiffTable } from '../reporters/diff.js';
import { UserError } from './errors.js';
import { EXIT } from './exit-codes.js';
import { colorWanted, replaceFile, writeStdout } from './output.js';

const DIFF_FORMATS = ['table', 'md', 'json'] as const;
type DiffFormat = (typeof DIFF_FORMATS)[number];

// A report of a million-object forest is tens of megabytes; anything near V8's string limit is not one.
const MAX_REPORT_BYTES = 256 * 1024 * 1024;

export function registerDiff(program: Command): void {
  program
    .command('diff')
    .description(
      'compare two JSON reports of one forest or tenant: what was fixed, what is new, what is still open, and how the verdicts moved (forests matched by name)',
    )
    .argument('<old>', 'the earlier report (readiness scan --format json)')
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
  const text = format === 'json' ? `${JSON.stringify(diff, null, 2)}\n` : format === 'md' ? renderDiffMarkdown(diff) : renderDiffTable(diff, { color });
  if (flags.output === undefined) await writeStdout(text);
  else await replaceFile(flags.output, text);
  if (diff.summary.newHardBlockers > 0) return EXIT.blockers;
  return diff.new.complete ? EXIT.noBlockers : EXIT.incomplete;
}

async function readReport(path: string): Promise<Report> {
  let text: string;
  try {
    const { size } = await fs.stat(path);
    if (size > MAX_REPORT_BYTES)
      throw new UserError(
        `${path}: ${size} bytes is larger than any readiness report (limit ${MAX_REPORT_BYTES})`,
        EXIT.usage,
        'pass the JSON report written by readiness scan --format json',
      );
    text = await fs.readFile(path, 'utf8');
  } catch (error) {
    if (error instanceof UserError) throw error;
    throw new UserError(
      `${path}: cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)})`,
      EXIT.usage,
      'pass two JSON reports written by readiness scan --format json',
    );
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    throw new UserError(
      `${path}: not JSON (${(error as Error).message})`,
      EXIT.usage,
      'pass the JSON report (--format json), not the Markdown, table or CSV output',
    );
  }
  const version = typeof parsed === 'object' && parsed !== null && 'schemaVersion' in parsed ? parsed.schemaVersion : undefined;
  if (version !== REPORT_SCHEMA_VERSION) {
    throw new UserError(
      `${path}: report schema version ${JSON.stringify(version) ?? 'missing'}, but this readiness compares version ${REPORT_SCHEMA_VERSION}`,
      EXIT.usage,
      version === undefined
        ? 'pass a JSON report written by readiness scan --format json'
        : 'rescan with this readiness version, so both reports share the schema',
    );
  }
  const result = reportSchema.safeParse(parsed);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new UserError(
      `${path}: not a valid readiness report (${issue?.path.join('.') || 'root'}: ${issue?.message ?? 'invalid'})`,
      EXIT.usage,
      'pass the JSON report unedited, as readiness scan wrote it',
    );
  }
  return result.data;
}
