// A permanent refusal is not re-sent every cycle. The same order (symbol, side, intent) refused
// once is held until something it depends on changed: the wallet balance, the position, the price
// beyond a band, the exchange's symbol rules, or a time bound. Pure: state in, state out, time
// passed in; the executor keeps one RefusalHolds and asks it before every send.
import type { Refusal } from './refusals.ts';

/** What identifies "the same order": its symbol, side, and whether it opens (adds to |position|) or reduces. */
export interface OrderKey {
  symbol: string;
  side: 'BUY' | 'SELL';
  intent: 'open' | 'reduce';
}

/** What a refused order depended on, read when it was refused and again before the next send. */
export interface OrderContext {
  /** Wallet / cash in USD. */
  walletUsd: number;
  /** Signed position quantity in the symbol. */
  positionQty: number;
  /** The price the order was sized at. */
  price: number;
  /** The symbol's exchange rules as last read (their JSON: any change differs); absent when unknown. */
  rulesVersion?: string;
}

export interface HoldOptions {
  /** Relative price move that releases a hold. Default 0.01 (1 %). */
  priceBand: number;
  /** Relative wallet change that releases a hold. Default 0.001 (0.1 %: a fill's fee or a funding payment moves it less; a deposit more). */
  balanceBand: number;
  /** Longest hold, ms. Default 5 minutes (margin and leverage can change on the exchange without the worker seeing it). */
  holdMs: number;
}

export const DEFAULT_HOLD: HoldOptions = {
  priceBand: 0.01,
  balanceBand: 0.001,
  holdMs: 5 * 60_000,
};

export interface Hold {
  key: OrderKey;
  refusal: Refusal;
  context: OrderContext;
  /** When the refusal came, on the monotonic clock (ms, epoch scale): a wall-clock step does not shorten or lengthen the hold. */
  sinceMs: number;
}

export type RefusalHolds = ReadonlyMap<string, Hold>;

/** The intent of an order of `side` against a signed position: reduce when it shrinks |position| (never flips it past zero by the caller's sizing). */
export const intentOf = (side: 'BUY' | 'SELL', positionQty: number): OrderKey['intent'] =>
  (side === 'BUY' && positionQty < 0) || (side === 'SELL' && positionQty > 0) ? 'reduce' : 'open';

const id = (k: OrderKey) => `${k.symbol}|${k.side}|${k.intent}`;
const moved = (then: number, now: number, band: number) =>
  Math.abs(now - then) > band * Math.max(Math.abs(then), Math.abs(now));

/** Why a hold no longer applies ('balance', 'position', 'price', 'rules', 'time'), or undefined while it does. */
export function releasedBy(
  h: Hold,
  now: OrderContext,
  nowMs: number,
  o: HoldOptions = DEFAULT_HOLD,
): 'balance' | 'position' | 'price' | 'rules' | 'time' | undefined {
  if (nowMs - h.sinceMs >= o.holdMs) return 'time';
  if (now.positionQty !== h.context.positionQty) return 'position';
  if (moved(h.context.walletUsd, now.walletUsd, o.balanceBand)) return 'balance';
  if (moved(h.context.price, now.price, o.priceBand)) return 'price';
  if (now.rulesVersion !== h.context.rulesVersion) return 'rules';
  return undefined;
}

/** The hold on this order, if one still applies. */
export function holdOf(
  holds: RefusalHolds,
  key: OrderKey,
  now: OrderContext,
  nowMs: number,
  o: HoldOptions = DEFAULT_HOLD,
): Hold | undefined {
  const h = holds.get(id(key));
  return h && releasedBy(h, now, nowMs, o) === undefined ? h : undefined;
}

/** Holds after this refusal (replacing any older hold on the same order); expired holds are dropped. */
export function hold(
  holds: RefusalHolds,
  key: OrderKey,
  refusal: Refusal,
  context: OrderContext,
  nowMs: number,
  o: HoldOptions = DEFAULT_HOLD,
): RefusalHolds {
  const next = new Map([...holds].filter(([, h]) => nowMs - h.sinceMs < o.holdMs));
  next.set(id(key), { key, refusal, context, sinceMs: nowMs });
  return next;
}

/** What a held order waits for, in words (the decision trail's `until`). */
export const waitsFor = (h: Hold, o: HoldOptions = DEFAULT_HOLD) =>
  `a change of position, wallet beyond ${o.balanceBand * 100} %, price beyond ${o.priceBand * 100} % of ${h.context.price}, the symbol rules, or ${new Date(h.sinceMs + o.holdMs).toISOString()}`;
