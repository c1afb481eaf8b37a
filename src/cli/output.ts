import { promises as fs } from 'node:fs';
import type { Report } from '../report/schema.js';
import { renderJson } from '../reporters/json.js';
import { renderMarkdown } from '../reporters/markdown.js';
import { renderTerminal } from '../reporters/terminal.js';
import { UserError } from './errors.js';
import { EXIT } from './exit-codes.js';

export type Format = 'json' | 'md' | 'table';
export const FORMATS: readonly Format[] = ['json', 'md', 'table'];

export function colorWanted(stream: NodeJS.WriteStream): boolean {
  // no-color.org: NO_COLOR switches colour off when present and not empty.
  return stream.isTTY === true && (process.env.NO_COLOR ?? '') === '' && process.env.FORCE_COLOR !== '0';
}

/** Without --format: the file's extension, else a table for a person at a terminal and JSON for a pipe. */
export function chooseFormat(requested: string | undefined, outputPath: string | undefined): Format {
  if (requested !== undefined) {
    if (!(FORMATS as readonly string[]).includes(requested)) {
      throw new UserError(`unknown format "${requested}"`, EXIT.usage, `use one of: ${FORMATS.join(', ')}`);
    }
    return requested as Format;
  }
  if (outputPath?.endsWith('.md') === true) return 'md';
  if (outputPath !== undefined) return 'json';
  return process.stdout.isTTY === true ? 'table' : 'json';
}

export function render(report: Report, format: Format, color: boolean): string {
  switch (format) {
    case 'json':
      return renderJson(report);
    case 'md':
      return renderMarkdown(report);
    case 'table':
      return renderTerminal(report, { color });
  }
}

export async function writeReport(report: Report, format: Format, outputPath: string | undefined): Promise<void> {
  if (outputPath === undefined) {
    process.stdout.write(render(report, format, colorWanted(process.stdout)));
    return;
  }
  try {
    await fs.writeFile(outputPath, render(report, format, false));
  } catch (error) {
    throw new UserError(`cannot write ${outputPath}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`, EXIT.usage, 'choose a writable path for --output');
  }
  // The file has the evidence; the terminal still gets the one-screen summary.
  if (process.stderr.isTTY === true) process.stderr.write(renderTerminal(report, { color: colorWanted(process.stderr) }));
}
