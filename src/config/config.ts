import { dirname, resolve } from 'node:path';
import { z } from 'zod';
import type { Described, Target } from '../checks/check.js';
import type { CheckSettings } from '../checks/engine.js';
import { DnSyntaxError, parseDn } from '../model/dn.js';
import { comment, readYamlFile, validate } from './yaml-file.js';

export const TARGETS: readonly Target[] = ['cloud-sync', 'migration-tool'];

/** What a config file sets; every part is optional. */
export interface ScanConfig {
  target?: Target;
  allowPreview?: boolean;
  settings: CheckSettings;
  /** OU DNs the judgement is limited to (empty: the whole forest). */
  scope: string[];
  /** The Connect Sync configuration export folder, resolved against the config file's folder. */
  connectConfig?: string;
}

const HOW_TO_USE = 'readiness scan --config FILE ... (readiness config --init FILE writes a commented template)';

function configSchema(checks: readonly Described[]) {
  const ids = new Set(checks.map((c) => c.meta.id));
  const switchable = new Set(checks.flatMap((c) => [c.meta.id, c.meta.category, ...(c.meta.tags ?? [])]));
  const options = new Map(checks.map((c) => [c.meta.id, c.meta.options ?? {}]));
  return z.strictObject(
    {
      target: z.enum(TARGETS as [Target, ...Target[]], { error: () => `must be one of: ${TARGETS.join(', ')}` }).optional(),
      allowPreview: z.boolean({ error: () => 'must be true or false' }).optional(),
      connectConfig: z
        .string({ error: () => 'must be the folder Get-ADSyncServerConfiguration wrote' })
        .min(1)
        .optional(),
      checks: z
        .strictObject({
          disable: z
            .array(
              z.string().refine((name) => switchable.has(name), {
                error: (issue) => `"${String(issue.input)}" is no check id, tag or category (run "readiness checks" for the list)`,
              }),
            )
            .nullish(),
          options: z
            .record(
              z.string().refine((id) => ids.has(id), { error: (issue) => `no check has the id "${String(issue.input)}"` }),
              z.record(z.string(), z.number({ error: () => 'must be a number' }).nonnegative({ error: () => 'must not be negative' })),
            )
            .superRefine((byCheck, ctx) => {
              for (const [id, values] of Object.entries(byCheck)) {
                const known = options.get(id) ?? {};
                for (const name of Object.keys(values)) {
                  if (!(name in known)) {
                    const list = Object.keys(known);
                    ctx.addIssue({
                      code: 'custom',
                      path: [id, name],
                      message: `check ${id} has no option "${name}"; ${list.length === 0 ? 'it has no options' : `its options: ${list.join(', ')}`}`,
                    });
                  }
                }
              }
            })
            .nullish(),
        })
        .nullish(),
      scope: z
        .strictObject({
          include: z
            .array(
              z.string().superRefine((dn, ctx) => {
                try {
                  if (parseDn(dn).length === 0)
                    ctx.addIssue({ code: 'custom', message: 'is empty: give the DN of an OU, e.g. OU=Sales,DC=corp,DC=contoso,DC=com' });
                } catch (error) {
                  ctx.addIssue({ code: 'custom', message: error instanceof DnSyntaxError ? error.message : String(error) });
                }
              }),
            )
            .nullish(),
        })
        .nullish(),
    },
    {
      error: (issue) =>
        issue.code === 'unrecognized_keys'
          ? 'unknown key; allowed: target, allowPreview, connectConfig, checks (disable, options), scope (include)'
          : undefined,
    },
  );
}

export function loadConfig(path: string, checks: readonly Described[]): ScanConfig {
  const whatToDo = `fix the config file (${HOW_TO_USE})`;
  const file = readYamlFile(path, whatToDo);
  const config = validate(file, configSchema(checks), whatToDo);
  return {
    ...(config.target === undefined ? {} : { target: config.target }),
    ...(config.allowPreview === undefined ? {} : { allowPreview: config.allowPreview }),
    ...(config.connectConfig === undefined ? {} : { connectConfig: resolve(dirname(path), config.connectConfig) }),
    settings: { disabled: new Set(config.checks?.disable ?? []), options: config.checks?.options ?? {} },
    scope: config.scope?.include ?? [],
  };
}

/** The template `readiness config --init` writes: every setting commented out, with the catalog's options and their defaults. */
export function configTemplate(checks: readonly Described[]): string {
  const sorted = [...checks].sort((a, b) => a.meta.id.localeCompare(b.meta.id));
  const tags = [...new Set(sorted.flatMap((c) => c.meta.tags ?? []))].sort();
  const categories = [...new Set(sorted.map((c) => c.meta.category))].sort();
  const withOptions = sorted.filter((c) => Object.keys(c.meta.options ?? {}).length > 0);
  const lines = [
    comment(
      'readiness config file. Every setting is optional; remove the "#" to use one.\n' +
        `Use it with: ${HOW_TO_USE}\n` +
        'Command-line flags (--target, --allow-preview) win over this file.',
    ),
    '',
    comment("Profile: cloud-sync (GA Cloud Sync features, the default) or migration-tool (the guided tool's limits also apply)."),
    '# target: cloud-sync',
    comment('Count preview features (Cloud Sync device sync, say) as possible.'),
    '# allowPreview: false',
    comment('The Connect Sync configuration export (Get-ADSyncServerConfiguration -Path DIR), relative to this file; --connect-config wins.'),
    '# connectConfig: connect-export',
    '',
    'checks:',
    comment(
      `Switch checks off by id, tag or category. The report lists what was switched off.\nTags: ${tags.join(', ') || '(none)'}\nCategories: ${categories.join(', ')}`,
    )
      .split('\n')
      .map((l) => `  ${l}`)
      .join('\n'),
    '  # disable: [devices.hybrid-join]',
    '  # Thresholds (the values shown are the defaults):',
    '  # options:',
    ...withOptions.flatMap((c) => [`  #   ${c.meta.id}:`, ...Object.entries(c.meta.options ?? {}).map(([k, v]) => `  #     ${k}: ${v}`)]),
    '',
    'scope:',
    comment(
      'Judge only the OUs you plan to migrate (whole subtrees). The whole forest is still read, because forest-wide\n' +
        'checks need every object; findings wholly outside these OUs are listed but do not count, and verdicts are given\n' +
        'for these subtrees. Forest- and domain-wide findings still apply.',
    )
      .split('\n')
      .map((l) => `  ${l}`)
      .join('\n'),
    '  # include:',
    '  #   - OU=Sales,DC=corp,DC=contoso,DC=com',
  ];
  return `${lines.join('\n')}\n`;
}
