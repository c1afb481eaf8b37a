import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { scan, type ScanProgress } from '../../src/checks/engine.js';
import { CHECKS } from '../../src/checks/registry.js';
import { needsConnectExport } from '../../src/checks/evidence.js';
import { describeProgress, progressDisplay } from '../../src/cli/progress.js';
import { LdifSource } from '../../src/sources/ldif/source.js';
import { domainHead, users } from '../hostile/forest.js';

const dir = mkdtempSync(join(tmpdir(), 'readiness-progress-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('progress from the engine', () => {
  it('adds up the bytes read of every file against their total size, then says the checks run', async () => {
    const first = join(dir, 'a.ldf');
    const second = join(dir, 'b.ldf');
    writeFileSync(first, domainHead + users('A', 15_000));
    writeFileSync(second, users('B', 15_000));
    const total = statSync(first).size + statSync(second).size;
    const sources = [new LdifSource(first), new LdifSource(second)];
    for (const source of sources) await source.assertReadable();
    const seen: ScanProgress[] = [];
    await scan(sources, { checks: CHECKS, settings: { disabled: new Set(['hygiene']) }, onProgress: (p) => seen.push(structuredClone(p)) });
    const reading = seen.filter((p) => p.phase === 'reading');
    expect(reading).toHaveLength(30);
    expect(reading.map((p) => p.input)).toEqual([...Array<string>(15).fill(first), ...Array<string>(15).fill(second)]);
    const read = reading.map((p) => p.bytes?.read ?? -1);
    expect(read.every((bytes, i) => bytes > 0 && bytes <= total && (i === 0 || bytes >= (read[i - 1] ?? 0)))).toBe(true);
    expect(seen.at(-1)).toMatchObject({ phase: 'checking', entries: 30_003, bytes: { read: total, total } });
    // Checks that read only the Connect export do not run without one.
    expect(seen.at(-1)?.checks).toBe(CHECKS.filter((c) => c.meta.category !== 'hygiene' && !needsConnectExport(c.meta.evidence)).length);
  });

  it('has no byte total when an input has no known size (stdin)', async () => {
    const stdin = new PassThrough();
    stdin.end(domainHead + users('A', 10_000));
    const seen: ScanProgress[] = [];
    await scan([new LdifSource('-', stdin)], { checks: [], onProgress: (p) => seen.push(p) });
    expect(seen.map((p) => p.bytes)).toEqual(Array(11).fill(undefined));
  });
});

describe('progress line', () => {
  const reading = { phase: 'reading', entries: 250_000, input: 'domain.ldf', checks: 34 } as const;

  it('gives percent, rate and time left when the sizes are known', () => {
    expect(describeProgress({ ...reading, bytes: { read: 25, total: 100 } }, 10)).toBe('reading domain.ldf: 25% · 250,000 objects · 25,000/s · about 30s left');
    expect(describeProgress({ ...reading, bytes: { read: 1, total: 100 } }, 100)).toBe(
      'reading domain.ldf: 1% · 250,000 objects · 2,500/s · about 2h 45m left',
    );
  });

  it('gives counts and rate without sizes, names the naming context of a live read, and shows control characters', () => {
    expect(describeProgress({ ...reading, input: 'ldaps://dc1:636', reading: 'DC=corp\x1b[2J' }, 5)).toBe(
      'reading ldaps://dc1:636 DC=corp\\x1b[2J: 250,000 objects · 50,000/s',
    );
  });

  it('names the checks phase', () => {
    expect(describeProgress({ ...reading, phase: 'checking' }, 5)).toBe('running 34 checks on 250,000 objects');
  });

  it('redraws reading figures at most every 200 ms on a terminal, phases at once', () => {
    let clock = 0;
    let written = '';
    const stream = Object.assign(new PassThrough(), { isTTY: true }) as unknown as NodeJS.WriteStream;
    stream.on('data', (chunk: Buffer) => (written += chunk.toString()));
    const display = progressDisplay(stream, { quiet: false }, () => clock);
    for (clock = 0; clock < 1000; clock += 50) display.update(reading);
    display.update({ ...reading, phase: 'checking' });
    display.phase('writing report');
    display.clear();
    expect(written.split('\r\x1b[K').filter((line) => line.startsWith('reading'))).toHaveLength(5);
    expect(written).toContain('running 34 checks');
    expect(written).toContain('writing report');
    expect(written.endsWith('\r\x1b[K')).toBe(true);
  });

  it('writes nothing when stderr is not a terminal, or with --quiet', () => {
    for (const [tty, quiet] of [
      [false, false],
      [true, true],
    ] as const) {
      let written = '';
      const stream = Object.assign(new PassThrough(), { isTTY: tty }) as unknown as NodeJS.WriteStream;
      stream.on('data', (chunk: Buffer) => (written += chunk.toString()));
      const display = progressDisplay(stream, { quiet });
      display.update(reading);
      display.phase('writing report');
      display.clear();
      expect(written).toBe('');
    }
  });
});
