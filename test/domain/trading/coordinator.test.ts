// The coordinator's cycle end to end in process: the real paper exchange and synthetic market,
// the WASM risk engine, the in-memory libSQL store, prom-client metrics and pino logs.
import { describe, expect, test } from 'bun:test';
import type { Agent } from '../../../src/domain/trading/agents/agent.ts';
import { buildTrading } from '../../../src/main/build-trading.ts';
import {
  BUILT_IN_AGENT_IDS,
  createBuiltInAgents,
} from '../../../src/domain/trading/agents/built-in.ts';
import { EventType } from '../../../src/ports/event-store.ts';
import { createTestDeps } from '../../helpers/test-deps.ts';

async function setup(env: Record<string, string> = {}, agents?: Agent[]) {
  const t = await createTestDeps({ AIS_MARKET_BAR_MS: '60000', ...env });
  const trading = buildTrading({
    config: t.deps.config,
    risk: t.risk,
    store: t.store,
    metrics: t.metrics,
    logger: t.deps.logger,
    decisionLog: t.decisionLog,
    nowMs: Date.now,
    overrides: { agents },
  });
  const cycle = async () => {
    trading.paper!.market.step();
    trading.paper!.exchange.onBar();
    return trading.coordinator.runCycle();
  };
  return { ...t, trading, cycle };
}

const metricValue = (text: string, name: string) => {
  const line = text.split('\n').find((l) => l.startsWith(name + ' ') || l.startsWith(name + '{'));
  return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(' ') + 1));
};

describe('coordinator cycle', () => {
  test('cycles trade on paper and feed the portfolio, metrics, events, decision log and the seed log line', async () => {
    const { trading, cycle, logs, decisions, store, metrics, risk } = await setup();
    let approved = 0;
    for (let i = 0; i < 200; i++) if ((await cycle()).risk_approved) approved++;
    expect(approved).toBeGreaterThan(0);

    const lines = logs.lines.filter((l) => l.message === 'Cycle completed');
    expect(lines).toHaveLength(200);
    expect(lines[0]).toMatchObject({ level: 'INFO', logger: 'ais.orchestration.coordinator' });
    expect(Object.keys(lines[0]!.extra_json as object).sort()).toEqual([
      'cycle',
      'duration_ms',
      'risk_approved',
      'signal_selected',
      'signals_generated',
    ]);
    expect((lines[199]!.extra_json as { cycle: number }).cycle).toBe(200);

    const cycleDecisions = decisions.filter((d) => d.kind === 'cycle_decision');
    expect(cycleDecisions.length).toBeGreaterThan(0);
    expect(cycleDecisions.find((d) => d.order)).toMatchObject({
      selected: expect.any(Object),
      verdict: { checks: expect.any(Array) },
    });

    const fills = await store.query({ type: EventType.fill });
    expect(fills.length).toBeGreaterThan(0);
    const orders = await store.query({ type: EventType.order, limit: 10_000 });
    const stopOrders = orders.filter(
      (e) => (e.payload as { agent_id?: string }).agent_id === 'protective_stop',
    );
    expect(orders.length - stopOrders.length).toBe(fills.length);
    expect((await store.query({ type: EventType.signal, limit: 1 })).length).toBe(1);
    expect((await store.query({ type: EventType.portfolio, limit: 1 })).length).toBe(1);

    // The internal book matches the paper exchange's own account.
    const book = risk.portfolio.get();
    for (const p of await trading.exchange.positions())
      expect(book.positions[p.symbol]?.quantity).toBeCloseTo(p.quantity, 9);
    expect(trading.orders.ourOrders.size).toBe(fills.length + stopOrders.length);
    // Every open position carries its protective stop on the exchange, and only those.
    await trading.stops!.sync();
    const stops = (await trading.exchange.openOrders()).filter((x) => x.type === 'STOP_MARKET');
    expect(stops.map((x) => x.symbol).sort()).toEqual(
      (await trading.exchange.positions()).map((p) => p.symbol).sort(),
    );

    const text = await metrics.render();
    expect(metricValue(text, 'ais_loop_cycles_total')).toBe(200);
    expect(metricValue(text, 'ais_nav')).toBeGreaterThan(0);
    expect(metricValue(text, 'ais_orders_submitted_total')).toBeGreaterThan(0);
    expect(metricValue(text, 'ais_paper_fills_total')).toBeGreaterThan(0);
    expect(metricValue(text, 'ais_signals_total')).toBeGreaterThan(0);
    expect(metricValue(text, 'ais_loop_heartbeat_epoch')).toBeGreaterThan(1.7e9);
    expect(text).toContain('ais_agent_latency_seconds_count{agent_id="momentum"}');
  });

  test('a drawdown breach in a scripted crash trips the kill switch, after which nothing new trades', async () => {
    const { trading, cycle, risk, store } = await setup({
      AIS_STOP_LOSS: '0',
      AIS_MAX_DRAWDOWN: '0.01',
    });
    for (let i = 0; i < 400 && Object.keys(risk.portfolio.get().positions).length === 0; i++)
      await cycle();
    const held = Object.values(risk.portfolio.get().positions);
    expect(held.length).toBeGreaterThan(0);
    // Crash every held symbol against its position, hard enough to lose more than 5 % of NAV.
    for (const p of held) trading.paper!.market.shock(p.symbol, p.quantity > 0 ? -0.95 : 3);
    await cycle();
    const state = risk.control.state();
    expect(state.killSwitch.active).toBe(true);
    expect(state.killSwitch.reason).toContain('drawdown');
    const kill = await store.latest(EventType.killSwitch);
    expect(kill?.payload).toMatchObject({ active: true, by: 'coordinator' });

    const ordersBefore = (await store.query({ type: EventType.order })).length;
    for (let i = 0; i < 50; i++) await cycle();
    expect((await store.query({ type: EventType.order })).length).toBe(ordersBefore);
  });

  test('HALTED stops new orders; an external signal joins the next cycle', async () => {
    const { trading, cycle, risk, store } = await setup();
    await risk.control.apply({ type: 'set_state', state: 'HALTED', by: 'test' });
    for (let i = 0; i < 100; i++) await cycle();
    expect(await store.query({ type: EventType.order })).toEqual([]);
    const accepted = trading.coordinator.submitSignal({
      agentId: 'external-1',
      symbol: 'BTCUSDT',
      direction: 'LONG',
      confidence: 1,
      sizeHint: 0.02,
      rationale: 'test',
      timeMs: Date.now(),
    });
    expect(accepted).toBe(true);
    await risk.control.apply({ type: 'set_state', state: 'ACTIVE', by: 'test' });
    const summary = await cycle();
    expect(summary.signals_generated).toBeGreaterThanOrEqual(1);
    const signals = await store.query({ type: EventType.signal, newestFirst: true, limit: 50 });
    expect(signals.some((s) => s.payload.agent_id === 'external-1')).toBe(true);
  });

  test('an agent that throws is counted and logged, and the cycle goes on with the others', async () => {
    const broken: Agent = {
      id: 'broken',
      lookback: 1,
      analyze: () => {
        throw new Error('boom');
      },
    };
    const { cycle, metrics, logs } = await setup({}, [
      broken,
      ...createBuiltInAgents(BUILT_IN_AGENT_IDS),
    ]);
    let signals = 0;
    for (let i = 0; i < 50; i++) signals += (await cycle()).signals_generated;
    expect(signals).toBeGreaterThan(0);
    const failed = logs.lines.filter((l) => l.message === 'Agent failed');
    expect(failed).toHaveLength(50);
    // The error under pino's `err` key, serialised with its type, message and stack.
    expect(failed[0]!.extra_json).toMatchObject({
      agent_id: 'broken',
      err: { type: 'Error', message: 'boom', stack: expect.stringContaining('boom') },
    });
    expect(logs.lines.filter((l) => l.message === 'Cycle completed')).toHaveLength(50);
    expect(await metrics.render()).toContain('ais_loop_errors_total{stage="agent"} 50');
  });

  test('a stop-loss closes a losing position through the risk check and counts it', async () => {
    const { trading, cycle, risk, metrics } = await setup({
      AIS_STOP_LOSS: '0.02',
      AIS_STOP_LOSS_ON_EXCHANGE: 'false',
    }); // the loop's own stop-loss, alone
    for (let i = 0; i < 400 && Object.keys(risk.portfolio.get().positions).length === 0; i++)
      await cycle();
    const [held] = Object.values(risk.portfolio.get().positions);
    expect(held).toBeDefined();
    trading.paper!.market.shock(held!.symbol, held!.quantity > 0 ? -0.1 : 0.1);
    await cycle();
    expect(risk.portfolio.get().positions[held!.symbol]?.quantity ?? 0).not.toBe(held!.quantity);
    expect(await metrics.render()).toContain(
      `ais_stop_loss_triggers_total{symbol="${held!.symbol}"} 1`,
    );
  });

  test('does not send an order the exchange would refuse: counted by reason and logged', async () => {
    const { trading, cycle, metrics, logs, store } = await setup({}, []);
    // 0.0003 of NAV (100,000 USD) is 30 USD of BTC: under its minimum quantity, 0.001 BTC (about 60 USD).
    trading.coordinator.submitSignal({
      agentId: 'drill',
      symbol: 'BTCUSDT',
      direction: 'LONG',
      confidence: 1,
      sizeHint: 0.0003,
      rationale: 'too small',
      timeMs: Date.now(),
    });
    await cycle();
    expect(await metrics.render()).toContain('ais_orders_skipped_total{reason="min_qty"} 1');
    expect(
      logs.lines.find((l) => l.message === 'Order not sent: the exchange would refuse it'),
    ).toMatchObject({
      level: 'WARNING',
      extra_json: { symbol: 'BTCUSDT', reason: 'min_qty', bound: 0.001 },
    });
    expect(await store.query({ type: EventType.order })).toEqual([]);
  });
});
