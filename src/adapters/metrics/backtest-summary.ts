// The metrics a backtest pushes to the Pushgateway: its own small registry (the worker's catalogue
// is live state; a backtest summary is one run's result, grouped by run id on the gateway).
import { Gauge, Registry } from 'prom-client';

export interface BacktestFigures {
  total_return: number;
  max_drawdown: number;
  sharpe: number;
  trades: number;
  bars: number;
  final_nav_usd: number;
  wall_seconds: number;
  rejections_by_guard: Readonly<Record<string, number>>;
}

export function backtestSummaryRegistry(s: BacktestFigures): Registry {
  const registry = new Registry();
  const gauge = (name: string, help: string, value: number) =>
    new Gauge({ name, help, registers: [registry] }).set(value);
  gauge('ais_backtest_return', 'Total return of the backtest, a fraction.', s.total_return);
  gauge(
    'ais_backtest_max_drawdown',
    'Largest drawdown of the backtest, a fraction.',
    s.max_drawdown,
  );
  gauge('ais_backtest_sharpe', 'Annualised Sharpe ratio of one-minute returns.', s.sharpe);
  gauge('ais_backtest_trades', 'Fills in the backtest.', s.trades);
  gauge('ais_backtest_bars', 'One-minute bars replayed.', s.bars);
  gauge('ais_backtest_final_nav', 'NAV at the end of the backtest, USD.', s.final_nav_usd);
  gauge('ais_backtest_wall_seconds', 'Wall-clock time the backtest took.', s.wall_seconds);
  const rejections = new Gauge({
    name: 'ais_backtest_rejections',
    help: 'Orders the risk engine refused, by guard.',
    labelNames: ['guard'],
    registers: [registry],
  });
  for (const [guard, n] of Object.entries(s.rejections_by_guard)) rejections.set({ guard }, n);
  return registry;
}
