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
import type { ExchangeOrder } from '../ports/exchange.ts';

interface MetricsExporter {
  render(): Promise<string>;
  readonly contentType: string;
}

export interface AppDeps {
  config: Readonly<Config>;
  logger: Logger;
  metrics: Metrics;
  exporter: MetricsExporter;
  store: EventStore;
  health(): Promise<HealthReport>;
  nowMs(): number;
  /** The decision audit trail (JSONL file or store). */
  risk: RiskDeps;
  /** Alertmanager's webhook in, the AlertSink for the worker's own alerts, the channel fan-out. */
  alerts: AlertService;
  /** Circuit breakers and rate limiters of every outside service (GET /v1/resilience). */
  resilience: Resilience;
  /** Reconciliation with the exchange (POST /v1/reconciliation/run answers 503 without it). */
  reconciliation?: ReconciliationPort;
  /** Paper mode only: drills on the synthetic market. */
  paper?: { readonly symbols: readonly string[]; shock(symbol: string, fraction: number): void };
  /** The trading loop's door for external agents; absent when no loop is built. */
  trading?: TradingPort;
  /** Aster: the account settings checked at start-up (position mode, leverage, margin type), shown in /v1/portfolio. */
  exchangeAccount?: AccountSettingsView;
  /** The kill switch's reach on the exchange: sweep open orders, flatten positions. */
  protection?: Pick<ExchangeProtection, 'sweep' | 'flatten' | 'pending'>;
  /** Aster: the user-data stream's state (the console shows it as its own component). */
  userStream?: { status(): { connected: boolean; sinceMs: number; error?: string } };
  /** The console's static files (page script and style, uPlot, runbooks); absent: the console answers 404 for them. */
  consoleAssets?: ConsoleAssets;
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
