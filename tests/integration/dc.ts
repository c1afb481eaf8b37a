// Where the throwaway Samba AD DCs started by scripts/samba-dc.sh are, for the integration tests.
//
//   plain:  WORK (default <repo>/.samba-ci), simple bind on 389 allowed, seeded
//   strong: STRONG_WORK (default <repo>/.samba-ci-strong), 127.0.0.2, simple bind only over StartTLS/LDAPS
//   large:  LARGE_WORK (default <repo>/.samba-ci-large), 127.0.0.3, 20k users, for the bench (bench/ldap-seed-large.sh)
//   forest2: FOREST2_WORK (default <repo>/.samba-ci-forest2), 127.0.0.4, a second forest (fabrikam.example.test), seeded small
//
// Locally a missing DC skips the tests that need it; with READINESS_REQUIRE_DC=1 (CI) it fails them.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'vitest';
import { z } from 'zod';

export type DcKind = 'plain' | 'strong' | 'large' | 'forest2';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

const workDirs: Record<DcKind, string> = {
  plain: process.env.WORK ?? path.join(repoRoot, '.samba-ci'),
  strong: process.env.STRONG_WORK ?? path.join(repoRoot, '.samba-ci-strong'),
  large: process.env.LARGE_WORK ?? path.join(repoRoot, '.samba-ci-large'),
  forest2: process.env.FOREST2_WORK ?? path.join(repoRoot, '.samba-ci-forest2'),
};

const envFileSchema = z.object({
  LDAP_URL: z.string(),
  LDAPS_URL: z.string(),
  GC_URL: z.string(),
  GCS_URL: z.string(),
  BASE_DN: z.string(),
  CONFIG_DN: z.string(),
  REALM: z.string(),
  DNS_DOMAIN: z.string(),
  BIND_DN: z.string(),
  BIND_UPN: z.string(),
  CA_FILE: z.string(),
  PASSWORD_FILE: z.string(),
  STRONG_AUTH: z.enum(['yes', 'no']),
  SAMBA_VERSION: z.string(),
});

/** What scripts/samba-seed-ldif.mjs wrote to $WORK/seed.json: expectations, so tests never hard-code sizes. */
const seedSchema = z.object({
  baseDn: z.string(),
  dnsDomain: z.string(),
  objects: z.number(),
  users: z.number(),
  groups: z.number(),
  computers: z.number(),
  contacts: z.number(),
  bigGroup: z.object({ dn: z.string(), members: z.number() }),
  nestedGroups: z.object({ inner: z.string(), middle: z.string(), outer: z.string() }),
  duplicates: z.object({
    proxyAddress: z.string(),
    proxyAddressHolders: z.array(z.string()),
    mail: z.string(),
    mailHolders: z.array(z.string()),
  }),
  special: z.object({
    localUpn: z.string(),
    x500: z.string(),
    consistencyDiffers: z.string(),
    consistencySame: z.string(),
    adminCount: z.string(),
    inetOrgPerson: z.string(),
    msol: z.string(),
    reader: z.string(),
  }),
  ssoComputer: z.string(),
  scp: z.object({ dn: z.string(), tenantId: z.string() }),
  kdsRootKeyContainer: z.string(),
  consistencyGuid: z.string(),
  /** objects the seed added directly below each parent DN */
  children: z.record(z.string(), z.number()),
  /** the second forest's twin of the first forest's reader: its UPN and password, and the mail of the first forest's u00001 */
  crossForest: z.object({ dn: z.string(), upn: z.string(), mail: z.string() }).optional(),
});
export type SeedManifest = z.infer<typeof seedSchema>;

export function readSeedManifest(file: string): SeedManifest {
  return seedSchema.parse(JSON.parse(readFileSync(file, 'utf8')));
}

export interface Dc {
  kind: DcKind;
  work: string;
  ldapUrl: string;
  ldapsUrl: string;
  gcUrl: string;
  gcsUrl: string;
  baseDn: string;
  configDn: string;
  realm: string;
  dnsDomain: string;
  /** Administrator, as a DN and as a UPN (both bind) */
  bindDn: string;
  bindUpn: string;
  /** an ordinary enabled user (seeded DC only); it has the same password as the Administrator */
  readerUpn: string;
  caFile: string;
  /** PEM of the CA that signed the DC's certificate */
  ca: string;
  strongAuth: boolean;
  sambaVersion: string;
  /** undefined when the DC was started without `seed` (the strong DC is) */
  seed: SeedManifest | undefined;
  /** read on demand from $WORK/password (mode 600), so the secret is never part of this object */
  password(): string;
}

export const dcRequired = process.env.READINESS_REQUIRE_DC === '1';

function parseEnvFile(text: string): Record<string, string> {
  const pairs = text
    .split('\n')
    .map((line) => line.match(/^([A-Z_]+)=(.*)$/))
    .filter((m): m is RegExpMatchArray => m !== null)
    .map((m) => [m[1] ?? '', m[2] ?? ''] as const);
  return Object.fromEntries(pairs);
}

function isRunning(pidFile: string): boolean {
  if (!existsSync(pidFile)) return false;
  try {
    process.kill(Number(readFileSync(pidFile, 'utf8').trim()), 0);
    return true;
  } catch {
    return false;
  }
}

/** Connection facts of a running DC, or undefined when none is running there. */
export function findDc(kind: DcKind = 'plain'): Dc | undefined {
  const work = workDirs[kind];
  const envFile = path.join(work, 'env');
  if (!existsSync(envFile) || !isRunning(path.join(work, 'samba.pid'))) return undefined;
  const env = envFileSchema.parse(parseEnvFile(readFileSync(envFile, 'utf8')));
  const seedFile = path.join(work, 'seed.json');
  const seed = existsSync(seedFile) ? readSeedManifest(seedFile) : undefined;
  return {
    kind,
    work,
    ldapUrl: env.LDAP_URL,
    ldapsUrl: env.LDAPS_URL,
    gcUrl: env.GC_URL,
    gcsUrl: env.GCS_URL,
    baseDn: env.BASE_DN,
    configDn: env.CONFIG_DN,
    realm: env.REALM,
    dnsDomain: env.DNS_DOMAIN,
    bindDn: env.BIND_DN,
    bindUpn: env.BIND_UPN,
    readerUpn: `readiness.reader@${env.DNS_DOMAIN}`,
    caFile: env.CA_FILE,
    ca: readFileSync(env.CA_FILE, 'utf8'),
    strongAuth: env.STRONG_AUTH === 'yes',
    sambaVersion: env.SAMBA_VERSION,
    seed,
    password: () => readFileSync(env.PASSWORD_FILE, 'utf8'),
  };
}

const startCommand: Record<DcKind, string> = {
  plain: 'scripts/samba-dc.sh all',
  strong: 'WORK=$PWD/.samba-ci-strong BIND_IP=127.0.0.2 STRONG_AUTH=yes scripts/samba-dc.sh provision start',
  large: 'bench/ldap-seed-large.sh',
  forest2:
    'WORK=$PWD/.samba-ci-forest2 BIND_IP=127.0.0.4 REALM=FABRIKAM.EXAMPLE.TEST NBDOMAIN=FABRIKAM CROSS_FOREST_TWIN_OF=$PWD/.samba-ci SEED_USERS=200 scripts/samba-dc.sh provision start seed',
};

/**
 * `describe` with the running DC of that kind. Without one: skipped locally, a failing test when
 * READINESS_REQUIRE_DC=1, so CI can never pass by skipping.
 */
export function describeWithDc(name: string, kind: DcKind, body: (dc: Dc) => void): void {
  const dc = findDc(kind);
  if (dc) {
    describe(name, () => body(dc));
  } else if (dcRequired) {
    describe(name, () => {
      it(`has a running ${kind} Samba DC`, () => {
        throw new Error(`READINESS_REQUIRE_DC=1 but no ${kind} DC is running in ${workDirs[kind]}; start it with: ${startCommand[kind]}`);
      });
    });
  } else {
    describe.skip(`${name} (no ${kind} Samba DC running; start it with: ${startCommand[kind]})`, () => {
      it.skip('needs a DC');
    });
  }
}
