import { once } from 'node:events';
import { constants, createWriteStream, promises as fs } from 'node:fs';
import { basename, dirname, extname, join } from 'node:path';
import type { Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import type { Report } from '../report/schema.js';
import { writeCsv } from '../reporters/csv.js';
import { renderHtml } from '../reporters/html.js';
import { writeJson } from '../reporters/json.js';
import { renderMarkdown } from '../reporters/markdown.js';
import { renderTerminal } from '../reporters/terminal.js';
import { writePieces } from '../reporters/write-pieces.js';
import { UserError } from './errors.js';
import { EXIT } from './exit-codes.js';

/**
 * A report format: the extensions of --output that choose it, and how it is written: rendered as one text,
 * or, for output that can run to hundreds of thousands of rows (the CSV fix list), streamed.
 */
type OutputFormat =
  | { readonly extensions: readonly string[]; render(report: Report, options: { color: boolean }): string }
  | { readonly extensions: readonly string[]; stream(report: Report, out: Writable): Promise<void> };

/** Every format --format and --output know; a new one (html, csv) is one entry. */
const FORMATS = {
  json: { extensions: ['.json'], stream: (report, out) => writeJson(report, out) },
  md: { extensions: ['.md', '.markdown'], render: (report) => renderMarkdown(report) },
  html: { extensions: ['.html', '.htm'], render: (report) => renderHtml(report) },
  table: { extensions: ['.txt'], render: (report, { color }) => renderTerminal(report, { color }) },
  csv: { extensions: ['.csv'], stream: (report, out) => writeCsv(report, out) },
} satisfies Record<string, OutputFormat>;

export type Format = keyof typeof FORMATS;
export const FORMAT_NAMES = Object.keys(FORMATS) as Format[];

/** Where the report goes: standard output, or a file replaced only once the new report is complete. */
export interface ReportTarget {
  format: Format;
  path?: string;
}

export function colorWanted(stream: NodeJS.WriteStream): boolean {
  // no-color.org: NO_COLOR switches colour off when present and not empty.
  return stream.isTTY === true && (process.env.NO_COLOR ?? '') === '' && process.env.FORCE_COLOR !== '0';
}

/**
 * Chooses the format and checks that --output can be written, before a scan that may take an hour:
 * the folder exists and is writable, the path is not a folder, the extension names a known format.
 */
export async function prepareOutput(requested: string | undefined, outputPath: string | undefined): Promise<ReportTarget> {
  const format = chooseFormat(requested, outputPath);
  if (outputPath === undefined) return { format };
  const folder = dirname(outputPath);
  const unusable = (why: string): UserError => new UserError(`--output ${outputPath}: ${why}`, EXIT.usage, 'choose a file in a folder you can write to');
  try {
    if (!(await fs.stat(folder)).isDirectory()) throw unusable(`${folder} is not a folder`);
    await fs.access(folder, constants.W_OK);
  } catch (error) {
    if (error instanceof UserError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    throw unusable(code === 'ENOENT' ? `the folder ${folder} does not exist` : `the folder ${folder} is not writable (${code ?? 'unknown error'})`);
  }
  // A device or a FIFO would be replaced by the rename, not written to (root could replace /dev/full).
  const existing = await fs.stat(outputPath).catch(() => undefined);
  if (existing !== undefined && !existing.isFile()) throw unusable(existing.isDirectory() ? 'is a folder' : 'is not a regular file');
  return { format, path: outputPath };
}

/** Without --format: the file's extension, else a table for a person at a terminal and JSON for a pipe. */
export function chooseFormat(requested: string | undefined, outputPath: string | undefined): Format {
  if (requested !== undefined) {
    if (!isFormat(requested)) throw new UserError(`unknown format "${requested}"`, EXIT.usage, `use one of: ${FORMAT_NAMES.join(', ')}`);
    return requested;
  }
  if (outputPath === undefined) return process.stdout.isTTY === true ? 'table' : 'json';
  const extension = extname(outputPath).toLowerCase();
  const format = FORMAT_NAMES.find((name) => (FORMATS[name].extensions as readonly string[]).includes(extension));
  if (format === undefined) {
    const known = FORMAT_NAMES.flatMap((name) => FORMATS[name].extensions).join(', ');
    throw new UserError(
      `--output ${outputPath}: the extension does not name a report format`,
      EXIT.usage,
      `end the name with ${known}, or pass --format ${FORMAT_NAMES.join('|')}`,
    );
  }
  return format;
}

function isFormat(name: string): name is Format {
  return Object.hasOwn(FORMATS, name);
}

/** `rendered` is called between rendering (which takes a while for a large forest) and writing. */
export async function writeReport(report: Report, target: ReportTarget, options: { quiet: boolean; rendered: () => void }): Promise<void> {
  const format: OutputFormat = FORMATS[target.format];
  if ('stream' in format) {
    options.rendered();
    const write = (out: Writable): Promise<void> => format.stream(report, out);
    if (target.path === undefined) await streamStdout(write);
    else await replaceFileStreaming(target.path, write);
  } else {
    const text = format.render(report, { color: target.path === undefined && colorWanted(process.stdout) });
    options.rendered();
    if (target.path === undefined) await writeStdout(text);
    else await replaceFile(target.path, text);
  }
  // The file has the evidence; the terminal still gets the one-screen summary.
  if (target.path !== undefined && !options.quiet && process.stderr.isTTY === true)
    process.stderr.write(renderTerminal(report, { color: colorWanted(process.stderr) }));
}

/**
 * Writes beside the target and renames into place, so a crash, a kill or a full disk mid-write leaves the
 * previous report as it was instead of a truncated one.
 */
export async function replaceFile(path: string, text: string): Promise<void> {
  const temporary = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
  try {
    await fs.writeFile(temporary, text, { flag: 'wx' });
    await fs.rename(temporary, path);
  } catch (error) {
    await fs.unlink(temporary).catch(() => undefined); // gone already, or never written
    throw new UserError(
      `cannot write ${path}: ${describeWriteError(error)}`,
      EXIT.usage,
      'choose a writable path with free space for --output; the previous file, if any, is unchanged',
    );
  }
}

/** replaceFile for a streamed format: written to the temporary file as it is produced, then renamed into place. */
async function replaceFileStreaming(path: string, write: (out: Writable) => Promise<void>): Promise<void> {
  const temporary = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
  const file = createWriteStream(temporary, { flags: 'wx' });
  try {
    await write(file);
    file.end();
    await finished(file);
    await fs.rename(temporary, path);
  } catch (error) {
    file.destroy();
    // The file may still be opening (a report that failed before its first write): unlinked before then, it would stay.
    if (!file.closed) await once(file, 'close');
    await fs.unlink(temporary).catch(() => undefined); // gone already, or never written
    throw new UserError(
      `cannot write ${path}: ${describeWriteError(error)}`,
      EXIT.usage,
      'choose a writable path with free space for --output; the previous file, if any, is unchanged',
    );
  }
}

/** Standard output for a streamed format: a reader that went away ends it quietly, any other failure is a usage error. */
async function streamStdout(write: (out: Writable) => Promise<void>): Promise<void> {
  try {
    await write(process.stdout);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EPIPE') return;
    throw new UserError(
      `cannot write the report to standard output: ${describeWriteError(error)}`,
      EXIT.usage,
      'write it to a file with --output FILE on a disk with free space',
    );
  }
}

/** Text made in pieces (a comparison listing a million objects), to standard output or into place at `path` as it is made. */
export async function writeTextPieces(pieces: Iterable<string>, path: string | undefined): Promise<void> {
  const write = (out: Writable): Promise<void> => writePieces(pieces, out);
  if (path === undefined) await streamStdout(write);
  else await replaceFileStreaming(path, write);
}

/**
 * A reader that went away (`| head`) is not an error: the report ends there quietly. Any other failure
 * (`> /dev/full`) is a usage-level error, never exit 1, which would read as "blocked".
 */
export async function writeStdout(text: string): Promise<void> {
  await streamStdout(
    (out) => new Promise<void>((resolve, reject) => out.write(text, (error) => (error === null || error === undefined ? resolve() : reject(error)))),
  );
}

function describeWriteError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOSPC') return 'no space left on the device (ENOSPC)';
  if (code === 'EACCES' || code === 'EPERM') return `permission denied (${code})`;
  return code ?? (error instanceof Error ? error.message : String(error));
}

/**
 * Write errors on standard output reach the callback of the write that failed; without a listener they
 * would also be thrown as an uncaught 'error' event, with a stack trace.
 */
export function keepStdoutErrorsInCallbacks(): void {
  if (process.stdout.listenerCount('error') === 0) process.stdout.on('error', () => undefined);
}
