// The exchange contract against the paper exchange, fed by a market whose price the test sets:
// each mark extends the current one-minute candle, as a live mark-price feed would.
import {
  createPaperExchange,
  type MarketFeed,
} from '../../src/adapters/exchange/paper/paper-exchange.ts';
import type { Candle } from '../../src/ports/exchange.ts';
import { exchangeContract } from './exchange.contract.ts';

function settableMarket(nowMs: () => number) {
  const prices = new Map<string, number>();
  const bars = new Map<string, Candle[]>();
  const feed: MarketFeed & { set(symbol: string, price: number): void } = {
    get symbols() {
      return [...prices.keys()];
    },
    price: (symbol) => prices.get(symbol),
    candles: (symbol, limit) => (bars.get(symbol) ?? []).slice(-limit).map((c) => ({ ...c })),
    set(symbol, price) {
      prices.set(symbol, price);
      const minute = Math.floor(nowMs() / 60_000) * 60_000;
      const list = bars.get(symbol) ?? [];
      bars.set(symbol, list);
      const last = list.at(-1);
      if (last?.openTimeMs === minute)
        Object.assign(last, {
          high: Math.max(last.high, price),
          low: Math.min(last.low, price),
          close: price,
        });
      else {
        const open = last?.close ?? price;
        list.push({
          openTimeMs: minute,
          open,
          high: Math.max(open, price),
          low: Math.min(open, price),
          close: price,
          volume: 0,
          closeTimeMs: minute + 59_999,
        });
      }
    },
  };
  return feed;
}

exchangeContract('paper', async () => {
  const market = settableMarket(Date.now);
  const exchange = createPaperExchange({ market, initialBalanceUsd: 10_000, nowMs: Date.now });
  return {
    exchange,
    setMark: (symbol, price) => {
      market.set(symbol, price);
      exchange.onBar(); // resting limit orders see the new bar, as in the trading loop
    },
    close: async () => {},
  };
});
