import { closeSync, fstatSync, openSync, readSync, statSync } from 'node:fs';
import { type Document, isNode, LineCounter, parseDocument } from 'yaml';
import type { z } from 'zod';

/** A config or answers file that cannot be used: one line naming the file, the place and what to do. */
export class ConfigFileError extends Error {
  constructor(
    message: string,
    readonly hint?: string,
  ) {
    super(message);
    this.name = 'ConfigFileError';
  }
}

interface YamlFile {
  path: string;
  document: Document;
  lines: LineCounter;
  data: unknown;
}

/** A config or answers file is a page of text; anything far larger was not written by a person. */
export const YAML_MAX_BYTES = 1024 * 1024;
/** Aliases a file may expand; an alias bomb ("billion laughs") needs thousands. */
const YAML_MAX_ALIASES = 100;

export function readYamlFile(path: string, whatToDo: string): YamlFile {
  const text = readBoundedText(path, whatToDo);
  const lines = new LineCounter();
  const document = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  const problem = document.errors[0];
  if (problem !== undefined) {
    const line = lines.linePos(problem.pos[0]).line;
    throw new ConfigFileError(`${path}, line ${line}: not valid YAML (${problem.message.split('\n')[0] ?? ''})`, whatToDo);
  }
  let data: unknown;
  try {
    data = document.toJS({ maxAliasCount: YAML_MAX_ALIASES });
  } catch (error) {
    throw new ConfigFileError(
      `${path}: not usable YAML (${error instanceof Error ? error.message : String(error)})`,
      `${whatToDo}; write each value out instead of repeating aliases`,
    );
  }
  return { path, document, lines, data: data ?? {} };
}

/**
 * The file's text, read only when it is a regular file of at most YAML_MAX_BYTES: /dev/zero, a FIFO or a
 * huge file is refused before a byte is read (opening a FIFO alone would wait for a writer).
 */
function readBoundedText(path: string, whatToDo: string): string {
  const refuse = (why: string): ConfigFileError => new ConfigFileError(`cannot read ${path}: ${why}`, whatToDo);
  const tooLarge = `larger than ${YAML_MAX_BYTES / 1024} KiB, which no config or answers file is`;
  let fd: number;
  try {
    if (!statSync(path).isFile()) throw refuse('not a regular file');
    fd = openSync(path, 'r');
  } catch (error) {
    if (error instanceof ConfigFileError) throw error;
    throw refuse((error as NodeJS.ErrnoException).code ?? String(error));
  }
  try {
    if (fstatSync(fd).size > YAML_MAX_BYTES) throw refuse(tooLarge);
    // One byte more than the cap tells a file that grew after the check from one that fits.
    const buffer = Buffer.alloc(YAML_MAX_BYTES + 1);
    let length = 0;
    for (let read = -1; read !== 0 && length < buffer.length; length += read) read = readSync(fd, buffer, length, buffer.length - length, null);
    if (length > YAML_MAX_BYTES) throw refuse(tooLarge);
    return buffer.toString('utf8', 0, length);
  } catch (error) {
    if (error instanceof ConfigFileError) throw error;
    throw refuse((error as NodeJS.ErrnoException).code ?? String(error));
  } finally {
    closeSync(fd);
  }
}

/** Validates with zod; the first problem becomes one line with the file, the line and the key. */
export function validate<T>(file: YamlFile, schema: z.ZodType<T>, whatToDo: string): T {
  const parsed = schema.safeParse(file.data);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  if (issue === undefined) throw new ConfigFileError(`${file.path}: invalid`, whatToDo);
  const path = issue.path.filter((p): p is string | number => typeof p !== 'symbol');
  const unknownKeys = issue.code === 'unrecognized_keys' ? issue.keys : [];
  const keyPath = unknownKeys.length > 0 ? [...path, unknownKeys[0] as string] : path;
  const line = lineOf(file, keyPath);
  const where = `${file.path}${line === undefined ? '' : `, line ${line}`}${keyPath.length === 0 ? '' : `, key "${keyPath.join('.')}"`}`;
  throw new ConfigFileError(`${where}: ${issue.message}`, whatToDo);
}

/** The line of the deepest part of `path` that exists in the file. */
function lineOf(file: YamlFile, path: readonly (string | number)[]): number | undefined {
  for (let depth = path.length; depth > 0; depth--) {
    const node = file.document.getIn(path.slice(0, depth), true);
    if (isNode(node) && node.range !== undefined && node.range !== null) return file.lines.linePos(node.range[0]).line;
    const parent = depth > 1 ? file.document.getIn(path.slice(0, depth - 1), true) : file.document.contents;
    const pair = findPair(parent, path[depth - 1]);
    if (pair !== undefined) return file.lines.linePos(pair).line;
  }
  return undefined;
}

/** Offset of a key in a map node, for keys whose value is empty (null has no range of its own). */
function findPair(map: unknown, key: string | number | undefined): number | undefined {
  if (key === undefined || map === null || typeof map !== 'object' || !('items' in map) || !Array.isArray(map.items)) return undefined;
  for (const item of map.items as { key?: unknown }[]) {
    const k = item.key;
    if (isNode(k) && 'value' in k && k.value === key && k.range !== undefined && k.range !== null) return k.range[0];
  }
  return undefined;
}

/** Commented YAML: a "# " prefix on every line of a paragraph. */
export function comment(text: string): string {
  return text
    .split('\n')
    .map((line) => (line === '' ? '#' : `# ${line}`))
    .join('\n');
}
