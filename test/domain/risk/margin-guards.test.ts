// The margin and liquidation_distance guards through the engine, on both cores: the figures and
// the sentences an operator reads, the exemptions (reducing orders), the state before the first
// margin read, and the own-symbol estimate against the liquidation price the paper exchange uses.
import type { OrderIntent } from '../../../src/domain/order-intent.ts';
import { describe, expect, it } from 'bun:test';
import fc from 'fast-check';
import {
  PAPER_LISTED_SYMBOLS,
  paperSymbolRules,
} from '../../../src/adapters/exchange/paper/symbol-table.ts';
import { loadWasmCore } from '../../../src/adapters/wasm/load.ts';
import { liquidationPrice } from '../../../src/domain/portfolio/margin.ts';
import { applyFill, createPortfolio, markPrice } from '../../../src/domain/portfolio/portfolio.ts';
import { type ControlView, createRiskEngine } from '../../../src/domain/risk/engine.ts';
import { DEFAULT_LIMITS } from '../../../src/domain/risk/limits.ts';
import { createReferenceRiskCore } from '../../../src/domain/risk/reference-core.ts';
import type { MarginAccount } from '../../../src/ports/exchange.ts';

const cores = { wasm: await loadWasmCore(), reference: createReferenceRiskCore() };
const ACTIVE: ControlView = {
  killSwitchActive: false,
  killSwitchReason: null,
  tradingState: 'ACTIVE',
};
// Limits wide enough that only the margin guards can refuse.
const WIDE = {
  ...DEFAULT_LIMITS,
  maxDrawdown: 1,
  maxDailyLoss: 1,
  maxLeverage: 100,
  maxGrossExposure: 100,
  maxNetExposure: 100,
  maxPositionWeight: 100,
  maxOrderNotionalUsd: 1e12,
  maxOrdersPerMinute: 1e6,
};
const order = (o: Partial<OrderIntent> = {}): OrderIntent => ({
  orderId: 'o-1',
  symbol: 'BTCUSDT',
  side: 'BUY',
  quantity: 0.1,
  price: 60_000,
  ...o,
});
const flatMargin = (wallet: number, leverage = 10): MarginAccount => ({
  walletUsd: wallet,
  marginBalanceUsd: wallet,
  maintenanceMarginUsd: 0,
  availableUsd: wallet,
  positions: [],
  leverage: Object.fromEntries(PAPER_LISTED_SYMBOLS.map((s) => [s, leverage])),
  timeMs: 0,
});

describe.each(Object.entries(cores))('margin guards on the %s core', (_name, core) => {
  const engine = (minLiquidationDistance = 0.1) => {
    const e = createRiskEngine({
      core,
      limits: { ...WIDE, minLiquidationDistance },
      rateBucket: 4095,
      startMs: 0,
    });
    e.setSymbolRules(new Map(PAPER_LISTED_SYMBOLS.map((s) => [s, paperSymbolRules(s)])));
    return e;
  };

  it('margin: the initial margin at the symbol leverage must fit the available balance', () => {
    const e = engine(0);
    const book = createPortfolio(1_000);
    e.setMargin(flatMargin(1_000));
    const ok = e.checkOrder(order({ quantity: 0.1 }), book, ACTIVE, 1);
    expect(ok.approved).toBe(true);
    expect(ok.checks.find((c) => c.guard === 'margin')).toEqual({
      guard: 'margin',
      value: 600,
      limit: 1_000,
      passed: true,
    });
    const no = e.checkOrder(order({ quantity: 0.2 }), book, ACTIVE, 1);
    expect(no).toMatchObject({
      approved: false,
      guard: 'margin',
      reason:
        'initial margin 1200 USD (notional / leverage 10) is over the available balance 1000 USD',
    });
  });

  it('margin: an order that only reduces needs none, even with nothing available', () => {
    const e = engine(0);
    const book = applyFill(createPortfolio(1_000), {
      symbol: 'BTCUSDT',
      side: 'BUY',
      quantity: 0.5,
      price: 60_000,
    });
    e.setMargin({ ...flatMargin(1_000), availableUsd: 0 });
    const v = e.checkOrder(order({ side: 'SELL', quantity: 0.3 }), book, ACTIVE, 1);
    expect(v.approved).toBe(true);
    expect(v.checks.find((c) => c.guard === 'margin')!.value).toBe(0);
    // A flip opens the new side's part: 0.2 BTC short needs 1,200 USD at 10x.
    expect(e.checkOrder(order({ side: 'SELL', quantity: 0.7 }), book, ACTIVE, 1).guard).toBe(
      'margin',
    );
  });

  it('liquidation_distance: a long whose liquidation price would sit within the minimum of the mark is refused', () => {
    const e = engine(0.1);
    const book = createPortfolio(10_000);
    e.setMargin(flatMargin(10_000, 125));
    // 1 BTC at 60,000 on 10,000 USD: liquidation at (60,000 − 10,000 − 50) / 0.995 = 50,201 (16 % away).
    const ok = e.checkOrder(order({ quantity: 1 }), book, ACTIVE, 1);
    expect(ok.approved).toBe(true);
    const d1 = ok.checks.find((c) => c.guard === 'liquidation_distance')!;
    expect(d1.value as number).toBeCloseTo(
      (60_000 - liquidationPrice(10_000, 0, 0, 1, 60_000, 60_000)) / 60_000,
      12,
    );
    // 2 BTC: liquidation at 55,251 (7.9 % away): under 10 %.
    const no = e.checkOrder(order({ quantity: 2 }), book, ACTIVE, 1);
    expect(no.guard).toBe('liquidation_distance');
    expect(no.reason).toMatch(
      /^after the order a position's mark would be 0\.079\d* of the mark from its liquidation price, under the minimum 0\.1$/,
    );
  });

  it('liquidation_distance: a position near liquidation blocks orders on other symbols, not its own reduction', () => {
    const e = engine(0.1);
    const book = markPrice(
      applyFill(createPortfolio(10_000), {
        symbol: 'BTCUSDT',
        side: 'BUY',
        quantity: 2,
        price: 60_000,
      }),
      'BTCUSDT',
      57_000,
    );
    const lp = liquidationPrice(10_000, 0, 0, 2, 60_000, 57_000);
    e.setMargin({
      ...flatMargin(10_000, 125),
      marginBalanceUsd: 4_000,
      maintenanceMarginUsd: 520,
      availableUsd: 3_088,
      positions: [
        {
          symbol: 'BTCUSDT',
          quantity: 2,
          entryPrice: 60_000,
          markPrice: 57_000,
          liquidationPrice: lp,
          leverage: 125,
        },
      ],
    });
    const eth = e.checkOrder(
      order({ symbol: 'ETHUSDT', quantity: 0.1, price: 3_000 }),
      book,
      ACTIVE,
      1,
    );
    expect(eth.guard).toBe('liquidation_distance');
    expect(eth.checks.find((c) => c.guard === 'liquidation_distance')!.value as number).toBeCloseTo(
      (57_000 - lp) / 57_000,
      12,
    );
    expect(
      e.checkOrder(order({ side: 'SELL', quantity: 1, price: 57_000 }), book, ACTIVE, 1).approved,
    ).toBe(true);
  });

  it('both pass with no figures until the margin is read, and again after setMargin(undefined)', () => {
    const e = engine(0.1);
    const v = e.checkOrder(order({ quantity: 1 }), createPortfolio(1_000), ACTIVE, 1);
    expect(v.checks.find((c) => c.guard === 'margin')).toEqual({
      guard: 'margin',
      value: null,
      limit: null,
      passed: true,
    });
    expect(v.checks.find((c) => c.guard === 'liquidation_distance')).toEqual({
      guard: 'liquidation_distance',
      value: null,
      limit: 0.1,
      passed: true,
    });
    e.setMargin(flatMargin(1_000));
    expect(e.checkOrder(order({ quantity: 1 }), createPortfolio(1_000), ACTIVE, 1).guard).toBe(
      'margin',
    );
    e.setMargin(undefined);
    expect(
      e
        .checkOrder(order({ quantity: 1 }), createPortfolio(1_000), ACTIVE, 1)
        .checks.find((c) => c.guard === 'margin')!.passed,
    ).toBe(true);
  });

  it('the own-symbol estimate is the paper exchange liquidation price after the order (flat account, either side)', () => {
    const e = engine(0);
    fc.assert(
      fc.property(
        fc.integer({ min: 100, max: 1_000_000 }),
        fc.integer({ min: 1, max: 5_000 }),
        fc.integer({ min: 1_000, max: 100_000 }),
        fc.boolean(),
        (wallet, thousandths, price, buy) => {
          const quantity = thousandths / 1_000;
          e.setMargin(flatMargin(wallet, 125));
          const v = e.checkOrder(
            order({ quantity, price: price, side: buy ? 'BUY' : 'SELL' }),
            createPortfolio(wallet),
            ACTIVE,
            1,
          );
          const d = v.checks.find((c) => c.guard === 'liquidation_distance')!.value;
          const lp = liquidationPrice(wallet, 0, 0, buy ? quantity : -quantity, price, price);
          if (lp > 0) expect(d as number).toBeCloseTo(((buy ? 1 : -1) * (price - lp)) / price, 9);
        },
      ),
      { numRuns: 500 },
    );
  });
});
