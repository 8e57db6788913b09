// The coordinator's cycle: market data (candles for the agents, the exchange's mark prices for the
// book) → mark the portfolio at the marks (a drawdown breach trips the kill switch) → the account's
// margin into the risk engine → stop-losses → signals from every agent plus the external ones → arbitration → sizing →
// the risk check (WASM engine, risk token) → the executor → fills into the portfolio. One log line
// "Cycle completed" per cycle exactly as the seed shows, one decision-log line per decision, events
// for signals, orders, fills and portfolio snapshots. An agent's or a stage's failure is counted
// and logged and the cycle goes on; nothing here reads a clock except through the injected ones.
import type { DecisionLog } from '../../ports/decision-log.ts';
import { EventType, type EventStore, type NewEvent } from '../../ports/event-store.ts';
import { type Exchange, marginRatio, type MarkPrice } from '../../ports/exchange.ts';
import { liquidationDistance } from '../portfolio/margin.ts';
import type { LogPort } from '../../ports/log.ts';
import type { Metrics } from '../../ports/metrics.ts';
import type { PortfolioBook } from '../portfolio/book.ts';
import { markPrice, navUsd, portfolioFigures, startDay } from '../portfolio/portfolio.ts';
import type { ControlService } from '../risk/control-service.ts';
import type { RiskLimits } from '../risk/limits.ts';
import type { RiskService } from '../risk/risk-service.ts';
import type { Agent, Bars, Signal } from './agents/agent.ts';
import { arbitrate } from './arbitration.ts';
import type { SymbolRules } from '../market/symbol-rules.ts';
import type { ApprovedOrder, Execution, Executor } from './executor.ts';
import { isOrderRefusal, type OrderRefusal } from './refusals.ts';
import { fitOrder, isSkip, planOrder, type SkippedOrder } from './sizing.ts';
import { stopLossOrders } from './stop-loss.ts';

export interface CoordinatorOptions {
  agents: readonly Agent[];
  /** Agent id → arbitration weight (missing = 1). */
  weights?: Readonly<Record<string, number>>;
  symbols: readonly string[];
  exchange: Exchange;
  executor: Executor;
  risk: RiskService;
  control: ControlService;
  limits: Readonly<RiskLimits>;
  book: PortfolioBook;
  store: EventStore;
  decisionLog: DecisionLog;
  metrics: Metrics;
  log: LogPort;
  nowMs: () => number;
  monoMs: () => number;
  /** Per-position stop-loss as a loss fraction from entry (0 = off). */
  stopLoss: number;
  /** Bars fetched per symbol (at least the longest agent lookback). */
  bars?: number;
  /** A portfolio event every this many cycles (and after every fill). */
  snapshotEvery?: number;
  /** Prefix of client order ids: unique per process start. */
  orderIdPrefix: string;
  /** External signals waiting for the next cycle, at most this many (default 1,000). */
  maxPendingSignals?: number;
  /** The exchange's rules by symbol, as last read (sizing fits every order to them). */
  symbolRules: () => ReadonlyMap<string, SymbolRules>;
  /**
   * Where the account's margin goes (the risk engine's margin and liquidation_distance guards);
   * absent: the margin is not read.
   */
  setMargin?: (margin: import('../../ports/exchange.ts').MarginAccount) => void;
  /** Read the margin at most this often (ms; 0 = every cycle), and always in the cycle after a fill. Default 0. */
  marginEveryMs?: number;
}

export interface CycleSummary {
  cycle: number;
  signals_generated: number;
  signal_selected: boolean;
  risk_approved: boolean;
  duration_ms: number;
}

export interface Coordinator {
  runCycle(): Promise<CycleSummary>;
  /** Stores a portfolio snapshot now (at shutdown: a restart continues from the exact book). */
  snapshot(): Promise<void>;
  /** Queues an external agent's signal for the next cycle; false when the queue is full. */
  submitSignal(signal: Signal): boolean;
  readonly cycles: number;
  readonly lastCycleMs: number | undefined;
}

const DAY_MS = 86_400_000;

export function createCoordinator(o: CoordinatorOptions): Coordinator {
  let cycle = 0;
  let seq = 0;
  let lastCycleMs: number | undefined;
  let day = Math.floor(o.nowMs() / DAY_MS);
  const pending: Signal[] = [];
  const barsNeeded = o.bars ?? Math.max(1, ...o.agents.map((a) => a.lookback)) + 1;
  const nextOrderId = () => `${o.orderIdPrefix}-${(seq++).toString(36)}`;

  async function stage<T>(name: string, fn: () => Promise<T>): Promise<T | undefined> {
    try {
      return await fn();
    } catch (e) {
      o.metrics.loopError(name);
      o.log.error({ cycle, stage: name, error: e instanceof Error ? e.message : String(e) }, 'Cycle stage failed');
      return undefined;
    }
  }

  /** Bars per symbol; a symbol whose data cannot be read is skipped this cycle. */
  async function marketData(): Promise<Bars[]> {
    const out: Bars[] = [];
    for (const symbol of o.symbols) {
      const candles = await stage('market_data', () => o.exchange.candles(symbol, barsNeeded));
      if (!candles?.length) continue;
      const last = candles[candles.length - 1]!;
      // The candle's close time is the exchange's: compare it with the exchange's clock.
      o.metrics.dataAge('klines', Math.max(0, (o.exchange.serverNowMs() - last.closeTimeMs) / 1000));
      out.push({ symbol, closes: candles.map((c) => c.close), highs: candles.map((c) => c.high), lows: candles.map((c) => c.low), nowMs: last.closeTimeMs });
    }
    return out;
  }

  /**
   * The mark source of the book, the risk checks, exposure and stop-losses: the exchange's mark
   * price (Aster: premiumIndex, one call for every symbol; paper: its market price), never a
   * candle's close (that is the agents' input). Its age (the oldest traded symbol's) is exported as
   * ais_aster_data_age_seconds{data_type="mark_price"}. When the marks cannot be read the book
   * keeps the last ones and the age grows.
   */
  async function markPrices(): Promise<ReadonlyMap<string, number>> {
    const all = await stage('mark_price', () => o.exchange.markPrices());
    const marks = new Map<string, number>();
    if (!all) return marks;
    const bySymbol = new Map<string, MarkPrice>(all.map((m) => [m.symbol, m]));
    let oldestMs = Infinity;
    for (const symbol of o.symbols) {
      const m = bySymbol.get(symbol);
      if (!m || !(m.markPrice > 0)) continue;
      marks.set(symbol, m.markPrice);
      if (m.timeMs < oldestMs) oldestMs = m.timeMs;
    }
    if (oldestMs < Infinity) o.metrics.dataAge('mark_price', Math.max(0, (o.exchange.serverNowMs() - oldestMs) / 1000));
    return marks;
  }

  let marginReadMs = -Infinity;
  let filledSinceMargin = true;
  /** The account's margin (when due) into the risk engine and the margin gauges. */
  async function readMargin(): Promise<void> {
    if (!o.setMargin) return;
    const now = o.nowMs();
    if (!filledSinceMargin && now - marginReadMs < (o.marginEveryMs ?? 0)) return;
    const m = await o.exchange.marginAccount();
    marginReadMs = now;
    filledSinceMargin = false;
    o.setMargin(m);
    const distances: Record<string, number> = {};
    for (const p of m.positions) {
      const d = liquidationDistance(p.markPrice, p.liquidationPrice);
      if (!Number.isNaN(d)) distances[p.symbol] = d;
    }
    o.metrics.margin(marginRatio(m), distances);
    o.metrics.dataAge('margin', Math.max(0, (o.exchange.serverNowMs() - m.timeMs) / 1000));
  }

  /** Marks every held symbol at the exchange's mark, rolls the trading day, publishes figures; trips the kill switch on a drawdown breach. */
  async function markToMarket(marks: ReadonlyMap<string, number>): Promise<void> {
    for (const [symbol, mark] of marks) o.book.update((p) => markPrice(p, symbol, mark));
    const today = Math.floor(o.nowMs() / DAY_MS);
    if (today !== day) {
      day = today;
      o.book.update(startDay);
    }
    const f = portfolioFigures(o.book.get());
    o.metrics.portfolio(f);
    if (f.drawdown >= o.limits.maxDrawdown && !o.control.state().killSwitch.active) {
      const reason = `drawdown ${(f.drawdown * 100).toFixed(2)}% reached the ${(o.limits.maxDrawdown * 100).toFixed(2)}% limit`;
      o.log.error({ cycle, drawdown: f.drawdown, limit: o.limits.maxDrawdown }, 'Drawdown limit breached: kill switch triggered');
      await o.control.apply({ type: 'trigger', reason, by: 'coordinator', source: 'drawdown' });
    }
  }

  /** An order the exchange's rules forbid is not sent: counted by reason and logged. */
  function skipped(s: SkippedOrder, agentId: string | undefined) {
    o.metrics.orderSkipped(s.skipped);
    o.log.warn({ cycle, symbol: s.symbol, side: s.side, reason: s.skipped, quantity: s.quantity, notional_usd: s.notionalUsd, bound: s.bound, agent_id: agentId ?? null }, 'Order not sent: the exchange would refuse it');
  }

  /** Closes every position past its stop: each closing order still goes through the risk check. */
  async function stopLosses(): Promise<void> {
    for (const raw of stopLossOrders(o.book.get().positions, o.stopLoss)) {
      o.metrics.stopLoss(raw.symbol);
      o.log.warn({ cycle, symbol: raw.symbol, loss: raw.loss }, 'Stop-loss triggered');
      // Reduce-only: exempt from the minimum notional; the quantity still rounds down to the step.
      const fitted = fitOrder(o.symbolRules().get(raw.symbol), raw.symbol, raw.side, raw.quantity, raw.price, true);
      if (isSkip(fitted)) {
        skipped(fitted, 'stop_loss');
        continue;
      }
      const stop = { ...raw, ...fitted };
      const orderId = nextOrderId();
      const [d] = await o.risk.check([{ orderId, symbol: stop.symbol, side: stop.side, quantity: stop.quantity, price: stop.price, agentId: 'stop_loss' }], 'stop_loss');
      if (d?.approved) await stage('execution', () => send({ ...stop, orderId, riskToken: d.token, agentId: 'stop_loss', reduceOnly: true }));
    }
  }

  /**
   * The executor's execution, or its refusal: not a loop error (the exchange answered), but a
   * WARNING line and an `order_refused` line in the decision trail with the reason and the code; a
   * held order (not sent: refused before and nothing changed) is only in the trail, with what it
   * waits for.
   */
  async function send(order: ApprovedOrder): Promise<{ execution?: Execution; refusal?: OrderRefusal }> {
    try {
      const execution = await o.executor.execute(order);
      if (execution.fills.length) filledSinceMargin = true;
      return { execution };
    } catch (e) {
      if (!isOrderRefusal(e)) throw e;
      const { reason, code, message } = e.refusal;
      const line = { cycle, order_id: order.orderId, symbol: order.symbol, side: order.side, quantity: order.quantity, agent_id: order.agentId ?? null, reason, code, message, held: e.held, until: e.until ?? null };
      // A held order repeats every cycle: counted and in the trail, not logged again.
      if (!e.held) o.log.warn(line, 'Order refused by the exchange');
      await o.decisionLog.append({ time: new Date(o.nowMs()).toISOString(), kind: 'order_refused', ...line });
      return { refusal: e };
    }
  }

  function collectSignals(bars: readonly Bars[]): Signal[] {
    const signals: Signal[] = [];
    for (const agent of o.agents) {
      const t0 = o.monoMs();
      try {
        for (const b of bars) {
          const s = agent.analyze(b);
          if (s) signals.push(s);
        }
      } catch (e) {
        o.metrics.loopError('agent');
        o.log.error({ cycle, agent_id: agent.id, error: e instanceof Error ? e.message : String(e) }, 'Agent failed');
      }
      o.metrics.agentLatency(agent.id, (o.monoMs() - t0) / 1000);
    }
    signals.push(...pending.splice(0, pending.length));
    for (const s of signals) o.metrics.signal(s.agentId, s.direction);
    return signals;
  }

  /** A `portfolio` event with everything a restart needs to rebuild the book (portfolioFromSnapshot). */
  function snapshotEvent(nowMs: number): NewEvent {
    const book = o.book.get();
    const snapshot = { cashUsd: book.cashUsd, initialNavUsd: book.initialNavUsd, peakNavUsd: book.peakNavUsd, dayStartNavUsd: book.dayStartNavUsd, positions: book.positions };
    return { type: EventType.portfolio, payload: { cycle, ...portfolioFigures(book), ...snapshot }, timeMs: nowMs };
  }

  async function runCycle(): Promise<CycleSummary> {
    const t0 = o.monoMs();
    cycle++;
    const bars = await marketData();
    const marks = await markPrices();
    await stage('portfolio', () => markToMarket(marks));
    await stage('margin', readMargin);
    await stage('stop_loss', stopLosses);
    const signals = collectSignals(bars);
    const selection = arbitrate(signals, o.weights);
    // Orders are sized and checked at the mark (the candle's close when no mark could be read).
    const price = selection && (marks.get(selection.symbol) ?? bars.find((b) => b.symbol === selection.symbol)?.closes.at(-1));
    const plan =
      selection && price
        ? planOrder({ selection, navUsd: navUsd(o.book.get()), price, positionQty: o.book.get().positions[selection.symbol]?.quantity ?? 0, rules: o.symbolRules().get(selection.symbol) })
        : undefined;
    const agentId = selection?.supporting[0]?.agentId;
    if (isSkip(plan)) skipped(plan, agentId);
    const planned = isSkip(plan) ? undefined : plan;

    let verdict: Awaited<ReturnType<RiskService['check']>>[number] | undefined;
    let execution: Execution | undefined;
    let refusal: OrderRefusal | undefined;
    const orderId = planned ? nextOrderId() : undefined;
    if (planned && orderId) {
      [verdict] = (await stage('risk', () => o.risk.check([{ orderId, symbol: planned.symbol, side: planned.side, quantity: planned.quantity, price: planned.price, agentId }], 'coordinator'))) ?? [];
      if (verdict?.approved) ({ execution, refusal } = (await stage('execution', () => send({ ...planned, orderId, riskToken: verdict!.token, agentId }))) ?? {});
    }

    const nowMs = o.nowMs();
    const events: NewEvent[] = signals.map((s) => ({ type: EventType.signal, stream: s.symbol, payload: s, timeMs: nowMs }));
    if (execution?.fills.length || cycle % (o.snapshotEvery ?? 10) === 1) events.push(snapshotEvent(nowMs));
    const durationMs = o.monoMs() - t0;
    const summary: CycleSummary = {
      cycle,
      signals_generated: signals.length,
      signal_selected: selection !== undefined,
      risk_approved: verdict?.approved ?? false,
      duration_ms: Math.round(durationMs * 100) / 100,
    };
    await Promise.all([
      stage('events', () => o.store.appendBatch(events)),
      signals.length
        ? stage('decision_log', () =>
            o.decisionLog.append({
              time: new Date(nowMs).toISOString(),
              kind: 'cycle_decision',
              cycle,
              signals: signals.map((s) => ({ agent_id: s.agentId, symbol: s.symbol, direction: s.direction, confidence: s.confidence, size_hint: s.sizeHint })),
              selected: selection ? { symbol: selection.symbol, direction: selection.direction, confidence: selection.confidence, size_hint: selection.sizeHint } : null,
              verdict: verdict ? { approved: verdict.approved, guard: verdict.guard ?? null, reason: verdict.reason ?? null, checks: verdict.checks } : null,
              order: planned && orderId ? { order_id: orderId, symbol: planned.symbol, side: planned.side, quantity: planned.quantity, price: planned.price } : null,
              execution: execution
                ? { exchange_order_id: execution.order.orderId, status: execution.order.status, fills: execution.fills.length }
                : refusal
                  ? { refused: refusal.refusal.reason, code: refusal.refusal.code, held: refusal.held }
                  : null,
              duration_ms: summary.duration_ms,
            }),
          )
        : undefined,
    ]);
    lastCycleMs = nowMs;
    o.metrics.loopCycle((o.monoMs() - t0) / 1000, nowMs / 1000);
    o.log.info(summary, 'Cycle completed');
    return summary;
  }

  return {
    runCycle,
    async snapshot() {
      await o.store.append(snapshotEvent(o.nowMs()));
    },
    submitSignal(signal) {
      if (pending.length >= (o.maxPendingSignals ?? 1_000)) return false;
      pending.push(signal);
      return true;
    },
    get cycles() {
      return cycle;
    },
    get lastCycleMs() {
      return lastCycleMs;
    },
  };
}
