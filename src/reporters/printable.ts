// Directory values may hold control characters (a stray NUL, an ESC that would drive the terminal); they are
// shown as \xNN, never written raw and never dropped, since whoever fixes the value must see it.
const CONTROL = /[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]/g;

export function showControlCharacters(text: string): string {
  return text.replace(CONTROL, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}
