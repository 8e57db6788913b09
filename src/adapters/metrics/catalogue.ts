// Every metric the worker exports, in one non-global prom-client registry: the original AIS
// catalogue (names, types, labels) plus this worker's additions. HELP texts carry units and enums.
import { Counter, Gauge, Histogram, Registry } from 'prom-client';

/** Latency buckets in seconds from 50 µs (WASM risk checks) to 10 s (a slow exchange). */
const LATENCY = [
  0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5,
  5, 10,
];
/** Microsecond-scale buckets for in-process risk checks. */
const RISK_CHECK = [
  0.000001, 0.0000025, 0.000005, 0.00001, 0.000025, 0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.005,
];

export function createCatalogue(registry: Registry) {
  const r = [registry];
  const gauge = <L extends string>(name: string, help: string, labelNames: readonly L[] = []) =>
    new Gauge<L>({ name, help, labelNames, registers: r });
  const counter = <L extends string>(name: string, help: string, labelNames: readonly L[] = []) =>
    new Counter<L>({ name, help, labelNames, registers: r });
  const histogram = <L extends string>(
    name: string,
    help: string,
    labelNames: readonly L[] = [],
    buckets = LATENCY,
  ) => new Histogram<L>({ name, help, labelNames, buckets, registers: r });

  return {
    // Portfolio
    nav: gauge('ais_nav', 'Net asset value in USD.'),
    pnl: gauge('ais_pnl', 'Profit and loss as a fraction of the starting NAV.'),
    drawdown: gauge(
      'ais_drawdown',
      'Drawdown from the NAV high-water mark, as a fraction (0.05 = 5%).',
    ),
    leverage: gauge('ais_leverage', 'Gross notional divided by NAV.'),
    exposure: gauge('ais_exposure', 'Signed notional exposure per symbol as a fraction of NAV.', [
      'symbol',
    ]),
    grossExposure: gauge(
      'ais_gross_exposure',
      'Sum of absolute position notionals as a fraction of NAV.',
    ),
    netExposure: gauge(
      'ais_net_exposure',
      'Sum of signed position notionals as a fraction of NAV.',
    ),
    // Agents
    agentLatency: histogram(
      'ais_agent_latency_seconds',
      'Time an agent spent producing its signals.',
      ['agent_id'],
    ),
    signals: counter('ais_signals_total', 'Signals produced, by agent and direction.', [
      'agent_id',
      'direction',
    ]),
    signalsApproved: counter(
      'ais_signals_approved_total',
      'Orders and signals the risk engine approved.',
    ),
    signalsRejected: counter(
      'ais_signals_rejected_total',
      'Orders and signals the risk engine rejected, by reason (guard).',
      ['reason'],
    ),
    // Execution
    ordersSubmitted: counter('ais_orders_submitted_total', 'Orders sent to the exchange.', [
      'symbol',
      'side',
    ]),
    ordersFilled: counter('ais_orders_filled_total', 'Orders filled by the exchange.', [
      'symbol',
      'side',
    ]),
    streamConnected: gauge(
      'ais_exchange_stream_connected',
      'Whether the exchange user-data stream (listen-key WebSocket) is connected: 1 yes, 0 no (the worker polls meanwhile). Absent on paper.',
      ['exchange'],
    ),
    streamEvents: counter(
      'ais_exchange_stream_events_total',
      'User-data stream messages, by event type (fill, order, account, margin_call, listen_key_expired, malformed).',
      ['type'],
    ),
    streamReconnects: counter(
      'ais_exchange_stream_reconnects_total',
      'User-data stream reconnection attempts.',
    ),
    marginRatio: gauge(
      'ais_margin_ratio',
      'Maintenance margin / margin balance of the account as last read from the exchange (1 = liquidation); absent until the first read.',
    ),
    liquidationDistance: gauge(
      'ais_liquidation_distance',
      'Per open position, |mark - liquidation price| / mark as last read from the exchange (1 without a liquidation price); absent when flat.',
      ['symbol'],
    ),
    protectiveStopPrice: gauge(
      'ais_protective_stop_price',
      'Trigger (mark) price in USD of the protective stop each open position carries on the exchange; absent when it has none.',
      ['symbol'],
    ),
    paperFills: counter('ais_paper_fills_total', 'Fills simulated by the paper exchange.', [
      'symbol',
      'side',
    ]),
    ordersHeld: counter(
      'ais_orders_held_total',
      'Orders not sent because the exchange refused the same order (symbol, side, intent) and nothing it depends on changed, by refusal reason (margin_insufficient, notional_too_small, position_gone, precision, filter, symbol_status, settings_changed, rejected).',
      ['reason'],
    ),
    ordersSkipped: counter(
      'ais_orders_skipped_total',
      'Orders not sent because the exchange symbol rules would refuse them, by reason (symbol_unknown, symbol_not_trading, min_qty, min_notional).',
      ['reason'],
    ),
    // Exchange
    asterLatency: histogram(
      'ais_aster_latency_seconds',
      'Latency of Aster API calls, by tool (endpoint group).',
      ['tool'],
    ),
    asterErrors: counter(
      'ais_aster_errors_total',
      'Failed Aster API calls, by tool (endpoint group).',
      ['tool'],
    ),
    asterDataAge: gauge(
      'ais_aster_data_age_seconds',
      'Age of the newest exchange data of each type, in seconds.',
      ['data_type'],
    ),
    exchangeLatency: histogram(
      'ais_exchange_latency_seconds',
      'Latency of exchange calls, by exchange and operation.',
      ['exchange', 'operation'],
    ),
    exchangeErrors: counter(
      'ais_exchange_errors_total',
      'Failed exchange calls, by exchange and operation.',
      ['exchange', 'operation'],
    ),
    exchangeRefusals: counter(
      'ais_exchange_refusals_total',
      'Requests the exchange refused (4xx, rate limits included), by exchange, operation and the exchange error code (e.g. -1022 bad signature, -4225 nonce refused, -2019 margin insufficient; http_<status> without one: http_429, http_418, http_403 web firewall).',
      ['exchange', 'operation', 'code'],
    ),
    streamSilent: counter(
      'ais_exchange_stream_silent_total',
      'Times the user-data stream was found silent and restarted with a new listen key, by exchange and reason (listen_key_gone: the probe answered -1125; no_events: REST saw a trade the stream never carried).',
      ['exchange', 'reason'],
    ),
    symbolHold: gauge(
      'ais_symbol_hold',
      '1 while a symbol is held (REDUCING or HALTED for that symbol alone), by symbol and cause (liquidation, delisted, settings); absent otherwise.',
      ['symbol', 'cause'],
    ),
    symbolTrading: gauge(
      'ais_symbol_trading',
      "1 while a traded symbol's status in exchangeInfo is TRADING, 0 while it is not (SETTLING, CLOSE, PENDING_TRADING …: a delisting or a break), by symbol; set on every read of the rules (AIS_SYMBOL_RULES_REFRESH_S).",
      ['symbol'],
    ),
    ledgerUsd: counter(
      'ais_account_ledger_usd_total',
      'USD booked by the account ledger since start, by kind (realized_pnl, commission, funding, transfer, insurance_clear, rebate, bonus, other) and direction (in: credited, out: debited).',
      ['kind', 'direction'],
    ),
    exchangeSchemaFailures: counter(
      'ais_exchange_schema_failures_total',
      'Exchange answers that were JSON but off the documented shape (a field missing or mistyped), by exchange and operation: that read failed; breakers do not count it.',
      ['exchange', 'operation'],
    ),
    // Risk
    killSwitchTriggers: counter(
      'ais_kill_switch_triggers_total',
      'Kill switch activations, by source (manual, drawdown, reconciliation).',
      ['source'],
    ),
    killSwitchActive: gauge(
      'ais_kill_switch_active',
      '1 while the kill switch is engaged, else 0.',
    ),
    tradingState: gauge('ais_trading_state', 'Trading state: 0 ACTIVE, 1 REDUCING, 2 HALTED.'),
    riskLimit: gauge(
      'ais_risk_limit',
      'The risk limit in force, by guard, in the unit of the figure it bounds: fractions for drawdown, daily_loss, gross_exposure, net_exposure, position_weight and liquidation_distance (a floor); times NAV for leverage; USD for order_notional; orders per minute for order_rate.',
      ['guard'],
    ),
    riskRejections: counter(
      'ais_risk_rejections_total',
      'Risk rejections, by the first failing guard.',
      ['guard'],
    ),
    riskCheck: histogram(
      'ais_risk_check_seconds',
      'Time of one pre-trade risk check (batches count per order).',
      [],
      RISK_CHECK,
    ),
    stopLoss: counter(
      'ais_stop_loss_triggers_total',
      'Per-position stop-losses triggered: by the loop, or executed on the exchange as a protective stop.',
      ['symbol'],
    ),
    // Loop
    loopCycles: counter('ais_loop_cycles_total', 'Coordinator cycles completed.'),
    loopCycle: histogram('ais_loop_cycle_seconds', 'Duration of a coordinator cycle.'),
    loopErrors: counter('ais_loop_errors_total', 'Errors in the trading loop, by stage.', [
      'stage',
    ]),
    loopHeartbeat: gauge(
      'ais_loop_heartbeat_epoch',
      'Unix time in seconds of the last completed coordinator cycle.',
    ),
    loopHalted: gauge(
      'ais_loop_halted',
      '1 while the loop places no new exposure (halted or kill switch), else 0.',
    ),
    // Circuit breakers
    breakerState: gauge(
      'ais_circuit_breaker_state',
      'Circuit breaker state: 0 closed, 1 half_open, 2 open.',
      ['breaker'],
    ),
    breakerFailures: counter(
      'ais_circuit_breaker_failures_total',
      'Calls through a breaker that failed.',
      ['breaker'],
    ),
    breakerSuccesses: counter(
      'ais_circuit_breaker_successes_total',
      'Calls through a breaker that succeeded.',
      ['breaker'],
    ),
    breakerRejections: counter(
      'ais_circuit_breaker_rejections_total',
      'Calls a breaker refused without trying.',
      ['breaker'],
    ),
    breakerTransitions: counter('ais_circuit_breaker_transitions_total', 'Breaker state changes.', [
      'breaker',
      'from_state',
      'to_state',
    ]),
    // Rate limiters
    limiterTokens: gauge('ais_rate_limiter_tokens', 'Tokens available in a rate limiter bucket.', [
      'limiter',
    ]),
    limiterThrottled: counter(
      'ais_rate_limiter_throttled_total',
      'Acquires a rate limiter refused.',
      ['limiter'],
    ),
    // Reconciliation
    reconciliationRuns: counter(
      'ais_reconciliation_runs_total',
      'Reconciliation runs, by outcome (passed, failed, error, deferred).',
      ['status'],
    ),
    reconciliationMismatches: gauge(
      'ais_reconciliation_mismatches',
      'Non-matching results in the last reconciliation, by check type.',
      ['check_type'],
    ),
    reconciliationLastRun: gauge(
      'ais_reconciliation_last_run_timestamp_seconds',
      'Unix time in seconds of the last reconciliation run.',
    ),
    reconciliationDuration: histogram(
      'ais_reconciliation_duration_seconds',
      'Duration of a reconciliation run.',
    ),
    // Alerts
    alertsReceived: counter('ais_alerts_received_total', 'Alerts received from Alertmanager.', [
      'alertname',
      'severity',
      'status',
    ]),
    alertDuplicates: counter(
      'ais_alerts_duplicate_total',
      'Alertmanager alerts received again with the same fingerprint, status and start within the dedup window (AIS_ALERT_DEDUP_MS): not stored, counted or sent again.',
      ['alertname'],
    ),
    alertNotifications: counter(
      'ais_alert_notifications_total',
      'Alert fan-out by channel and outcome: messages sent or failed (one per alert group), alerts skipped (below the minimum severity), coalesced (a newer status replaced a waiting one) or dropped (queue full, or given up after 3 attempts).',
      ['channel', 'outcome'],
    ),
    // Records
    eventAppends: counter(
      'ais_event_store_appends_total',
      'Events made durable in the event store, by type.',
      ['type'],
    ),
    eventFlush: histogram(
      'ais_event_store_flush_seconds',
      'Duration of one group-commit flush of the event store.',
    ),
    eventStoreBytes: gauge(
      'ais_event_store_bytes',
      'Size of the local event store on disk (database file + WAL), in bytes.',
    ),
    eventStoreDiskFree: gauge(
      'ais_event_store_disk_free_bytes',
      'Free bytes on the file system holding the local event store.',
    ),
    eventStoreEvents: gauge('ais_event_store_events', 'Events held in the event store, by type.', [
      'type',
    ]),
    eventsPruned: counter(
      'ais_event_store_pruned_total',
      'Events deleted by retention (AIS_RETENTION_DAYS), by type.',
      ['type'],
    ),
    clockStep: gauge(
      'ais_clock_step_seconds',
      'Unexplained step of the wall clock against the monotonic clock, in seconds (+ forward, - backward); 0 when within AIS_CLOCK_STEP_TOLERANCE_MS. While not 0, retention does not prune.',
    ),
    clockSteps: counter(
      'ais_clock_steps_total',
      'Steps of the wall clock beyond the tolerance, by direction (forward, backward).',
      ['direction'],
    ),
    decisionLines: counter(
      'ais_decision_log_lines_total',
      'Lines written to the decision audit trail.',
    ),
    // HTTP
    httpRequests: counter(
      'ais_http_requests_total',
      'HTTP requests, by method, route pattern and status.',
      ['method', 'route', 'status'],
    ),
    httpDuration: histogram(
      'ais_http_request_duration_seconds',
      'HTTP request duration, by method and route pattern.',
      ['method', 'route'],
    ),
    // Identity
    buildInfo: gauge('ais_build_info', 'Always 1; labels name the version, runtime and instance.', [
      'version',
      'runtime',
      'instance',
    ]),
  };
}

export type Catalogue = ReturnType<typeof createCatalogue>;
