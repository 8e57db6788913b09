// The risk engine over both cores (WASM and the TypeScript reference): every guard passes and fails,
// REDUCING lets only reducing orders through, and bad numbers are rejected.
import type { OrderIntent } from '../../../src/domain/order-intent.ts';
import { describe, expect, it } from 'bun:test';
import {
  PAPER_LISTED_SYMBOLS,
  paperSymbolRules,
} from '../../../src/adapters/exchange/paper/symbol-table.ts';
import { loadWasmCore } from '../../../src/adapters/wasm/load.ts';
import {
  applyFill,
  createPortfolio,
  markPrice,
  type Portfolio,
} from '../../../src/domain/portfolio/portfolio.ts';
import { type ControlView, createRiskEngine } from '../../../src/domain/risk/engine.ts';
import { GUARDS } from '../../../src/domain/risk/guards.ts';
import { DEFAULT_LIMITS, type RiskLimits } from '../../../src/domain/risk/limits.ts';
import { createReferenceRiskCore } from '../../../src/domain/risk/reference-core.ts';

const cores = { wasm: await loadWasmCore(), reference: createReferenceRiskCore() };
const ACTIVE: ControlView = {
  killSwitchActive: false,
  killSwitchReason: null,
  tradingState: 'ACTIVE',
};
const order = (o: Partial<OrderIntent> = {}): OrderIntent => ({
  orderId: 'o-1',
  symbol: 'BTCUSDT',
  side: 'BUY',
  quantity: 0.01,
  price: 60_000,
  ...o,
});
const flat = createPortfolio(100_000);
/** Long 0.05 BTC at 60,000 (3,000 USD, weight 0.03). */
const long = applyFill(flat, { symbol: 'BTCUSDT', side: 'BUY', quantity: 0.05, price: 60_000 });

describe.each(Object.entries(cores))('risk engine on the %s core', (_name, core) => {
  const engine = (limits: Partial<RiskLimits> = {}) => {
    const e = createRiskEngine({
      core,
      limits: { ...DEFAULT_LIMITS, ...limits },
      rateBucket: 4095,
      startMs: 0,
    });
    e.setSymbolRules(new Map(PAPER_LISTED_SYMBOLS.map((s) => [s, paperSymbolRules(s)])));
    return e;
  };
  const check = (
    o: OrderIntent,
    p: Portfolio = flat,
    c: ControlView = ACTIVE,
    limits: Partial<RiskLimits> = {},
  ) => engine(limits).checkOrder(o, p, c, 1_000);

  it('approves a small order and reports every guard as passed', () => {
    const v = check(order());
    expect(v.approved).toBe(true);
    expect(v.checks.map((c) => c.guard)).toEqual([...GUARDS]);
    expect(v.checks.every((c) => c.passed)).toBe(true);
    expect(v.checks.find((c) => c.guard === 'order_notional')!.value).toBe(600);
  });

  const failures: [string, () => ReturnType<typeof check>][] = [
    [
      'kill_switch',
      () =>
        check(order(), flat, {
          ...ACTIVE,
          killSwitchActive: true,
          killSwitchReason: 'manual stop',
        }),
    ],
    ['trading_state', () => check(order(), flat, { ...ACTIVE, tradingState: 'HALTED' })],
    ['drawdown', () => check(order(), { ...flat, peakNavUsd: 106_000, dayStartNavUsd: 100_000 })],
    ['daily_loss', () => check(order(), { ...flat, dayStartNavUsd: 103_000, peakNavUsd: 100_000 })],
    [
      'leverage',
      () =>
        check(order({ quantity: 2 }), flat, ACTIVE, {
          maxGrossExposure: 5,
          maxNetExposure: 5,
          maxPositionWeight: 5,
          maxOrderNotionalUsd: 1e9,
        }),
    ],
    [
      'gross_exposure',
      () =>
        check(order({ quantity: 1 }), flat, ACTIVE, {
          maxLeverage: 5,
          maxGrossExposure: 0.5,
          maxNetExposure: 5,
          maxPositionWeight: 5,
          maxOrderNotionalUsd: 1e9,
        }),
    ],
    [
      'net_exposure',
      () =>
        check(order({ quantity: 1 }), flat, ACTIVE, {
          maxPositionWeight: 5,
          maxOrderNotionalUsd: 1e9,
        }),
    ],
    ['position_weight', () => check(order({ quantity: 0.1 }), flat)],
    [
      'order_notional',
      () => check(order({ quantity: 0.04 }), flat, ACTIVE, { maxOrderNotionalUsd: 1_000 }),
    ],
    ['exchange_rules', () => check(order({ symbol: 'BNBUSDT', quantity: 3.333, price: 600 }))],
  ];
  it.each(failures)('rejects with %s and names it first', (guard, run) => {
    const v = run();
    expect(v.approved).toBe(false);
    expect(v.guard).toBe(guard as never);
    expect(v.reason).toBeString();
    expect(v.checks.find((c) => c.guard === guard)!.passed).toBe(false);
  });

  it('names the exchange filter, the value and the bound of an order the exchange would refuse', () => {
    const v = check(order({ symbol: 'BNBUSDT', quantity: 3.333, price: 600 }));
    expect(v).toMatchObject({
      approved: false,
      guard: 'exchange_rules',
      reason:
        'the exchange would refuse it: quantity 3.333 is not a multiple of the step size 0.01 (LOT_SIZE)',
    });
    expect(v.checks.find((c) => c.guard === 'exchange_rules')).toEqual({
      guard: 'exchange_rules',
      value: 3.333,
      limit: 0.01,
      passed: false,
      filter: 'LOT_SIZE.stepSize',
    });
    expect(check(order({ symbol: 'BNBUSDT', quantity: 3.33, price: 600 })).approved).toBe(true);
    expect(check(order({ symbol: 'NOSUCHUSDT' })).reason).toBe(
      'the exchange would refuse it: NOSUCHUSDT is not a symbol the exchange lists',
    );
    expect(
      check(order({ price: 60_000.05 })).checks.find((c) => c.guard === 'exchange_rules'),
    ).toMatchObject({ filter: 'PRICE_FILTER.tickSize', value: 60_000.05, limit: 0.1 });
    // Below the minimum notional, but reducing a position (reduce-only on the exchange): allowed.
    expect(check(order({ side: 'SELL', quantity: 0.001, price: 1_000 }), long).guard).toBe(
      'exchange_rules',
    );
    expect(check(order({ side: 'SELL', quantity: 0.001, price: 60_000 }), long).approved).toBe(
      true,
    );
  });

  it('rejects every order until the engine has symbol rules', () => {
    const bare = createRiskEngine({ core, limits: DEFAULT_LIMITS, rateBucket: 4095, startMs: 0 });
    expect(bare.checkOrder(order(), flat, ACTIVE, 1_000).guard).toBe('exchange_rules');
  });

  it('rejects with drawdown once NAV is 5 % under its peak', () => {
    const down = markPrice(
      applyFill(flat, { symbol: 'BTCUSDT', side: 'BUY', quantity: 1, price: 60_000 }),
      'BTCUSDT',
      55_000,
    );
    const v = check(order({ side: 'SELL' }), down);
    expect(v.guard).toBe('drawdown');
    expect(v.checks.find((c) => c.guard === 'drawdown')!.value).toBeCloseTo(0.05, 10);
  });

  it('rejects with order_rate once the per-minute budget is spent, and refills with time', () => {
    const e = engine({ maxOrdersPerMinute: 3 });
    const at = (ms: number) => e.checkOrder(order(), flat, ACTIVE, ms);
    expect([at(0), at(0), at(0)].every((v) => v.approved)).toBe(true);
    const v = at(0);
    expect(v.guard).toBe('order_rate');
    expect(at(20_000).approved).toBe(true); // 3 per minute = one every 20 s
  });

  it('does not spend the rate budget on an order rejected by another guard', () => {
    const e = engine({ maxOrdersPerMinute: 1 });
    const rejected = e.checkOrder(order({ quantity: 10 }), flat, ACTIVE, 0);
    expect(rejected.checks.find((c) => c.guard === 'order_rate')!.passed).toBeNull();
    expect(e.checkOrder(order(), flat, ACTIVE, 0).approved).toBe(true);
  });

  describe('REDUCING', () => {
    const reducing: ControlView = { ...ACTIVE, tradingState: 'REDUCING' };
    it('lets an order that reduces |position| pass', () => {
      expect(check(order({ side: 'SELL', quantity: 0.02 }), long, reducing).approved).toBe(true);
      expect(check(order({ side: 'SELL', quantity: 0.05 }), long, reducing).approved).toBe(true);
    });
    it('refuses orders that open, add to or flip a position', () => {
      for (const o of [
        order({ side: 'BUY' }),
        order({ side: 'SELL', quantity: 0.06 }),
        order({ symbol: 'ETHUSDT', price: 3_000 }),
      ]) {
        const v = check(o, long, reducing);
        expect(v.guard).toBe('trading_state');
        expect(v.reason).toContain('REDUCING');
      }
    });
  });

  it('lets a position past a limit be cut even though the figure stays over the limit', () => {
    const big = applyFill(flat, { symbol: 'BTCUSDT', side: 'BUY', quantity: 0.2, price: 60_000 }); // weight 0.12
    expect(check(order({ side: 'SELL', quantity: 0.05 }), big).approved).toBe(true);
    expect(check(order({ side: 'BUY', quantity: 0.001 }), big).guard).toBe('position_weight');
  });

  it('rejects garbage numbers with invalid_input and never approves them', () => {
    for (const o of [
      order({ quantity: NaN }),
      order({ price: 0 }),
      order({ price: -1 }),
      order({ quantity: Infinity }),
    ]) {
      expect(check(o).guard).toBe('invalid_input');
    }
    expect(check(order(), { ...flat, cashUsd: NaN }).guard).toBe('invalid_input');
    expect(check(order({ quantity: 1e300 })).approved).toBe(false);
  });

  it('checks a batch like single orders, in order', () => {
    const orders = [
      order(),
      order({ quantity: 0.1 }),
      order({ orderId: 'o-3', side: 'SELL', quantity: 0.05 }),
    ];
    const batch = engine().checkBatch(orders, long, ACTIVE, 1_000);
    expect(batch.map((v) => v.guard ?? 'ok')).toEqual(['ok', 'position_weight', 'ok']);
    expect(batch.map((v) => v.approved)).toEqual(
      orders.map((o) => engine().checkOrder(o, long, ACTIVE, 1_000).approved),
    );
  });
});
