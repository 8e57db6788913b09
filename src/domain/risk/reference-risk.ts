// The pure TypeScript reference of wasm/assembly/risk.ts: the same arithmetic in the same order, so
// that both give bit-identical answers (test/contract/risk-core.test.ts). Keep the two in step.
import {
  MAX_RULE_SYMBOLS,
  RULE_STRIDE,
  RuleFailure,
  ruleFailureOf,
} from '../market/rule-numbers.ts';
import { GARBAGE_FAILS, Status } from './guards.ts';
import type { CoreLimits } from './limits.ts';
import { marginCheckFigures, type MarginState } from './margin-numbers.ts';

/** The account snapshot as the core holds it, with the figures derived once. */
interface RiskAccount {
  killSwitch: number;
  tradingState: number;
  nav: number;
  grossUsd: number;
  netUsd: number;
  drawdown: number;
  dailyLoss: number;
  valid: boolean;
}

/** What one check yields: the fail mask, the figures after the order and the rule failure code. */
interface OrderFigures {
  mask: number;
  gross: number;
  net: number;
  weight: number;
  notional: number;
  /** 0, or the first symbol rule the order breaks (RuleFailure). */
  rule: number;
  /** The order's initial margin (USD) and the smallest liquidation distance after it; NaN while the margin is unknown. */
  initialMargin: number;
  liquidationDistance: number;
}

const isFinite = (x: number) => x - x === 0;
/** WASM i32 parameters take JavaScript numbers through ToInt32. */
export const toI32 = (x: number) => x | 0;

export function deriveAccount(
  killSwitch: number,
  tradingState: number,
  nav: number,
  peakNav: number,
  dayStartNav: number,
  grossUsd: number,
  netUsd: number,
): RiskAccount {
  return {
    killSwitch: toI32(killSwitch),
    tradingState: toI32(tradingState),
    nav,
    grossUsd,
    netUsd,
    drawdown: (peakNav - nav) / peakNav,
    dailyLoss: (dayStartNav - nav) / dayStartNav,
    valid:
      isFinite(nav) &&
      isFinite(peakNav) &&
      peakNav > 0 &&
      isFinite(dayStartNav) &&
      dayStartNav > 0 &&
      isFinite(grossUsd) &&
      grossUsd >= 0 &&
      isFinite(netUsd),
  };
}

/** The order's position figures: its notional and the gross, net and weight ratios before and after it. */
interface Exposure {
  notional: number;
  value: number;
  gross: number;
  grossBefore: number;
  net: number;
  netBefore: number;
  weight: number;
  weightBefore: number;
}

/** Kill switch and trading state: the guards that hold whatever the figures say. */
function stateMask(a: RiskAccount, reduces: boolean): number {
  let mask = 0;
  if (a.killSwitch !== 0) mask |= 1 << Status.KILL_SWITCH;
  if (!(a.tradingState === 0 || (a.tradingState === 1 && reduces)))
    mask |= 1 << Status.TRADING_STATE;
  return mask;
}

/** Whether the account and the order's numbers are usable at all. */
function isValidOrder(a: RiskAccount, posQty: number, mark: number, qty: number, price: number) {
  return (
    a.valid &&
    isFinite(posQty) &&
    isFinite(mark) &&
    mark >= 0 &&
    isFinite(qty) &&
    qty !== 0 &&
    isFinite(price) &&
    price > 0
  );
}

/** The exposure ratios (of NAV) before and after the order, valued at the mark (else the price). */
function exposureOf(a: RiskAccount, posQty: number, mark: number, qty: number, price: number) {
  const ofNav = (x: number) => (a.nav > 0 ? x / a.nav : Infinity);
  const newQty = posQty + qty;
  const value = mark > 0 ? mark : price;
  const notional = Math.abs(qty) * price;
  const posUsd = posQty * value;
  const newUsd = newQty * value;
  const grossRest = a.grossUsd - Math.abs(posUsd);
  const netRest = a.netUsd - posUsd;
  const grossBefore = ofNav(grossRest + Math.abs(posUsd));
  const gross = ofNav(grossRest + Math.abs(newUsd));
  const netBefore = ofNav(Math.abs(netRest + posUsd));
  const net = ofNav(Math.abs(netRest + newUsd));
  const weightBefore = ofNav(Math.abs(posUsd));
  const weight = ofNav(Math.abs(newUsd));
  const e: Exposure = { notional, value, gross, grossBefore, net, netBefore, weight, weightBefore };
  return e;
}

/** Drawdown, daily loss, leverage, exposures, weight and notional against their limits. */
function limitMask(a: RiskAccount, l: CoreLimits, e: Exposure): number {
  let mask = 0;
  if (!(a.drawdown < l.maxDrawdown)) mask |= 1 << Status.DRAWDOWN;
  if (!(a.dailyLoss < l.maxDailyLoss)) mask |= 1 << Status.DAILY_LOSS;
  if (!(e.gross <= l.maxLeverage || e.gross <= e.grossBefore)) mask |= 1 << Status.LEVERAGE;
  if (!(e.gross <= l.maxGrossExposure || e.gross <= e.grossBefore))
    mask |= 1 << Status.GROSS_EXPOSURE;
  if (!(e.net <= l.maxNetExposure || e.net <= e.netBefore)) mask |= 1 << Status.NET_EXPOSURE;
  if (!(e.weight <= l.maxPositionWeight || e.weight <= e.weightBefore))
    mask |= 1 << Status.POSITION_WEIGHT;
  if (!(e.notional <= l.maxOrderNotionalUsd)) mask |= 1 << Status.ORDER_NOTIONAL;
  return mask;
}

/** The margin guards' figures and their fail bits (none while the margin is unknown or the input bad). */
function marginPart(
  m: MarginState,
  margins: Float64Array,
  index: number,
  order: { posQty: number; qty: number; price: number; value: number },
  valid: boolean,
  reduces: boolean,
) {
  let mask = 0;
  let initialMargin = NaN;
  let liquidationDistance = NaN;
  if (m.known) {
    const { posQty, qty, price, value } = order;
    [initialMargin, liquidationDistance] = marginCheckFigures(
      m,
      margins,
      index,
      posQty,
      qty,
      posQty + qty,
      price,
      value,
    );
    if (valid) {
      if (!(initialMargin <= m.availableUsd || initialMargin === 0)) mask |= 1 << Status.MARGIN;
      if (!(liquidationDistance >= m.minDistance || reduces))
        mask |= 1 << Status.LIQUIDATION_DISTANCE;
    }
  }
  return { mask, initialMargin, liquidationDistance };
}

/** Checks one order against the rule table slot `ruleIndex`; `acquire` spends one order_rate token and says whether it was granted. */
export function checkOrderFigures(
  a: RiskAccount,
  l: CoreLimits,
  rules: Float64Array,
  m: MarginState,
  margins: Float64Array,
  posQty: number,
  mark: number,
  qty: number,
  price: number,
  ruleIndex: number,
  acquire: () => boolean,
): OrderFigures {
  const newQty = posQty + qty;
  const reduces = (posQty > 0 && qty < 0 && newQty >= 0) || (posQty < 0 && qty > 0 && newQty <= 0);
  let mask = stateMask(a, reduces);
  const valid = isValidOrder(a, posQty, mark, qty, price);
  const e = exposureOf(a, posQty, mark, qty, price);
  mask |= valid ? limitMask(a, l, e) : (1 << Status.INVALID_INPUT) | GARBAGE_FAILS;
  const index = toI32(ruleIndex);
  const margin = marginPart(
    m,
    margins,
    index,
    { posQty, qty, price, value: e.value },
    valid,
    reduces,
  );
  mask |= margin.mask;
  const rule =
    index < 0 || index >= MAX_RULE_SYMBOLS
      ? RuleFailure.SYMBOL_UNKNOWN
      : ruleFailureOf(rules, index * RULE_STRIDE, qty, price, mark, reduces);
  if (rule !== 0) mask |= 1 << Status.EXCHANGE_RULES;
  if (mask === 0 && !acquire()) mask |= 1 << Status.ORDER_RATE;
  const { gross, net, weight, notional } = e;
  const { initialMargin, liquidationDistance } = margin;
  return { mask, gross, net, weight, notional, rule, initialMargin, liquidationDistance };
}

/** Kill switch and trading state first, then bad input, then the lowest failing guard. */
export function statusOf(mask: number): number {
  if (mask === 0) return Status.APPROVED;
  if (mask & ((1 << Status.KILL_SWITCH) | (1 << Status.TRADING_STATE)))
    return Math.clz32(mask & -mask) ^ 31;
  if (mask & (1 << Status.INVALID_INPUT)) return Status.INVALID_INPUT;
  return Math.clz32(mask & -mask) ^ 31;
}
