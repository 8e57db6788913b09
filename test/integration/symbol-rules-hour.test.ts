// Issue 13's "done when" for the exchange's symbol rules: over a simulated hour of one-minute bars,
// with DOGEUSDT (step 1) and BNBUSDT (step 0.01) among the symbols, the trading loop sends orders
// and none is refused for precision, step, tick or notional: on the paper exchange, and against
// the fake Aster server (V3 signing, HTTP) whose filters work on the decimal strings as sent.
// External signals of every size on every symbol each minute make sure each symbol trades, small
// and odd sizes included (the built-in agents trade too).
import { afterAll, describe, expect, test } from 'bun:test';
import { createAsterExchange } from '../../src/adapters/exchange/aster/aster-exchange.ts';
import { createSyntheticMarket, KNOWN_SYMBOLS } from '../../src/domain/market/synthetic.ts';
import { buildTrading } from '../../src/main/build-trading.ts';
import {
  type Exchange,
  isExchangeError,
  type PlaceOrderRequest,
} from '../../src/ports/exchange.ts';
import { startFakeAster } from '../fake-aster/server.ts';
import { createTestDeps } from '../helpers/test-deps.ts';

const SYMBOLS = ['BTCUSDT', 'ETHUSDT', 'SOLUSDT', 'BNBUSDT', 'DOGEUSDT'];
const MINUTES = 60;
/** Aster's answers to an order that breaks a symbol filter (/tmp/aster/v3.md "Error Codes"). */
const FILTER_CODES = [-1111, -4164, -4014, -4023, -4004, -4005, -4013, -4002, -4016, -4024, -4140];
const ENV = {
  AIS_SYMBOLS: SYMBOLS.join(','),
  AIS_MARKET_BAR_MS: '60000',
  // Room for every symbol to hold a position (the drill is about the rules, not the limits).
  AIS_MAX_POSITION_WEIGHT: '0.2',
  AIS_MAX_NET_EXPOSURE: '1',
  AIS_MAX_ORDERS_PER_MINUTE: '1000',
  AIS_MAX_ORDER_NOTIONAL_USD: '50000',
};

/** Records every order sent and every refusal, passing both through. */
function recording(exchange: Exchange) {
  const sent: PlaceOrderRequest[] = [];
  const refused: { order: PlaceOrderRequest; code: number | undefined; message: string }[] = [];
  const wrapped: Exchange = {
    ...exchange,
    async placeOrder(order) {
      sent.push(order);
      try {
        return await exchange.placeOrder(order);
      } catch (e) {
        refused.push({
          order,
          code: isExchangeError(e) ? e.details.code : undefined,
          message: e instanceof Error ? e.message : String(e),
        });
        throw e;
      }
    },
  };
  return { wrapped, sent, refused };
}

/** Signals of a size that changes every minute, in every direction, on every symbol. */
function signalsFor(minute: number) {
  return SYMBOLS.map(
    (symbol, i) =>
      ({
        agentId: 'drill',
        symbol,
        direction: (minute + i) % 3 === 0 ? 'SHORT' : 'LONG',
        confidence: 1,
        sizeHint: [0.0003, 0.013, 0.05, 0.0777, 0.15][(minute + i) % 5]!,
        rationale: 'symbol rules drill',
        timeMs: Date.now(),
      }) as const,
  );
}

function expectNoFilterRefusals(r: ReturnType<typeof recording>) {
  // Every order the worker sent prints with its symbol's decimals and no exponent.
  expect(r.sent.filter((o) => /e/.test(String(o.quantity)))).toEqual([]);
  expect(r.refused.filter((x) => x.code === undefined || FILTER_CODES.includes(x.code))).toEqual(
    [],
  );
  const symbolsTraded = new Set(r.sent.map((o) => o.symbol));
  for (const s of ['DOGEUSDT', 'BNBUSDT']) expect(symbolsTraded.has(s)).toBe(true);
  expect(
    r.sent.filter((o) => o.symbol === 'DOGEUSDT').every((o) => Number.isInteger(o.quantity)),
  ).toBe(true);
  expect(
    r.sent
      .filter((o) => o.symbol === 'BNBUSDT')
      .every((o) => Math.round(o.quantity * 100) / 100 === o.quantity),
  ).toBe(true);
}

describe('a simulated hour with DOGEUSDT and BNBUSDT: no order refused for a symbol rule', () => {
  test('on the paper exchange', async () => {
    const t = await createTestDeps(ENV);
    let r: ReturnType<typeof recording> | undefined;
    const trading = buildTrading({
      config: t.deps.config,
      risk: t.risk,
      store: t.store,
      metrics: t.metrics,
      logger: t.deps.logger,
      decisionLog: t.decisionLog,
      nowMs: Date.now,
      overrides: { wrapExchange: (ex) => (r = recording(ex)).wrapped },
    });
    t.risk.engine.setSymbolRules(await trading.exchange.symbolRules());
    for (let minute = 0; minute < MINUTES; minute++) {
      trading.paper!.market.step();
      trading.paper!.exchange.onBar();
      for (const s of signalsFor(minute)) trading.coordinator.submitSignal(s);
      await trading.coordinator.runCycle();
    }
    expect(r!.sent.length).toBeGreaterThanOrEqual(10);
    expectNoFilterRefusals(r!);
  }, 60_000);

  test('against the fake Aster server and its filters', async () => {
    const fake = await startFakeAster({
      balanceUsd: 100_000,
      symbols: SYMBOLS,
      weightLimit1m: 1e9,
    });
    afterAll(() => fake.stop());
    // The fake's market follows a synthetic one: history as candles, then one new mark a minute.
    const startMs = Date.now() - (100 + MINUTES + 1) * 60_000; // the last synthetic bar closes a minute ago
    const market = createSyntheticMarket({
      seed: 7,
      symbols: KNOWN_SYMBOLS.filter((s) => SYMBOLS.includes(s.symbol)),
      startMs,
    });
    for (let i = 0; i < 100; i++) market.step();
    const publish = () => {
      for (const s of SYMBOLS) {
        const bars = market.candles(s, 100);
        fake.seedCandles(
          s,
          bars.map((b) => ({
            openTime: b.openTimeMs,
            open: b.open,
            high: b.high,
            low: b.low,
            close: b.close,
            volume: b.volume,
            closeTime: b.closeTimeMs,
          })),
        );
        fake.setMark(s, bars.at(-1)!.close);
      }
    };
    publish();
    const t = await createTestDeps(ENV);
    const aster = createAsterExchange({ baseUrl: fake.url, wallet: fake.wallet, nowMs: Date.now });
    const r = recording(aster);
    const trading = buildTrading({
      config: t.deps.config,
      risk: t.risk,
      store: t.store,
      metrics: t.metrics,
      logger: t.deps.logger,
      decisionLog: t.decisionLog,
      nowMs: Date.now,
      overrides: { exchange: r.wrapped },
    });
    // The rules come from the fake's exchangeInfo, through the adapter's schema.
    const rules = await trading.exchange.symbolRules();
    expect(rules.get('DOGEUSDT')).toMatchObject({
      stepSize: 1,
      marketStepSize: 1,
      tickSize: 0.00001,
      minNotional: 5,
    });
    t.risk.engine.setSymbolRules(rules);
    for (let minute = 0; minute < MINUTES; minute++) {
      market.step();
      publish();
      for (const s of signalsFor(minute)) trading.coordinator.submitSignal(s);
      await trading.coordinator.runCycle();
    }
    expect(r.sent.length).toBeGreaterThanOrEqual(10);
    expectNoFilterRefusals(r);
    expect(fake.orders().length).toBe(r.sent.length - r.refused.length);
  }, 120_000);
});
