// The narrow port through which the domain and the adapters feed metrics. Only
// src/adapters/metrics knows prom-client. Label values must be bounded (no ids, no free text).
import type { StoreFootprint } from './event-store.ts';

export interface PortfolioFigures {
  navUsd: number;
  /** P&L as a fraction of the starting NAV. */
  pnlFraction: number;
  /** Drawdown from the high-water mark, a fraction (0.05 = 5 %). */
  drawdown: number;
  leverage: number;
  grossExposure: number;
  netExposure: number;
  /** Signed exposure per symbol, as a fraction of NAV. */
  exposureBySymbol: Readonly<Record<string, number>>;
}

export type BreakerState = 'closed' | 'half_open' | 'open';

/** A breaker's lifetime counts: calls that succeeded, failed in a way that counts, were refused. */
export interface BreakerCounts {
  successes: number;
  failures: number;
  rejections: number;
}
export type TradingState = 'ACTIVE' | 'REDUCING' | 'HALTED';

export interface Metrics {
  portfolio(p: PortfolioFigures): void;
  signal(agentId: string, direction: string): void;
  agentLatency(agentId: string, seconds: number): void;
  /** One risk verdict: approved, or rejected by `guard`; `seconds` spent checking. */
  riskDecision(approved: boolean, guard: string | undefined, seconds: number): void;
  orderSubmitted(symbol: string, side: string): void;
  orderFilled(symbol: string, side: string, paper: boolean): void;
  /** An order not sent because the same order was refused and nothing it depends on changed; `reason` is a RefusalReason. */
  orderHeld(reason: string): void;
  /** The user-data stream is connected (1) or not (0). */
  streamConnected(exchange: string, connected: boolean): void;
  /** One user-data stream message, by event type (fill, order, account, margin_call, listen_key_expired, malformed). */
  streamEvent(type: string): void;
  streamReconnect(): void;
  /** The stream found silent and restarted: `reason` listen_key_gone (the probe's -1125) or no_events (REST saw a change it never carried). */
  streamSilent(exchange: string, reason: string): void;
  /** The protective stop's trigger price on the exchange (USD); undefined when the symbol has none. */
  protectiveStop(symbol: string, stopPrice: number | undefined): void;
  stopLoss(symbol: string): void;
  /**
   * The account's margin as last read: maintenance margin / margin balance, and per open position
   * |mark − liquidation price| / mark (1 without a liquidation price; a symbol missing from
   * `distances` loses its series).
   */
  margin(ratio: number, distances: Readonly<Record<string, number>>): void;
  /** An order the strategy wanted but did not send: the exchange's rules would refuse it (reason: SKIP_REASONS of sizing). */
  orderSkipped(reason: string): void;
  exchangeCall(exchange: string, operation: string, seconds: number, ok: boolean): void;
  /** A request the exchange refused; `code` is bounded by refusalCode (ports/exchange.ts). */
  exchangeRefused(exchange: string, operation: string, code: string): void;
  /** A symbol held (1) or its hold cleared (0), by cause (liquidation, delisted, settings). */
  symbolHold(symbol: string, cause: string, active: boolean): void;
  /** A traded symbol's status in exchangeInfo: TRADING (1) or not (0: a delisting, a break). */
  symbolTrading(symbol: string, trading: boolean): void;
  /** One wallet change booked by the account ledger: `kind` a LedgerKind, `amountUsd` signed. */
  ledgerEntry(kind: string, amountUsd: number): void;
  /** An answer that was JSON but not of the documented shape: that read failed, nothing else. */
  exchangeOffSchema(exchange: string, operation: string): void;
  dataAge(dataType: string, seconds: number): void;
  /** The limits in force by guard (limits.ts limitsByGuard: each in its guard's unit), set at start-up. */
  riskLimits(byGuard: Readonly<Partial<Record<string, number>>>): void;
  killSwitch(active: boolean): void;
  killSwitchTriggered(source: string): void;
  tradingState(state: TradingState): void;
  loopCycle(seconds: number, epochSeconds: number): void;
  loopError(stage: string): void;
  loopHalted(halted: boolean): void;
  breakerState(name: string, state: BreakerState): void;
  /**
   * Where a breaker's lifetime outcome counts are read when metrics are collected: the breaker
   * already counts them (BreakerState.totals), and telling metrics per call would cost a guarded
   * call a tenth of its budget. `read` answers counts that never go down. Several breakers of one
   * name (one per registry) add up.
   */
  breakerCounts(name: string, read: () => BreakerCounts): void;
  breakerTransition(name: string, from: BreakerState, to: BreakerState): void;
  limiterTokens(name: string, tokens: number): void;
  limiterThrottled(name: string): void;
  reconciliation(
    status: 'passed' | 'failed' | 'error' | 'deferred',
    mismatches: Readonly<Record<string, number>>,
    seconds: number,
    epochSeconds: number,
  ): void;
  alertReceived(alertname: string, severity: string, status: string): void;
  /** An Alertmanager alert state received again within the dedup window (not stored, not sent). */
  alertDuplicate(alertname: string): void;
  /** One message to a channel `sent` or `failed`; an alert `skipped` (below the channel's minimum), `coalesced` (a newer status replaced a waiting one) or `dropped` (queue full, or given up after its retries). */
  alertNotification(
    channel: string,
    outcome: 'sent' | 'failed' | 'skipped' | 'coalesced' | 'dropped',
  ): void;
  eventsAppended(type: string, count: number): void;
  eventStoreFlush(seconds: number): void;
  /** The store's size on disk, free disk, and events per type (after each retention pass). */
  eventStoreFootprint(f: StoreFootprint): void;
  eventsPruned(type: string, count: number): void;
  /** The wall clock's unexplained step in seconds (0: none); `direction` when a new step was seen. */
  clockStep(seconds: number, direction: 'forward' | 'backward' | undefined): void;
  decisionLogged(lines: number): void;
  /** Committed rows whose decision trail lines could not be written (disk full): the rows stand. */
  decisionLogFailed(): void;
  httpRequest(method: string, route: string, status: number, seconds: number): void;
}
