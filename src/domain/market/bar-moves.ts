// The largest close-to-close move of one symbol in one bar: what a drawdown limit cannot stop
// (a trip acts at the next bar), the margin by which a flattening backtest may pass its limit.

/** The largest close-to-close move of one symbol in one bar so far, a fraction; `update` after each bar. */
export function trackBarMoves(
  market: { price(symbol: string): number | undefined },
  symbols: readonly string[],
) {
  let prices = symbols.map((s) => market.price(s));
  let largest = 0;
  return {
    update() {
      const next = symbols.map((s) => market.price(s));
      next.forEach((b, k) => {
        const a = prices[k];
        if (a && b) largest = Math.max(largest, Math.abs(b / a - 1));
      });
      prices = next;
    },
    largest: () => largest,
  };
}
