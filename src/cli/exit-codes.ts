import type { Report } from '../report/schema.js';

/** Documented in README and --help; automation depends on them. */
export const EXIT = {
  /** No hard blocker, complete data, every question answered: ready or ready-with-warnings. */
  noBlockers: 0,
  /** At least one hard blocker was found, even if the data is also incomplete or questions are open. */
  blockers: 1,
  /** The command line was wrong, or an input could not be opened. */
  usage: 2,
  /** No hard blocker found, but data was missing, unreadable or not evaluated, or a question is open. */
  incomplete: 3,
} as const;

export const EXIT_CODES_HELP = `Exit codes:
  0  ready or ready-with-warnings: no hard blocker, complete data, every question answered
     (warnings, or blockers that only need Connect Sync kept side by side for one workload, e.g. devices)
  1  blocked: at least one hard blocker, even when data is also incomplete or questions are open
     (the report still lists them; under --target migration-tool every blocker is hard)
  2  usage error (bad option, missing or unusable file, unreachable server, bad credentials,
     report not written)
  3  incomplete: no hard blocker found, but a parse error, a denied or interrupted read, a check that
     could not be evaluated, or an open question leaves the verdict unknown
A hard blocker found decides: 1 wins over 3, and the report still says what is incomplete or open.`;

/** The exit code a report's verdict gives (scan and merge): a hard blocker decides over missing data. */
export function exitCodeOf(report: Report): number {
  if (report.verdict === 'incomplete') return EXIT.incomplete;
  return report.verdict === 'blocked' ? EXIT.blockers : EXIT.noBlockers;
}
