// The coordinator's mark source against the fake Aster server, through the guarded adapter: the
// book (NAV, exposure, stop-losses, risk checks) is marked at the exchange's mark price from one
// premiumIndex call, not at the last candle's close; its age is exported; the account's margin is
// read into the risk engine and the margin gauges.
import { afterEach, describe, expect, it } from 'bun:test';
import { createAsterExchange } from '../../src/adapters/exchange/aster/aster-exchange.ts';
import { guardExchange } from '../../src/adapters/exchange/guarded.ts';
import { liquidationPrice } from '../../src/domain/portfolio/margin.ts';
import { applyFill } from '../../src/domain/portfolio/portfolio.ts';
import { buildTrading } from '../../src/main/build-trading.ts';
import type { Exchange } from '../../src/ports/exchange.ts';
import { type FakeAster, startFakeAster } from '../fake-aster/server.ts';
import { createTestDeps } from '../helpers/test-deps.ts';

const running: FakeAster[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((f) => f.stop()));
});

describe('mark prices and margin from the exchange', () => {
  it('marks the book at premiumIndex, not at the candle close, and reads the margin into the engine and the gauges', async () => {
    const fake = await startFakeAster({ balanceUsd: 10_000, symbols: ['BTCUSDT', 'ETHUSDT'] });
    running.push(fake);
    fake.setMark('BTCUSDT', 60_000);
    fake.setMark('ETHUSDT', 3_000);
    // The candles close 2 % below the mark (the last trade and the mark part ways in a fast market).
    const minute = Math.floor(Date.now() / 60_000) * 60_000;
    const candle = (i: number) => ({
      openTime: minute - (40 - i) * 60_000,
      open: 58_800,
      high: 58_800,
      low: 58_800,
      close: 58_800,
      volume: 1,
      closeTime: minute - (39 - i) * 60_000 - 1,
    });
    fake.seedCandles(
      'BTCUSDT',
      Array.from({ length: 40 }, (_, i) => candle(i)),
    );
    fake.setPosition('BTCUSDT', 1, 59_000);
    const t = await createTestDeps({
      AIS_INITIAL_BALANCE_USD: '10000',
      AIS_SYMBOLS: 'BTCUSDT,ETHUSDT',
    });
    const aster = createAsterExchange({
      baseUrl: fake.url,
      apiKey: fake.apiKey,
      apiSecret: fake.apiSecret,
      nowMs: Date.now,
      retry: { attempts: 1 },
    });
    const { config, store, metrics, logger, decisionLog, risk } = { ...t.deps, ...t };
    const wrapExchange = (e: Exchange) =>
      guardExchange(e, t.deps.resilience, { metrics, maxWaitMs: 0 });
    risk.engine.setSymbolRules(await aster.symbolRules());
    const trading = buildTrading({
      config,
      risk,
      store,
      metrics,
      logger,
      decisionLog,
      nowMs: Date.now,
      overrides: { exchange: aster, wrapExchange, agents: [] },
    });
    risk.portfolio.update((p) =>
      applyFill(p, { symbol: 'BTCUSDT', side: 'BUY', quantity: 1, price: 59_000 }),
    );

    await trading.coordinator.runCycle();

    expect(risk.portfolio.get().positions.BTCUSDT!.markPrice).toBe(60_000);
    const premium = fake.requests.filter((r) => r.path === '/fapi/v1/premiumIndex');
    expect(premium).toHaveLength(1); // one call for every symbol
    const m = risk.engine.margin()!;
    const lp = liquidationPrice(10_000, 0, 0, 1, 59_000, 60_000);
    expect(m.positions[0]).toMatchObject({
      symbol: 'BTCUSDT',
      quantity: 1,
      liquidationPrice: expect.closeTo(lp, 6),
    });
    const text = await t.metrics.render();
    expect(text).toMatch(/ais_aster_data_age_seconds\{data_type="mark_price"\} \d/);
    expect(text).toMatch(/ais_aster_data_age_seconds\{data_type="margin"\} \d/);
    const ratio = Number(/\nais_margin_ratio ([\d.e-]+)/.exec(text)?.[1]);
    expect(ratio).toBeCloseTo(m.maintenanceMarginUsd / m.marginBalanceUsd, 9);
    const distance = Number(
      /ais_liquidation_distance\{symbol="BTCUSDT"\} ([\d.e-]+)/.exec(text)?.[1],
    );
    expect(distance).toBeCloseTo((60_000 - lp) / 60_000, 9);
    // A check of an ETH order now sees the BTC position's distance and the available balance.
    const [d] = await risk.service.check(
      [{ orderId: 'o1', symbol: 'ETHUSDT', side: 'BUY', quantity: 0.01, price: 3_000 }],
      'test',
    );
    expect(d!.checks.find((c) => c.guard === 'margin')).toMatchObject({
      value: 3,
      limit: expect.closeTo(m.availableUsd, 6),
      passed: true,
    });
    expect(d!.checks.find((c) => c.guard === 'liquidation_distance')!.value as number).toBeCloseTo(
      (60_000 - lp) / 60_000,
      9,
    );
  });
});
