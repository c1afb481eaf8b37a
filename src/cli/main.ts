import { Command, CommanderError } from 'commander';
import { ConfigFileError } from '../config/yaml-file.js';
import { reportJsonSchema } from '../report/schema.js';
import { ConnectConfigError } from '../sources/connect-config/errors.js';
import { TemporaryFileError } from '../checks/support/page-store.js';
import { registerCatalog } from './catalog-command.js';
import { registerDiff } from './diff-command.js';
import { registerMerge } from './merge-command.js';
import { UserError } from './errors.js';
import { EXIT, EXIT_CODES_HELP } from './exit-codes.js';
import { keepStdoutErrorsInCallbacks, writeStdout } from './output.js';
import { registerScan } from './scan-command.js';
import { registerTemplates } from './templates-command.js';
import { TOOL_VERSION } from './version.js';

function buildProgram(): Command {
  const program = new Command()
    .name('readiness')
    .description('Read-only check of an Active Directory forest before moving from Entra Connect Sync to Entra Cloud Sync.')
    .version(TOOL_VERSION)
    .addHelpText('after', `\n${EXIT_CODES_HELP}\n`)
    .exitOverride()
    .configureOutput({ writeErr: (text) => process.stderr.write(text) });
  registerScan(program);
  registerDiff(program);
  registerMerge(program);
  program
    .command('schema')
    .description('print the JSON Schema of the report (the contract for automation)')
    .action(async () => {
      await writeStdout(`${JSON.stringify(reportJsonSchema(), null, 2)}\n`);
    });
  registerCatalog(program);
  registerTemplates(program);
  return program;
}

export async function main(argv: readonly string[]): Promise<number> {
  keepStdoutErrorsInCallbacks();
  const program = buildProgram();
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return typeof process.exitCode === 'number' ? process.exitCode : EXIT.noBlockers;
  } catch (error) {
    return reportError(error);
  }
}

function reportError(error: unknown): number {
  if (error instanceof CommanderError) {
    // Commander has printed its own message; help and --version are not errors.
    return error.exitCode === 0 ? 0 : EXIT.usage;
  }
  if (error instanceof UserError || error instanceof ConfigFileError || error instanceof ConnectConfigError) {
    process.stderr.write(`readiness: error: ${error.message}\n`);
    if (error.hint !== undefined) process.stderr.write(`readiness: hint: ${error.hint}\n`);
    return error instanceof UserError ? error.exitCode : EXIT.usage;
  }
  if (error instanceof TemporaryFileError) {
    // No report was written: the machine, not the input or the tool, needs a change.
    process.stderr.write(`readiness: error: ${error.message}\n`);
    return EXIT.usage;
  }
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`readiness: internal error: ${message}\n`);
  process.stderr.write('readiness: hint: no verdict was produced; please report this with READINESS_DEBUG=1 output\n');
  if (process.env.READINESS_DEBUG === '1' && error instanceof Error) process.stderr.write(`${error.stack ?? ''}\n`);
  return EXIT.incomplete;
}
