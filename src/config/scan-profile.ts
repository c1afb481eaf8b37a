import type { Check, Target } from '../checks/check.js';
import type { ScanOptions } from '../checks/engine.js';
import type { ReportContext } from '../report/build.js';
import { loadAnswers } from './answers.js';
import { loadConfig } from './config.js';

/** The scan flags this module resolves; the CLI passes them through as commander parsed them. */
export interface ProfileFlags {
  config?: string;
  answers?: string;
  target?: Target;
  allowPreview?: boolean;
}

export interface ScanProfile {
  scan: Pick<ScanOptions, 'target' | 'allowPreview' | 'answers' | 'settings'>;
  report: Omit<ReportContext, 'toolVersion' | 'now'>;
}

/** Config file, answers file and profile flags, merged: flags win over the config file, defaults last. */
export function resolveProfile(flags: ProfileFlags, checks: readonly Check[]): ScanProfile {
  const config = flags.config === undefined ? undefined : loadConfig(flags.config, checks);
  const answers = flags.answers === undefined ? {} : loadAnswers(flags.answers, checks);
  const target = flags.target ?? config?.target ?? 'cloud-sync';
  const allowPreview = flags.allowPreview ?? config?.allowPreview ?? false;
  const settings = config?.settings ?? {};
  return {
    scan: { target, allowPreview, answers, settings },
    report: {
      target,
      allowPreview,
      answers,
      settings,
      scope: config?.scope ?? [],
      ...(flags.config === undefined ? {} : { configFile: flags.config }),
      ...(flags.answers === undefined ? {} : { answersFile: flags.answers }),
    },
  };
}
