// What the HTTP layer needs, handed in by the start-up file (src/main/build-deps.ts).
import type { Logger } from '../adapters/logging/logger.ts';
import type { Config } from '../config/config.ts';
import type { HealthReport } from '../domain/health/health.ts';
import type { EventStore } from '../ports/event-store.ts';
import type { Metrics } from '../ports/metrics.ts';
import type { RiskTokens } from '../ports/risk-tokens.ts';
import type { ExchangeProtection } from '../domain/trading/exchange-protection.ts';
import type { PortfolioBook } from '../domain/portfolio/book.ts';
import type { ControlService } from '../domain/risk/control-service.ts';
import type { RiskEngine } from '../domain/risk/engine.ts';
import type { RiskService } from '../domain/risk/risk-service.ts';
import type { Signal } from '../domain/trading/agents/agent.ts';
import type { AlertService } from '../adapters/alerts/alert-service.ts';
import type { Resilience } from '../adapters/resilience/registry.ts';
import type { ReconciliationReport } from '../domain/reconciliation/report.ts';
import type { AccountSettingsView } from '../domain/account/setup.ts';
import type { LedgerBooker } from '../domain/account/ledger-booker.ts';
import type { SymbolHoldService } from '../domain/risk/symbol-hold-service.ts';
import type { SettingsWatch } from '../domain/account/settings-watch.ts';
import type { ClockWatch } from '../adapters/clock/clock-watch.ts';
import type { ExchangeOrder } from '../ports/exchange.ts';

interface MetricsExporter {
  render(): Promise<string>;
  readonly contentType: string;
}

/** What the HTTP layer reads: the shared adapters, and its doors grouped by what they open onto. */
export interface AppDeps {
  config: Readonly<Config>;
  logger: Logger;
  store: EventStore;
  nowMs(): number;
  /** The decision audit trail (JSONL file or store). */
  risk: RiskDeps;
  /** Alertmanager's webhook in, the AlertSink for the worker's own alerts, the channel fan-out. */
  alerts: AlertService;
  /** Circuit breakers and rate limiters of every outside service (GET /v1/resilience). */
  resilience: Resilience;
  /** How the worker reports on itself: metrics, their exposition, health and clock steps. */
  monitoring: AppMonitoring;
  /** The doors onto the trading side; each absent where that side is not built (an edge isolate). */
  trading: AppTrading;
  /** The operator console's static files and the worker's stop signal. */
  console?: AppConsole;
}

/** How the worker reports on itself (GET /metrics, GET /health, GET /v1/clock). */
export interface AppMonitoring {
  metrics: Metrics;
  exporter: MetricsExporter;
  health(): Promise<HealthReport>;
  /** Wall-clock steps against the monotonic clock (GET /v1/clock); absent in tests that build no watch. */
  clock?: ClockWatch;
}

/** The trading side as the HTTP layer may use it. */
export interface AppTrading {
  /** The trading loop's door for external agents; absent when no loop is built. */
  loop?: TradingPort;
  /** The kill switch's reach on the exchange: sweep open orders, flatten positions. */
  protection?: Pick<ExchangeProtection, 'sweep' | 'flatten' | 'pending'>;
  /** Reconciliation with the exchange (POST /v1/reconciliation/run answers 503 without it). */
  reconciliation?: ReconciliationPort;
  /** Paper mode only: drills on the synthetic market. */
  paper?: { readonly symbols: readonly string[]; shock(symbol: string, fraction: number): void };
  /** Aster: the account settings checked at start-up (position mode, leverage, margin type), shown in /v1/portfolio. */
  account?: AccountSettingsView;
  /** Aster: the settings watch (POST /v1/control/account-settings/accept). */
  settings?: Pick<SettingsWatch, 'accept' | 'expected'>;
  /** The account ledger: USD booked per kind since start (GET /v1/portfolio). */
  ledger?: Pick<LedgerBooker, 'totals'>;
  /** Aster: the user-data stream's state (the console shows it as its own component). */
  userStream?: { status(): { connected: boolean; sinceMs: number; error?: string } };
}

/** The operator console's parts that are not the worker's state. */
export interface AppConsole {
  /** The console's static files (page script and style, uPlot, runbooks); absent: the console answers 404 for them. */
  assets?: ConsoleAssets;
  /**
   * Aborted when the worker begins to stop: long-lived answers (the console's event stream) end,
   * so that the server's graceful stop does not wait on them.
   */
  shutdown?: AbortSignal;
}

/** Static files by name (`app.js`, `uPlot.iife.min.js`, `runbooks/HighDrawdown.md`): body and content type. */
export type ConsoleAssets = ReadonlyMap<string, { body: string; type: string }>;

/** The risk side: checks, kill switch and trading state, the portfolio they read. */
export interface RiskDeps {
  service: RiskService;
  control: ControlService;
  portfolio: PortfolioBook;
  engine: RiskEngine;
  tokens: RiskTokens;
  /** Symbols whose trading is stopped on their own (a liquidation, ...); GET/POST /v1/control/symbol-holds. */
  holds?: SymbolHoldService;
}

/** What the HTTP layer may do with the trading loop. */
export interface TradingPort {
  readonly symbols: readonly string[];
  loopRunning(): boolean;
  submitSignal(signal: Signal): boolean;
  /**
   * Every order open on the exchange for the traded symbols (one read per symbol), oldest first;
   * rejects with the exchange's error (ExchangeError) when one cannot be read.
   */
  openOrders(): Promise<ExchangeOrder[]>;
  /** The protective stop each position carries on the exchange, by symbol (empty when off). */
  protectiveStops(): ReadonlyMap<
    string,
    { side: 'BUY' | 'SELL'; stopPrice: number; clientOrderId: string }
  >;
}

/** What the HTTP layer may do with reconciliation: run it now, with a divergence's consequences. */
interface ReconciliationPort {
  run(): Promise<ReconciliationReport>;
}
