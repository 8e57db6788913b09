// Reads each symbol's trades since a point in time, page by page (deduplicated by trade id), a few
// symbols at a time. A symbol whose trades cannot be read becomes an ERROR result, not a failed run.
import type { Exchange, ExchangeTrade } from '../../ports/exchange.ts';
import type { LogPort } from '../../ports/log.ts';
import type { CheckResult } from './report.ts';

/** Aster's (and Binance's) largest userTrades page. */
const TRADE_PAGE_SIZE = 1000;
/** At most this many pages per symbol and run (100,000 trades), so a run always ends. */
const MAX_TRADE_PAGES = 100;
/** Symbols whose trades are read at the same time (the exchange adapter's limiter paces them too). */
const TRADE_CONCURRENCY = 4;

type TradeSource = Pick<Exchange, 'userTrades'>;

/** A failure as a short reason: the error's name (an ExchangeError's kind) and message. */
type Describe = (e: unknown) => string;

async function readTrades(
  exchange: TradeSource,
  symbol: string,
  sinceMs: number,
  log: LogPort,
): Promise<ExchangeTrade[]> {
  const out: ExchangeTrade[] = [];
  const seen = new Set<string>();
  let from = sinceMs;
  for (let page = 0; page < MAX_TRADE_PAGES; page++) {
    const batch = await exchange.userTrades(symbol, from, TRADE_PAGE_SIZE);
    let added = 0;
    for (const t of batch) {
      if (seen.has(t.id)) continue;
      seen.add(t.id);
      out.push(t);
      added++;
    }
    if (batch.length < TRADE_PAGE_SIZE || added === 0) return out;
    // The next page starts at the last trade's time: trades sharing that millisecond are deduplicated above.
    from = batch[batch.length - 1]!.timeMs;
  }
  log.warn(
    { symbol, trades: out.length },
    'Reconciliation read the most trades it reads per run; the rest waits for the next run',
  );
  return out;
}

/** Every symbol's trades from `sinceFor(symbol)`; `done` lists the symbols read in full. */
export async function readAllTrades(
  exchange: TradeSource,
  symbols: readonly string[],
  sinceFor: (symbol: string) => number,
  log: LogPort,
  describe: Describe,
) {
  const trades: ExchangeTrade[] = [];
  const errors: CheckResult[] = [];
  const done: string[] = [];
  let next = 0;
  const worker = async () => {
    while (next < symbols.length) {
      const symbol = symbols[next++]!;
      try {
        for (const t of await readTrades(exchange, symbol, sinceFor(symbol), log)) trades.push(t);
        done.push(symbol);
      } catch (e) {
        const message = `${symbol}: trades not read: ${describe(e)}`;
        errors.push({
          checkType: 'unauthorized_trade',
          symbol,
          status: 'ERROR',
          internalValue: null,
          exchangeValue: null,
          message,
        });
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(TRADE_CONCURRENCY, symbols.length) }, worker));
  return { trades, errors, done };
}
