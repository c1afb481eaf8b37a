import type { ScanProgress } from '../checks/engine.js';

/** The progress line on standard error: only for a person at a terminal, and not with --quiet. */
export interface ProgressDisplay {
  update(progress: ScanProgress): void;
  /** A step after reading, e.g. "writing report". */
  phase(text: string): void;
  clear(): void;
}

const SILENT: ProgressDisplay = { update: () => undefined, phase: () => undefined, clear: () => undefined };

/** Redraws a terminal can follow and a person can read; phases are always shown. */
const REDRAW_EVERY_MS = 200;

export function progressDisplay(stream: NodeJS.WriteStream, options: { quiet: boolean }, now: () => number = Date.now): ProgressDisplay {
  if (options.quiet || stream.isTTY !== true) return SILENT;
  const started = now();
  let shown = false;
  let drawn = -Infinity;
  const show = (line: string): void => {
    stream.write(`\r\x1b[K${line}`);
    shown = true;
    drawn = now();
  };
  return {
    update(progress) {
      if (progress.phase === 'reading' && now() - drawn < REDRAW_EVERY_MS) return;
      show(describeProgress(progress, (now() - started) / 1000));
    },
    phase: (text) => show(text),
    clear() {
      if (shown) stream.write('\r\x1b[K');
      shown = false;
    },
  };
}

/** One line: what is read, how far (percent and time left when the input sizes are known), how fast. */
export function describeProgress(progress: ScanProgress, elapsedSeconds: number): string {
  const objects = `${progress.entries.toLocaleString('en-US')} objects`;
  if (progress.phase === 'checking') return `running ${progress.checks} checks on ${objects}`;
  const where = visible(progress.reading === undefined ? progress.input : `${progress.input} ${progress.reading}`);
  const rate = elapsedSeconds > 0 ? `${Math.round(progress.entries / elapsedSeconds).toLocaleString('en-US')}/s` : undefined;
  const parts = [objects, ...(rate === undefined ? [] : [rate])];
  const bytes = progress.bytes;
  if (bytes !== undefined && bytes.total > 0) {
    const fraction = Math.min(bytes.read / bytes.total, 1);
    parts.unshift(`${Math.floor(fraction * 100)}%`);
    if (fraction > 0 && elapsedSeconds >= 1) parts.push(`about ${duration((elapsedSeconds * (1 - fraction)) / fraction)} left`);
  }
  return `reading ${where}: ${parts.join(' · ')}`;
}

function duration(seconds: number): string {
  const whole = Math.ceil(seconds);
  if (whole < 60) return `${whole}s`;
  const minutes = Math.floor(whole / 60);
  if (minutes < 60) return `${minutes}m ${whole % 60}s`;
  return `${Math.floor(minutes / 60)}h ${minutes % 60}m`;
}

/** File names and naming contexts come from outside: control characters are shown, not sent to the terminal. */
function visible(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f-\u009f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}
