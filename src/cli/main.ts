import { Command, CommanderError } from 'commander';
import { CHECKS } from '../checks/registry.js';
import { reportJsonSchema } from '../report/schema.js';
import { UserError } from './errors.js';
import { EXIT, EXIT_CODES_HELP } from './exit-codes.js';
import { registerScan } from './scan-command.js';
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
  program
    .command('schema')
    .description('print the JSON Schema of the report (the contract for automation)')
    .action(() => {
      process.stdout.write(`${JSON.stringify(reportJsonSchema(), null, 2)}\n`);
    });
  program
    .command('checks')
    .description('list every check: id, severity, category')
    .action(() => {
      for (const { meta } of [...CHECKS].sort((a, b) => a.meta.id.localeCompare(b.meta.id))) {
        const newest = meta.sources.map((s) => s.date).sort().at(-1) ?? '';
        process.stdout.write(`${meta.id.padEnd(40)} ${meta.severity.padEnd(8)} ${meta.category.padEnd(16)} ${newest}  ${meta.title}\n`);
      }
    });
  program
    .command('explain')
    .argument('<id>', 'check id, e.g. groups.large')
    .description("print a check's rationale, remediation and sources")
    .action((id: string) => {
      const check = CHECKS.find((c) => c.meta.id === id);
      if (check === undefined) throw new UserError(`no check with id "${id}"`, EXIT.usage, 'run "readiness checks" for the list');
      const { meta } = check;
      const lines = [
        `${meta.id}: ${meta.title}`,
        `severity: ${meta.severity}   category: ${meta.category}${meta.tags === undefined ? '' : `   tags: ${meta.tags.join(', ')}`}`,
        '',
        `Why: ${meta.rationale}`,
        '',
        `What to do: ${meta.remediation}`,
        '',
        ...(meta.requires === undefined ? [] : [`Needs: ${meta.requires.join(', ')}`, '']),
        ...(meta.options === undefined ? [] : [`Options: ${Object.entries(meta.options).map(([k, v]) => `${k}=${v}`).join(', ')}`, '']),
        'Sources:',
        ...meta.sources.map((s) => `  - ${s.title} (${s.date}): ${s.url}`),
      ];
      process.stdout.write(`${lines.join('\n')}\n`);
    });
  return program;
}

export async function main(argv: readonly string[]): Promise<number> {
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
  if (error instanceof UserError) {
    process.stderr.write(`readiness: error: ${error.message}\n`);
    if (error.hint !== undefined) process.stderr.write(`readiness: hint: ${error.hint}\n`);
    return error.exitCode;
  }
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`readiness: internal error: ${message}\n`);
  process.stderr.write('readiness: hint: no verdict was produced; please report this with READINESS_DEBUG=1 output\n');
  if (process.env.READINESS_DEBUG === '1' && error instanceof Error) process.stderr.write(`${error.stack ?? ''}\n`);
  return EXIT.incomplete;
}
