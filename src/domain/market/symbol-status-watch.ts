// A traded symbol whose status is not TRADING (Aster exchangeInfo: PENDING_TRADING, BREAK,
// SETTLING, CLOSE, DELIVERING, ...), at start-up or later: that symbol alone trades REDUCING (a
// `delisted` symbol hold), the others go on, and an alert says so; back to TRADING, the hold is
// lifted. Wind-down (AIS_DELISTED_POLICY): `hold` closes nothing by force: the position keeps its
// protective stop on the exchange, the loop's stop-loss and the kill switch's flatten still close
// it while the exchange takes closing orders (symbol-status.ts), and every other order is kept
// back; `close` also closes it (`windDown`) on every read while the status takes closing orders,
// so a close that failed is tried again on the next read. Each traded symbol's status is a gauge.
import type { AlertSink } from '../../ports/alerts.ts';
import type { LogPort } from '../../ports/log.ts';
import type { Metrics } from '../../ports/metrics.ts';
import type { SymbolHoldService } from '../risk/symbol-hold-service.ts';
import type { SymbolRules } from './symbol-rules.ts';
import { takesClosingOrders } from './symbol-status.ts';

export interface SymbolStatusWatch {
  /** Applies the statuses of a fresh exchangeInfo read to the traded `symbols`. */
  apply(rules: ReadonlyMap<string, SymbolRules>, symbols: readonly string[]): Promise<void>;
}

export function createSymbolStatusWatch(o: {
  holds: Pick<SymbolHoldService, 'hold' | 'clear' | 'all'>;
  alerts: Pick<AlertSink, 'raise'>;
  log: LogPort;
  /** ais_symbol_trading{symbol}: 1 TRADING, 0 not. */
  metrics?: Pick<Metrics, 'symbolTrading'>;
  /** AIS_DELISTED_POLICY=close: closes the symbol's position (reduce-only); never rejects. */
  windDown?: (symbol: string, status: string) => Promise<unknown>;
}): SymbolStatusWatch {
  /** The status each traded symbol was last seen in (undefined before the first read). */
  const seen = new Map<string, string>();

  async function stopped(symbol: string, status: string) {
    await o.holds.hold(symbol, {
      state: 'REDUCING',
      cause: 'delisted',
      reason: `status ${status}, not TRADING: positions kept protected, nothing added`,
      by: 'exchange',
    });
    await o.alerts
      .raise({
        name: 'SymbolNotTrading',
        severity: 'warning',
        summary: `${symbol} is ${status}, not TRADING: it trades REDUCING, the other symbols go on`,
        description:
          'The exchange takes no new exposure on it (a delisting, a settlement, a break). Its position keeps its protective stop; the stop-loss and the kill switch flatten still close it. Remove it from AIS_SYMBOLS once its position is closed.',
        labels: { component: 'exchange', symbol },
      })
      .catch((e: unknown) => o.log.error({ err: e }, 'Symbol status alert not raised'));
  }

  return {
    async apply(rules, symbols) {
      for (const symbol of symbols) {
        const status = rules.get(symbol)?.status;
        if (status === undefined) continue; // not listed: the start-up check refuses it
        const before = seen.get(symbol);
        seen.set(symbol, status);
        o.metrics?.symbolTrading(symbol, status === 'TRADING');
        if (status === before) {
          // Not on the first sight only: a close that failed is tried again on the next read.
          if (status !== 'TRADING' && o.windDown && takesClosingOrders(status))
            await o.windDown(symbol, status);
          continue;
        }
        if (status !== 'TRADING') {
          await stopped(symbol, status);
          if (o.windDown && takesClosingOrders(status)) await o.windDown(symbol, status);
        } else if (o.holds.all()[symbol]?.cause === 'delisted') {
          await o.holds.clear(symbol, 'exchange', 'TRADING again');
          o.log.info({ symbol }, 'Symbol TRADING again: its hold is lifted');
        }
      }
    },
  };
}

/**
 * The wind-down AIS_DELISTED_POLICY asks for: `close` closes the symbol's position through the
 * flatten (reduce-only market order, the closing rule) while the book holds one; `hold`: none.
 */
export function delistedWindDown(
  policy: 'hold' | 'close',
  o: {
    flatten: (reason: string, symbol: string) => Promise<unknown>;
    /** The book's signed position on the symbol. */
    quantity: (symbol: string) => number;
  },
): ((symbol: string, status: string) => Promise<unknown>) | undefined {
  if (policy !== 'close') return undefined;
  return async (symbol, status) => {
    if (o.quantity(symbol) === 0) return;
    await o.flatten(`${symbol} is ${status}: AIS_DELISTED_POLICY=close`, symbol);
  };
}
