import type { Described, Target } from '../checks/check.js';
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
  connectConfig?: string;
}

export interface ScanProfile {
  scan: Pick<ScanOptions, 'target' | 'allowPreview' | 'answers' | 'settings' | 'connectConfig'>;
  report: Omit<ReportContext, 'toolVersion' | 'now'>;
  /** The Connect configuration export folder to read, from --connect-config or the config file. */
  connectConfigFolder?: string;
}

/** Config file, answers file and profile flags, merged: flags win over the config file, defaults last. */
export function resolveProfile(flags: ProfileFlags, checks: readonly Described[]): ScanProfile {
  const config = flags.config === undefined ? undefined : loadConfig(flags.config, checks);
  const answers = flags.answers === undefined ? {} : loadAnswers(flags.answers, checks);
  const target = flags.target ?? config?.target ?? 'cloud-sync';
  const allowPreview = flags.allowPreview ?? config?.allowPreview ?? false;
  const settings = config?.settings ?? {};
  const connectConfigFolder = flags.connectConfig ?? config?.connectConfig;
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
      ...(connectConfigFolder === undefined ? {} : { connectConfigFolder }),
    },
    ...(connectConfigFolder === undefined ? {} : { connectConfigFolder }),
  };
}
