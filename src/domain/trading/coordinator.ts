// The coordinator: the thin runner of the loop's cycle, its steps in order. It reads market data
// (cycle-reads.ts: candles for the agents, the exchange's mark prices for the book), marks the
// portfolio (mark-to-market.ts: a drawdown breach trips the kill switch), reads the account's margin
// into the risk engine when due, sends the stop-loss closes planStopLosses asks for, runs the agents
// (agent-signals.ts); planCycle (plan-cycle.ts, pure) decides the order, events and trail record;
// the runner risk-checks and sends the order (send-order.ts: a refusal is a value), stores the
// events and the trail line, counts and logs. One log line "Cycle completed" per cycle exactly as
// the seed shows. An agent's or a stage's failure (cycle-stage.ts) is counted and logged and the
// cycle goes on; nothing here reads a clock except through the injected ones.
import type { OrderIntent } from '../order-intent.ts';
import { collectSignals } from './agent-signals.ts';
import type { Bars, Signal } from './agents/agent.ts';
import {
  afterFill,
  MARGIN_UNREAD,
  publishMargin,
  readBars,
  readMarginWhenDue,
  readMarks,
} from './cycle-reads.ts';
import { type CycleOutcome, cycleDecisionLine } from './cycle-record.ts';
import { createStage } from './cycle-stage.ts';
import type { ApprovedOrder } from './executor.ts';
import { guardDrawdown, markBook, tradingDay } from './mark-to-market.ts';
import {
  type CyclePlan,
  planCycle,
  planStopLosses,
  snapshotEvent,
  STOP_LOSS_AGENT,
} from './plan-cycle.ts';
import { reportSkipped, reportStopLosses } from './plan-reports.ts';
import { type SendResult, sendOrder } from './send-order.ts';
import type {
  CoordinatorAccount,
  CoordinatorAgents,
  CoordinatorOptions,
  CoordinatorOrders,
  CoordinatorRecords,
} from './coordinator-options.ts';

export type {
  CoordinatorAccount,
  CoordinatorAgents,
  CoordinatorOptions,
  CoordinatorOrders,
  CoordinatorRecords,
};

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

/**
 * The loop's runner: `runCycle()` reads, marks, reads the margin, sends the stop-loss closes, runs
 * the agents, plans (planCycle), risk-checks and sends the order, stores the events and the trail
 * line, counts and logs 'Cycle completed'. Client order ids are `${orderIdPrefix}-${n in base 36}`,
 * n counting up across cycles.
 */
export function createCoordinator(options: CoordinatorOptions): Coordinator {
  // The helpers (mark-to-market, send-order, plan-reports, agent-signals) each take the fields
  // they need from one flat view.
  const o = {
    ...options.agents,
    ...options.orders,
    ...options.account,
    ...options.records,
    ...options.clock,
  };
  let cycle = 0;
  let seq = 0;
  let lastCycleMs: number | undefined;
  let day = tradingDay(o.nowMs());
  let marginTiming = MARGIN_UNREAD;
  const pending: Signal[] = [];
  const barsNeeded = o.bars ?? Math.max(1, ...o.agents.map((a) => a.lookback)) + 1;
  const stage = createStage(o.metrics, o.log, () => cycle);
  const reads = { exchange: o.exchange, metrics: o.metrics, stage };

  /** The account's margin (when due) into the risk engine and the margin gauges. */
  async function readMargin(): Promise<void> {
    if (!o.setMargin) return;
    const read = await readMarginWhenDue(
      o.exchange,
      marginTiming,
      o.monoMs(),
      o.marginEveryMs ?? 0,
    );
    if (!read) return;
    marginTiming = read.timing;
    o.setMargin(read.margin);
    publishMargin(o.metrics, o.exchange, read.margin);
  }

  /** The book at the marks, the day rolled, the figures published; a drawdown breach trips the kill switch. */
  async function markToMarket(marks: ReadonlyMap<string, number>): Promise<void> {
    day = markBook(o.book, marks, day, o.nowMs());
    await guardDrawdown(o, cycle);
  }

  /** Sends an approved order (a refusal is a value, see send-order.ts); a fill makes the margin due. */
  async function send(order: ApprovedOrder): Promise<SendResult> {
    const sent = await sendOrder(o, order, cycle);
    if (sent.execution?.fills.length) marginTiming = afterFill(marginTiming);
    return sent;
  }

  /** Closes every position past its stop: each closing order still goes through the risk check. */
  async function stopLosses(): Promise<void> {
    const plan = planStopLosses(o.book.get(), o.stopLoss, o.symbolRules(), {
      prefix: o.orderIdPrefix,
      firstSeq: seq,
    });
    seq += plan.orders.length;
    reportStopLosses(o, plan, cycle);
    for (const order of plan.orders) {
      const [d] = await o.risk.check([order], STOP_LOSS_AGENT);
      if (d?.approved) await stage('execution', () => send({ ...order, riskToken: d.token }));
    }
  }

  /** The arbitrated order's risk check (source `coordinator`), then the executor when approved. */
  async function checkAndSend(order: OrderIntent | undefined): Promise<CycleOutcome> {
    if (!order) return {};
    const [verdict] = (await stage('risk', () => o.risk.check([order], 'coordinator'))) ?? [];
    if (!verdict?.approved) return { verdict };
    return {
      verdict,
      ...(await stage('execution', () => send({ ...order, riskToken: verdict.token }))),
    };
  }

  /** The cycle's plan (planCycle, pure): its order ids taken, the skipped orders reported. */
  function plan(
    bars: readonly Bars[],
    marks: ReadonlyMap<string, number>,
    signals: Signal[],
  ): CyclePlan {
    const orderIds = { prefix: o.orderIdPrefix, firstSeq: seq };
    const planned = planCycle(
      {
        cycle,
        bars,
        marks,
        portfolio: o.book.get(),
        signals,
        weights: o.weights,
        symbolRules: o.symbolRules(),
        orderIds,
        snapshotEvery: o.snapshotEvery ?? 10,
      },
      o.nowMs(),
    );
    seq += planned.orders.length;
    reportSkipped(o, planned.skipped, cycle);
    return planned;
  }

  /** The plan's events (with a snapshot after fills or when due) and the cycle_decision line. */
  async function record(p: CyclePlan, outcome: CycleOutcome, durationMs: number, nowMs: number) {
    // The snapshot carries the book after this cycle's fills, so the runner builds it, not the plan.
    const events =
      outcome.execution?.fills.length || p.snapshotDue
        ? [...p.events, snapshotEvent(cycle, o.book.get(), nowMs)]
        : p.events;
    const line = p.record;
    await Promise.all([
      stage('events', () => o.store.appendBatch(events)),
      line
        ? stage('decision_log', () =>
            o.decisionLog.append(cycleDecisionLine(line, outcome, durationMs)),
          )
        : undefined,
    ]);
  }

  /** One cycle, its stages in order. */
  async function runCycle(): Promise<CycleSummary> {
    const t0 = o.monoMs();
    cycle++;
    const bars = await readBars(reads, o.symbols, barsNeeded);
    const marks = await readMarks(reads, o.symbols);
    await stage('portfolio', () => markToMarket(marks));
    await stage('margin', readMargin);
    await stage('stop_loss', stopLosses);
    const signals = collectSignals(o, bars, pending.splice(0, pending.length), cycle);
    const planned = plan(bars, marks, signals);
    const outcome = await checkAndSend(planned.orders[0]);
    const nowMs = o.nowMs();
    const summary: CycleSummary = {
      cycle,
      signals_generated: signals.length,
      signal_selected: planned.selection !== undefined,
      risk_approved: outcome.verdict?.approved ?? false,
      duration_ms: Math.round((o.monoMs() - t0) * 100) / 100,
    };
    await record(planned, outcome, summary.duration_ms, nowMs);
    lastCycleMs = nowMs;
    o.metrics.loopCycle((o.monoMs() - t0) / 1000, nowMs / 1000);
    o.log.info(summary, 'Cycle completed');
    return summary;
  }

  return {
    runCycle,
    async snapshot() {
      await o.store.append(snapshotEvent(cycle, o.book.get(), o.nowMs()));
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
