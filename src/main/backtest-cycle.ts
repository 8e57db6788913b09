// What a backtest cycle shares with the live loop: the pre-cycle (the bar's fills booked before
// each cycle: resting orders, protective stops, liquidations) and the drawdown action; and the
// largest one-bar move of the data, against which the drawdown bound is read.
import type { Logger } from '../adapters/logging/logger.ts';
import type { Config } from '../config/config.ts';
import { actOnDrawdownTrip } from '../domain/trading/drawdown-action.ts';
import type { LiquidatingExchange } from '../domain/trading/paper-liquidations.ts';
import { createPreCycle, syncStopsLogged } from '../domain/trading/pre-cycle.ts';
import type { TradingDeps } from './build-trading.ts';

/** What the cycle parts act on. */
interface CycleInput {
  config: Readonly<Config>;
  trading: Pick<TradingDeps, 'executor' | 'inFlight' | 'stops' | 'protection'>;
  control: Parameters<typeof actOnDrawdownTrip>[0];
  market: { advanceTo(nowMs: number): number };
  exchange: LiquidatingExchange & { onBar(): readonly unknown[] };
  logger: Logger;
  nowMs: () => number;
}

/**
 * The live loop's pre-cycle over the paper venue, with the liquidations it books counted, and the
 * drawdown action subscribed to the kill switch (`settled` after each cycle: the run waits for it).
 */
export function liveCycleParts(o: CycleInput) {
  const liquidations = { count: 0 };
  const beforeCycle = createPreCycle({
    paper: {
      market: o.market,
      exchange: {
        onBar: () => o.exchange.onBar(),
        takeLiquidations: () => {
          const orders = o.exchange.takeLiquidations();
          liquidations.count += orders.length;
          return orders;
        },
      },
    },
    executor: o.trading.executor,
    inFlight: o.trading.inFlight,
    syncStops: o.trading.stops && (() => syncStopsLogged(o.trading.stops!, o.logger)),
    log: o.logger,
    nowMs: o.nowMs,
  });
  const drawdownAction = actOnDrawdownTrip(
    o.control,
    o.config.drawdownAction,
    o.trading.protection,
    o.logger,
  );
  return { beforeCycle, drawdownAction, liquidations };
}

/** The largest close-to-close move of one symbol in one bar so far, a fraction; `update` after each bar. */
export function barMoves(
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
