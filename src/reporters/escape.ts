/**
 * Directory values are input someone sent you: a name can carry ESC, OSC, CR or NUL that would move the
 * cursor, recolour or overwrite a line, or a bidi override that reorders what is shown. Every output shows
 * them as visible escapes instead (ESC as \x1b, U+202E as \u202e), and each format escapes its own syntax
 * on top, through one helper per format.
 */
// C0 controls (tab and newline too: every value is shown on one line), DEL, C1 controls, and the bidi
// embedding, override and isolate characters.
const INVISIBLE = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

export function showControls(text: string): string {
  return text.replace(INVISIBLE, (c) => {
    const code = c.charCodeAt(0);
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}

/** Terminal text: controls shown, nothing else changed. */
export function terminalText(text: string): string {
  return showControls(text);
}

/** Markdown inline text and table cells: controls shown, then every character Markdown or HTML would read as syntax backslash-escaped. */
export function markdownText(text: string): string {
  return showControls(text).replace(/[\\`*_|<>[\]#&~]/g, '\\$&');
}

/** A fenced block of lines meant to be copied as they are: controls shown, and a fence longer than any backtick run inside. */
export function markdownFence(lines: readonly string[]): string[] {
  const shown = lines.map(showControls);
  const longestRun = Math.max(0, ...shown.map((l) => Math.max(0, ...(l.match(/`+/g) ?? []).map((run) => run.length))));
  const fence = '`'.repeat(Math.max(3, longestRun + 1));
  return [fence, ...shown, fence];
}
