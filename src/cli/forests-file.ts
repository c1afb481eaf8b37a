import { dirname, resolve } from 'node:path';
import { z } from 'zod';
import { comment, readYamlFile, validate } from '../config/yaml-file.js';

/**
 * One forest of a --forests file: how to reach one of its DCs and with which account. The password is never in
 * the file (it travels by mail and sits in tickets): the file names the environment variable that holds it.
 */
export interface ForestConnection {
  /** "forests.yaml, forest 2": what every message about this forest starts with. */
  where: string;
  server?: string;
  url?: string;
  starttls?: boolean;
  /** Resolved against the folder of the forests file. */
  caFile?: string;
  insecureSkipTlsVerify?: boolean;
  gc?: string;
  user: string;
  passwordEnv?: string;
  /** Seconds. */
  timeout?: number;
}

/** A day: enough for any DC that answers at all, small enough to be a number someone meant. */
export const MAX_TIMEOUT_SECONDS = 86_400;
/** Far more forests than any tenant syncs; a longer list was not written for this tool. */
export const MAX_FORESTS = 100;
const HOW_TO_USE = 'readiness scan --forests FILE ... (readiness forests --init FILE writes a commented example)';
const ENTRY_KEYS = 'server, url, starttls, caFile, insecureSkipTlsVerify, gc, user, passwordEnv, timeout';

const forestEntrySchema = z
  .strictObject(
    {
      server: z.string().min(1).optional(),
      url: z.string().min(1).optional(),
      starttls: z.boolean().optional(),
      caFile: z.string().min(1).optional(),
      insecureSkipTlsVerify: z.boolean().optional(),
      gc: z.string().min(1).optional(),
      user: z.string({ error: 'each forest needs its bind account: user@domain, DOMAIN\\user or a DN' }).min(1),
      passwordEnv: z
        .string()
        .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'the name of an environment variable (letters, digits, _), not the password itself')
        .optional(),
      timeout: z.number({ error: 'a number of seconds' }).positive().max(MAX_TIMEOUT_SECONDS).optional(),
      password: z
        .never({ error: 'never write a password into this file: set it in an environment variable and name that variable with passwordEnv' })
        .optional(),
    },
    { error: (issue) => (issue.code === 'unrecognized_keys' ? `unknown key; allowed: ${ENTRY_KEYS}` : 'each forest is a map of settings') },
  )
  .refine((entry) => (entry.server === undefined) !== (entry.url === undefined), 'give the DC as server or as url (one of them)');

const forestsFileSchema = z.strictObject(
  {
    forests: z
      .array(forestEntrySchema, { error: 'a list of forests, one "- server: ..." entry per forest' })
      .min(1, 'name at least one forest')
      .max(MAX_FORESTS, `at most ${MAX_FORESTS} forests`),
  },
  { error: (issue) => (issue.code === 'unrecognized_keys' ? 'unknown key; the file holds one key, forests' : 'the file must be a map with a forests list') },
);

/** Reads and validates a forests file; each error names the file, the line and the key (forests.1.password). */
export function loadForestsFile(path: string): ForestConnection[] {
  const whatToDo = `fix the forests file (${HOW_TO_USE})`;
  const parsed = validate(readYamlFile(path, whatToDo), forestsFileSchema, whatToDo);
  return parsed.forests.map(({ password: _password, caFile, ...entry }, index) => ({
    ...entry,
    where: `${path}, forest ${index + 1}`,
    ...(caFile === undefined ? {} : { caFile: resolve(dirname(path), caFile) }),
  }));
}

/** The example `readiness forests --init` writes: two forests, every key shown, the passwords by variable name. */
export function forestsTemplate(): string {
  return `${[
    comment(
      'readiness forests file: one entry per forest, each read live in one run (readiness scan --forests FILE).\n' +
        'Each forest is judged apart, then the tenant as a whole (values that must be unique across forests, ...).\n\n' +
        'Per forest: server (host[:port]; 636 means LDAPS) or url (ldap://... or ldaps://...), and user (user@domain,\n' +
        'DOMAIN\\user or a DN). Optional: starttls, caFile (PEM, relative to this file), insecureSkipTlsVerify (labs only),\n' +
        'gc (the Global Catalog, host[:port]), timeout (seconds per request, default 120) and passwordEnv: the NAME of\n' +
        'the environment variable that holds the password (default READINESS_PASSWORD; unset on a terminal: asked).\n' +
        'A password is never written here.',
    ),
    'forests:',
    '  - server: dc1.contoso.com',
    '    starttls: true',
    '    caFile: contoso-ca.pem',
    '    user: svc-readiness@contoso.com',
    '    passwordEnv: CONTOSO_PASSWORD',
    '  - url: ldaps://dc1.fabrikam.com',
    '    user: FABRIKAM\\svc-readiness',
    '    passwordEnv: FABRIKAM_PASSWORD',
    '    timeout: 300',
  ].join('\n')}\n`;
}
