// Margin from the exchange's numbers, against the fake Aster server: each symbol's maintenance
// brackets are read from GET leverageBracket beside exchangeInfo (and read again on the same
// schedule), the margin guard estimates a liquidation price in that symbol's brackets, not in
// Binance's BTCUSDT table, the fake's own margin (maintenance, liquidation price) uses the same
// brackets, and a failed bracket read keeps the brackets read last.
import { afterEach, describe, expect, it } from 'bun:test';
import { createAsterExchange } from '../../src/adapters/exchange/aster/aster-exchange.ts';
import { guardExchange } from '../../src/adapters/exchange/guarded.ts';
import { componentLogger } from '../../src/adapters/logging/logger.ts';
import {
  type BracketTable,
  liquidationPrice,
  MAINTENANCE_BRACKETS,
} from '../../src/domain/portfolio/margin.ts';
import { applyFill } from '../../src/domain/portfolio/portfolio.ts';
import { startSymbolRules } from '../../src/main/build-symbol-rules.ts';
import { type FakeAster, startFakeAster } from '../fake-aster/server.ts';
import { createTestDeps } from '../helpers/test-deps.ts';

const running: (() => unknown)[] = [];
afterEach(async () => {
  for (const stop of running.splice(0)) await stop();
});

/** A table far steeper than the default one: 2 % up to 10,000 USD, then 10 % (cum continuous). */
const STEEP: BracketTable = [
  { upToUsd: 10_000, rate: 0.02, cumUsd: 0 },
  { upToUsd: 1e9, rate: 0.1, cumUsd: 800 },
];
const FLAT: BracketTable = [{ upToUsd: 1e9, rate: 0.001, cumUsd: 0 }];

async function setup() {
  const fake: FakeAster = await startFakeAster({
    balanceUsd: 10_000,
    symbols: ['BTCUSDT', 'ETHUSDT'],
  });
  running.push(() => fake.stop());
  fake.setMark('BTCUSDT', 60_000);
  fake.setMark('ETHUSDT', 3_000);
  fake.setSymbolRules('BTCUSDT', { brackets: STEEP });
  const t = await createTestDeps({
    AIS_SYMBOLS: 'BTCUSDT,ETHUSDT',
    AIS_MIN_LIQUIDATION_DISTANCE: '0.1',
  });
  const exchange = guardExchange(
    createAsterExchange({
      baseUrl: fake.url,
      apiKey: fake.apiKey,
      apiSecret: fake.apiSecret,
      nowMs: Date.now,
      retry: { attempts: 1 },
    }),
    t.deps.resilience,
    { metrics: t.deps.monitoring.metrics, maxWaitMs: 0 },
  );
  const sync = await startSymbolRules({
    exchange,
    engine: t.risk.engine,
    symbols: ['BTCUSDT', 'ETHUSDT'],
    strict: true,
    log: componentLogger(t.deps.logger, 'ais.market.rules'),
  });
  running.push(() => sync.stop());
  return { fake, exchange, sync, engine: t.risk.engine, portfolio: t.risk.portfolio };
}

const ACTIVE = { killSwitchActive: false, killSwitchReason: null, tradingState: 'ACTIVE' } as const;

describe('maintenance brackets from leverageBracket', () => {
  it('reads each symbol its own brackets at start-up, beside exchangeInfo', async () => {
    const { fake, engine } = await setup();
    expect(fake.requests.map((r) => r.path)).toContain('/fapi/v1/leverageBracket');
    expect(engine.symbolRules().get('BTCUSDT')!.brackets).toEqual(STEEP);
    // ETHUSDT: the fake serves the paper exchange's own table (Aster's documented first row).
    expect(engine.symbolRules().get('ETHUSDT')!.brackets![0]).toEqual({
      upToUsd: 10_000,
      rate: 0.0065,
      cumUsd: 0,
    });
  });

  it("estimates the liquidation price in the symbol's brackets, as the exchange prices it", async () => {
    const { fake, exchange, engine, portfolio } = await setup();
    fake.setPosition('BTCUSDT', 1, 60_000);
    const margin = await exchange.marginAccount();
    // The fake's own margin uses the symbol's brackets: 60,000 × 10 % − 800.
    expect(margin.maintenanceMarginUsd).toBeCloseTo(5_200, 6);
    const lpSteep = liquidationPrice(10_000, 0, 0, 1, 60_000, 60_000, STEEP);
    expect(margin.positions[0]!.liquidationPrice).toBeCloseTo(lpSteep, 4);
    engine.setMargin(margin);
    // A flat account: the guard's estimate for 0.1 BTC is in BTCUSDT's steep brackets.
    fake.setPosition('BTCUSDT', 0, 0);
    engine.setMargin(await exchange.marginAccount());
    const v = engine.checkOrder(
      { orderId: 'o', symbol: 'BTCUSDT', side: 'BUY', quantity: 0.5, price: 60_000 },
      portfolio.get(),
      ACTIVE,
      Date.now(),
    );
    const distance = v.checks.find((c) => c.guard === 'liquidation_distance')!.value as number;
    const steep = (60_000 - liquidationPrice(10_000, 0, 0, 0.5, 60_000, 60_000, STEEP)) / 60_000;
    const binance =
      (60_000 - liquidationPrice(10_000, 0, 0, 0.5, 60_000, 60_000, MAINTENANCE_BRACKETS)) / 60_000;
    expect(distance).toBeCloseTo(steep, 12);
    expect(Math.abs(distance - binance)).toBeGreaterThan(0.01);
  });

  it('estimates an ISOLATED symbol by the isolated formula over its own wallet', async () => {
    const { fake, exchange, engine, portfolio } = await setup();
    fake.setSymbolSettings('BTCUSDT', { leverage: 10, marginType: 'isolated' });
    fake.setPosition('BTCUSDT', 1, 60_000);
    const margin = await exchange.marginAccount();
    // Its own wallet: 1 × 60,000 / 10 = 6,000 (isolatedMargin − unRealizedProfit).
    expect(margin.positions[0]!.isolatedWalletUsd).toBeCloseTo(6_000, 6);
    expect(margin.isolated).toEqual({ BTCUSDT: true, ETHUSDT: false });
    // The exchange's (the fake's) price: the isolated formula, far nearer than the cross one.
    const isoLp = liquidationPrice(6_000, 0, 0, 1, 60_000, 60_000, STEEP);
    expect(margin.positions[0]!.liquidationPrice).toBeCloseTo(isoLp, 4);
    engine.setMargin(margin);
    portfolio.update((p) =>
      applyFill(p, { symbol: 'BTCUSDT', side: 'BUY', quantity: 1, price: 60_000 }),
    );
    const v = engine.checkOrder(
      { orderId: 'o', symbol: 'BTCUSDT', side: 'BUY', quantity: 0.1, price: 60_000 },
      portfolio.get(),
      ACTIVE,
      Date.now(),
    );
    // After the order: 1.1 BTC on 6,000 + 0.1 × 60,000 / 10 = 6,600 of its own.
    const lp = liquidationPrice(6_600, 0, 0, 1.1, 60_000, 60_000, STEEP);
    const distance = v.checks.find((c) => c.guard === 'liquidation_distance')!.value as number;
    expect(distance).toBeCloseTo((60_000 - lp) / 60_000, 12);
    const cross = liquidationPrice(10_000, 0, 0, 1.1, 60_000, 60_000, STEEP);
    expect(distance).toBeLessThan((60_000 - cross) / 60_000 - 0.05);
    // Under the minimum 0.1: the guard fails it, where the cross estimate would have passed.
    expect(v.checks.find((c) => c.guard === 'liquidation_distance')!.passed).toBe(false);
    expect(v.approved).toBe(false);
  });

  it('reads them again with the rules, and keeps the last ones when that read fails', async () => {
    const { fake, sync, engine } = await setup();
    fake.setSymbolRules('BTCUSDT', { brackets: FLAT });
    expect(await sync.refresh()).toBe(true);
    expect(engine.symbolRules().get('BTCUSDT')!.brackets).toEqual(FLAT);
    fake.setSymbolRules('BTCUSDT', { brackets: STEEP });
    fake.inject({ kind: 'status', status: 500 }, { path: '/fapi/v1/leverageBracket' }, 5);
    expect(await sync.refresh()).toBe(true);
    expect(engine.symbolRules().get('BTCUSDT')!.brackets).toEqual(FLAT);
  });
});
