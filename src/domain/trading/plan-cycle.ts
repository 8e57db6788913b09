// The cycle's decisions, pure: what the cycle read (bars, marks, the marked book, the signals the
// agents gave, the symbol rules) in; the orders to risk-check and send, the events to store and the
// plan's part of the cycle_decision line out. No I/O, no clock, no metrics: the runner
// (coordinator.ts) reads, checks, sends, stores, counts and logs. Two steps with the stop-loss sends
// between: the arbitrated order is sized on the book the closes actually left (their fills' prices
// and fees), which no plan made before them can know.
import { EventType, type NewEvent } from '../../ports/event-store.ts';
import type { SymbolRules } from '../market/symbol-rules.ts';
import type { OrderIntent } from '../order-intent.ts';
import { navUsd, type Portfolio } from '../portfolio/portfolio.ts';
import { portfolioSnapshot } from '../portfolio/portfolio-snapshot.ts';
import { type Bars, type Signal, signalPayload } from './agents/agent.ts';
import { arbitrate, type Selection } from './arbitration.ts';
import type { CyclePlanRecord } from './cycle-record.ts';
import { fitOrder, isSkip, planOrder, type SkippedOrder } from './sizing.ts';
import { stopLossOrders } from './stop-loss.ts';

/** The agent id (and risk-check source) of the loop's own stop-loss closes. */
export const STOP_LOSS_AGENT = 'stop_loss';

/** Where a plan's client order ids come from: `${prefix}-${n in base 36}`, n counting up from `firstSeq`. */
export interface OrderIds {
  prefix: string;
  firstSeq: number;
}

const idMaker = (ids: OrderIds) => {
  let seq = ids.firstSeq;
  return () => `${ids.prefix}-${(seq++).toString(36)}`;
};

/** Orders the exchange's rules forbid, not sent: to count and log, with the agent behind each. */
export type SkippedOrders = { order: SkippedOrder; agentId: string | undefined }[];

export interface StopLossPlan {
  /** Reduce-only closes to risk-check (source `stop_loss`) and send, in this order. */
  orders: OrderIntent[];
  /** Positions past their stop, with their loss from entry (a fraction): to count and log. */
  stopped: { symbol: string; loss: number }[];
  skipped: SkippedOrders;
}

/**
 * The cycle's first step: a whole close for every position of the marked `portfolio` whose loss
 * from entry reached `stopLoss` (a fraction; 0 = off), fitted to the symbol's rules (exempt from the
 * minimum notional; the quantity still rounds down to the step).
 */
export function planStopLosses(
  portfolio: Portfolio,
  stopLoss: number,
  rules: ReadonlyMap<string, SymbolRules>,
  ids: OrderIds,
): StopLossPlan {
  const nextOrderId = idMaker(ids);
  const plan: StopLossPlan = { orders: [], stopped: [], skipped: [] };
  for (const raw of stopLossOrders(portfolio.positions, stopLoss)) {
    plan.stopped.push({ symbol: raw.symbol, loss: raw.loss });
    const fitted = fitOrder(
      rules.get(raw.symbol),
      raw.symbol,
      raw.side,
      raw.quantity,
      raw.price,
      true,
    );
    if (isSkip(fitted)) plan.skipped.push({ order: fitted, agentId: STOP_LOSS_AGENT });
    else
      plan.orders.push({
        orderId: nextOrderId(),
        symbol: raw.symbol,
        side: raw.side,
        ...fitted,
        agentId: STOP_LOSS_AGENT,
        reduceOnly: true,
      });
  }
  return plan;
}

export interface CycleInput {
  /** The cycle's number, from 1. */
  cycle: number;
  /** Bars per symbol; a symbol whose data could not be read is absent. */
  bars: readonly Bars[];
  /** The exchange's mark price (USD) per symbol as read this cycle; a symbol may be missing. */
  marks: ReadonlyMap<string, number>;
  /** The book, marked at `marks`, after this cycle's stop-loss closes were sent. */
  portfolio: Portfolio;
  /** Every signal of the cycle: the agents' and the external ones, in that order. */
  signals: readonly Signal[];
  /** Agent id → arbitration weight (missing = 1). */
  weights?: Readonly<Record<string, number>>;
  /** The exchange's rules by symbol, as last read. */
  symbolRules: ReadonlyMap<string, SymbolRules>;
  orderIds: OrderIds;
  /** A portfolio snapshot is due every this many cycles (cycles 1, 1 + n, …). */
  snapshotEvery: number;
}

export interface CyclePlan {
  /** To risk-check (source `coordinator`) and send: the arbitrated order, when there is one worth sending. */
  orders: OrderIntent[];
  selection?: Selection;
  /** A `signal` event per signal, at the plan's time. */
  events: NewEvent[];
  /** True when this cycle stores a portfolio snapshot whatever happens (the runner also stores one after a fill). */
  snapshotDue: boolean;
  skipped: SkippedOrders;
  /** The plan's part of the cycle_decision line; undefined when there were no signals (no line). */
  record?: CyclePlanRecord;
}

/**
 * The cycle's decision at `nowMs` (epoch ms, the events' time): arbitration of the signals, then
 * the order that moves the selected symbol toward its target, sized and priced at the mark (the
 * newest close when no mark was read) on the book as the stop-loss closes left it.
 */
export function planCycle(input: CycleInput, nowMs: number): CyclePlan {
  const { portfolio, signals } = input;
  const selection = arbitrate(signals, input.weights);
  const agentId = selection?.supporting[0]?.agentId;
  const price =
    selection &&
    (input.marks.get(selection.symbol) ??
      input.bars.find((b) => b.symbol === selection.symbol)?.closes.at(-1));
  const sized =
    selection && price
      ? planOrder({
          selection,
          navUsd: navUsd(portfolio),
          price,
          positionQty: portfolio.positions[selection.symbol]?.quantity ?? 0,
          rules: input.symbolRules.get(selection.symbol),
        })
      : undefined;
  const entry: OrderIntent | undefined =
    sized && !isSkip(sized)
      ? {
          orderId: idMaker(input.orderIds)(),
          symbol: sized.symbol,
          side: sized.side,
          quantity: sized.quantity,
          price: sized.price,
          agentId,
        }
      : undefined;
  return {
    orders: entry ? [entry] : [],
    selection,
    events: signals.map((s) => ({
      type: EventType.signal,
      stream: s.symbol,
      payload: signalPayload(s),
      timeMs: nowMs,
    })),
    snapshotDue: (input.cycle - 1) % input.snapshotEvery === 0,
    skipped: isSkip(sized) ? [{ order: sized, agentId }] : [],
    record: signals.length ? planRecord(input.cycle, signals, selection, entry) : undefined,
  };
}

function planRecord(
  cycle: number,
  signals: readonly Signal[],
  selection: Selection | undefined,
  entry: OrderIntent | undefined,
): CyclePlanRecord {
  return {
    cycle,
    signals: signals.map((s) => ({
      agent_id: s.agentId,
      symbol: s.symbol,
      direction: s.direction,
      confidence: s.confidence,
      size_hint: s.sizeHint,
    })),
    selected: selection
      ? {
          symbol: selection.symbol,
          direction: selection.direction,
          confidence: selection.confidence,
          size_hint: selection.sizeHint,
        }
      : null,
    order: entry
      ? {
          order_id: entry.orderId,
          symbol: entry.symbol,
          side: entry.side,
          quantity: entry.quantity,
          price: entry.price,
        }
      : null,
  };
}

/** A `portfolio` event at `nowMs` with everything a restart needs to rebuild the book (portfolioFromSnapshot). */
export function snapshotEvent(cycle: number, book: Portfolio, nowMs: number): NewEvent {
  return { type: EventType.portfolio, payload: portfolioSnapshot(book, cycle), timeMs: nowMs };
}
