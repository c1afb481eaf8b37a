import type { Command } from 'commander';
import { CHECKS } from '../checks/registry.js';
import { scan, StrictModeError } from '../checks/engine.js';
import { buildReport } from '../report/build.js';
import type { Report } from '../report/schema.js';
import { LdifSource } from '../sources/ldif/source.js';
import { type EntrySource, SourceUnavailableError } from '../sources/source.js';
import { UserError } from './errors.js';
import { EXIT } from './exit-codes.js';
import { chooseFormat, writeReport } from './output.js';
import { TOOL_VERSION } from './version.js';

interface ScanFlags {
  ldif?: string[];
  format?: string;
  output?: string;
  strict?: boolean;
}

export function registerScan(program: Command): void {
  program
    .command('scan')
    .description('scan a forest (LDIF exports) and report what blocks a move to Cloud Sync')
    .option('--ldif <files...>', 'LDIF exports from ldifde or ldapsearch (.gz allowed, - for stdin); one per partition or domain')
    .option('--format <format>', 'json | md | table (default: table on a terminal, json otherwise)')
    .option('-o, --output <file>', 'write the report to a file (format from the extension unless --format is given)')
    .option('--strict', 'stop at the first input error (exit 3) instead of reporting it and going on')
    .action(async (flags: ScanFlags) => {
      process.exitCode = await runScan(flags);
    });
}

async function runScan(flags: ScanFlags): Promise<number> {
  const format = chooseFormat(flags.format, flags.output);
  const sources = await openSources(flags);
  let report: Report;
  try {
    const result = await scan(sources, { checks: CHECKS, strict: flags.strict === true, onProgress: progressLine() });
    clearProgress();
    report = buildReport(result, { toolVersion: TOOL_VERSION, target: 'cloud-sync', now: new Date() });
  } catch (error) {
    clearProgress();
    if (error instanceof StrictModeError) {
      throw new UserError(`${error.message} (--strict)`, EXIT.incomplete, error.problem.hint ?? 'fix the input, or run without --strict to report such errors and continue');
    }
    throw error;
  }
  await writeReport(report, format, flags.output);
  if (report.verdict === 'incomplete') return EXIT.incomplete;
  return report.verdict === 'blocked' ? EXIT.blockers : EXIT.noBlockers;
}

async function openSources(flags: ScanFlags): Promise<EntrySource[]> {
  const paths = flags.ldif ?? [];
  if (paths.length === 0) throw new UserError('nothing to scan', EXIT.usage, 'pass --ldif FILE... (see readiness scan --help)');
  if (paths.filter((p) => p === '-').length > 1) throw new UserError('stdin (-) can be read only once', EXIT.usage);
  const sources = paths.map((p) => new LdifSource(p));
  try {
    for (const source of sources) await source.assertReadable();
  } catch (error) {
    if (error instanceof SourceUnavailableError) throw new UserError(error.message, EXIT.usage, error.hint);
    throw error;
  }
  return sources;
}

let progressShown = false;

function progressLine(): ((entries: number, input: string) => void) | undefined {
  if (process.stderr.isTTY !== true) return undefined;
  const started = Date.now();
  return (entries, input) => {
    const seconds = (Date.now() - started) / 1000;
    const rate = seconds > 0 ? Math.round(entries / seconds) : 0;
    process.stderr.write(`\r\x1b[Kreading ${input}: ${entries.toLocaleString('en-US')} objects, ${rate.toLocaleString('en-US')}/s`);
    progressShown = true;
  };
}

function clearProgress(): void {
  if (progressShown) process.stderr.write('\r\x1b[K');
  progressShown = false;
}
