import { describe, expect, it } from 'bun:test';
import { paperSymbolRules } from '../../../src/adapters/exchange/paper/symbol-table.ts';
import type { SymbolRules } from '../../../src/domain/market/symbol-rules.ts';
import {
  applyFill,
  createPortfolio,
  markPrice,
  type Portfolio,
} from '../../../src/domain/portfolio/portfolio.ts';
import { type Bars, type Signal, signalPayload } from '../../../src/domain/trading/agents/agent.ts';
import {
  type CycleInput,
  planCycle,
  planStopLosses,
  snapshotEvent,
} from '../../../src/domain/trading/plan-cycle.ts';

const NOW = 1_700_000_000_000;
const RULES: ReadonlyMap<string, SymbolRules> = new Map([
  ['BTCUSDT', paperSymbolRules('BTCUSDT')],
  ['ETHUSDT', paperSymbolRules('ETHUSDT')],
]);
const ids = { prefix: 'w', firstSeq: 10 };

const signal = (s: Partial<Signal> = {}): Signal => ({
  agentId: 'momentum',
  symbol: 'BTCUSDT',
  direction: 'LONG',
  confidence: 1,
  sizeHint: 0.04,
  rationale: 'test',
  timeMs: NOW,
  ...s,
});
const bars = (symbol: string, close: number): Bars => ({
  symbol,
  closes: [close],
  highs: [close],
  lows: [close],
  nowMs: NOW,
});
/** 100,000 USD, holding `quantity` of `symbol` bought at `entry` and marked at `mark`. */
const holding = (symbol: string, quantity: number, entry: number, mark: number): Portfolio =>
  markPrice(
    applyFill(createPortfolio(100_000), {
      symbol,
      side: quantity > 0 ? 'BUY' : 'SELL',
      quantity: Math.abs(quantity),
      price: entry,
    }),
    symbol,
    mark,
  );

const input = (i: Partial<CycleInput> = {}): CycleInput => ({
  cycle: 2,
  bars: [],
  marks: new Map([['BTCUSDT', 50_000]]),
  portfolio: createPortfolio(100_000),
  signals: [signal()],
  symbolRules: RULES,
  orderIds: ids,
  snapshotEvery: 10,
  ...i,
});

describe('planStopLosses', () => {
  it('closes a long whose loss reached the stop whole, reduce-only, at the mark, with the next order id', () => {
    const plan = planStopLosses(holding('BTCUSDT', 0.1, 50_000, 48_000), 0.03, RULES, ids);
    expect(plan.orders).toEqual([
      {
        orderId: 'w-a',
        symbol: 'BTCUSDT',
        side: 'SELL',
        quantity: 0.1,
        price: 48_000,
        agentId: 'stop_loss',
        reduceOnly: true,
      },
    ]);
    expect(plan.stopped).toEqual([{ symbol: 'BTCUSDT', loss: 0.04 }]);
    expect(plan.skipped).toEqual([]);
  });

  it('closes a short by buying it back', () => {
    expect(
      planStopLosses(holding('ETHUSDT', -2, 2_000, 2_100), 0.03, RULES, ids).orders,
    ).toMatchObject([{ symbol: 'ETHUSDT', side: 'BUY', quantity: 2 }]);
  });

  it('leaves a position inside its stop, and every position when the stop is off', () => {
    expect(
      planStopLosses(holding('BTCUSDT', 0.1, 50_000, 48_600), 0.03, RULES, ids).orders,
    ).toEqual([]);
    expect(planStopLosses(holding('BTCUSDT', 0.1, 50_000, 10_000), 0, RULES, ids).orders).toEqual(
      [],
    );
  });

  it('does not send a close the exchange would refuse, and says why', () => {
    const plan = planStopLosses(holding('XYZUSDT', 5, 10, 9), 0.03, RULES, ids);
    expect(plan.orders).toEqual([]);
    expect(plan.stopped).toEqual([{ symbol: 'XYZUSDT', loss: expect.closeTo(0.1, 12) }]);
    expect(plan.skipped).toEqual([
      {
        order: expect.objectContaining({ skipped: 'symbol_unknown', symbol: 'XYZUSDT' }),
        agentId: 'stop_loss',
      },
    ]);
  });
});

describe('planCycle', () => {
  it('buys the selected symbol up to its target weight of NAV at the mark', () => {
    // 1 x 0.04 of 100,000 USD at 50,000 USD = 0.08 BTC.
    const plan = planCycle(input(), NOW);
    expect(plan.orders).toEqual([
      {
        orderId: 'w-a',
        symbol: 'BTCUSDT',
        side: 'BUY',
        quantity: 0.08,
        price: 50_000,
        agentId: 'momentum',
      },
    ]);
    expect(plan.selection).toMatchObject({ symbol: 'BTCUSDT', direction: 'LONG', confidence: 1 });
    expect(plan.skipped).toEqual([]);
  });

  it('sizes from the position the book holds, so only the difference is bought', () => {
    const plan = planCycle(input({ portfolio: holding('BTCUSDT', 0.05, 50_000, 50_000) }), NOW);
    expect(plan.orders).toMatchObject([{ side: 'BUY', quantity: 0.03 }]);
  });

  it('prices at the newest close when the mark could not be read', () => {
    // 4,000 USD at 40,000 USD = 0.1 BTC.
    expect(
      planCycle(input({ marks: new Map(), bars: [bars('BTCUSDT', 40_000)] }), NOW).orders,
    ).toMatchObject([{ quantity: 0.1, price: 40_000 }]);
  });

  it('orders nothing without a price, or when opposing votes cancel', () => {
    expect(planCycle(input({ marks: new Map() }), NOW).orders).toEqual([]);
    const split = planCycle(
      input({ signals: [signal(), signal({ agentId: 'reversion', direction: 'SHORT' })] }),
      NOW,
    );
    expect(split.orders).toEqual([]);
    expect(split.record).toMatchObject({ selected: null, order: null });
  });

  it('returns an order the exchange would refuse as skipped, with its agent', () => {
    // 0.0003 of 100,000 USD is 30 USD: 0.0006 BTC, under the 0.001 minimum quantity.
    const plan = planCycle(
      input({ signals: [signal({ sizeHint: 0.0003, agentId: 'drill' })] }),
      NOW,
    );
    expect(plan.orders).toEqual([]);
    expect(plan.skipped).toEqual([
      { order: expect.objectContaining({ skipped: 'min_qty', bound: 0.001 }), agentId: 'drill' },
    ]);
    expect(plan.record?.order).toBeNull();
  });

  it('stores every signal as an event at the plan time and writes the plan part of the trail line', () => {
    const signals = [
      signal(),
      signal({ agentId: 'breakout', symbol: 'ETHUSDT', direction: 'FLAT', confidence: 0 }),
    ];
    const plan = planCycle(input({ signals }), NOW);
    expect(plan.events).toEqual(
      signals.map((s) => ({
        type: 'signal',
        stream: s.symbol,
        payload: signalPayload(s),
        timeMs: NOW,
      })),
    );
    expect(plan.record).toEqual({
      cycle: 2,
      signals: [
        {
          agent_id: 'momentum',
          symbol: 'BTCUSDT',
          direction: 'LONG',
          confidence: 1,
          size_hint: 0.04,
        },
        {
          agent_id: 'breakout',
          symbol: 'ETHUSDT',
          direction: 'FLAT',
          confidence: 0,
          size_hint: 0.04,
        },
      ],
      selected: { symbol: 'BTCUSDT', direction: 'LONG', confidence: 1, size_hint: 0.04 },
      order: { order_id: 'w-a', symbol: 'BTCUSDT', side: 'BUY', quantity: 0.08, price: 50_000 },
    });
  });

  it('has no trail line and no events in a cycle without signals', () => {
    const plan = planCycle(input({ signals: [] }), NOW);
    expect(plan).toMatchObject({ orders: [], events: [], selection: undefined, record: undefined });
  });

  it('asks for a portfolio snapshot in the first cycle and every snapshotEvery cycles after', () => {
    const due = [1, 2, 10, 11, 21].filter((cycle) => planCycle(input({ cycle }), NOW).snapshotDue);
    expect(due).toEqual([1, 11, 21]);
    expect(planCycle(input({ cycle: 7, snapshotEvery: 1 }), NOW).snapshotDue).toBe(true);
  });
});

describe('snapshotEvent', () => {
  it('carries what a restart rebuilds the book from, beside the figures', () => {
    const book = holding('BTCUSDT', 0.1, 50_000, 51_000);
    expect(snapshotEvent(3, book, NOW)).toEqual({
      type: 'portfolio',
      timeMs: NOW,
      payload: expect.objectContaining({
        cycle: 3,
        nav_usd: 100_100,
        cash_usd: 100_000,
        peak_nav_usd: 100_100,
        positions: {
          BTCUSDT: {
            symbol: 'BTCUSDT',
            quantity: 0.1,
            avg_entry_price: 50_000,
            mark_price: 51_000,
          },
        },
      }),
    });
  });
});
