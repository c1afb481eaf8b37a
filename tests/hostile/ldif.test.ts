import { mkdtempSync, rmSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { scan } from '../../src/checks/engine.js';
import { CHECKS } from '../../src/checks/registry.js';
import { LdifSource } from '../../src/sources/ldif/source.js';
import type { InputProblem } from '../../src/sources/source.js';
import { type ExpectedProblem, LDIF_CASES } from './ldif-cases.js';

const root = mkdtempSync(join(tmpdir(), 'readiness-hostile-ldif-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function matches(problem: InputProblem, expected: ExpectedProblem): boolean {
  return (
    problem.severity === expected.severity &&
    expected.message.test(problem.message) &&
    (expected.input === undefined || (problem.input === 'stdin' ? 'stdin' : basename(problem.input)) === expected.input) &&
    (expected.location === undefined || expected.location.test(problem.location ?? ''))
  );
}

describe('hostile LDIF inputs: each gives exactly the problems it should, never a crash', () => {
  it.each(LDIF_CASES.map((c, i) => [c.name, c, i] as const))('%s', async (_, hostile, i) => {
    const dir = join(root, String(i));
    await mkdir(dir);
    const inputs = await hostile.write(dir);
    const sources = inputs.files.map((file) => new LdifSource(file, Readable.from(inputs.stdin === undefined ? [] : [inputs.stdin]), hostile.limits));
    const result = await scan(sources, { checks: CHECKS });
    const unexpected = result.problems.filter((problem) => !hostile.problems.some((expected) => matches(problem, expected)));
    expect(unexpected, hostile.models).toEqual([]);
    for (const expected of hostile.problems)
      expect(
        result.problems.some((problem) => matches(problem, expected)),
        `${expected.message}`,
      ).toBe(true);
    if (hostile.entries !== undefined) expect(result.inventory.totals.entries).toBe(hostile.entries);
  });

  it('reads a UTF-16 export without a byte order mark the same as the UTF-8 one', async () => {
    const dir = join(root, 'utf16');
    await mkdir(dir);
    const utf16 = LDIF_CASES.find((c) => c.name === 'UTF-16LE without a byte order mark');
    const inputs = await utf16!.write(dir);
    const read = async (file: string): Promise<string[]> => {
      const dns: string[] = [];
      for await (const event of new LdifSource(file).events()) if (event.type === 'entry') dns.push(event.entry.dn);
      return dns;
    };
    const dns = await read(inputs.files[1]!);
    expect(dns).toHaveLength(22);
    expect(dns[2]).toBe('CN=User 1,OU=Staff,DC=corp,DC=contoso,DC=test');
  });
});
