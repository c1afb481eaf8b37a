import { type Command, Option } from 'commander';
import { CHECKS } from '../checks/registry.js';
import { CATALOG } from './catalog.js';
import { scan, type ScanOptions, type ScanResult, StrictModeError } from '../checks/engine.js';
import { TARGETS } from '../config/config.js';
import { type ProfileFlags, resolveProfile } from '../config/scan-profile.js';
import type { ForestGroup } from '../inventory/forest-groups.js';
import { UNKNOWN_FOREST } from '../inventory/inventory.js';
import { dnKey, isAtOrBelow } from '../model/dn.js';
import { buildReport } from '../report/build.js';
import type { ForestReport } from '../report/schema.js';
import { buildTenantReport } from '../report/tenant-report.js';
import { createDigestCollector, digestToJson, type TenantDigest } from '../tenant/digest.js';
import { judgeTenant } from '../tenant/judge.js';
import { DEFAULT_LDIF_LIMITS } from '../sources/ldif/limits.js';
import type { EntrySource } from '../sources/source.js';
import { readConnectConfig } from '../sources/connect-config/read.js';
import { UserError } from './errors.js';
import { EXIT, exitCodeOf } from './exit-codes.js';
import { openLdifForests } from './ldif-inputs.js';
import { isLiveScan, type LiveFlags, openLiveForests } from './live-source.js';
import { FORMAT_NAMES, prepareOutput, writeReport } from './output.js';
import { type ProgressDisplay, progressDisplay } from './progress.js';
import { TOOL_VERSION } from './version.js';
import { VALUE_HASH_KEY_FILE_HELP, VALUE_HASHES_HELP, type ValueHashFlags, valueHashKeyOf } from './value-hash-flags.js';

interface ScanFlags extends ProfileFlags, LiveFlags, ValueHashFlags {
  ldif?: string[];
  format?: string;
  output?: string;
  strict?: boolean;
  quiet?: boolean;
  maxRecordMb?: number;
  maxValueMb?: number;
}

export function registerScan(program: Command): void {
  program
    .command('scan')
    .description('scan a forest (LDIF exports or a live domain controller) and report what blocks a move to Cloud Sync')
    .option(
      '--ldif <inputs...>',
      'LDIF exports from ldifde or ldapsearch: files (.gz allowed, - for stdin), folders, or quoted patterns like "exports/*.ldf"; one file per partition or domain. ' +
        "Exports of several forests are grouped per forest by their configuration partitions (give each forest's); stdin is not grouped, so pass files then",
    )
    .option('--server <host[:port]>', 'read a live DC over LDAP (389; 636 and 3269 mean LDAPS); once per forest; see docs/live-scan.md', repeated)
    .option('--url <url>', 'the DC as ldap://host[:port] or ldaps://host[:port], instead of --server (no credentials in it); once per forest', repeated)
    .option(
      '--forests <file>',
      'YAML file naming per forest the DC, TLS options, bind account and the variable holding its password (readiness forests --init)',
    )
    .option('--starttls', 'upgrade ldap:// to TLS before binding (needed where the DC requires signing or TLS)')
    .option('--ca-file <file>', 'PEM file with the CA that issued the DC certificate (instead of the system roots)')
    .option('--insecure-skip-tls-verify', 'do not check the DC certificate (test labs only: the password can be intercepted)')
    .option('--gc <host[:port]>', 'Global Catalog for domains whose DCs cannot be reached (default: the DC itself on 3268 when it is a GC)')
    .option('--user <name>', 'bind account: user@domain, DOMAIN\\user or a DN; the password comes from READINESS_PASSWORD, --password-stdin or a prompt')
    .option('--password-stdin', 'read the password from the first line of standard input')
    .option(
      '--timeout <seconds>',
      'how long the DC may take to answer one request before the read counts as failed (default: 120; connecting waits at most 10)',
    )
    .option('--format <format>', `${FORMAT_NAMES.join(' | ')} (default: from the --output extension; else table on a terminal, json otherwise)`)
    .option(
      '-o, --output <file>',
      'write the report to a file (format from the extension unless --format is given); replaced only when the new report is complete',
    )
    .option('-q, --quiet', 'no progress line and no summary on the terminal')
    .option('--strict', 'stop at the first input error (exit 3) instead of reporting it and going on')
    .option(
      '--max-record-mb <MiB>',
      `largest LDIF record read, one object with all its values (default ${DEFAULT_LDIF_LIMITS.recordBytes / MIB}; raise it for groups with millions of members)`,
      mebibyteCount,
    )
    .option('--max-value-mb <MiB>', `largest LDIF value, and so line, read (default ${DEFAULT_LDIF_LIMITS.valueBytes / MIB})`, mebibyteCount)
    .addOption(
      new Option('--target <target>', 'judge for GA Cloud Sync, or for the guided migration tool and its limits (default: cloud-sync)').choices(TARGETS),
    )
    .option('--allow-preview', 'count preview features (Cloud Sync device sync, say) as possible')
    .option('--config <file>', 'YAML config: switch checks off, change thresholds, limit the judgement to some OUs (readiness config --init)')
    .option('--answers <file>', 'YAML answers to what LDAP cannot show (readiness answers --init)')
    .option(
      '--connect-config <dir>',
      'the folder Get-ADSyncServerConfiguration wrote on the Connect Sync server: answers questions from it (docs/connect-config.md)',
    )
    .option('--value-hashes', VALUE_HASHES_HELP)
    .option('--value-hash-key-file <file>', VALUE_HASH_KEY_FILE_HELP)
    .action(async (flags: ScanFlags) => {
      process.exitCode = await runScan(flags);
    });
}

/** Everything that can be wrong with the command line and its files is found before the forest is read. */
async function runScan(flags: ScanFlags): Promise<number> {
  const target = await prepareOutput(flags.format, flags.output);
  const profile = resolveProfile(flags, CATALOG);
  const valueHashKey = valueHashKeyOf(flags);
  const connectConfig = profile.connectConfigFolder === undefined ? undefined : await readConnectConfig(profile.connectConfigFolder);
  const groups = await openForests(flags);
  const progress = progressDisplay(process.stderr, { quiet: flags.quiet === true });
  const context = { ...profile.report, toolVersion: TOOL_VERSION, now: new Date() };
  const scanProfile = connectConfig === undefined ? profile : { ...profile, scan: { ...profile.scan, connectConfig } };
  // One forest after another: memory holds one forest's inventory and index at a time.
  // Each forest's digest (what the tenant checks compare) stays until every forest is read.
  const forests: ForestReport[] = [];
  const digests: TenantDigest[] = [];
  // One forest: nothing to compare its values with, so the digest keeps none in memory; with --value-hashes it
  // hashes them as they are read, for the report.
  const collectValues = groups.length > 1;
  for (const [i, group] of groups.entries()) {
    if (groups.length > 1) progress.phase(`forest ${i + 1} of ${groups.length}: ${group.forest ?? UNKNOWN_FOREST}`);
    const scopeInOtherForests = (context.scope ?? []).filter((dn) => inOtherForest(dn, group, groups));
    const collector = createDigestCollector({ ...(valueHashKey === undefined ? {} : { valueHashKey }), collectValues });
    const result = await scanForest(group.sources, { ...scanProfile.scan, observers: [collector] }, flags.strict === true, progress);
    const digest = collector.finish(result.inventory);
    const forest = { ...buildReport(result, { ...context, scopeInOtherForests }), tenantDigest: digestToJson(digest) };
    assertNewForest(forest, i, forests, groups);
    forests.push(forest);
    digests.push(digest);
  }
  const tenant = judgeTenant(digests, {
    target: context.target,
    ...(profile.scan.settings?.disabled === undefined ? {} : { disabled: profile.scan.settings.disabled }),
  });
  const report = buildTenantReport(forests, tenant, context);
  progress.phase('writing report');
  await writeReport(report, target, { quiet: flags.quiet === true, rendered: () => progress.clear() });
  return exitCodeOf(report);
}

async function openForests(flags: ScanFlags): Promise<ForestGroup[]> {
  const live = isLiveScan(flags);
  if (live && flags.ldif !== undefined)
    throw new UserError(
      `--ldif and ${flags.forests === undefined ? '--server/--url' : '--forests'} cannot be combined`,
      EXIT.usage,
      'scan exports or live DCs, one at a time',
    );
  const limits = {
    ...(flags.maxRecordMb === undefined ? {} : { recordBytes: flags.maxRecordMb * MIB }),
    ...(flags.maxValueMb === undefined ? {} : { valueBytes: flags.maxValueMb * MIB }),
  };
  return live ? openLiveForests(flags) : openLdifForests(flags.ldif ?? [], limits);
}

/** A config scope names OUs of every forest of the run: one inside another forest's domains is not missing from this one. */
function inOtherForest(dn: string, group: ForestGroup, groups: readonly ForestGroup[]): boolean {
  const key = dnKey(dn);
  const inside = (g: ForestGroup): boolean => (g.partitions ?? []).some((partition) => isAtOrBelow(key, partition));
  return !inside(group) && groups.some((other) => other !== group && inside(other));
}

/** A group that turns out to be a forest already read (named alike) would be two reports of one forest in one tenant: stop as soon as it is read. */
function assertNewForest(forest: ForestReport, index: number, earlier: readonly ForestReport[], groups: readonly ForestGroup[]): void {
  const first = earlier.findIndex((f) => f.name.toLowerCase() === forest.name.toLowerCase());
  if (first === -1) return;
  const inputs = (n: number): string => (groups[n]?.sources ?? []).map((s) => s.label).join(', ');
  throw new UserError(
    `two groups of inputs are both the forest ${forest.name} (${inputs(first)}; ${inputs(index)})`,
    EXIT.usage,
    "give each forest's exports once, with its configuration partition",
  );
}

async function scanForest(
  sources: readonly EntrySource[],
  options: Omit<ScanOptions, 'checks'>,
  strict: boolean,
  progress: ProgressDisplay,
): Promise<ScanResult> {
  try {
    return await scan(sources, { checks: CHECKS, ...options, strict, onProgress: (p) => progress.update(p) });
  } catch (error) {
    if (error instanceof StrictModeError) {
      throw new UserError(
        `${error.message} (--strict)`,
        EXIT.incomplete,
        error.problem.hint ?? 'fix the input, or run without --strict to report such errors and continue',
      );
    }
    throw error;
  } finally {
    progress.clear();
  }
}

const MIB = 1 << 20;

/** Commander's collector for an option given once per forest. */
function repeated(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

function mebibyteCount(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new UserError(`"${value}" is not a size in MiB`, EXIT.usage, 'give a positive number, e.g. --max-record-mb 2048');
  return n;
}
