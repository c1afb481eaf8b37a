// The live scan asks the DC for a fixed list of attributes. A check that reads an attribute missing
// from that list would see nothing over LDAP and pass where the LDIF scan fails, so this test reads
// every Entry accessor call in the inventory, checks and report code and fails on any name not
// requested.
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { BINARY_ATTRIBUTES } from '../../src/model/binary-attributes.js';
import { ENTRY_ATTRIBUTES, explicitBufferAttributes, ROOT_DSE_ATTRIBUTES } from '../../src/sources/ldap/attributes.js';

const repo = fileURLToPath(new URL('../..', import.meta.url));
const ACCESSORS = new Set(['has', 'values', 'texts', 'text', 'bytes', 'int', 'bigint', 'bool']);
/** Where entries are read; the sources build entries and model/entry.ts defines the accessors. */
const READERS = ['src/inventory', 'src/checks', 'src/report', 'src/model', 'src/config'];
const NOT_READERS = new Set(['src/model/entry.ts']);

function sourceFiles(dir: string): string[] {
  const full = path.join(repo, dir);
  let names: string[];
  try {
    names = readdirSync(full, { recursive: true, encoding: 'utf8' });
  } catch {
    return [];
  }
  return names
    .filter((n) => n.endsWith('.ts'))
    .map((n) => path.join(full, n))
    .filter((f) => !NOT_READERS.has(path.relative(repo, f)));
}

interface Read {
  name: string;
  where: string;
}

/** Every `entry.<accessor>(...)` whose receiver is an Entry, with the attribute names its argument can take. */
function attributeReads(): { reads: Read[]; unresolved: string[] } {
  const files = READERS.flatMap(sourceFiles);
  const program = ts.createProgram(files, {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    strict: true,
    skipLibCheck: true,
    noEmit: true,
    types: ['node'],
  });
  const checker = program.getTypeChecker();
  const reads: Read[] = [];
  const unresolved: string[] = [];
  for (const file of program.getSourceFiles()) {
    if (!files.includes(path.resolve(file.fileName))) continue;
    const visit = (node: ts.Node): void => {
      if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression) && ACCESSORS.has(node.expression.name.text)) {
        const receiver = checker.getTypeAtLocation(node.expression.expression);
        const declaration = receiver.getSymbol()?.declarations?.[0];
        const isEntry = receiver.getSymbol()?.getName() === 'Entry' && declaration?.getSourceFile().fileName.endsWith('src/model/entry.ts') === true;
        const argument = node.arguments[0];
        if (isEntry && argument !== undefined) {
          const where = `${path.relative(repo, file.fileName)}:${file.getLineAndCharacterOfPosition(node.getStart()).line + 1}`;
          const names = literalNames(checker.getTypeAtLocation(argument)) ?? tableValues(file, argument);
          if (names === undefined) unresolved.push(`${where}: ${argument.getText()}`);
          else for (const name of names) reads.push({ name, where });
        }
      }
      ts.forEachChild(node, visit);
    };
    visit(file);
  }
  return { reads, unresolved };
}

function literalNames(type: ts.Type): string[] | undefined {
  const parts = type.isUnion() ? type.types : [type];
  const names = parts.map((t) => (t.isStringLiteral() ? t.value : undefined));
  return names.every((n) => n !== undefined) ? names : undefined;
}

/**
 * `entry.texts(limit.attribute)` over a table such as `[{ attribute: 'mail', max: 256 }, ...]`: the
 * string values given to that property anywhere in the same file.
 */
function tableValues(file: ts.SourceFile, argument: ts.Expression): string[] | undefined {
  if (!ts.isPropertyAccessExpression(argument)) return undefined;
  const property = argument.name.text;
  const values: string[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isPropertyAssignment(node) && node.name.getText(file) === property && ts.isStringLiteralLike(node.initializer)) values.push(node.initializer.text);
    ts.forEachChild(node, visit);
  };
  visit(file);
  return values.length > 0 ? values : undefined;
}

describe('attributes requested by the live scan', () => {
  const { reads, unresolved } = attributeReads();
  const requested = new Set([...ENTRY_ATTRIBUTES, ...ROOT_DSE_ATTRIBUTES, 'member'].map((a) => a.toLowerCase()));

  it('finds the accessor calls (the scan itself works)', () => {
    expect(reads.map((r) => r.name)).toContain('samaccountname');
    expect(reads.map((r) => r.name)).toContain('member');
  });

  it('cover every attribute the inventory and checks read through an Entry', () => {
    const missing = reads.filter((r) => !requested.has(r.name.toLowerCase())).map((r) => `${r.name} (${r.where})`);
    expect(missing, 'add these to ENTRY_ATTRIBUTES in src/sources/ldap/attributes.ts').toEqual([]);
  });

  it('can tell which attribute each read means (a literal or a const union, not a computed string)', () => {
    expect(unresolved, 'use a string literal or an `as const` list so the LDAP source can request it').toEqual([]);
  });

  it('name every binary attribute in the server spelling ldapts needs to return bytes', () => {
    const buffers = explicitBufferAttributes();
    expect(buffers.map((b) => b.toLowerCase()).sort()).toEqual([...BINARY_ATTRIBUTES].sort());
    expect(
      buffers.filter((b) => b === b.toLowerCase() && /[a-z]/.test(b)),
      'give these their lDAPDisplayName casing',
    ).toEqual([]);
    expect(buffers).toContain('objectGUID');
    expect(buffers).toContain('mS-DS-ConsistencyGuid');
  });

  it('list each attribute once', () => {
    const lower = ENTRY_ATTRIBUTES.map((a) => a.toLowerCase());
    expect(lower.length).toBe(new Set(lower).size);
  });
});
