import { describe, expect, it } from 'bun:test';
import { spawnSync } from 'node:child_process';
import { createPrometheusMetrics } from '../../../src/adapters/metrics/prometheus.ts';
import { requireBinary } from '../../helpers/binaries.ts';

/** The whole catalogue from product.md: the original's metrics plus this worker's additions. */
const CATALOGUE = {
  gauge: [
    'ais_nav',
    'ais_pnl',
    'ais_drawdown',
    'ais_leverage',
    'ais_exposure',
    'ais_gross_exposure',
    'ais_net_exposure',
    'ais_aster_data_age_seconds',
    'ais_kill_switch_active',
    'ais_trading_state',
    'ais_loop_heartbeat_epoch',
    'ais_loop_halted',
    'ais_circuit_breaker_state',
    'ais_rate_limiter_tokens',
    'ais_reconciliation_mismatches',
    'ais_reconciliation_last_run_timestamp_seconds',
    'ais_event_store_bytes',
    'ais_event_store_disk_free_bytes',
    'ais_event_store_events',
    'ais_protective_stop_price',
    'ais_exchange_stream_connected',
  ],
  counter: [
    'ais_signals_total',
    'ais_signals_approved_total',
    'ais_signals_rejected_total',
    'ais_orders_submitted_total',
    'ais_orders_filled_total',
    'ais_paper_fills_total',
    'ais_aster_errors_total',
    'ais_exchange_errors_total',
    'ais_exchange_refusals_total',
    'ais_kill_switch_triggers_total',
    'ais_risk_rejections_total',
    'ais_stop_loss_triggers_total',
    'ais_loop_cycles_total',
    'ais_loop_errors_total',
    'ais_circuit_breaker_failures_total',
    'ais_circuit_breaker_successes_total',
    'ais_circuit_breaker_rejections_total',
    'ais_circuit_breaker_transitions_total',
    'ais_rate_limiter_throttled_total',
    'ais_reconciliation_runs_total',
    'ais_exchange_stream_events_total',
    'ais_exchange_stream_reconnects_total',
    'ais_alerts_received_total',
    'ais_event_store_appends_total',
    'ais_http_requests_total',
    'ais_event_store_pruned_total',
  ],
  histogram: [
    'ais_agent_latency_seconds',
    'ais_aster_latency_seconds',
    'ais_exchange_latency_seconds',
    'ais_risk_check_seconds',
    'ais_loop_cycle_seconds',
    'ais_reconciliation_duration_seconds',
    'ais_http_request_duration_seconds',
  ],
};

/** Feeds every method of the port once, so that labelled series appear in the output. */
function fedMetrics() {
  const m = createPrometheusMetrics({ version: 'test', runtime: 'bun', instance: 'test' });
  m.portfolio({
    navUsd: 100_000,
    pnlFraction: 0.01,
    drawdown: 0.02,
    leverage: 0.5,
    grossExposure: 0.5,
    netExposure: 0.1,
    exposureBySymbol: { BTCUSDT: 0.1 },
  });
  m.signal('momentum', 'LONG');
  m.agentLatency('momentum', 0.002);
  m.riskDecision(true, undefined, 0.000004);
  m.riskDecision(false, 'drawdown', 0.000004);
  m.orderSubmitted('BTCUSDT', 'BUY');
  m.orderFilled('BTCUSDT', 'BUY', true);
  m.protectiveStop('BTCUSDT', 58_200);
  m.streamConnected('aster', true);
  m.streamEvent('fill');
  m.streamReconnect();
  m.stopLoss('BTCUSDT');
  m.exchangeCall('aster', 'orders', 0.05, false);
  m.exchangeRefused('aster', 'new_order', '-4225');
  m.dataAge('mark_price', 1.5);
  m.killSwitch(true);
  m.killSwitchTriggered('manual');
  m.tradingState('REDUCING');
  m.loopCycle(0.01, 1_700_000_000);
  m.loopError('agent');
  m.loopHalted(true);
  m.breakerTransition('exchange.orders', 'closed', 'open');
  m.breakerCounts('exchange.orders', () => ({ successes: 0, failures: 0, rejections: 1 }));
  m.limiterTokens('aster.weight', 2400);
  m.limiterThrottled('aster.weight');
  m.reconciliation('failed', { position: 1, balance: 0, trade: 0 }, 0.01, 1_700_000_000);
  m.alertReceived('AisDrawdownHigh', 'critical', 'firing');
  m.alertNotification('slack', 'sent');
  m.eventsAppended('signal', 3);
  m.eventStoreFlush(0.002);
  m.eventStoreFootprint({ bytes: 4096, diskFreeBytes: 1e9, eventsByType: { risk_decision: 10 } });
  m.eventsPruned('risk_decision', 5);
  m.decisionLogged(2);
  m.httpRequest('GET', '/health', 200, 0.001);
  return m;
}

describe('prometheus metrics catalogue', () => {
  it('declares every catalogue metric with its type', async () => {
    const text = await createPrometheusMetrics({
      version: 't',
      runtime: 'bun',
      instance: 'i',
    }).render();
    for (const [type, names] of Object.entries(CATALOGUE)) {
      for (const name of names) expect(text).toContain(`# TYPE ${name} ${type}\n`);
    }
  });

  it('passes promtool check metrics, unfed and fed', async () => {
    const promtool = requireBinary('promtool');
    for (const m of [
      createPrometheusMetrics({ version: 't', runtime: 'bun', instance: 'i' }),
      fedMetrics(),
    ]) {
      const result = spawnSync(promtool, ['check', 'metrics'], {
        input: await m.render(),
        encoding: 'utf8',
      });
      expect(`${result.stdout}${result.stderr}`).toBe('');
      expect(result.status).toBe(0);
    }
  });

  it('maps breaker and trading states to the documented numbers', async () => {
    const text = await fedMetrics().render();
    expect(text).toContain('ais_circuit_breaker_state{breaker="exchange.orders"} 2');
    expect(text).toContain('ais_trading_state 1');
    expect(text).toContain('ais_risk_rejections_total{guard="drawdown"} 1');
    expect(text).toContain('ais_aster_errors_total{tool="orders"} 1');
  });

  it('reads the breaker counters from the breakers when collected, adding up breakers of one name', async () => {
    const m = createPrometheusMetrics({
      version: 't',
      runtime: 'bun',
      instance: 'i',
      processMetrics: false,
    });
    const first = { successes: 3, failures: 1, rejections: 0 };
    const second = { successes: 2, failures: 0, rejections: 4 };
    m.breakerCounts('svc', () => first);
    m.breakerCounts('svc', () => second);
    let text = await m.render();
    expect(text).toContain('ais_circuit_breaker_successes_total{breaker="svc"} 5');
    expect(text).toContain('ais_circuit_breaker_failures_total{breaker="svc"} 1');
    expect(text).toContain('ais_circuit_breaker_rejections_total{breaker="svc"} 4');
    first.successes += 10;
    text = await m.render();
    expect(text).toContain('ais_circuit_breaker_successes_total{breaker="svc"} 15');
    expect(text).toContain('ais_circuit_breaker_rejections_total{breaker="svc"} 4');
  });
});
