import { html, type Markup } from './html-markup.js';

/** One bar of a horizontal bar chart; several segments stack (users, groups... of one domain). */
export interface Bar {
  label: string;
  /** Shown on hover: the full DN when the label is shortened. */
  title?: string;
  segments: { value: number; className: string; name: string }[];
}

const WIDTH = 520;
const LABEL_WIDTH = 170;
const VALUE_WIDTH = 70;
const ROW = 22;
const BAR = 14;
const LABEL_CHARS = 28;

const n = (value: number): string => value.toLocaleString('en-US');

function shorten(text: string): string {
  return text.length <= LABEL_CHARS ? text : `${text.slice(0, LABEL_CHARS - 1)}…`;
}

/** A horizontal bar chart as inline SVG (no script, no network): bars scaled to the largest total. */
export function barChart(caption: string, bars: readonly Bar[], legend: readonly { className: string; name: string }[] = []): Markup {
  const max = Math.max(1, ...bars.map((b) => total(b)));
  const scale = (WIDTH - LABEL_WIDTH - VALUE_WIDTH) / max;
  const height = Math.max(1, bars.length) * ROW + 4;
  const rows = bars.map((bar, i) => {
    const y = i * ROW + 4;
    let x = LABEL_WIDTH;
    const rects = bar.segments
      .filter((s) => s.value > 0)
      .map((s) => {
        const width = Math.max(1, s.value * scale);
        const rect = html`<rect class="${s.className}" x="${x.toFixed(1)}" y="${y}" width="${width.toFixed(1)}" height="${BAR}"
          ><title>${s.name}: ${n(s.value)}</title></rect
        >`;
        x += width;
        return rect;
      });
    return html`<g
      ><text x="${LABEL_WIDTH - 6}" y="${y + BAR - 3}" text-anchor="end"><title>${bar.title ?? bar.label}</title>${shorten(bar.label)}</text>${rects}<text
        class="value"
        x="${(x + 5).toFixed(1)}"
        y="${y + BAR - 3}"
        >${n(total(bar))}</text
      ></g
    >`;
  });
  return html`<figure>
    <figcaption>${caption}</figcaption>
    <svg class="chart" viewBox="0 0 ${WIDTH} ${height}" role="img" aria-label="${caption}">
      ${bars.length === 0 ? html`<text x="0" y="14">nothing to show</text>` : rows}
    </svg>
    ${
      legend.length === 0
        ? ''
        : html`<div class="legend">
            ${legend.map(
              (l) =>
                html`<span
                  ><svg class="swatch" width="11" height="11" viewBox="0 0 11 11" aria-hidden="true">
                    <rect class="${l.className}" width="11" height="11" rx="2" /></svg
                  >${l.name}</span
                >`,
            )}
          </div>`
    }
  </figure>`;
}

function total(bar: Bar): number {
  return bar.segments.reduce((sum, s) => sum + s.value, 0);
}
