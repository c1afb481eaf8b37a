import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { CATALOG } from './catalog.js';
import { answersTemplate } from '../config/answers.js';
import { configTemplate } from '../config/config.js';
import { UserError } from './errors.js';
import { EXIT } from './exit-codes.js';
import { forestsTemplate } from './forests-file.js';
import { writeStdout } from './output.js';

interface InitFlags {
  init?: string | boolean;
  force?: boolean;
}

/** `readiness answers|config|forests --init [FILE]`: commented templates to fill in. */
export function registerTemplates(program: Command): void {
  const templates = [
    { name: 'answers', what: 'the answers file: questions LDAP cannot answer (use with scan --answers)', render: answersTemplate },
    { name: 'config', what: 'the config file: checks to switch off, thresholds, OU scope (use with scan --config)', render: configTemplate },
    {
      name: 'forests',
      what: 'the forests file: per forest the DC, TLS options, bind account and the variable holding its password (use with scan --forests)',
      render: forestsTemplate,
    },
  ];
  for (const { name, what, render } of templates) {
    program
      .command(name)
      .description(`write a commented template of ${what}`)
      .option('--init [file]', 'write the template to FILE (or to standard output)')
      .option('--force', 'overwrite FILE if it exists')
      .action(async (flags: InitFlags) => {
        if (flags.init === undefined || flags.init === false) throw new UserError('nothing to do', EXIT.usage, `use: readiness ${name} --init [FILE]`);
        const text = render(CATALOG);
        if (flags.init === true) {
          await writeStdout(text);
          return;
        }
        const path = flags.init;
        try {
          writeFileSync(path, text, { flag: flags.force === true ? 'w' : 'wx' });
        } catch (error) {
          const code = (error as NodeJS.ErrnoException).code ?? String(error);
          throw new UserError(
            `cannot write ${path}: ${code}`,
            EXIT.usage,
            code === 'EEXIST' ? 'choose another name, or add --force to overwrite it' : 'choose a writable path',
          );
        }
        process.stderr.write(`wrote ${path}\n`);
      });
  }
}
