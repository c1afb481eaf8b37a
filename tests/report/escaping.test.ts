import { describe, expect, it } from 'vitest';
import { defineCheck } from '../../src/checks/check.js';
import { scan } from '../../src/checks/engine.js';
import { renderJson } from '../../src/reporters/json.js';
import { renderMarkdown } from '../../src/reporters/markdown.js';
import { renderTerminal } from '../../src/reporters/terminal.js';
import { D, domainRecord, ldifText, oneForest, ouRecord, record, report } from './helpers.js';

// Erase the line, return to its start, print a fake all-clear, set the window title (OSC ... BEL), a C1 CSI,
// a bidi override, and Markdown/HTML syntax: what a hostile name in an export can carry.
const HOSTILE = '\u001b[2K\r✔ all checks passed\u001b]0;pwned\u0007 \u009b31m | `code` <b>bold</b> \u202egnp.exe\u0000';

/** Shows the description of the object that carries one as a finding's title, message, detail and value, and as a check's note. */
const echo = defineCheck({
  meta: {
    id: 'test.echo',
    title: 'echo',
    severity: 'warning',
    category: 'test',
    rationale: 'r',
    remediation: 'r',
    sources: [],
    kinds: { echoed: {} },
    evidence: [],
  },
  create() {
    const seen: { dn: string; text: string }[] = [];
    return {
      visit(entry) {
        const text = entry.text('description');
        if (text !== undefined) seen.push({ dn: entry.dn, text });
      },
      finish: () => ({
        status: 'failed',
        findings: seen.map(({ dn, text }) => ({
          kind: 'echoed' as const,
          title: `Hostile ${text}`,
          message: text,
          objects: [{ dn: `${dn}${text}`, detail: text, attribute: 'description', value: text }],
        })),
      }),
    };
  },
});
const noted = defineCheck({
  meta: { id: 'test.noted', title: 'noted', severity: 'warning', category: 'test', rationale: 'r', remediation: 'r', sources: [], kinds: {}, evidence: [] },
  create: () => ({ finish: () => ({ status: 'passed', note: HOSTILE }) }),
});

const forest =
  domainRecord(D) +
  ouRecord(`OU=Staff,${D}`) +
  record(
    `CN=Mallory,OU=Staff,${D}`,
    'objectClass: top',
    'objectClass: person',
    'objectClass: organizationalPerson',
    'objectClass: user',
    `description:: ${Buffer.from(HOSTILE).toString('base64')}`,
  );

const RAW_CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

describe('directory values never reach a terminal or Markdown raw', () => {
  it('the terminal shows control characters as visible escapes and cannot be made to print a fake line', async () => {
    const r = report(await scan([ldifText(forest)], { checks: [echo, noted] }));
    expect(r.findings[0]?.message).toBe(HOSTILE);
    const text = renderTerminal(oneForest(r), { color: false });
    expect(text).not.toMatch(RAW_CONTROL);
    expect(text).toContain('\\x1b[2K\\x0d✔ all checks passed\\x1b]0;pwned\\x07');
    expect(text).toContain('\\u202e');
    expect(text.split('\n').some((line) => /^\W*✔ all checks passed/.test(line))).toBe(false);
  });

  it('Markdown shows them escaped too, and escapes what Markdown and HTML would read as syntax', async () => {
    const text = renderMarkdown(oneForest(report(await scan([ldifText(forest)], { checks: [echo, noted] }))));
    expect(text).not.toMatch(RAW_CONTROL);
    expect(text).not.toContain('<b>');
    expect(text).toContain('\\<b\\>bold\\</b\\>');
    // The note's pipe is escaped, so its row of the checks table keeps its three cells.
    const row = text.split('\n').find((line) => line.startsWith('| `test.noted`')) ?? '';
    expect(row.split(/(?<!\\)\|/).length - 2).toBe(3);
    expect(text).toContain('\\x1b');
  });

  it('JSON keeps the value as read (its own escaping makes it inert)', async () => {
    const json = renderJson(oneForest(report(await scan([ldifText(forest)], { checks: [echo, noted] }))));
    expect(json).not.toMatch(RAW_CONTROL);
    expect((JSON.parse(json) as { forests: { findings: { message: string }[] }[] }).forests[0]?.findings[0]?.message).toBe(HOSTILE);
  });
});
