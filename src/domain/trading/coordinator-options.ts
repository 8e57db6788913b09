// What the coordinator is built from, in named groups: who trades, where orders go, the account
// it guards, where the cycle is recorded, and the clocks.
import type { DecisionLog } from '../../ports/decision-log.ts';
import type { EventStore } from '../../ports/event-store.ts';
import type { Exchange, MarginAccount } from '../../ports/exchange.ts';
import type { LogPort } from '../../ports/log.ts';
import type { Metrics } from '../../ports/metrics.ts';
import type { SymbolRules } from '../market/symbol-rules.ts';
import type { PortfolioBook } from '../portfolio/book.ts';
import type { ControlService } from '../risk/control-service.ts';
import type { RiskLimits } from '../risk/limits.ts';
import type { RiskService } from '../risk/risk-service.ts';
import type { Agent } from './agents/agent.ts';
import type { Executor } from './executor.ts';

/** Who trades: the agents and their weights, the symbols, how many bars they read. */
export interface CoordinatorAgents {
  agents: readonly Agent[];
  /** Agent id → arbitration weight (missing = 1). */
  weights?: Readonly<Record<string, number>>;
  symbols: readonly string[];
  /** Bars fetched per symbol (at least the longest agent lookback). */
  bars?: number;
  /** External signals waiting for the next cycle, at most this many (default 1,000). */
  maxPendingSignals?: number;
}

/** Where orders go and what they must pass: the exchange and its rules, the risk check, the executor. */
export interface CoordinatorOrders {
  exchange: Exchange;
  executor: Executor;
  risk: RiskService;
  /** The exchange's rules by symbol, as last read (sizing fits every order to them). */
  symbolRules: () => ReadonlyMap<string, SymbolRules>;
  /** Prefix of client order ids: unique per process start. */
  orderIdPrefix: string;
  /** Per-position stop-loss as a loss fraction from entry (0 = off). */
  stopLoss: number;
  /**
   * Where the account's margin goes (the risk engine's margin and liquidation_distance guards);
   * absent: the margin is not read.
   */
  setMargin?: (margin: MarginAccount) => void;
  /** Read the margin at most this often (ms; 0 = every cycle), and always in the cycle after a fill. Default 0. */
  marginEveryMs?: number;
}

/** The book the cycle marks, the limits it holds it to, the kill switch a drawdown trips. */
export interface CoordinatorAccount {
  book: PortfolioBook;
  control: ControlService;
  limits: Readonly<RiskLimits>;
}

/** Where the cycle is recorded: events, the decision trail, metrics, the log. */
export interface CoordinatorRecords {
  store: EventStore;
  decisionLog: DecisionLog;
  metrics: Metrics;
  log: LogPort;
  /** A portfolio event every this many cycles (and after every fill). */
  snapshotEvery?: number;
}

/** The coordinator's parts, in named groups; `clock` gives wall time and a monotonic clock (ms). */
export interface CoordinatorOptions {
  agents: CoordinatorAgents;
  orders: CoordinatorOrders;
  account: CoordinatorAccount;
  records: CoordinatorRecords;
  clock: { nowMs: () => number; monoMs: () => number };
}
