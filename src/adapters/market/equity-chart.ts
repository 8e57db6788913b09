// A backtest's equity and drawdown as one self-contained HTML page (npm run backtest -- --chart
// out.html): two inline SVG panels on a shared UTC time axis, no script, no network (no CDN; it
// opens from a file, an e-mail or an artefact store alike). Long runs are reduced to at most
// MAX_POINTS columns: each keeps its last NAV and its deepest drawdown, so the worst point survives.

import { InvalidArgumentError } from '../../domain/errors.ts';

/** One NAV sample: close time of the bar (ms since the epoch) and the NAV then (USD). */
export interface EquityPoint {
  timeMs: number;
  navUsd: number;
}

/** What the page says above the chart. */
export interface ChartCaption {
  runId: string;
  totalReturn: number;
  maxDrawdown: number;
}

/** Columns drawn at most (a 30-day run has 43,200 one-minute bars). */
export const MAX_POINTS = 1_200;

const W = 960;
const PAD = { left: 84, right: 40, top: 14 };
const EQUITY_H = 300;
const DRAWDOWN_H = 170;

/** Each point's drawdown from the running peak (a fraction ≥ 0). */
export function drawdowns(points: readonly EquityPoint[]): number[] {
  let peak = -Infinity;
  return points.map((p) => {
    peak = Math.max(peak, p.navUsd);
    return peak > 0 ? (peak - p.navUsd) / peak : 0;
  });
}

/** At most `max` columns: per column its last time and NAV and its deepest drawdown. */
export function reduce(points: readonly EquityPoint[], max = MAX_POINTS) {
  const dd = drawdowns(points);
  const size = Math.max(1, Math.ceil(points.length / max));
  const out: { timeMs: number; navUsd: number; drawdown: number }[] = [];
  for (let i = 0; i < points.length; i += size) {
    const end = Math.min(points.length, i + size);
    let deepest = 0;
    for (let j = i; j < end; j++) deepest = Math.max(deepest, dd[j]!);
    out.push({ ...points[end - 1]!, drawdown: deepest });
  }
  return out;
}

/** About `count` round tick values covering [lo, hi] (1, 2, 2.5 or 5 × a power of ten apart). */
export function ticks(lo: number, hi: number, count = 5): number[] {
  if (!(hi > lo)) return [lo];
  const raw = (hi - lo) / count;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * mag).find((s) => s >= raw)!;
  const out: number[] = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step)
    out.push(Number(v.toPrecision(12)));
  return out;
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** Time ticks on whole UTC hours or days, labelled by what the span needs. */
function timeTicks(from: number, to: number): { timeMs: number; label: string }[] {
  const span = to - from;
  const steps = [HOUR, 3 * HOUR, 6 * HOUR, 12 * HOUR, DAY, 2 * DAY, 7 * DAY, 14 * DAY, 30 * DAY];
  const step = steps.find((s) => span / s <= 8) ?? Math.ceil(span / 8 / DAY) * DAY;
  const iso = (t: number) => new Date(t).toISOString();
  const label = (t: number) =>
    step < DAY ? `${iso(t).slice(5, 10)} ${iso(t).slice(11, 16)}` : iso(t).slice(0, 10);
  const out = [];
  for (let t = Math.ceil(from / step) * step; t <= to; t += step)
    out.push({ timeMs: t, label: label(t) });
  return out;
}

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const pct = (x: number, digits = 2) => `${(x * 100).toFixed(digits)} %`;
const usd = (x: number) => x.toLocaleString('en-US', { maximumFractionDigits: 0 });

interface Panel {
  top: number;
  height: number;
  lo: number;
  hi: number;
  yLabel: (v: number) => string;
}

/** One panel's frame: horizontal grid lines with their labels, and the shared time grid. */
function frame(p: Panel, x: (t: number) => number, times: ReturnType<typeof timeTicks>) {
  const y = (v: number) => p.top + p.height - ((v - p.lo) / (p.hi - p.lo || 1)) * p.height;
  const parts = ticks(p.lo, p.hi).map(
    (v) =>
      `<line class="grid" x1="${PAD.left}" x2="${W - PAD.right}" y1="${y(v).toFixed(1)}" y2="${y(v).toFixed(1)}"/>` +
      `<text class="y" x="${PAD.left - 6}" y="${(y(v) + 4).toFixed(1)}">${esc(p.yLabel(v))}</text>`,
  );
  for (const t of times)
    parts.push(
      `<line class="grid" x1="${x(t.timeMs).toFixed(1)}" x2="${x(t.timeMs).toFixed(1)}" y1="${p.top}" y2="${p.top + p.height}"/>`,
    );
  parts.push(
    `<rect class="box" x="${PAD.left}" y="${p.top}" width="${W - PAD.left - PAD.right}" height="${p.height}"/>`,
  );
  return { svg: parts.join(''), y };
}

/** The page: a caption, the equity panel (USD) and the drawdown panel (%, downwards), a UTC time axis. Throws InvalidArgumentError for an empty series. */
export function equityChartHtml(points: readonly EquityPoint[], caption: ChartCaption): string {
  const cols = reduce(points);
  if (cols.length === 0) throw new InvalidArgumentError('equity chart: no points');
  const from = points[0]!.timeMs;
  const to = Math.max(points.at(-1)!.timeMs, from + 1);
  const x = (t: number) => PAD.left + ((t - from) / (to - from)) * (W - PAD.left - PAD.right);
  const times = timeTicks(from, to);
  const navs = cols.map((c) => c.navUsd);
  const [lo, hi] = [Math.min(...navs), Math.max(...navs)];
  const margin = (hi - lo) * 0.05 || Math.abs(hi) * 0.01 || 1;
  const eq = frame(
    { top: PAD.top, height: EQUITY_H, lo: lo - margin, hi: hi + margin, yLabel: usd },
    x,
    times,
  );
  const ddTop = PAD.top + EQUITY_H + 24;
  const deepest = Math.max(...cols.map((c) => c.drawdown), 0.0001);
  const dd = frame(
    { top: ddTop, height: DRAWDOWN_H, lo: -deepest * 1.1, hi: 0, yLabel: (v) => pct(v, 1) },
    x,
    times,
  );
  const line = cols.map((c) => `${x(c.timeMs).toFixed(1)},${eq.y(c.navUsd).toFixed(1)}`).join(' ');
  const area = [
    `${x(from).toFixed(1)},${dd.y(0).toFixed(1)}`,
    ...cols.map((c) => `${x(c.timeMs).toFixed(1)},${dd.y(-c.drawdown).toFixed(1)}`),
    `${x(cols.at(-1)!.timeMs).toFixed(1)},${dd.y(0).toFixed(1)}`,
  ].join(' ');
  const axisY = ddTop + DRAWDOWN_H + 18;
  const labels = times
    .map((t) => `<text class="x" x="${x(t.timeMs).toFixed(1)}" y="${axisY}">${esc(t.label)}</text>`)
    .join('');
  const height = axisY + 8;
  const title = `Backtest ${caption.runId}: return ${pct(caption.totalReturn)}, max drawdown ${pct(caption.maxDrawdown)}`;
  return page(
    title,
    {
      height,
      body: `${eq.svg}${dd.svg}<polyline class="equity" points="${line}"/><polygon class="drawdown" points="${area}"/>${labels}`,
    },
    points.length,
    cols.length,
  );
}

function page(title: string, svg: { height: number; body: string }, bars: number, columns: number) {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)}</title>
<style>
body{font:14px system-ui,sans-serif;margin:16px;color:#1b1f24;background:#fff}
h1{font-size:16px;font-weight:600;margin:0 0 4px}p{margin:0 0 12px;color:#57606a}
svg{width:100%;max-width:${W}px;height:auto;display:block}
.grid{stroke:#d8dee4;stroke-width:1}.box{fill:none;stroke:#8c959f;stroke-width:1}
.equity{fill:none;stroke:#0969da;stroke-width:1.5}.drawdown{fill:#cf222e;fill-opacity:.35;stroke:#cf222e;stroke-width:1}
text{font-size:11px;fill:#57606a}.y{text-anchor:end}.x{text-anchor:middle}
</style></head><body>
<h1>${esc(title)}</h1>
<p>Equity (NAV, USD) above, drawdown from the running peak below; time in UTC. ${bars} NAV samples (the start and every bar)${columns < bars ? `, drawn as ${columns} columns (last NAV and deepest drawdown of each)` : ''}.</p>
<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${svg.height}" role="img" aria-label="${esc(title)}">${svg.body}</svg>
</body></html>
`;
}
