// The built-in demo agents trade a live exchange only when AIS_AGENTS names them (issue #18): the
// real builder (buildTrading) with an aster configuration, trading ACTIVE, over the paper exchange
// standing in for the live one (the same Exchange port), the WASM risk engine and libSQL store.
import { describe, expect, test } from 'bun:test';
import { createPaperExchange } from '../../src/adapters/exchange/paper/paper-exchange.ts';
import { createSyntheticMarket, DEFAULT_SYMBOLS } from '../../src/domain/market/synthetic.ts';
import { loadConfig } from '../../src/config/config.ts';
import { buildTrading } from '../../src/main/build-trading.ts';
import { EventType } from '../../src/ports/event-store.ts';
import { createTestDeps } from '../helpers/test-deps.ts';

const ASTER = {
  AIS_EXCHANGE: 'aster',
  ASTER_API_KEY: 'live-key-0123456789',
  ASTER_API_SECRET: 'live-secret-0123456789',
  AIS_RISK_HMAC_SECRET: 'live-risk-secret-0123456789abcdef0123',
  AIS_MARKET_BAR_MS: '60000',
};

async function run(env: Record<string, string>, cycles: number) {
  // The test worker's store, metrics and risk side on paper (a whole aster worker would first need
  // an exchange to answer its start-up checks); the trading side built with the aster config.
  const t = await createTestDeps(env);
  const config = loadConfig({ AIS_DB_URL: ':memory:', ...ASTER, ...env });
  const market = createSyntheticMarket({
    seed: 1,
    symbols: DEFAULT_SYMBOLS,
    barMs: 60_000,
    startMs: Date.now() - 300 * 60_000,
  });
  market.advanceTo(Date.now());
  const exchange = createPaperExchange({ market, initialBalanceUsd: 100_000, nowMs: Date.now });
  const linesBefore = t.logs.lines.length; // the test worker's own start lines come before
  const trading = buildTrading({
    config,
    risk: t.risk,
    store: t.store,
    metrics: t.metrics,
    logger: t.deps.logger,
    decisionLog: t.decisionLog,
    nowMs: Date.now,
    overrides: { exchange },
  });
  // A live install starts HALTED; the operator makes it ACTIVE.
  expect((await t.risk.control.apply({ type: 'set_state', state: 'ACTIVE', by: 'ops' })).ok).toBe(
    true,
  );
  for (let i = 0; i < cycles; i++) {
    market.step();
    exchange.onBar();
    await trading.coordinator.runCycle();
  }
  const signals = await t.store.query({ type: EventType.signal, limit: 10_000 });
  const orders = await t.store.query({ type: EventType.order, limit: 10_000 });
  const agentLine = t.logs.lines
    .slice(linesBefore)
    .find((l) => String(l.message).includes('agents'));
  return { signals, orders, agentLine, trading, t, market, exchange };
}

describe('built-in agents on a live exchange', () => {
  test('without AIS_AGENTS, none runs: no signal, no order, and the start line says so', async () => {
    const { signals, orders, agentLine } = await run({}, 150);
    expect(signals).toHaveLength(0);
    expect(orders).toHaveLength(0);
    expect(agentLine).toMatchObject({
      message:
        'No trading agents: the worker is a risk gate and monitor for external signals and checks',
      extra_json: { agents: [], exchange: 'aster' },
    });
  });

  test('without agents, an external signal is still sized, risk-checked and traded (the risk gate)', async () => {
    const { trading, t, market, exchange } = await run({}, 5);
    expect(
      trading.coordinator.submitSignal({
        agentId: 'external-trader',
        symbol: 'BTCUSDT',
        direction: 'LONG',
        confidence: 1,
        sizeHint: 0.02,
        rationale: 'external',
        timeMs: Date.now(),
      }),
    ).toBe(true);
    market.step();
    exchange.onBar();
    await trading.coordinator.runCycle();
    const orders = await t.store.query({ type: EventType.order, limit: 100 });
    const decisions = await t.store.query({ type: EventType.riskDecision, limit: 100 });
    expect(orders.map((o) => (o.payload as { agent_id?: string }).agent_id)).toContain(
      'external-trader',
    );
    expect(decisions.length).toBeGreaterThan(0);
  });

  test('AIS_AGENTS names them: they signal and trade the live exchange', async () => {
    const { signals, orders, agentLine } = await run(
      { AIS_AGENTS: 'momentum,mean_reversion,volatility_breakout' },
      150,
    );
    expect(new Set(signals.map((s) => (s.payload as { agent_id: string }).agent_id)).size).toBe(3);
    expect(orders.length).toBeGreaterThan(0);
    expect(agentLine).toMatchObject({
      message: 'Trading agents',
      extra_json: { agents: ['momentum', 'mean_reversion', 'volatility_breakout'] },
    });
  });

  test('one named agent runs alone', async () => {
    const { signals } = await run({ AIS_AGENTS: 'mean_reversion' }, 150);
    expect(signals.length).toBeGreaterThan(0);
    expect(
      signals.every((s) => (s.payload as { agent_id: string }).agent_id === 'mean_reversion'),
    ).toBe(true);
  });
});
