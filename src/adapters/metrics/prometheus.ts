// The Metrics port on prom-client, plus rendering for GET /metrics.
import { collectDefaultMetrics, type Counter, Registry } from 'prom-client';
import { REFUSAL_REASONS } from '../../domain/trading/refusals.ts';
import { SKIP_REASONS } from '../../domain/trading/sizing.ts';
import type { BreakerCounts, BreakerState, Metrics, TradingState } from '../../ports/metrics.ts';
import { type Catalogue, createCatalogue } from './catalogue.ts';
import { liveAccountMetrics } from './live-account-metrics.ts';
import { residentMemoryFallback } from './process-memory.ts';

const BREAKER_STATE: Record<BreakerState, number> = { closed: 0, half_open: 1, open: 2 };
const TRADING_STATE: Record<TradingState, number> = { ACTIVE: 0, REDUCING: 1, HALTED: 2 };

/** prom-client defaults that `promtool check metrics` rejects (gauges named `_total`). */
const LINT_FAILURES = [
  'nodejs_active_handles_total',
  'nodejs_active_requests_total',
  'nodejs_active_resources_total',
];
/** Event-loop lag needs perf_hooks.monitorEventLoopDelay, which only Node implements faithfully. */
const EVENT_LOOP_LAG = ['min', 'max', 'mean', 'stddev', 'p50', 'p90', 'p99', ''].map(
  (s) => `nodejs_eventloop_lag${s ? `_${s}` : ''}_seconds`,
);

export interface PrometheusMetrics extends Metrics {
  readonly registry: Registry;
  readonly catalogue: Catalogue;
  render(): Promise<string>;
  readonly contentType: string;
}

interface PrometheusOptions {
  version: string;
  runtime: string;
  instance: string;
  /** Process metrics (CPU, memory, event loop) where the runtime supports them. */
  processMetrics?: boolean;
}

export function createPrometheusMetrics(opts: PrometheusOptions): PrometheusMetrics {
  const registry = new Registry();
  const c = createCatalogue(registry);
  // Every guarded call has one breaker outcome, which the breaker counts itself: the counters read
  // those counts when prom-client collects (a scrape, render()), because its inc({…}) hashes the
  // labels on every call (about 250 ns, more than a guarded call's whole budget).
  const breakerCounts = new Map<string, (() => BreakerCounts)[]>();
  const breakerTotals = (field: keyof BreakerCounts) =>
    function* () {
      for (const [breaker, reads] of breakerCounts) {
        let total = 0;
        for (const read of reads) total += read()[field];
        yield [breaker, total] as const;
      }
    };
  totalsAtCollect(c.breakerSuccesses, 'breaker', breakerTotals('successes'));
  totalsAtCollect(c.breakerFailures, 'breaker', breakerTotals('failures'));
  totalsAtCollect(c.breakerRejections, 'breaker', breakerTotals('rejections'));
  // Each risk decision is counted once, here, and read by the two counters that report it
  // (ais_signals_rejected_total{reason} and ais_risk_rejections_total{guard}: one meaning, two
  // names the catalogue keeps) when prom-client collects.
  let approvals = 0;
  const rejections = new Map<string, number>();
  totalsAtCollect(c.signalsApproved, undefined, () => [['', approvals]]);
  totalsAtCollect(c.signalsRejected, 'reason', () => rejections);
  totalsAtCollect(c.riskRejections, 'guard', () => rejections);
  if (opts.processMetrics !== false) {
    try {
      collectDefaultMetrics({ register: registry });
      residentMemoryFallback(registry);
      for (const name of LINT_FAILURES) registry.removeSingleMetric(name);
      if (opts.runtime !== 'node')
        for (const name of EVENT_LOOP_LAG) registry.removeSingleMetric(name);
    } catch {
      // Some runtimes lack perf_hooks or /proc access; the ais_* catalogue does not depend on them.
    }
  }
  c.buildInfo.set({ version: opts.version, runtime: opts.runtime, instance: opts.instance }, 1);
  for (const direction of ['forward', 'backward']) c.clockSteps.inc({ direction }, 0);
  for (const m of [
    c.nav,
    c.pnl,
    c.drawdown,
    c.leverage,
    c.grossExposure,
    c.netExposure,
    c.killSwitchActive,
    c.tradingState,
    c.loopHalted,
    c.loopHeartbeat,
    c.reconciliationLastRun,
  ])
    m.set(0);
  for (const m of [c.signalsApproved, c.loopCycles]) m.inc(0);
  // Every skip and hold reason from 0, so rate() sees the first one and the panels show a flat line before it.
  for (const reason of SKIP_REASONS) c.ordersSkipped.inc({ reason }, 0);
  for (const reason of REFUSAL_REASONS) c.ordersHeld.inc({ reason }, 0);
  /** Symbols with an ais_liquidation_distance series, so that a closed position's series goes. */
  const liquidationSymbols = new Set<string>();

  return {
    registry,
    catalogue: c,
    contentType: registry.contentType,
    render: () => registry.metrics(),
    portfolio(p) {
      c.nav.set(p.navUsd);
      c.pnl.set(p.pnlFraction);
      c.drawdown.set(p.drawdown);
      c.leverage.set(p.leverage);
      c.grossExposure.set(p.grossExposure);
      c.netExposure.set(p.netExposure);
      for (const [symbol, v] of Object.entries(p.exposureBySymbol)) c.exposure.set({ symbol }, v);
    },
    signal: (agent_id, direction) => c.signals.inc({ agent_id, direction }),
    agentLatency: (agent_id, s) => c.agentLatency.observe({ agent_id }, s),
    riskDecision(approved, guard, seconds) {
      c.riskCheck.observe(seconds);
      if (approved) approvals++;
      else rejections.set(guard ?? 'unknown', (rejections.get(guard ?? 'unknown') ?? 0) + 1);
    },
    orderSubmitted: (symbol, side) => c.ordersSubmitted.inc({ symbol, side }),
    streamConnected: (exchange, connected) =>
      c.streamConnected.set({ exchange }, connected ? 1 : 0),
    streamEvent: (type) => c.streamEvents.inc({ type }),
    streamReconnect: () => c.streamReconnects.inc(),
    protectiveStop(symbol, stopPrice) {
      if (stopPrice === undefined) c.protectiveStopPrice.remove({ symbol });
      else c.protectiveStopPrice.set({ symbol }, stopPrice);
    },
    orderFilled(symbol, side, paper) {
      c.ordersFilled.inc({ symbol, side });
      if (paper) c.paperFills.inc({ symbol, side });
    },
    orderHeld: (reason) => c.ordersHeld.inc({ reason }),
    stopLoss: (symbol) => c.stopLoss.inc({ symbol }),
    margin(ratio, distances) {
      c.marginRatio.set(ratio);
      for (const symbol of liquidationSymbols)
        if (!(symbol in distances)) c.liquidationDistance.remove({ symbol });
      liquidationSymbols.clear();
      for (const [symbol, d] of Object.entries(distances)) {
        c.liquidationDistance.set({ symbol }, d);
        liquidationSymbols.add(symbol);
      }
    },
    exchangeRefused: (exchange, operation, code) =>
      c.exchangeRefusals.inc({ exchange, operation, code }),
    ...liveAccountMetrics(c),
    orderSkipped: (reason) => c.ordersSkipped.inc({ reason }),
    exchangeCall(exchange, operation, seconds, ok) {
      c.exchangeLatency.observe({ exchange, operation }, seconds);
      if (!ok) c.exchangeErrors.inc({ exchange, operation });
      if (exchange === 'aster') {
        c.asterLatency.observe({ tool: operation }, seconds);
        if (!ok) c.asterErrors.inc({ tool: operation });
      }
    },
    dataAge: (data_type, s) => c.asterDataAge.set({ data_type }, s),
    killSwitch: (active) => c.killSwitchActive.set(active ? 1 : 0),
    killSwitchTriggered: (source) => c.killSwitchTriggers.inc({ source }),
    tradingState: (state) => c.tradingState.set(TRADING_STATE[state]),
    loopCycle(seconds, epochSeconds) {
      c.loopCycles.inc();
      c.loopCycle.observe(seconds);
      c.loopHeartbeat.set(epochSeconds);
    },
    loopError: (stage) => c.loopErrors.inc({ stage }),
    loopHalted: (h) => c.loopHalted.set(h ? 1 : 0),
    breakerState(breaker, state) {
      c.breakerState.set({ breaker }, BREAKER_STATE[state]);
      // Every breaker's counters exist from its first state, at 0, so rate() and alerts see them.
      for (const m of [c.breakerSuccesses, c.breakerFailures, c.breakerRejections])
        m.inc({ breaker }, 0);
    },
    breakerCounts(breaker, read) {
      const reads = breakerCounts.get(breaker);
      if (reads) reads.push(read);
      else breakerCounts.set(breaker, [read]);
    },
    breakerTransition(breaker, from_state, to_state) {
      c.breakerTransitions.inc({ breaker, from_state, to_state });
      c.breakerState.set({ breaker }, BREAKER_STATE[to_state]);
    },
    limiterTokens(limiter, t) {
      c.limiterTokens.set({ limiter }, t);
      c.limiterThrottled.inc({ limiter }, 0);
    },
    limiterThrottled: (limiter) => c.limiterThrottled.inc({ limiter }),
    reconciliation(status, mismatches, seconds, epochSeconds) {
      c.reconciliationRuns.inc({ status });
      for (const [check_type, n] of Object.entries(mismatches))
        c.reconciliationMismatches.set({ check_type }, n);
      c.reconciliationDuration.observe(seconds);
      c.reconciliationLastRun.set(epochSeconds);
    },
    alertReceived: (alertname, severity, status) =>
      c.alertsReceived.inc({ alertname, severity, status }),
    riskLimits(byGuard) {
      for (const [guard, value] of Object.entries(byGuard))
        if (value !== undefined) c.riskLimit.set({ guard }, value);
    },
    clockStep(seconds, direction) {
      c.clockStep.set(seconds);
      if (direction) c.clockSteps.inc({ direction });
    },
    alertDuplicate: (alertname) => c.alertDuplicates.inc({ alertname }),
    alertNotification: (channel, outcome) => c.alertNotifications.inc({ channel, outcome }),
    eventsAppended: (type, n) => c.eventAppends.inc({ type }, n),
    eventStoreFlush: (s) => c.eventFlush.observe(s),
    eventStoreFootprint(f) {
      if (f.bytes !== undefined) c.eventStoreBytes.set(f.bytes);
      if (f.diskFreeBytes !== undefined) c.eventStoreDiskFree.set(f.diskFreeBytes);
      for (const [type, n] of Object.entries(f.eventsByType)) c.eventStoreEvents.set({ type }, n);
    },
    eventsPruned: (type, n) => c.eventsPruned.inc({ type }, n),
    decisionLogged: (lines) => c.decisionLines.inc(lines),
    decisionLogFailed: () => c.decisionLogFailures.inc(),
    httpRequest(method, route, status, seconds) {
      c.httpRequests.inc({ method, route, status: String(status) });
      c.httpDuration.observe({ method, route }, seconds);
    },
  };
}

/**
 * Makes `counter` catch up with running totals each time prom-client collects it (a scrape,
 * render()): `totals()` gives [label value, total so far] per series of the one label `label`
 * (undefined: the counter has no labels). Hot paths count in plain numbers; prom-client's
 * inc({…}) hashes the labels on every call (about 250 ns).
 */
function totalsAtCollect(
  counter: Counter<string>,
  label: string | undefined,
  totals: () => Iterable<readonly [string, number]>,
): void {
  const reported = new Map<string, number>();
  // prom-client calls a metric's `collect` before reading it (Metric config, assignable after).
  (counter as unknown as { collect: () => void }).collect = () => {
    for (const [value, total] of totals()) {
      const added = total - (reported.get(value) ?? 0);
      if (added > 0) {
        if (label === undefined) counter.inc(added);
        else counter.inc({ [label]: value }, added);
      }
      reported.set(value, total);
    }
  };
}
