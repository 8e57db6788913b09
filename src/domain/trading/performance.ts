// Backtest statistics from a NAV series sampled once per bar. Pure.

export interface Performance {
  /** Final NAV over the first, minus one. */
  totalReturn: number;
  /** Largest fall from a running peak, a fraction. */
  maxDrawdown: number;
  /** Annualised Sharpe ratio of per-bar returns (risk-free rate 0); 0 when returns do not vary. */
  sharpe: number;
}

export function performance(navs: readonly number[], barsPerYear: number): Performance {
  if (navs.length < 2) return { totalReturn: 0, maxDrawdown: 0, sharpe: 0 };
  let peak = navs[0]!;
  let maxDrawdown = 0;
  let sum = 0;
  let sumSq = 0;
  for (let i = 1; i < navs.length; i++) {
    const nav = navs[i]!;
    if (nav > peak) peak = nav;
    maxDrawdown = Math.max(maxDrawdown, (peak - nav) / peak);
    const r = nav / navs[i - 1]! - 1;
    sum += r;
    sumSq += r * r;
  }
  const n = navs.length - 1;
  const mean = sum / n;
  const sd = Math.sqrt(Math.max(0, sumSq / n - mean * mean));
  return {
    totalReturn: navs[navs.length - 1]! / navs[0]! - 1,
    maxDrawdown,
    sharpe: sd > 1e-15 ? (mean / sd) * Math.sqrt(barsPerYear) : 0,
  };
}
