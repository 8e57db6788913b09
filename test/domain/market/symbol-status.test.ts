// What a symbol's status lets through, and the delisted wind-down: the loop's stop-loss still
// closes a position on a settling symbol (a closing order passes, an opening one does not), none
// on a CLOSE symbol; AIS_DELISTED_POLICY=close flattens a held position on every read until it is
// flat, `hold` never.
import { describe, expect, it } from 'bun:test';
import { paperSymbolRules } from '../../../src/adapters/exchange/paper/symbol-table.ts';
import { takesClosingOrders } from '../../../src/domain/market/symbol-status.ts';
import {
  createSymbolStatusWatch,
  delistedWindDown,
} from '../../../src/domain/market/symbol-status-watch.ts';
import { applyFill, createPortfolio, markPrice } from '../../../src/domain/portfolio/portfolio.ts';
import { planStopLosses } from '../../../src/domain/trading/plan-cycle.ts';
import { fitOrder } from '../../../src/domain/trading/sizing.ts';

const rulesWith = (status: string) =>
  new Map([['BTCUSDT', { ...paperSymbolRules('BTCUSDT'), status }]]);
const silent = { info() {}, warn() {}, error() {}, debug() {} };

describe('symbol status', () => {
  it('takes closing orders while TRADING, PRE_SETTLE or SETTLING; none when CLOSE or PENDING_TRADING', () => {
    expect(['TRADING', 'PRE_SETTLE', 'SETTLING'].map(takesClosingOrders)).toEqual([
      true,
      true,
      true,
    ]);
    expect(['CLOSE', 'PENDING_TRADING', 'BREAK'].map(takesClosingOrders)).toEqual([
      false,
      false,
      false,
    ]);
  });

  it("fits a reduce-only order to a settling symbol's rules, never an opening one", () => {
    const settling = rulesWith('SETTLING').get('BTCUSDT');
    expect(fitOrder(settling, 'BTCUSDT', 'SELL', 0.01, 60_000, true)).toEqual({
      quantity: 0.01,
      price: 60_000,
    });
    expect(fitOrder(settling, 'BTCUSDT', 'BUY', 0.01, 60_000)).toMatchObject({
      skipped: 'symbol_not_trading',
    });
  });

  it("plans the loop's stop-loss close on a settling symbol, and none on a CLOSE one", () => {
    const book = markPrice(
      applyFill(createPortfolio(10_000), {
        symbol: 'BTCUSDT',
        side: 'BUY',
        quantity: 0.01,
        price: 60_000,
      }),
      'BTCUSDT',
      50_000,
    );
    const ids = { prefix: 't', firstSeq: 0 };
    const settling = planStopLosses(book, 0.05, rulesWith('SETTLING'), ids);
    expect(settling.orders).toMatchObject([
      { symbol: 'BTCUSDT', side: 'SELL', quantity: 0.01, reduceOnly: true },
    ]);
    const closed = planStopLosses(book, 0.05, rulesWith('CLOSE'), ids);
    expect([closed.orders, closed.skipped.map((s) => s.order.skipped)]).toEqual([
      [],
      ['symbol_not_trading'],
    ]);
  });
});

describe('delisted wind-down', () => {
  const watchWith = (policy: 'hold' | 'close', quantity: { q: number }) => {
    const flattened: string[] = [];
    const trading: [string, boolean][] = [];
    const watch = createSymbolStatusWatch({
      holds: { hold: async () => {}, clear: async () => true, all: () => ({}) },
      alerts: { raise: async () => {} },
      log: silent,
      metrics: { symbolTrading: (s, t) => void trading.push([s, t]) },
      windDown: delistedWindDown(policy, {
        flatten: async (reason, symbol) => {
          flattened.push(`${symbol}: ${reason}`);
          quantity.q = 0;
        },
        quantity: () => quantity.q,
      }),
    });
    return { watch, flattened, trading };
  };

  it('close: flattens a settling symbol held in the book, on each read until it is flat', async () => {
    const q = { q: 0.01 };
    const { watch, flattened, trading } = watchWith('close', q);
    await watch.apply(rulesWith('TRADING'), ['BTCUSDT']);
    expect(flattened).toEqual([]);
    await watch.apply(rulesWith('SETTLING'), ['BTCUSDT']);
    expect(flattened).toEqual(['BTCUSDT: BTCUSDT is SETTLING: AIS_DELISTED_POLICY=close']);
    // A position that came back (or a close that failed) is closed on the next read.
    q.q = -0.02;
    await watch.apply(rulesWith('SETTLING'), ['BTCUSDT']);
    await watch.apply(rulesWith('SETTLING'), ['BTCUSDT']);
    expect(flattened).toHaveLength(2);
    // CLOSE: the exchange takes no order; nothing is sent.
    q.q = 0.01;
    await watch.apply(rulesWith('CLOSE'), ['BTCUSDT']);
    expect(flattened).toHaveLength(2);
    expect(trading.map(([, t]) => t)).toEqual([true, false, false, false, false]);
  });

  it('hold: never closes', async () => {
    const { watch, flattened } = watchWith('hold', { q: 0.01 });
    await watch.apply(rulesWith('SETTLING'), ['BTCUSDT']);
    await watch.apply(rulesWith('SETTLING'), ['BTCUSDT']);
    expect(flattened).toEqual([]);
  });
});
