// The trading side's metrics: portfolio, agents, execution, exchange, risk, the loop (names,
// types, labels and HELP texts as the AIS catalogue has them).
import { type MetricMakers, RISK_CHECK } from './metric-makers.ts';

/** Portfolio. */
const portfolioMetrics = ({ gauge }: MetricMakers) => ({
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
  netExposure: gauge('ais_net_exposure', 'Sum of signed position notionals as a fraction of NAV.'),
});

/** Agents. */
const agentsMetrics = ({ counter, histogram }: MetricMakers) => ({
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
});

/** Execution. */
const executionMetrics = ({ gauge, counter }: MetricMakers) => ({
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
});

/** Exchange. */
const exchangeMetrics = ({ gauge, counter, histogram }: MetricMakers) => ({
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
});

/** Risk. */
const riskMetrics = ({ gauge, counter, histogram }: MetricMakers) => ({
  killSwitchTriggers: counter(
    'ais_kill_switch_triggers_total',
    'Kill switch activations, by source (manual, drawdown, reconciliation).',
    ['source'],
  ),
  killSwitchActive: gauge('ais_kill_switch_active', '1 while the kill switch is engaged, else 0.'),
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
});

/** Loop. */
const loopMetrics = ({ gauge, counter, histogram }: MetricMakers) => ({
  loopCycles: counter('ais_loop_cycles_total', 'Coordinator cycles completed.'),
  loopCycle: histogram('ais_loop_cycle_seconds', 'Duration of a coordinator cycle.'),
  loopErrors: counter('ais_loop_errors_total', 'Errors in the trading loop, by stage.', ['stage']),
  loopHeartbeat: gauge(
    'ais_loop_heartbeat_epoch',
    'Unix time in seconds of the last completed coordinator cycle.',
  ),
  loopHalted: gauge(
    'ais_loop_halted',
    '1 while the loop places no new exposure (halted or kill switch), else 0.',
  ),
});

/** Every trading metric, registered in this order. */
export const tradingMetrics = (m: MetricMakers) => ({
  ...portfolioMetrics(m),
  ...agentsMetrics(m),
  ...executionMetrics(m),
  ...exchangeMetrics(m),
  ...riskMetrics(m),
  ...loopMetrics(m),
});
