/** Documented in README and --help; automation depends on them. */
export const EXIT = {
  /** The scan is complete and found no hard blocker (coexistence blockers leave it ready-with-warnings). */
  noBlockers: 0,
  /** The scan is complete and found at least one hard blocker. */
  blockers: 1,
  /** The command line was wrong, or an input could not be opened. */
  usage: 2,
  /** Data was missing, unreadable, or not evaluated: no verdict can be trusted. */
  incomplete: 3,
} as const;

export const EXIT_CODES_HELP = `Exit codes:
  0  scan complete, no hard blockers: ready, or ready-with-warnings (warnings, or blockers
     that only need Connect Sync kept side by side for one workload, e.g. devices)
  1  scan complete, hard blockers found (under --target migration-tool every blocker is hard)
  2  usage error (bad option, missing or unusable file, unreachable server, bad credentials,
     report not written)
  3  incomplete: a parse error, a denied or interrupted read, or a check that could not be evaluated`;
