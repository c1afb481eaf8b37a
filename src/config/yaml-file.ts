import { readFileSync } from 'node:fs';
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

export function readYamlFile(path: string, whatToDo: string): YamlFile {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new ConfigFileError(`cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`, whatToDo);
  }
  const lines = new LineCounter();
  const document = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  const problem = document.errors[0];
  if (problem !== undefined) {
    const line = lines.linePos(problem.pos[0]).line;
    throw new ConfigFileError(`${path}, line ${line}: not valid YAML (${problem.message.split('\n')[0] ?? ''})`, whatToDo);
  }
  return { path, document, lines, data: document.toJS() ?? {} };
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
