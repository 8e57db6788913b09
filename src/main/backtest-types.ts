// What a backtest run takes and what it answers (backtest-run.ts runs it).
import type { EquityPoint } from '../adapters/market/equity-chart.ts';
import type { Env } from '../config/config.ts';
import type { SymbolBar } from '../domain/market/replay.ts';
import type { Agent } from '../domain/trading/agents/agent.ts';
import type { DrawdownAction } from '../domain/trading/drawdown-action.ts';
import type { ExchangeTrade } from '../ports/exchange.ts';

/** A run: synthetic days (or recorded bars), seed, symbols, agents, what to record. */
export interface BacktestOptions {
  /** Synthetic bars for this many days; ignored when `bars` are given. */
  days: number;
  /** Recorded bars to replay instead of the synthetic market. */
  bars?: readonly SymbolBar[];
  seed: number;
  symbols?: string[];
  runId: string;
  env?: Env;
  /** Called every 1 % of the run with the fraction done. */
  onProgress?: (done: number) => void;
  /** The strategy agents; the three built-in ones when omitted. */
  agents?: readonly Agent[];
  /** When given, receives the NAV at the start and after every bar, and at the end every trade. */
  record?: { equity: EquityPoint[]; trades: ExchangeTrade[] };
}

/** The run's figures (the JSON the CLI prints and the Pushgateway summary). */
export interface BacktestSummary {
  run_id: string;
  days: number;
  seed: number;
  symbols: string[];
  bars: number;
  total_return: number;
  max_drawdown: number;
  /** AIS_MAX_DRAWDOWN of the run, and what a trip did with the positions (AIS_DRAWDOWN_ACTION). */
  drawdown_limit: number;
  drawdown_action: DrawdownAction;
  /** The largest close-to-close move of one symbol in one bar, a fraction: with flatten, max_drawdown stays within drawdown_limit plus about this. */
  largest_bar_move: number;
  sharpe: number;
  final_nav_usd: number;
  trades: number;
  orders_checked: number;
  rejections_by_guard: Record<string, number>;
  kill_switch_triggered: boolean;
  /** Positions the book still holds at the end (0 after a flatten that closed everything). */
  open_positions: number;
  /** Liquidation orders (`autoclose-`) the paper exchange executed. */
  liquidations: number;
  wall_seconds: number;
}
