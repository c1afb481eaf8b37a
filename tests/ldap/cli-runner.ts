// Runs the CLI from the TypeScript sources, for tests that check exit codes and what reaches stdout and stderr.
import { main } from '../../src/cli/main.js';

process.exitCode = await main(process.argv.slice(2));
