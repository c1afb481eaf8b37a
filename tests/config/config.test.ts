import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defineCheck, defineQuestion, type Target } from '../../src/checks/check.js';
import { scan } from '../../src/checks/engine.js';
import { answersTemplate, loadAnswers } from '../../src/config/answers.js';
import { configTemplate, loadConfig } from '../../src/config/config.js';
import { resolveProfile } from '../../src/config/scan-profile.js';
import { ConfigFileError } from '../../src/config/yaml-file.js';
import { LdifSource } from '../../src/sources/ldif/source.js';
import { PILOT_FOREST } from '../report/helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'readiness-config-'));
function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

/** Records what the engine hands it, so the tests can see flags reach the checks. */
const seen: { target?: Target; allowPreview?: boolean; answer?: string | undefined; threshold?: number } = {};
const SOURCE_ANCHOR = defineQuestion({
  id: 'source-anchor',
  text: 'Which sourceAnchor does Connect use?',
  choices: ['objectGUID', 'ms-DS-ConsistencyGuid'],
  howToFind: 'Connect wizard',
});
const probe = defineCheck({
  meta: {
    id: 'test.probe',
    title: 'probe',
    severity: 'warning',
    category: 'testing',
    tags: ['probes'],
    rationale: 'r',
    remediation: 'r',
    sources: [],
    options: { threshold: 10 },
    questions: [SOURCE_ANCHOR],
    kinds: {},
    evidence: [],
  },
  create(context) {
    Object.assign(seen, {
      target: context.target,
      allowPreview: context.allowPreview,
      answer: context.answer(SOURCE_ANCHOR),
      threshold: context.option('threshold'),
    });
    return { finish: () => ({ status: 'passed' }) };
  },
});
const other = defineCheck({
  meta: {
    id: 'test.other',
    title: 'other',
    severity: 'info',
    category: 'testing',
    rationale: 'r',
    remediation: 'r',
    sources: [],
    questions: [{ id: 'pta', text: 'Is PTA in use?', choices: ['yes', 'no'], howToFind: 'portal' }],
    kinds: {},
    evidence: [],
  },
  create: () => ({ finish: () => ({ status: 'passed' }) }),
});
const CHECKS = [probe, other];

function errorOf(load: () => unknown): string {
  try {
    load();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigFileError);
    return (error as Error).message;
  }
  throw new Error('expected a ConfigFileError');
}

describe('answers file', () => {
  it('the template parses back with every question open, and filled answers are read', () => {
    const template = answersTemplate(CHECKS);
    expect(template).toContain(
      '# Which sourceAnchor does Connect use?\n# Choices: objectGUID | ms-DS-ConsistencyGuid\n# How to find out: Connect wizard\n# Asked by: test.probe\nsource-anchor:',
    );
    expect(loadAnswers(file('empty.yaml', template), CHECKS)).toEqual({});
    const filled = template.replace('source-anchor:', 'source-anchor: ms-DS-ConsistencyGuid').replace('pta:', 'pta: no');
    expect(loadAnswers(file('filled.yaml', filled), CHECKS)).toEqual({ 'source-anchor': 'ms-DS-ConsistencyGuid', pta: 'no' });
  });

  it('errors name the file, the line, the key and the allowed choices', () => {
    const path = file('bad-choice.yaml', 'pta: no\nsource-anchor: guid\n');
    expect(errorOf(() => loadAnswers(path, CHECKS))).toBe(
      `${path}, line 2, key "source-anchor": must be one of: objectGUID, ms-DS-ConsistencyGuid (or empty while unknown)`,
    );
    const unknown = file('unknown.yaml', 'pta: yes\nmystery: yes\n');
    expect(errorOf(() => loadAnswers(unknown, CHECKS))).toBe(
      `${unknown}, line 2, key "mystery": no check asks this question; known questions: pta, source-anchor`,
    );
    const broken = file('broken.yaml', 'pta: [yes\n');
    expect(errorOf(() => loadAnswers(broken, CHECKS))).toMatch(new RegExp(`^${broken.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}, line \\d+: not valid YAML`));
    expect(errorOf(() => loadAnswers(join(dir, 'missing.yaml'), CHECKS))).toContain('ENOENT');
  });
});

describe('config file', () => {
  it('the template is valid as written and changes nothing', () => {
    const config = loadConfig(file('template.yaml', configTemplate(CHECKS)), CHECKS);
    expect(config).toEqual({ settings: { disabled: new Set(), options: {} }, scope: [] });
    expect(configTemplate(CHECKS)).toContain('#   test.probe:\n  #     threshold: 10');
  });

  it('reads checks to switch off, thresholds, scope and profile', () => {
    const path = file(
      'good.yaml',
      'target: migration-tool\nallowPreview: true\nchecks:\n  disable: [probes]\n  options:\n    test.probe:\n      threshold: 3\nscope:\n  include:\n    - OU=HR,OU=Corp,DC=pilot,DC=test\n',
    );
    expect(loadConfig(path, CHECKS)).toEqual({
      target: 'migration-tool',
      allowPreview: true,
      settings: { disabled: new Set(['probes']), options: { 'test.probe': { threshold: 3 } } },
      scope: ['OU=HR,OU=Corp,DC=pilot,DC=test'],
    });
  });

  it.each([
    ['checks:\n  disable: [nope]\n', 'line 2, key "checks.disable.0": "nope" is no check id, tag or category'],
    [
      'checks:\n  options:\n    test.probe:\n      limit: 3\n',
      'line 4, key "checks.options.test.probe.limit": check test.probe has no option "limit"; its options: threshold',
    ],
    ['checks:\n  options:\n    test.probe:\n      threshold: -1\n', 'line 4, key "checks.options.test.probe.threshold": must not be negative'],
    ['target: azure\n', 'line 1, key "target": must be one of: cloud-sync, migration-tool'],
    ['scope:\n  include: ["OU=Sales,,DC=x"]\n', 'line 2, key "scope.include.0": invalid DN'],
    ['colour: red\n', 'line 1, key "colour": unknown key; allowed: target, allowPreview, connectConfig, checks (disable, options), scope (include)'],
  ])('rejects %j', (text, expected) => {
    const path = file('bad.yaml', text);
    expect(errorOf(() => loadConfig(path, CHECKS))).toContain(`${path}, ${expected}`);
  });
});

describe('profile flags', () => {
  it('flags win over the config file, and target, preview, answers and thresholds reach the checks', async () => {
    const config = file('profile.yaml', 'target: migration-tool\nchecks:\n  options:\n    test.probe:\n      threshold: 7\n');
    const answers = file('profile-answers.yaml', 'source-anchor: objectGUID\n');
    const profile = resolveProfile({ config, answers, target: 'cloud-sync', allowPreview: true }, CHECKS);
    await scan([new LdifSource(PILOT_FOREST)], { checks: CHECKS, ...profile.scan });
    expect(seen).toEqual({ target: 'cloud-sync', allowPreview: true, answer: 'objectGUID', threshold: 7 });
    expect(profile.report).toMatchObject({ target: 'cloud-sync', allowPreview: true, configFile: config, answersFile: answers });

    const fromConfig = resolveProfile({ config }, CHECKS);
    expect(fromConfig.scan).toMatchObject({ target: 'migration-tool', allowPreview: false, answers: {} });
  });

  it('takes the Connect export folder from --connect-config, else from the config file, relative to that file', () => {
    const config = file('with-export.yaml', 'connectConfig: exports/aadc01\n');
    expect(resolveProfile({ config }, CHECKS).connectConfigFolder).toBe(join(dirname(config), 'exports', 'aadc01'));
    expect(resolveProfile({ config, connectConfig: 'elsewhere' }, CHECKS)).toMatchObject({
      connectConfigFolder: 'elsewhere',
      report: { connectConfigFolder: 'elsewhere' },
    });
    expect(resolveProfile({}, CHECKS).connectConfigFolder).toBeUndefined();
  });
});
