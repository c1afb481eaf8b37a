/** Documented in README and --help; automation depends on them. */
export const EXIT = {
  /** The scan is complete and found no blockers. */
  noBlockers: 0,
  /** The scan is complete and found at least one blocker. */
  blockers: 1,
  /** The command line was wrong, or an input could not be opened. */
  usage: 2,
  /** Data was missing, unreadable, or not evaluated: no verdict can be trusted. */
  incomplete: 3,
} as const;

export const EXIT_CODES_HELP = `Exit codes:
  0  scan complete, no blockers (ready or ready-with-warnings)
  1  scan complete, blockers found
  2  usage error (bad option, missing file, unreachable server, bad credentials)
  3  incomplete: a parse error, a denied or interrupted read, or a check that could not be evaluated`;
