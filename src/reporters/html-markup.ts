/**
 * Templating for the HTML report: hand-written template literals through one tagged template, `html`, that
 * escapes every interpolated value unless it is already markup made by `html` itself. Escaping is the default
 * and cannot be forgotten: a directory value (a displayName a user set, an OU name) is a string, and a string
 * is always escaped. A templating library (Handlebars, EJS, Eta) would add a second language and a dependency
 * for what a few dozen lines do, and its auto-escaping would still rest on the same rule.
 *
 * The report's bulk (objects of findings) travels as JSON in a <script type="application/json"> block
 * (`jsonForScript`) and the page script puts it in the DOM with textContent only, never as markup.
 */

const MARKUP = Symbol('html markup');

/** Markup made by `html` (or a trusted constant through `trustedMarkup`): interpolated as is. */
export interface Markup {
  readonly [MARKUP]: string;
}

export type Interpolation = Markup | string | number | undefined | readonly Interpolation[];

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** The one escaping helper: text and attribute values (quoted attributes) alike. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ENTITIES[c] ?? c);
}

function isMarkup(value: unknown): value is Markup {
  return typeof value === 'object' && value !== null && MARKUP in value;
}

function interpolate(value: Interpolation): string {
  if (value === undefined) return '';
  if (typeof value === 'number') return String(value);
  if (typeof value === 'string') return escapeHtml(value);
  if (isMarkup(value)) return value[MARKUP];
  return value.map(interpolate).join('');
}

export function html(strings: TemplateStringsArray, ...values: Interpolation[]): Markup {
  let out = strings[0] ?? '';
  values.forEach((value, i) => {
    out += interpolate(value) + (strings[i + 1] ?? '');
  });
  return { [MARKUP]: out };
}

/** For the page's own constants (its stylesheet and script), never for anything read from input. */
export function trustedMarkup(text: string): Markup {
  return { [MARKUP]: text };
}

export function markupText(markup: Markup): string {
  return markup[MARKUP];
}

/**
 * JSON that can sit inside <script type="application/json">: `<` is written as \u003c, so neither
 * `</script>` nor `<!--` in a value can end the block; U+2028/2029 likewise, for old parsers.
 */
export function jsonForScript(data: unknown): string {
  return JSON.stringify(data).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** Only web links become href (a javascript: URL from any source stays text). */
export function safeHref(url: string): string | undefined {
  return /^https?:\/\//i.test(url) ? url : undefined;
}
