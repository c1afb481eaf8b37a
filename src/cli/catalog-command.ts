import type { Command } from 'commander';
import { CATALOG } from './catalog.js';
import { renderChecksTable, renderExplain, sortedMetas } from '../reporters/catalog.js';
import { UserError } from './errors.js';
import { EXIT } from './exit-codes.js';
import { writeStdout } from './output.js';

export function registerCatalog(program: Command): void {
  program
    .command('checks')
    .description('list every check: id, severity, category, newest source date, tags')
    .option('--json', 'print the metadata as JSON instead')
    .action(async (flags: { json?: boolean }) => {
      const metas = CATALOG.map((c) => c.meta);
      await writeStdout(flags.json === true ? `${JSON.stringify(sortedMetas(metas), null, 2)}\n` : renderChecksTable(metas));
    });
  program
    .command('explain')
    .argument('<id>', 'check id, e.g. groups.large')
    .description("print a check's rationale, what it needs, remediation, options, questions and sources")
    .action(async (id: string) => {
      const check = CATALOG.find((c) => c.meta.id === id);
      if (check === undefined) {
        const near = CATALOG.map((c) => c.meta.id).filter((known) => known.includes(id) || id.includes(known.split('.')[0] ?? known));
        throw new UserError(
          `no check with id "${id}"`,
          EXIT.usage,
          near.length > 0 ? `did you mean: ${near.join(', ')}?` : 'run "readiness checks" for the list',
        );
      }
      await writeStdout(renderExplain(check.meta));
    });
}
