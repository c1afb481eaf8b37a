import { promises as fs } from 'node:fs';
import { type Command, Option } from 'commander';
import { CHECKS } from '../checks/registry.js';
import { scan, StrictModeError } from '../checks/engine.js';
import { TARGETS } from '../config/config.js';
import { type ProfileFlags, resolveProfile } from '../config/scan-profile.js';
import { buildReport } from '../report/build.js';
import type { Report } from '../report/schema.js';
import { LdifSource } from '../sources/ldif/source.js';
import { ldaptsConnector } from '../sources/ldap/directory.js';
import { type Endpoint, EndpointSyntaxError, globalCatalogOf, parseEndpoint } from '../sources/ldap/endpoint.js';
import { LdapSource } from '../sources/ldap/source.js';
import { type EntrySource, SourceUnavailableError } from '../sources/source.js';
import { readCredentials } from './credentials.js';
import { UserError } from './errors.js';
import { EXIT } from './exit-codes.js';
import { chooseFormat, writeReport } from './output.js';
import { TOOL_VERSION } from './version.js';

interface ScanFlags extends ProfileFlags {
  ldif?: string[];
  server?: string;
  url?: string;
  starttls?: boolean;
  caFile?: string;
  insecureSkipTlsVerify?: boolean;
  gc?: string;
  user?: string;
  passwordStdin?: boolean;
  format?: string;
  output?: string;
  strict?: boolean;
}

export function registerScan(program: Command): void {
  program
    .command('scan')
    .description('scan a forest (LDIF exports or a live domain controller) and report what blocks a move to Cloud Sync')
    .option('--ldif <files...>', 'LDIF exports from ldifde or ldapsearch (.gz allowed, - for stdin); one per partition or domain')
    .option('--server <host[:port]>', 'read a live DC over LDAP (389; 636 and 3269 mean LDAPS); see docs/live-scan.md')
    .option('--url <url>', 'the DC as ldap://host[:port] or ldaps://host[:port], instead of --server')
    .option('--starttls', 'upgrade ldap:// to TLS before binding (needed where the DC requires signing or TLS)')
    .option('--ca-file <file>', 'PEM file with the CA that issued the DC certificate (instead of the system roots)')
    .option('--insecure-skip-tls-verify', 'do not check the DC certificate (test labs only: the password can be intercepted)')
    .option('--gc <host[:port]>', 'Global Catalog for domains whose DCs cannot be reached (default: the DC itself on 3268 when it is a GC)')
    .option('--user <name>', 'bind account: user@domain, DOMAIN\\user or a DN; the password comes from READINESS_PASSWORD, --password-stdin or a prompt')
    .option('--password-stdin', 'read the password from standard input (first line)')
    .option('--format <format>', 'json | md | table (default: table on a terminal, json otherwise)')
    .option('-o, --output <file>', 'write the report to a file (format from the extension unless --format is given)')
    .option('--strict', 'stop at the first input error (exit 3) instead of reporting it and going on')
    .addOption(new Option('--target <target>', 'judge for GA Cloud Sync, or for the guided migration tool and its limits (default: cloud-sync)').choices(TARGETS))
    .option('--allow-preview', 'count preview features (Cloud Sync device sync, say) as possible')
    .option('--config <file>', 'YAML config: switch checks off, change thresholds, limit the judgement to some OUs (readiness config --init)')
    .option('--answers <file>', 'YAML answers to what LDAP cannot show (readiness answers --init)')
    .action(async (flags: ScanFlags) => {
      process.exitCode = await runScan(flags);
    });
}

async function runScan(flags: ScanFlags): Promise<number> {
  const format = chooseFormat(flags.format, flags.output);
  const profile = resolveProfile(flags, CHECKS);
  const sources = await openSources(flags);
  let report: Report;
  try {
    const result = await scan(sources, { checks: CHECKS, ...profile.scan, strict: flags.strict === true, onProgress: progressLine() });
    clearProgress();
    report = buildReport(result, { ...profile.report, toolVersion: TOOL_VERSION, now: new Date() });
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
  const live = flags.server !== undefined || flags.url !== undefined;
  if (live && flags.ldif !== undefined) throw new UserError('--ldif and --server/--url cannot be combined', EXIT.usage, 'scan exports or a live DC, one at a time');
  if (live) return [await ldapSourceFromFlags(flags)];
  const paths = flags.ldif ?? [];
  if (paths.length === 0) throw new UserError('nothing to scan', EXIT.usage, 'pass --ldif FILE... or --server HOST --user NAME (see readiness scan --help)');
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

/** Connects and binds before the scan starts, so an unreachable DC or a refused bind is a usage error (exit 2). */
async function ldapSourceFromFlags(flags: ScanFlags): Promise<LdapSource> {
  if (flags.server !== undefined && flags.url !== undefined) throw new UserError('give --server or --url, not both', EXIT.usage);
  let endpoint: Endpoint;
  try {
    endpoint = parseEndpoint({ server: flags.server, url: flags.url, startTls: flags.starttls === true });
    if (flags.gc !== undefined) globalCatalogOf(endpoint, flags.gc);
  } catch (error) {
    if (error instanceof EndpointSyntaxError) throw new UserError(error.message, EXIT.usage, 'e.g. --server dc1.example.com, --url ldaps://dc1.example.com, --gc gc1.example.com:3268');
    throw error;
  }
  const skipVerify = flags.insecureSkipTlsVerify === true;
  if (skipVerify) {
    process.stderr.write('readiness: WARNING: --insecure-skip-tls-verify: the DC certificate is NOT checked; anyone on the network path can read the password and the directory\n');
  } else if (endpoint.tls === 'none') {
    process.stderr.write('readiness: warning: simple bind over plain LDAP sends the password unencrypted; use --starttls or an ldaps:// URL\n');
  }
  const credentials = await readCredentials({ user: flags.user, passwordStdin: flags.passwordStdin });
  const connect = ldaptsConnector({ trust: { ...(await readCaFile(flags.caFile)), skipVerify } });
  const source = new LdapSource({ endpoint, credentials, connect, ...(flags.gc === undefined ? {} : { globalCatalog: flags.gc }) });
  try {
    await source.open();
  } catch (error) {
    if (error instanceof SourceUnavailableError) throw new UserError(error.message, EXIT.usage, error.hint);
    throw error;
  }
  partitionBeingRead.set(source.label, () => source.reading);
  return source;
}

async function readCaFile(path: string | undefined): Promise<{ ca?: string }> {
  if (path === undefined) return {};
  try {
    return { ca: await fs.readFile(path, 'utf8') };
  } catch (error) {
    throw new UserError(`--ca-file ${path}: cannot be read (${(error as NodeJS.ErrnoException).code ?? 'unknown error'})`, EXIT.usage, 'pass the PEM file of the CA that issued the DC certificate');
  }
}

/** For live sources the progress line also names the naming context being read. */
const partitionBeingRead = new Map<string, () => string>();

let progressShown = false;

function progressLine(): ((entries: number, input: string) => void) | undefined {
  if (process.stderr.isTTY !== true) return undefined;
  const started = Date.now();
  return (entries, input) => {
    const seconds = (Date.now() - started) / 1000;
    const rate = seconds > 0 ? Math.round(entries / seconds) : 0;
    const partition = partitionBeingRead.get(input)?.();
    process.stderr.write(`\r\x1b[Kreading ${input}${partition === undefined ? '' : ` ${partition}`}: ${entries.toLocaleString('en-US')} objects, ${rate.toLocaleString('en-US')}/s`);
    progressShown = true;
  };
}

function clearProgress(): void {
  if (progressShown) process.stderr.write('\r\x1b[K');
  progressShown = false;
}
