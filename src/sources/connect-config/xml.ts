import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { ConnectConfigError } from './errors.js';

/**
 * One parsed element: child elements by tag name (always a list, so one child and many read alike), attributes
 * as "@name", text as "#text". A leaf element without attributes is its text.
 */
export interface XmlElement {
  [name: string]: XmlNode[] | string | undefined;
}
export type XmlNode = XmlElement | string;

const ATTRIBUTE = '@';

/**
 * An export is a file someone sent you. Connect never writes a DOCTYPE, so one is refused outright: no external
 * entity can be resolved and no entity bomb expanded, whatever the parser would do with it. fast-xml-parser itself
 * never reads files or URLs, and its own entity limits stay on as a second fence.
 */
function refuseDoctype(text: string, file: string): void {
  const match = /<!(DOCTYPE|ENTITY)\b/i.exec(text);
  if (match === null) return;
  throw new ConnectConfigError(
    `${file}, line ${lineAt(text, match.index)}: holds a ${match[1]?.toUpperCase()} declaration, which Get-ADSyncServerConfiguration never writes; it was not read`,
    'pass the folder exactly as the cmdlet wrote it; an XML file with entity declarations is refused so that nothing it points to is read',
  );
}

export function lineAt(text: string, index: number): number {
  let line = 1;
  for (let i = text.indexOf('\n'); i !== -1 && i < index; i = text.indexOf('\n', i + 1)) line++;
  return line;
}

/**
 * Parses one export file. `skip` names element paths (root.child...) whose content is kept as raw text instead of
 * being parsed, such as a connector's embedded DSML schema, which is most of its size and never read.
 */
export function parseExportXml(text: string, file: string, skip: readonly string[] = []): { name: string; root: XmlElement } {
  refuseDoctype(text, file);
  const valid = XMLValidator.validate(text);
  if (valid !== true) {
    throw new ConnectConfigError(
      `${file}, line ${valid.err.line}: not well-formed XML (${valid.err.msg})`,
      'the file is damaged or cut short: export the configuration again with Get-ADSyncServerConfiguration',
    );
  }
  const parser = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: ATTRIBUTE,
    parseTagValue: false,
    parseAttributeValue: false,
    trimValues: true,
    htmlEntities: false,
    ignoreDeclaration: true,
    ignorePiTags: true,
    stopNodes: [...skip],
    isArray: (_name, _path, _leaf, isAttribute) => !isAttribute,
  });
  const document = parser.parse(text) as XmlElement;
  const [name, roots] = Object.entries(document).find(([, value]) => Array.isArray(value)) ?? [];
  const root = Array.isArray(roots) ? roots[0] : undefined;
  if (name === undefined || root === undefined) {
    throw new ConnectConfigError(`${file}: holds no XML element`, 'export the configuration again with Get-ADSyncServerConfiguration');
  }
  return { name, root: typeof root === 'string' ? { '#text': root } : root };
}

export function children(element: XmlElement | undefined, name: string): XmlElement[] {
  const value = element?.[name];
  if (!Array.isArray(value)) return [];
  return value.map((node) => (typeof node === 'string' ? { '#text': node } : node));
}

export function child(element: XmlElement | undefined, ...path: string[]): XmlElement | undefined {
  let current = element;
  for (const name of path) current = children(current, name)[0];
  return current;
}

/** The text of an element (or of the child at path); undefined when absent, "" when empty. */
export function text(element: XmlElement | undefined, ...path: string[]): string | undefined {
  const target = path.length === 0 ? element : child(element, ...path);
  if (target === undefined) return undefined;
  const value = target['#text'];
  return typeof value === 'string' ? value : '';
}

export function texts(element: XmlElement | undefined, name: string): string[] {
  return children(element, name).map((c) => text(c) ?? '');
}

export function attribute(element: XmlElement | undefined, name: string): string | undefined {
  const value = element?.[`${ATTRIBUTE}${name}`];
  return typeof value === 'string' ? value : undefined;
}

/** Every element named `name` anywhere below `element`, in document order. */
export function descendants(element: XmlElement | undefined, name: string): XmlElement[] {
  if (element === undefined) return [];
  const found: XmlElement[] = [];
  for (const [key, value] of Object.entries(element)) {
    if (!Array.isArray(value)) continue;
    for (const node of value) {
      if (typeof node === 'string') {
        if (key === name) found.push({ '#text': node });
        continue;
      }
      if (key === name) found.push(node);
      found.push(...descendants(node, name));
    }
  }
  return found;
}
