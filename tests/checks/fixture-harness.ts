import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Check, Severity, Target } from '../../src/checks/check.js';
import type { EntrySource } from '../../src/sources/source.js';
import { LdifSource } from '../../src/sources/ldif/source.js';

/** Where the check fixtures live; `_base/` holds the files a fixture can name in `# with:`. */
export const FIXTURES = join(import.meta.dirname, '..', '..', 'fixtures', 'checks');
/** The Connect configuration exports a fixture can name in `# connect-config:`. */
export const CONNECT_EXPORTS = join(FIXTURES, '..', 'connect-config');

/** What a fixture's leading comments ask for (see fixtures/checks/README.md). */
export interface Fixture {
  path: string;
  /** The check the fixture is for: its folder name. */
  checkId: string;
  with: string[];
  status: 'passed' | 'failed' | 'not-evaluated';
  findings: { severity: Severity; count: number; kind?: string }[];
  objects: string[];
  /** Offending values the findings must list; with `=> repair`, also the repair they must propose (absent: "(none)", "": "(remove)"). */
  values: { attribute: string; value: string; suggestion?: { proposed: string | undefined } }[];
  messages: string[];
  reasons: string[];
  options: Record<string, Record<string, number>>;
  answers: Record<string, string>;
  target: Target | undefined;
  allowPreview: boolean;
  /** Input errors the fixture provokes on purpose (a text each must contain). */
  problems: string[];
  /** A folder of fixtures/connect-config/ read as the Connect configuration export. */
  connectConfig: string | undefined;
}

/** A fixture that asks for something that does not exist: a typo must not silently change the scenario. */
export class FixtureError extends Error {
  constructor(path: string, line: number, message: string) {
    super(`${path}, line ${line}: ${message}`);
    this.name = 'FixtureError';
  }
}

const KEYS = [
  'with',
  'expect',
  'expect-finding',
  'expect-object',
  'expect-value',
  'expect-message',
  'expect-reason',
  'option',
  'answer',
  'target',
  'allow-preview',
  'expect-problem',
  'connect-config',
] as const;
type Key = (typeof KEYS)[number];
const STATUSES = ['passed', 'failed', 'not-evaluated'] as const;
const SEVERITIES: readonly Severity[] = ['blocker', 'warning', 'info'];
const TARGETS: readonly Target[] = ['cloud-sync', 'migration-tool'];

function isKey(key: string): key is Key {
  return (KEYS as readonly string[]).includes(key);
}

function oneOf<T extends string>(value: string, allowed: readonly T[]): value is T {
  return (allowed as readonly string[]).includes(value);
}

/**
 * Reads the leading comment block, strictly, in the spirit of ESLint's RuleTester: an unknown key, an
 * option or question no check has, an answer outside the question's choices or a kind the check does not
 * declare is an error naming the line. Comment lines without a "key:" are the fixture's description.
 */
export function readFixture(path: string, checkId: string, checks: readonly Check[]): Fixture {
  const fixture: Fixture = {
    path,
    checkId,
    with: [],
    status: 'passed',
    findings: [],
    objects: [],
    values: [],
    messages: [],
    reasons: [],
    options: {},
    answers: {},
    target: undefined,
    allowPreview: false,
    problems: [],
    connectConfig: undefined,
  };
  const check = checks.find((c) => c.meta.id === checkId);
  if (check === undefined) throw new FixtureError(path, 1, `the folder names no registered check ("${checkId}")`);
  let status: Fixture['status'] | undefined;
  const lines = readFileSync(path, 'utf8').split(/\r?\n/);
  for (const [index, line] of lines.entries()) {
    if (!line.startsWith('#')) {
      if (line.trim() === '' || line.startsWith(' ')) continue;
      break;
    }
    const match = /^#\s*([\w-]+):\s*(.*)$/.exec(line);
    if (match === null) continue;
    const [, key = '', raw = ''] = match;
    const value = raw.trim();
    const fail = (message: string): never => {
      throw new FixtureError(path, index + 1, message);
    };
    if (!isKey(key)) fail(`unknown key "${key}"; known keys: ${KEYS.join(', ')}`);
    switch (key as Key) {
      case 'with':
        for (const base of value.split(/\s+/).filter(Boolean)) {
          if (!existsSync(join(FIXTURES, '_base', `${base}.ldif`))) fail(`there is no _base/${base}.ldif`);
          fixture.with.push(base);
        }
        break;
      case 'expect':
        if (!oneOf(value, STATUSES)) fail(`"expect: ${value}": use one of ${STATUSES.join(', ')}`);
        status = value as Fixture['status'];
        break;
      case 'expect-finding': {
        const [severity = '', count = '', kind, ...rest] = value.split(/\s+/);
        if (!oneOf(severity, SEVERITIES)) fail(`"${severity}" is no severity; use one of ${SEVERITIES.join(', ')}`);
        if (!/^\d+$/.test(count)) fail(`"${count}" is no count: write "expect-finding: <severity> <count> [kind]"`);
        if (rest.length > 0) fail(`too many words after "expect-finding:"`);
        if (kind !== undefined && !(kind in check.meta.kinds))
          fail(`${checkId} declares no finding kind "${kind}"; its kinds: ${Object.keys(check.meta.kinds).join(', ')}`);
        fixture.findings.push({ severity: severity as Severity, count: Number(count), ...(kind === undefined ? {} : { kind }) });
        break;
      }
      case 'expect-object':
        fixture.objects.push(value);
        break;
      case 'expect-value': {
        const equals = value.indexOf('=');
        if (equals <= 0) fail('write "expect-value: <attribute>=<value>" or "expect-value: <attribute>=<value> => <repair>"');
        const [offending = '', repair] = value.slice(equals + 1).split(' => ');
        const proposed = repair === '(none)' ? undefined : repair === '(remove)' ? '' : repair;
        fixture.values.push({ attribute: value.slice(0, equals), value: offending, ...(repair === undefined ? {} : { suggestion: { proposed } }) });
        break;
      }
      case 'expect-message':
        fixture.messages.push(value);
        break;
      case 'expect-reason':
        fixture.reasons.push(value);
        break;
      case 'option': {
        // "check.id.optionName=value": check ids contain dots, so the option is after the last one.
        const [path_ = '', number = ''] = value.split('=');
        const dot = path_.lastIndexOf('.');
        const id = path_.slice(0, dot);
        const name = path_.slice(dot + 1);
        const options = checks.find((c) => c.meta.id === id)?.meta.options;
        if (options === undefined || !(name in options)) fail(`no check has the option "${path_}"`);
        if (number.trim() === '' || !Number.isFinite(Number(number))) fail(`option ${path_} needs a number, not "${number}"`);
        fixture.options[id] = { ...fixture.options[id], [name]: Number(number) };
        break;
      }
      case 'answer': {
        const [id = '', choice = ''] = value.split('=');
        const question = checks.flatMap((c) => c.meta.questions ?? []).find((q) => q.id === id);
        if (question === undefined) fail(`no check asks the question "${id}"`);
        else if (!question.choices.includes(choice)) fail(`"${choice}" is not a choice of "${id}" (${question.choices.join(', ')})`);
        fixture.answers[id] = choice;
        break;
      }
      case 'target':
        if (!oneOf(value, TARGETS)) fail(`"target: ${value}": use one of ${TARGETS.join(', ')}`);
        fixture.target = value as Target;
        break;
      case 'allow-preview':
        if (value !== 'yes') fail('write "allow-preview: yes" (or leave it out)');
        fixture.allowPreview = true;
        break;
      case 'expect-problem':
        fixture.problems.push(value);
        break;
      case 'connect-config':
        if (!existsSync(join(CONNECT_EXPORTS, value))) fail(`there is no fixtures/connect-config/${value}`);
        fixture.connectConfig = value;
        break;
    }
  }
  if (status === undefined) throw new FixtureError(path, 1, 'needs an "# expect:" line');
  fixture.status = status;
  return fixture;
}

/** The fixture and the `_base/` files it names, as the sources a scan reads. */
export function fixtureSources(fixture: Fixture): EntrySource[] {
  return [...fixture.with.map((b) => new LdifSource(join(FIXTURES, '_base', `${b}.ldif`))), new LdifSource(fixture.path)];
}
