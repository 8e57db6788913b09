// The four AIS dashboards of the original monitoring document, as code. `npm run dashboards` writes
// them to monitoring/grafana/dashboards/; test/monitoring/dashboards.test.ts checks the committed
// JSON matches, and that every expression names only catalogue metrics and runs on Prometheus.
import type { Dashboard } from '@grafana/grafana-foundation-sdk/dashboard';
import { dashboard, stat, timeseries } from './panels.ts';

const TRADING_STATES: Record<number, [string, string]> = {
  0: ['ACTIVE', 'green'],
  1: ['REDUCING', 'orange'],
  2: ['HALTED', 'red'],
};
const KILL_SWITCH: Record<number, [string, string]> = {
  0: ['off', 'green'],
  1: ['ENGAGED', 'red'],
};
const BREAKER: Record<number, [string, string]> = {
  0: ['closed', 'green'],
  1: ['half_open', 'orange'],
  2: ['open', 'red'],
};
/**
 * The risk figures are drawn against the limit in force (ais_risk_limit{guard}, exported from the
 * worker's configuration), as monitoring/rules/ais.rules.yml compares them: a stat shows the
 * figure as a share of its limit (HighDrawdown warns at 80 %, is critical at 100 %), a time series
 * draws the limit as a series of its own.
 */
const limit = (guard: string) => `ais_risk_limit{guard="${guard}"}`;
const ofLimit = (figure: string, guard: string) => `${figure} / on (job, instance) ${limit(guard)}`;
const SHARE_OF_DRAWDOWN_LIMIT: [number, string][] = [
  [0.8, 'orange'],
  [1, 'red'],
];
const MARGIN_RATIO_STEPS: [number, string][] = [
  [0.5, 'orange'],
  [0.8, 'red'],
];

const perMinute = (counter: string, by: string) =>
  `sum by (${by}) (rate(${counter}[$__rate_interval])) * 60`;
const quantile = (q: number, histogram: string, by: string[] = []) =>
  `histogram_quantile(${q}, sum by (${[...by, 'le'].join(', ')}) (rate(${histogram}_bucket[$__rate_interval])))`;

const overview = dashboard({
  uid: 'ais-overview',
  title: 'AIS Overview',
  description: 'NAV, P&L, drawdown and exposure of the AIS worker.',
  tags: ['overview'],
  rows: [
    {
      title: 'Now',
      panels: [
        stat({ title: 'NAV', queries: [{ expr: 'ais_nav' }], unit: 'currencyUSD', width: 5 }),
        stat({
          title: 'P&L',
          queries: [{ expr: 'ais_pnl' }],
          unit: 'percentunit',
          width: 4,
          base: 'red',
          thresholds: [[0, 'green']],
        }),
        stat({
          title: 'Drawdown of its limit',
          description:
            'Drawdown as a share of AIS_MAX_DRAWDOWN: alert HighDrawdown warns at 80 %; at 100 % the kill switch trips and AIS_DRAWDOWN_ACTION runs.',
          queries: [{ expr: ofLimit('ais_drawdown', 'drawdown') }],
          unit: 'percentunit',
          width: 4,
          thresholds: SHARE_OF_DRAWDOWN_LIMIT,
        }),
        stat({
          title: 'Leverage of its limit',
          description: 'Leverage as a share of AIS_MAX_LEVERAGE: alert HighLeverage above 100 %.',
          queries: [{ expr: ofLimit('ais_leverage', 'leverage') }],
          unit: 'percentunit',
          width: 3,
          thresholds: [[1, 'red']],
        }),
        stat({
          title: 'Trading state',
          queries: [{ expr: 'ais_trading_state' }],
          width: 4,
          states: TRADING_STATES,
        }),
        stat({
          title: 'Kill switch',
          queries: [{ expr: 'ais_kill_switch_active' }],
          width: 4,
          states: KILL_SWITCH,
        }),
      ],
    },
    {
      title: 'Portfolio',
      panels: [
        timeseries({
          title: 'NAV',
          queries: [{ expr: 'ais_nav', legend: 'NAV' }],
          unit: 'currencyUSD',
          width: 12,
        }),
        timeseries({
          title: 'P&L (fraction of starting NAV)',
          queries: [{ expr: 'ais_pnl', legend: 'P&L' }],
          unit: 'percentunit',
          width: 12,
        }),
        timeseries({
          title: 'Drawdown from the high-water mark',
          description:
            'Alert HighDrawdown warns above 80 % of the limit (AIS_MAX_DRAWDOWN) and turns critical at it.',
          queries: [
            { expr: 'ais_drawdown', legend: 'drawdown' },
            { expr: limit('drawdown'), legend: 'limit' },
            { expr: `0.8 * ${limit('drawdown')}`, legend: 'warning (80 % of the limit)' },
          ],
          unit: 'percentunit',
          width: 12,
          min: 0,
        }),
        timeseries({
          title: 'Gross and net exposure',
          queries: [
            { expr: 'ais_gross_exposure', legend: 'gross' },
            { expr: 'ais_net_exposure', legend: 'net' },
          ],
          unit: 'percentunit',
          width: 12,
        }),
        timeseries({
          title: 'Exposure by symbol',
          queries: [{ expr: 'ais_exposure', legend: '{{symbol}}' }],
          unit: 'percentunit',
          width: 24,
        }),
      ],
    },
  ],
});

const agents = dashboard({
  uid: 'ais-agents',
  title: 'AIS Agent Performance',
  description: 'Signal generation rates, agent latency, risk approval ratios and the trading loop.',
  tags: ['agents'],
  rows: [
    {
      title: 'Signals',
      panels: [
        timeseries({
          title: 'Signals per minute by agent',
          queries: [{ expr: perMinute('ais_signals_total', 'agent_id'), legend: '{{agent_id}}' }],
          width: 12,
        }),
        timeseries({
          title: 'Signals per minute by direction',
          queries: [{ expr: perMinute('ais_signals_total', 'direction'), legend: '{{direction}}' }],
          width: 12,
        }),
        timeseries({
          title: 'Agent latency p50 / p95',
          queries: [
            {
              expr: quantile(0.5, 'ais_agent_latency_seconds', ['agent_id']),
              legend: '{{agent_id}} p50',
            },
            {
              expr: quantile(0.95, 'ais_agent_latency_seconds', ['agent_id']),
              legend: '{{agent_id}} p95',
            },
          ],
          unit: 's',
          width: 12,
        }),
        timeseries({
          title: 'Approval ratio',
          description: 'Approved / (approved + rejected) risk verdicts.',
          queries: [
            {
              expr: 'sum(rate(ais_signals_approved_total[$__rate_interval])) / (sum(rate(ais_signals_approved_total[$__rate_interval])) + (sum(rate(ais_signals_rejected_total[$__rate_interval])) or vector(0)))',
              legend: 'approved',
            },
          ],
          unit: 'percentunit',
          width: 12,
          min: 0,
          max: 1,
        }),
        timeseries({
          title: 'Rejections per minute by reason',
          queries: [
            { expr: perMinute('ais_signals_rejected_total', 'reason'), legend: '{{reason}}' },
          ],
          width: 24,
        }),
      ],
    },
    {
      title: 'Trading loop',
      panels: [
        stat({
          title: 'Seconds since the last cycle',
          description: 'Alert LoopHeartbeatStale fires above 120 s.',
          queries: [{ expr: 'time() - (ais_loop_heartbeat_epoch > 0)' }],
          unit: 's',
          width: 6,
          thresholds: [
            [60, 'orange'],
            [120, 'red'],
          ],
        }),
        timeseries({
          title: 'Cycles per minute',
          queries: [
            { expr: 'rate(ais_loop_cycles_total[$__rate_interval]) * 60', legend: 'cycles' },
          ],
          width: 6,
        }),
        timeseries({
          title: 'Cycle duration p95',
          queries: [{ expr: quantile(0.95, 'ais_loop_cycle_seconds'), legend: 'p95' }],
          unit: 's',
          width: 6,
        }),
        timeseries({
          title: 'Loop errors per minute by stage',
          queries: [{ expr: perMinute('ais_loop_errors_total', 'stage'), legend: '{{stage}}' }],
          width: 6,
        }),
      ],
    },
  ],
});

const execution = dashboard({
  uid: 'ais-execution',
  title: 'AIS Execution',
  description: 'Order flow, fill rates, paper fills and the exchange behind them.',
  tags: ['execution'],
  rows: [
    {
      title: 'Orders',
      panels: [
        timeseries({
          title: 'Orders submitted per minute',
          queries: [
            {
              expr: perMinute('ais_orders_submitted_total', 'symbol, side'),
              legend: '{{symbol}} {{side}}',
            },
          ],
          width: 12,
        }),
        timeseries({
          title: 'Orders filled per minute',
          queries: [
            {
              expr: perMinute('ais_orders_filled_total', 'symbol, side'),
              legend: '{{symbol}} {{side}}',
            },
          ],
          width: 12,
        }),
        timeseries({
          title: 'Fill rate',
          description: 'Filled / submitted orders.',
          queries: [
            {
              expr: 'sum(rate(ais_orders_filled_total[$__rate_interval])) / sum(rate(ais_orders_submitted_total[$__rate_interval]))',
              legend: 'fill rate',
            },
          ],
          unit: 'percentunit',
          width: 8,
          min: 0,
        }),
        timeseries({
          title: 'Paper fills per minute',
          queries: [
            {
              expr: perMinute('ais_paper_fills_total', 'symbol, side'),
              legend: '{{symbol}} {{side}}',
            },
          ],
          width: 8,
        }),
        timeseries({
          title: 'Stop-losses triggered (1 h)',
          queries: [
            {
              expr: 'sum by (symbol) (increase(ais_stop_loss_triggers_total[1h]))',
              legend: '{{symbol}}',
            },
          ],
          width: 8,
        }),
        timeseries({
          title: "Orders not sent: under the exchange's minimum or symbol not trading (per minute)",
          description:
            'Orders sizing kept back because the symbol rules would refuse them (ais_orders_skipped_total), by reason. A steady min_qty or min_notional means the account or the position weight is too small for the symbol.',
          queries: [
            { expr: perMinute('ais_orders_skipped_total', 'reason'), legend: '{{reason}}' },
          ],
          width: 24,
        }),
        timeseries({
          title: 'Orders refused by the exchange, and held (per minute)',
          description:
            'New orders the exchange refused, by error code (ais_exchange_refusals_total: -2019 margin, -4164 notional, -2022 position gone, http_403 web firewall …), and orders the executor did not send because the same order was refused and nothing it depends on changed (ais_orders_held_total), by reason.',
          queries: [
            // `or vector(0)`: a flat line until the first refusal (a refusal counter has no series before one; its codes are not known in advance).
            {
              expr: `${perMinute('ais_exchange_refusals_total{operation="new_order"}', 'exchange, code')} or vector(0)`,
              legend: 'refused {{exchange}} {{code}}',
            },
            { expr: perMinute('ais_orders_held_total', 'reason'), legend: 'held {{reason}}' },
          ],
          width: 24,
        }),
      ],
    },
    {
      title: 'Exchange',
      panels: [
        timeseries({
          title: 'Exchange latency p95',
          queries: [
            {
              expr: quantile(0.95, 'ais_exchange_latency_seconds', ['exchange', 'operation']),
              legend: '{{exchange}} {{operation}}',
            },
          ],
          unit: 's',
          width: 12,
        }),
        timeseries({
          title: 'Aster latency p95 by tool',
          queries: [
            { expr: quantile(0.95, 'ais_aster_latency_seconds', ['tool']), legend: '{{tool}}' },
          ],
          unit: 's',
          width: 12,
        }),
        timeseries({
          title: 'Exchange errors per minute',
          queries: [
            {
              expr: perMinute('ais_exchange_errors_total', 'exchange, operation'),
              legend: '{{exchange}} {{operation}}',
            },
            { expr: perMinute('ais_aster_errors_total', 'tool'), legend: 'aster {{tool}}' },
          ],
          width: 8,
        }),
        timeseries({
          title: 'Exchange data age',
          description: 'Alert ExchangeDataStale fires above 60 s.',
          queries: [{ expr: 'ais_aster_data_age_seconds', legend: '{{data_type}}' }],
          unit: 's',
          width: 8,
          thresholds: [[60, 'red']],
        }),
        timeseries({
          title: 'Rate limiters',
          queries: [
            { expr: 'ais_rate_limiter_tokens', legend: '{{limiter}} tokens' },
            {
              expr: perMinute('ais_rate_limiter_throttled_total', 'limiter'),
              legend: '{{limiter}} throttled/min',
            },
          ],
          width: 8,
        }),
      ],
    },
  ],
});

const risk = dashboard({
  uid: 'ais-risk',
  title: 'AIS Risk',
  description:
    'Kill switch events, rejections by guard, leverage history, margin and liquidation distance, breakers and reconciliation.',
  tags: ['risk'],
  rows: [
    {
      title: 'Kill switch and state',
      panels: [
        stat({
          title: 'Kill switch',
          queries: [{ expr: 'ais_kill_switch_active' }],
          width: 6,
          states: KILL_SWITCH,
        }),
        stat({
          title: 'Trading state',
          queries: [{ expr: 'ais_trading_state' }],
          width: 6,
          states: TRADING_STATES,
        }),
        timeseries({
          title: 'Kill switch triggers by source (1 h)',
          queries: [
            {
              expr: 'sum by (source) (increase(ais_kill_switch_triggers_total[1h]))',
              legend: '{{source}}',
            },
          ],
          width: 12,
        }),
        timeseries({
          title: 'Kill switch engaged',
          queries: [{ expr: 'ais_kill_switch_active', legend: 'engaged' }],
          width: 12,
          min: 0,
          max: 1,
          states: KILL_SWITCH,
        }),
        timeseries({
          title: 'Trading state history',
          queries: [{ expr: 'ais_trading_state', legend: 'state' }],
          width: 12,
          min: 0,
          max: 2,
          states: TRADING_STATES,
        }),
      ],
    },
    {
      title: 'Guards',
      panels: [
        timeseries({
          title: 'Risk rejections per minute by guard',
          queries: [{ expr: perMinute('ais_risk_rejections_total', 'guard'), legend: '{{guard}}' }],
          width: 12,
        }),
        timeseries({
          title: 'Rejections by guard (1 h)',
          queries: [
            {
              expr: 'sum by (guard) (increase(ais_risk_rejections_total[1h]))',
              legend: '{{guard}}',
            },
          ],
          width: 12,
        }),
        timeseries({
          title: 'Leverage history',
          description: 'Alert HighLeverage fires above the limit (AIS_MAX_LEVERAGE) for 2 minutes.',
          queries: [
            { expr: 'ais_leverage', legend: 'leverage' },
            { expr: limit('leverage'), legend: 'limit' },
          ],
          unit: 'x',
          width: 12,
          min: 0,
        }),
        timeseries({
          title: 'Risk check p99',
          queries: [{ expr: quantile(0.99, 'ais_risk_check_seconds'), legend: 'p99' }],
          unit: 's',
          width: 12,
        }),
      ],
    },
    {
      title: 'Margin',
      panels: [
        stat({
          title: 'Margin ratio',
          description:
            'Maintenance margin / margin balance; the exchange liquidates at 100 %. Alert MarginRatioHigh: 50 % warning, 80 % critical.',
          queries: [{ expr: 'ais_margin_ratio' }],
          unit: 'percentunit',
          width: 6,
          thresholds: MARGIN_RATIO_STEPS,
        }),
        timeseries({
          title: 'Margin ratio history',
          queries: [{ expr: 'ais_margin_ratio', legend: 'margin ratio' }],
          unit: 'percentunit',
          width: 6,
          min: 0,
          thresholds: MARGIN_RATIO_STEPS,
        }),
        timeseries({
          title: 'Liquidation distance by symbol',
          description:
            '|mark - liquidation price| / mark per open position. New orders keep it above the limit (AIS_MIN_LIQUIDATION_DISTANCE); alert LiquidationDistanceLow fires under half of it.',
          queries: [
            { expr: 'ais_liquidation_distance', legend: '{{symbol}}' },
            { expr: limit('liquidation_distance'), legend: 'limit' },
            { expr: `0.5 * ${limit('liquidation_distance')}`, legend: 'alert (half the limit)' },
          ],
          unit: 'percentunit',
          width: 12,
          min: 0,
        }),
      ],
    },
    {
      title: 'Resilience and reconciliation',
      panels: [
        timeseries({
          title: 'Circuit breaker state',
          queries: [{ expr: 'ais_circuit_breaker_state', legend: '{{breaker}}' }],
          width: 12,
          min: 0,
          max: 2,
          states: BREAKER,
        }),
        timeseries({
          title: 'Breaker rejections per minute',
          queries: [
            {
              expr: perMinute('ais_circuit_breaker_rejections_total', 'breaker'),
              legend: '{{breaker}}',
            },
          ],
          width: 12,
        }),
        timeseries({
          title: 'Reconciliation mismatches',
          queries: [{ expr: 'ais_reconciliation_mismatches', legend: '{{check_type}}' }],
          width: 8,
          min: 0,
        }),
        timeseries({
          title: 'Reconciliation runs (1 h)',
          queries: [
            {
              expr: 'sum by (status) (increase(ais_reconciliation_runs_total[1h]))',
              legend: '{{status}}',
            },
          ],
          width: 8,
        }),
        timeseries({
          title: 'Alerts received (1 h)',
          queries: [
            {
              expr: 'sum by (alertname, status) (increase(ais_alerts_received_total[1h]))',
              legend: '{{alertname}} {{status}}',
            },
          ],
          width: 8,
        }),
      ],
    },
    {
      title: 'Records',
      panels: [
        timeseries({
          title: 'Event store on disk and free disk',
          description:
            'Database + WAL; alert EventStoreDiskLow fires under 1 GiB free. AIS_RETENTION_DAYS prunes per-cycle events.',
          queries: [
            { expr: 'ais_event_store_bytes', legend: 'store' },
            { expr: 'ais_event_store_disk_free_bytes', legend: 'free' },
          ],
          unit: 'bytes',
          width: 12,
          min: 0,
        }),
        timeseries({
          title: 'Events held by type',
          queries: [{ expr: 'ais_event_store_events', legend: '{{type}}' }],
          width: 12,
          min: 0,
        }),
      ],
    },
  ],
});

/** File name (under monitoring/grafana/dashboards/) -> dashboard. */
export function buildDashboards(): Record<string, Dashboard> {
  return {
    'ais-overview.json': overview,
    'ais-agents.json': agents,
    'ais-execution.json': execution,
    'ais-risk.json': risk,
  };
}
