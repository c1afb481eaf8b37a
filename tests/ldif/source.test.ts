import { existsSync, mkdtempSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { rmSync } from 'node:fs';
import { scan } from '../../src/checks/engine.js';
import { LdifSource } from '../../src/sources/ldif/source.js';
import { SourceUnavailableError, type SourceEvent } from '../../src/sources/source.js';
import { collect, type Parsed, plain } from './parse.js';

const FIXTURE = join(import.meta.dirname, '..', '..', 'fixtures', 'ldif', 'ldifde-small-domain.ldf');
const BYTES = readFileSync(FIXTURE);
const dir = mkdtempSync(join(tmpdir(), 'readiness-ldif-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function write(name: string, content: string | Buffer): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

async function read(source: LdifSource): Promise<Parsed> {
  const events: SourceEvent[] = [];
  for await (const event of source.events()) events.push(event);
  return collect(events);
}

describe('LdifSource', () => {
  const expected = async (): Promise<ReturnType<typeof plain>[]> => (await read(new LdifSource(FIXTURE))).entries.map(plain);

  it('reads a file and labels it with its path', async () => {
    const source = new LdifSource(FIXTURE);
    expect(source.label).toBe(FIXTURE);
    await expect(source.assertReadable()).resolves.toBeUndefined();
    const { entries, problems } = await read(source);
    expect(problems).toEqual([]);
    expect(entries).toHaveLength(11);
  });

  it('reads a gzip-compressed file the same as the plain one, whatever its name', async () => {
    const gz = gzipSync(BYTES);
    for (const name of ['export.ldf.gz', 'export-without-suffix']) {
      const { entries, problems } = await read(new LdifSource(write(name, gz)));
      expect(problems).toEqual([]);
      expect(entries.map(plain)).toEqual(await expected());
    }
  });

  it('reports a truncated .gz file as an error naming the file, keeping what was read', async () => {
    const big = Buffer.concat(Array.from({ length: 200 }, (_, i) => Buffer.from(`dn: CN=U${i},DC=x\r\ncn: U${i}\r\ndescription: ${'x'.repeat(200)}\r\n\r\n`)));
    const gz = gzipSync(big);
    const path = write('cut.ldif.gz', gz.subarray(0, Math.floor(gz.length / 2)));
    const { entries, problems, errors } = await read(new LdifSource(path));
    expect(entries.length).toBeGreaterThan(0);
    expect(entries.length).toBeLessThan(200);
    // One problem: the cut itself, not also the half line it left.
    expect(problems).toHaveLength(1);
    expect(errors.at(-1)).toMatchObject({ input: path, severity: 'error' });
    expect(errors.at(-1)!.message).toMatch(/gzip data ends unexpectedly.*not read/);
    expect(errors.at(-1)!.hint).toContain('compressed file');
  });

  it('reports a corrupt .gz file as an error', async () => {
    const gz = gzipSync(BYTES);
    gz.fill(0x55, 20, 60);
    const { errors } = await read(new LdifSource(write('corrupt.ldf.gz', gz)));
    expect(errors.at(-1)!.message).toMatch(/reading stopped early/);
  });

  it('reads "-" from standard input, plain or compressed, labelled "stdin"', async () => {
    const plainStdin = new LdifSource('-', Readable.from([BYTES.subarray(0, 100), BYTES.subarray(100)]));
    expect(plainStdin.label).toBe('stdin');
    await expect(plainStdin.assertReadable()).resolves.toBeUndefined();
    expect((await read(plainStdin)).entries.map(plain)).toEqual(await expected());
    const gz = gzipSync(BYTES);
    // A pipe may hand over the gzip magic number one byte at a time.
    const gzStdin = new LdifSource('-', Readable.from([gz.subarray(0, 1), gz.subarray(1, 2), gz.subarray(2)]));
    expect((await read(gzStdin)).entries.map(plain)).toEqual(await expected());
  });

  it('reads the UTF-16 files "ldifde -u" writes (either byte order, compressed or not, split anywhere) like UTF-8', async () => {
    const text = BYTES.toString('utf8');
    const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
    const be = Buffer.from(le).swap16();
    for (const bytes of [le, be, gzipSync(le)]) {
      const oddChunks = Array.from({ length: Math.ceil(bytes.length / 333) }, (_, i) => bytes.subarray(i * 333, i * 333 + 333));
      const { entries, problems } = await read(new LdifSource('-', Readable.from(oddChunks)));
      expect(problems).toEqual([]);
      expect(entries.map(plain)).toEqual(await expected());
    }
    expect((await read(new LdifSource(write('unicode.ldf', le)))).entries).toHaveLength(11);
  });

  it('names an empty file as holding no entries', async () => {
    const path = write('empty.ldif', '');
    const { entries, problems } = await read(new LdifSource(path));
    expect(entries).toEqual([]);
    expect(problems).toEqual([expect.objectContaining({ severity: 'warning', input: path, message: `${path} holds no entries` })]);
  });

  it('refuses a missing file or a folder before the scan starts, with a hint', async () => {
    const missing = new LdifSource(join(dir, 'nope.ldif'));
    await expect(missing.assertReadable()).rejects.toThrow(SourceUnavailableError);
    await expect(missing.assertReadable()).rejects.toThrow(/nope\.ldif: no such file/);
    await expect(missing.assertReadable()).rejects.toMatchObject({ hint: expect.stringContaining('pass -') });
    const folder = join(dir, 'folder');
    mkdirSync(folder);
    await expect(new LdifSource(folder).assertReadable()).rejects.toThrow(/is a folder/);
  });

  it('scans several files in one pass, one problem list naming each file', async () => {
    const broken = write('broken.ldif', 'dn: CN=Bad,DC=x\nno colon\n\ndn: CN=Good,DC=x\nobjectClass: user\n');
    const result = await scan([new LdifSource(FIXTURE), new LdifSource(broken)], { checks: [] });
    expect(result.inputs).toEqual([
      { kind: 'ldif', label: FIXTURE },
      { kind: 'ldif', label: broken },
    ]);
    expect(result.inventory.totals.entries).toBe(12);
    expect(result.inventory.totals.users).toBe(7);
    expect(result.problems).toEqual([expect.objectContaining({ severity: 'error', input: broken, location: 'line 2 (CN=Bad,DC=x)' })]);
  });
});

describe('LdifSource stopped early', () => {
  // Grouping inputs into forests reads only each file's first entry: the file must be closed then, not when the process ends.
  const openFiles = (): number => readdirSync('/proc/self/fd').length;
  const big = (): Buffer => {
    const record = (i: number): string => `dn: CN=User ${i},OU=People,DC=corp,DC=contoso,DC=test\nobjectClass: user\ndescription: ${'x'.repeat(200)}\n\n`;
    return Buffer.from(Array.from({ length: 20_000 }, (_, i) => record(i)).join(''));
  };

  it.skipIf(!existsSync('/proc/self/fd')).each([
    ['plain', (): Buffer => big()],
    ['gzip', (): Buffer => gzipSync(big())],
  ])('closes a %s file when the reader stops after its first entry', async (kind, content) => {
    const path = write(`early-stop-${kind}.ldif${kind === 'gzip' ? '.gz' : ''}`, content());
    const before = openFiles();
    for (let round = 0; round < 5; round++) {
      for await (const event of new LdifSource(path).events()) if (event.type === 'entry') break;
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(openFiles()).toBe(before);
  });
});
