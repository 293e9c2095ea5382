import { escapeHtml } from '../escape-html';

export interface Bar {
  label: string;
  value: number;
}

const ROW_HEIGHT = 24;
const LABEL_WIDTH = 130;
const BAR_WIDTH = 150;
const VALUE_WIDTH = 80;

/**
 * A horizontal bar chart as inline SVG: drawn on the server, so it needs no script and passes the page's CSP
 * (presentation attributes, no style attributes). It scales to the width it is given.
 */
export function barChart(title: string, bars: Bar[], format: (value: number) => string): string {
  if (bars.length === 0) return `<p class="muted">${escapeHtml(title)}: nothing yet.</p>`;
  const max = Math.max(...bars.map((bar) => bar.value), Number.MIN_VALUE);
  const width = LABEL_WIDTH + BAR_WIDTH + VALUE_WIDTH;
  const height = bars.length * ROW_HEIGHT;
  const rows = bars
    .map((bar, i) => {
      const y = i * ROW_HEIGHT;
      const length = Math.max(bar.value > 0 ? 1 : 0, Math.round((bar.value / max) * BAR_WIDTH));
      return (
        `<text x="0" y="${y + 17}">${escapeHtml(bar.label.length > 16 ? `${bar.label.slice(0, 15)}…` : bar.label)}</text>` +
        `<rect x="${LABEL_WIDTH}" y="${y + 4}" width="${length}" height="${ROW_HEIGHT - 8}"><title>${escapeHtml(`${bar.label}: ${format(bar.value)}`)}</title></rect>` +
        `<text x="${LABEL_WIDTH + BAR_WIDTH + 6}" y="${y + 17}">${escapeHtml(format(bar.value))}</text>`
      );
    })
    .join('');
  return `<figure><figcaption>${escapeHtml(title)}</figcaption><svg class="chart" role="img" aria-label="${escapeHtml(title)}" viewBox="0 0 ${width} ${height}" width="100%" preserveAspectRatio="xMinYMin meet">${rows}</svg></figure>`;
}
