// Pre-trade risk checks, numbers only: one order through arguments, a batch through struct-of-arrays
// columns in linear memory. src/domain/risk/reference-risk.ts is the TypeScript reference; both must
// agree bit for bit (test/contract/risk-core.test.ts), so the arithmetic below is mirrored there
// operation by operation. Status codes and guard order: src/domain/risk/guards.ts. The exchange's
// symbol rules live in a table of RULE_STRIDE f64 per symbol (layout and reference:
// src/domain/market/rule-numbers.ts), written by the host through riskColumnOffset(14); the account's
// margin per symbol in a table of MARGIN_STRIDE f64 at the same slots (layout, reference and the
// maintenance brackets: src/domain/risk/margin-numbers.ts, src/domain/portfolio/margin.ts), written
// through riskColumnOffset(17) before riskSetMargin.
import { bucketAcquire, GRANTED } from './token-bucket';

export const MAX_BATCH: i32 = 4096;

// Status: 0 approved, else the first failing guard (1-based, fixed order), INVALID_INPUT last.
const KILL_SWITCH: i32 = 1;
const TRADING_STATE: i32 = 2;
const DRAWDOWN: i32 = 3;
const DAILY_LOSS: i32 = 4;
const LEVERAGE: i32 = 5;
const GROSS_EXPOSURE: i32 = 6;
const NET_EXPOSURE: i32 = 7;
const POSITION_WEIGHT: i32 = 8;
const ORDER_NOTIONAL: i32 = 9;
const MARGIN: i32 = 10;
const LIQUIDATION_DISTANCE: i32 = 11;
const EXCHANGE_RULES: i32 = 12;
const ORDER_RATE: i32 = 13;
const INVALID_INPUT: i32 = 14;
/** Bad numbers fail every numeric guard (drawdown .. exchange_rules, bits 3-12). */
const GARBAGE_FAILS: i32 = 0x1ff8;

export const MAX_SYMBOLS: i32 = 1024;
const RULE_STRIDE: i32 = 20;
// 7 fields, the bracket count, MAX_BRACKETS rows of (up to, rate, cum): margin-numbers.ts MARGIN_STRIDE.
const MAX_BRACKETS: i32 = 10;
const MARGIN_STRIDE: i32 = 8 + MAX_BRACKETS * 3;
// Margin slot fields, in bytes (MarginField × 8).
const M_LEVERAGE: usize = 0;
const M_LIQUIDATION: usize = 8;
const M_ENTRY: usize = 16;
const M_MARK: usize = 24;
const M_QTY: usize = 32;
const M_ISOLATED: usize = 40;
const M_ISOLATED_WALLET: usize = 48;
const M_BRACKETS: usize = 56;
const M_BRACKET0: usize = 64;
// The default maintenance brackets, for a slot without its own (count 0) and an order on a symbol
// without a slot (src/domain/portfolio/margin.ts MAINTENANCE_BRACKETS): up to, rate, cum.
const B1_UP: f64 = 50_000, B1_RATE: f64 = 0.004, B1_CUM: f64 = 0;
const B2_UP: f64 = 250_000, B2_RATE: f64 = 0.005, B2_CUM: f64 = 50;
const B3_UP: f64 = 1_000_000, B3_RATE: f64 = 0.01, B3_CUM: f64 = 1_300;
const B4_UP: f64 = 10_000_000, B4_RATE: f64 = 0.025, B4_CUM: f64 = 16_300;
const B5_RATE: f64 = 0.05, B5_CUM: f64 = 266_300;
// Rule failure codes (RuleFailure in src/domain/market/rule-numbers.ts).
const SYMBOL_UNKNOWN: i32 = 1;

// Trading states as in ais_trading_state.
const ACTIVE: i32 = 0;
const REDUCING: i32 = 1;

// Batch columns: inputs position qty, mark price, order qty (signed), price (f64), bucket, rule
// index (i32); outputs status, fail mask (i32), gross, net, weight (fractions of NAV), order
// notional (f64), rule failure code (i32).
const colPosQty: usize = memory.data(MAX_BATCH * 8, 16);
const colMark: usize = memory.data(MAX_BATCH * 8, 16);
const colQty: usize = memory.data(MAX_BATCH * 8, 16);
const colPrice: usize = memory.data(MAX_BATCH * 8, 16);
const colBucket: usize = memory.data(MAX_BATCH * 4, 16);
const colStatus: usize = memory.data(MAX_BATCH * 4, 16);
const colMask: usize = memory.data(MAX_BATCH * 4, 16);
const colGross: usize = memory.data(MAX_BATCH * 8, 16);
const colNet: usize = memory.data(MAX_BATCH * 8, 16);
const colWeight: usize = memory.data(MAX_BATCH * 8, 16);
const colNotional: usize = memory.data(MAX_BATCH * 8, 16);
const colRuleIndex: usize = memory.data(MAX_BATCH * 4, 16);
const colRule: usize = memory.data(MAX_BATCH * 4, 16);
const colInitialMargin: usize = memory.data(MAX_BATCH * 8, 16);
const colLiqDistance: usize = memory.data(MAX_BATCH * 8, 16);
// The single check's outputs: mask, gross, net, weight, notional, drawdown, daily loss, rule code,
// initial margin, liquidation distance (f64 each), at the indices RiskSingle (src/ports/risk-core.ts)
// names for the host.
const single: usize = memory.data(10 * 8, 16);
// Symbol rules: MAX_SYMBOLS slots of RULE_STRIDE f64.
const rules: usize = memory.data(MAX_SYMBOLS * RULE_STRIDE * 8, 16);
// Margin: MAX_SYMBOLS slots of MARGIN_STRIDE f64, at the rule slots.
const margins: usize = memory.data(MAX_SYMBOLS * MARGIN_STRIDE * 8, 16);
// Per slot, derived once by riskSetMargin: wallet − the other positions' maintenance margin + their
// unrealised P&L (the numerator's account part of the liquidation price).
const bases: usize = memory.data(MAX_SYMBOLS * 8, 16);

// Field offsets in a rule slot, in bytes (RuleField × 8).
const R_TRADING: usize = 0;
const R_MIN_PRICE: usize = 8;
const R_MAX_PRICE: usize = 16;
const R_PRICE_SCALE: usize = 24;
const R_TICK_UNITS: usize = 32;
const R_MIN_PRICE_UNITS: usize = 40;
const R_MIN_QTY: usize = 48;
const R_MAX_QTY: usize = 56;
const R_QTY_SCALE: usize = 64;
const R_STEP_UNITS: usize = 72;
const R_MIN_QTY_UNITS: usize = 80;
const R_MARKET_MIN_QTY: usize = 88;
const R_MARKET_MAX_QTY: usize = 96;
const R_MARKET_STEP_UNITS: usize = 104;
const R_MARKET_MIN_QTY_UNITS: usize = 112;
const R_MIN_NOTIONAL: usize = 120;
const R_MULTIPLIER_UP: usize = 128;
const R_MULTIPLIER_DOWN: usize = 136;

// Limits (riskSetLimits). NaN compares false, so a NaN limit rejects; Infinity disables a guard.
let maxDrawdown: f64 = NaN;
let maxDailyLoss: f64 = NaN;
let maxLeverage: f64 = NaN;
let maxGross: f64 = NaN;
let maxNet: f64 = NaN;
let maxWeight: f64 = NaN;
let maxNotional: f64 = NaN;

// Account snapshot (riskSetAccount) and the figures derived from it once.
let killSwitch: i32 = 1;
let tradingState: i32 = 2;
let nav: f64 = NaN;
let grossUsd: f64 = NaN;
let netUsd: f64 = NaN;
let drawdown: f64 = NaN;
let dailyLoss: f64 = NaN;
let accountValid: bool = false;
/** The rule failure code of the last order checked (0 = the exchange would accept it). */
let lastRule: i32 = 0;
/** The last order's initial margin and liquidation distance (NaN while the margin is unknown). */
let lastInitial: f64 = NaN;
let lastDistance: f64 = NaN;

// Margin (riskSetMargin): unknown until the first read, and then the two guards pass.
let marginKnown: bool = false;
let availableUsd: f64 = NaN;
let walletUsd: f64 = NaN;
let maintUsd: f64 = NaN;
let upnlUsd: f64 = NaN;
let minDistance: f64 = NaN;
let min1: f64 = Infinity;
let min1Slot: i32 = -1;
let min2: f64 = Infinity;
/** Slots of the margin table in use (riskSetMargin); a symbol at or past it has no margin data. */
let marginSlots: i32 = 0;
/** The base of a symbol without margin data (no position: every position is another's). */
let baseNone: f64 = NaN;

@inline function isFinite(x: f64): bool {
  return x - x == 0;
}

/** x as a fraction of NAV; a NAV of zero or less makes every exposure infinite (never passes). */
@inline function ofNav(x: f64): f64 {
  return nav > 0 ? x / nav : Infinity;
}

export function riskSetLimits(
  drawdownMax: f64, dailyLossMax: f64, leverageMax: f64, grossMax: f64, netMax: f64, weightMax: f64, notionalMaxUsd: f64,
): void {
  maxDrawdown = drawdownMax;
  maxDailyLoss = dailyLossMax;
  maxLeverage = leverageMax;
  maxGross = grossMax;
  maxNet = netMax;
  maxWeight = weightMax;
  maxNotional = notionalMaxUsd;
}

/** Stores the account every following check sees; returns 1 when its numbers are usable, else 0. */
export function riskSetAccount(
  killSwitchActive: i32, state: i32, navUsd: f64, peakNavUsd: f64, dayStartNavUsd: f64, grossExposureUsd: f64, netExposureUsd: f64,
): i32 {
  killSwitch = killSwitchActive;
  tradingState = state;
  nav = navUsd;
  grossUsd = grossExposureUsd;
  netUsd = netExposureUsd;
  drawdown = (peakNavUsd - navUsd) / peakNavUsd;
  dailyLoss = (dayStartNavUsd - navUsd) / dayStartNavUsd;
  accountValid = isFinite(navUsd) && isFinite(peakNavUsd) && peakNavUsd > 0 && isFinite(dayStartNavUsd) &&
    dayStartNavUsd > 0 && isFinite(grossExposureUsd) && grossExposureUsd >= 0 && isFinite(netExposureUsd);
  return accountValid ? 1 : 0;
}

export function riskDrawdown(): f64 {
  return drawdown;
}

export function riskDailyLoss(): f64 {
  return dailyLoss;
}

/**
 * The account's margin (USD) and the liquidation_distance limit (a fraction of the mark); the
 * margin table's first `slots` slots must be written first (only those are scanned). Returns 1 when the figures are usable, else 0 (the margin
 * is then unknown and the margin guards pass: the exchange still refuses an order without margin).
 */
export function riskSetMargin(slots: i32, available: f64, wallet: f64, maint: f64, upnl: f64, minLiquidationDistance: f64): i32 {
  min1 = Infinity;
  min2 = Infinity;
  min1Slot = -1;
  const n = slots < 0 ? 0 : slots > MAX_SYMBOLS ? MAX_SYMBOLS : slots;
  for (let i: i32 = 0; i < n; i++) {
    const at = margins + <usize>i * <usize>(MARGIN_STRIDE * 8);
    const q = load<f64>(at + M_QTY);
    const lp = load<f64>(at + M_LIQUIDATION);
    const mark = load<f64>(at + M_MARK);
    const ownMaint = q != 0 ? maintenance(at, abs<f64>(q) * mark) : 0;
    const ownUpnl = q != 0 ? q * (mark - load<f64>(at + M_ENTRY)) : 0;
    store<f64>(bases + (<usize>i << 3), wallet - (maint - ownMaint) + (upnl - ownUpnl));
    if (q == 0 || !(lp > 0) || !(mark > 0)) continue;
    const d = ((q > 0 ? 1.0 : -1.0) * (mark - lp)) / mark;
    if (d < min1) {
      min2 = min1;
      min1 = d;
      min1Slot = i;
    } else if (d < min2) min2 = d;
  }
  marginSlots = n;
  baseNone = wallet - (maint - 0) + (upnl - 0);
  availableUsd = available;
  walletUsd = wallet;
  maintUsd = maint;
  upnlUsd = upnl;
  minDistance = minLiquidationDistance;
  marginKnown = isFinite(available) && isFinite(wallet) && isFinite(maint) && isFinite(upnl);
  return marginKnown ? 1 : 0;
}

// The bracket a notional falls in, set by bracketOf: its rate and maintenance amount.
let bRate: f64 = 0;
let bCum: f64 = 0;

/** Sets bRate and bCum: the slot's own brackets (at 0: none, the default table), the first whose cap the notional does not pass, else the last. */
@inline function bracketOf(at: usize, notional: f64): void {
  const count = at != 0 ? load<f64>(at + M_BRACKETS) : 0;
  const n: i32 = count >= <f64>MAX_BRACKETS ? MAX_BRACKETS : count >= 1 ? <i32>count : 0;
  if (n == 0) {
    bRate = B5_RATE; bCum = B5_CUM;
    if (notional <= B1_UP) { bRate = B1_RATE; bCum = B1_CUM; }
    else if (notional <= B2_UP) { bRate = B2_RATE; bCum = B2_CUM; }
    else if (notional <= B3_UP) { bRate = B3_RATE; bCum = B3_CUM; }
    else if (notional <= B4_UP) { bRate = B4_RATE; bCum = B4_CUM; }
    return;
  }
  let i: i32 = 0;
  for (; i < n - 1; i++) if (notional <= load<f64>(at + M_BRACKET0 + <usize>(i * 24))) break;
  const row = at + M_BRACKET0 + <usize>(i * 24);
  bRate = load<f64>(row + 8);
  bCum = load<f64>(row + 16);
}

/** Maintenance margin at a notional in the slot's brackets (the bracket's rate, less its maintenance amount). */
@inline function maintenance(at: usize, notional: f64): f64 {
  bracketOf(at, notional);
  return notional * bRate - bCum;
}

/** Liquidation price after the order, cross margin, one-way (Binance's formula, unclamped); `base` as in `bases`; `at` the slot (0: none). */
@inline function liquidationAfter(at: usize, base: f64, q: f64, side: f64, entry: f64, value: f64): f64 {
  bracketOf(at, q * value);
  return (base + bCum - side * q * entry) / (q * bRate - side * q);
}

/** An isolated symbol's wallet after the order plus the order's initial margin (margin-numbers.ts isolatedBase). */
@inline function isolatedBase(wallet: f64, posQty: f64, qty: f64, newQty: f64, initial: f64): f64 {
  const keep: f64 = posQty * qty > 0 ? 1.0 : posQty * qty < 0 && newQty * posQty > 0 ? abs<f64>(newQty) / abs<f64>(posQty) : 0;
  return wallet * keep + initial;
}

/** Sets lastInitial and lastDistance for an order (margin-numbers.ts marginCheckFigures). */
@inline function marginOf(index: i32, posQty: f64, qty: f64, newQty: f64, price: f64, value: f64): void {
  const hasSlot = index >= 0 && index < marginSlots;
  const slot: i32 = hasSlot ? index : 0;
  const at = margins + <usize>slot * <usize>(MARGIN_STRIDE * 8);
  const lev = hasSlot ? load<f64>(at + M_LEVERAGE) : 0;
  const leverage = lev >= 1 ? lev : 1.0;
  const opening = posQty * qty >= 0 ? abs<f64>(qty) : newQty * posQty < 0 ? abs<f64>(newQty) : 0;
  lastInitial = (opening * price) / leverage;

  const tEntry = hasSlot ? load<f64>(at + M_ENTRY) : 0;
  const isolated = hasSlot && load<f64>(at + M_ISOLATED) == 1;
  const base = isolated
    ? isolatedBase(load<f64>(at + M_ISOLATED_WALLET), posQty, qty, newQty, lastInitial)
    : hasSlot ? load<f64>(bases + (<usize>slot << 3)) : baseNone;
  let own: f64 = Infinity;
  if (newQty != 0) {
    const entry0 = tEntry > 0 ? tEntry : value;
    const q = abs<f64>(newQty);
    const entry = posQty == 0 || newQty * posQty < 0 ? price : posQty * qty > 0 ? (abs<f64>(posQty) * entry0 + abs<f64>(qty) * price) / q : entry0;
    const side: f64 = newQty > 0 ? 1.0 : -1.0;
    const lp = liquidationAfter(hasSlot ? at : 0, base, q, side, entry, value);
    own = (side * (value - lp)) / value;
  }
  const others = (hasSlot ? index : -1) == min1Slot ? min2 : min1;
  lastDistance = own < others ? own : others;
}

/** x is minUnits + k × stepUnits at this scale, exactly (a step of 0 disables the step part). */
@inline function onGrid(x: f64, scale: f64, stepUnits: f64, minUnits: f64): bool {
  const units = Math.round(x * scale);
  // Whole steps from min: the quotient of two exact integers is whole exactly when one divides the
  // other (f64 % is a software routine in WASM; floor is one instruction).
  const steps = (units - minUnits) / stepUnits;
  return units / scale == x && units >= minUnits && (stepUnits <= 0 || Math.floor(steps) == steps);
}

/** 0 when the order passes the symbol's rules, else the first failure code (ruleFailureOf's order). */
function ruleFailure(index: i32, qty: f64, price: f64, mark: f64, reduces: bool): i32 {
  if (index < 0 || index >= MAX_SYMBOLS) return SYMBOL_UNKNOWN;
  const at = rules + <usize>index * <usize>(RULE_STRIDE * 8);
  // 1: TRADING; 2: closing orders only (a symbol settling); else none (rule-numbers.ts).
  const trading = load<f64>(at + R_TRADING);
  if (!(trading == 1 || (trading == 2 && reduces))) return 2;
  const minPrice = load<f64>(at + R_MIN_PRICE);
  const maxPrice = load<f64>(at + R_MAX_PRICE);
  if (minPrice > 0 && !(price >= minPrice)) return 3;
  if (maxPrice > 0 && !(price <= maxPrice)) return 4;
  if (load<f64>(at + R_TICK_UNITS) > 0 && !onGrid(price, load<f64>(at + R_PRICE_SCALE), load<f64>(at + R_TICK_UNITS), load<f64>(at + R_MIN_PRICE_UNITS))) return 5;
  const q = abs<f64>(qty);
  const qtyScale = load<f64>(at + R_QTY_SCALE);
  const maxQty = load<f64>(at + R_MAX_QTY);
  const marketMaxQty = load<f64>(at + R_MARKET_MAX_QTY);
  if (!(q >= load<f64>(at + R_MIN_QTY))) return 6;
  if (maxQty > 0 && !(q <= maxQty)) return 7;
  const stepUnits = load<f64>(at + R_STEP_UNITS);
  const minQtyUnits = load<f64>(at + R_MIN_QTY_UNITS);
  const marketStepUnits = load<f64>(at + R_MARKET_STEP_UNITS);
  const marketMinQtyUnits = load<f64>(at + R_MARKET_MIN_QTY_UNITS);
  if (!onGrid(q, qtyScale, stepUnits, minQtyUnits)) return 8;
  if (!(q >= load<f64>(at + R_MARKET_MIN_QTY))) return 9;
  if (marketMaxQty > 0 && !(q <= marketMaxQty)) return 10;
  // The usual case, MARKET_LOT_SIZE on the LOT_SIZE grid, was just checked.
  const sameGrid = marketStepUnits == stepUnits && marketMinQtyUnits == minQtyUnits;
  if (!sameGrid && !onGrid(q, qtyScale, marketStepUnits, marketMinQtyUnits)) return 11;
  if (!reduces && !(q * price >= load<f64>(at + R_MIN_NOTIONAL))) return 12;
  if (mark > 0 && qty > 0 && !(price <= mark * load<f64>(at + R_MULTIPLIER_UP))) return 13;
  if (mark > 0 && qty < 0 && !(price >= mark * load<f64>(at + R_MULTIPLIER_DOWN))) return 14;
  return 0;
}

/** Checks one order: returns its fail mask (bit k set when guard k fails) and writes its figures. */
@inline function check(
  posQty: f64, mark: f64, qty: f64, price: f64, bucket: i32, ruleIndex: i32, nowMs: f64,
  outGross: usize, outNet: usize, outWeight: usize, outNotional: usize,
): i32 {
  let mask: i32 = 0;
  if (killSwitch != 0) mask |= 1 << KILL_SWITCH;
  const newQty = posQty + qty;
  const reduces = (posQty > 0 && qty < 0 && newQty >= 0) || (posQty < 0 && qty > 0 && newQty <= 0);
  if (!(tradingState == ACTIVE || (tradingState == REDUCING && reduces))) mask |= 1 << TRADING_STATE;

  const valid = accountValid && isFinite(posQty) && isFinite(mark) && mark >= 0 && isFinite(qty) && qty != 0 &&
    isFinite(price) && price > 0;
  // Positions are valued at the mark; a symbol with no mark yet at the order's price.
  const value = mark > 0 ? mark : price;
  const notional = abs<f64>(qty) * price;
  const posUsd = posQty * value;
  const newUsd = newQty * value;
  const grossRest = grossUsd - abs<f64>(posUsd);
  const netRest = netUsd - posUsd;
  // "Before" is recomputed the same way as "after" so that a reducing order compares exactly.
  const grossBefore = ofNav(grossRest + abs<f64>(posUsd));
  const grossAfter = ofNav(grossRest + abs<f64>(newUsd));
  const netBefore = ofNav(abs<f64>(netRest + posUsd));
  const netAfter = ofNav(abs<f64>(netRest + newUsd));
  const weightBefore = ofNav(abs<f64>(posUsd));
  const weightAfter = ofNav(abs<f64>(newUsd));

  if (!valid) {
    mask |= (1 << INVALID_INPUT) | GARBAGE_FAILS;
  } else {
    if (!(drawdown < maxDrawdown)) mask |= 1 << DRAWDOWN;
    if (!(dailyLoss < maxDailyLoss)) mask |= 1 << DAILY_LOSS;
    // An exposure guard passes under its limit, or when the order does not raise the figure (so a
    // position can always be cut, even past a limit).
    if (!(grossAfter <= maxLeverage || grossAfter <= grossBefore)) mask |= 1 << LEVERAGE;
    if (!(grossAfter <= maxGross || grossAfter <= grossBefore)) mask |= 1 << GROSS_EXPOSURE;
    if (!(netAfter <= maxNet || netAfter <= netBefore)) mask |= 1 << NET_EXPOSURE;
    if (!(weightAfter <= maxWeight || weightAfter <= weightBefore)) mask |= 1 << POSITION_WEIGHT;
    if (!(notional <= maxNotional)) mask |= 1 << ORDER_NOTIONAL;
  }
  if (marginKnown) {
    marginOf(ruleIndex, posQty, qty, newQty, price, value);
    if (valid) {
      // An order that opens nothing needs no margin; one that reduces a position never fails the distance.
      if (!(lastInitial <= availableUsd || lastInitial == 0)) mask |= 1 << MARGIN;
      if (!(lastDistance >= minDistance || reduces)) mask |= 1 << LIQUIDATION_DISTANCE;
    }
  } else {
    lastInitial = NaN;
    lastDistance = NaN;
  }
  // A reducing order is exempt from MIN_NOTIONAL, as a reduce-only order is on the exchange.
  lastRule = ruleFailure(ruleIndex, qty, price, mark, reduces);
  if (lastRule != 0) mask |= 1 << EXCHANGE_RULES;
  // The rate budget is spent only by an order that passed every other guard.
  if (mask == 0 && bucketAcquire(bucket, 1, nowMs) != GRANTED) mask |= 1 << ORDER_RATE;

  store<f64>(outGross, grossAfter);
  store<f64>(outNet, netAfter);
  store<f64>(outWeight, weightAfter);
  store<f64>(outNotional, notional);
  return mask;
}

/** The status for a fail mask: kill switch and trading state first, then bad input, then guards. */
@inline function statusOf(mask: i32): i32 {
  if (mask == 0) return 0;
  if (mask & ((1 << KILL_SWITCH) | (1 << TRADING_STATE))) return ctz<i32>(mask);
  if (mask & (1 << INVALID_INPUT)) return INVALID_INPUT;
  return ctz<i32>(mask);
}

/** One order: status code; mask and figures readable at riskColumnOffset(11) (10 f64). */
export function riskCheck(posQty: f64, markPrice: f64, orderQty: f64, price: f64, bucket: i32, ruleIndex: i32, nowMs: f64): i32 {
  const mask = check(posQty, markPrice, orderQty, price, bucket, ruleIndex, nowMs, single + 8, single + 16, single + 24, single + 32);
  store<f64>(single, <f64>mask);
  store<f64>(single + 40, drawdown);
  store<f64>(single + 48, dailyLoss);
  store<f64>(single + 56, <f64>lastRule);
  store<f64>(single + 64, lastInitial);
  store<f64>(single + 72, lastDistance);
  return statusOf(mask);
}

/** n orders from the input columns; returns how many were approved, or -1 for a bad n. */
export function riskCheckBatch(n: i32, nowMs: f64): i32 {
  if (n < 0 || n > MAX_BATCH) return -1;
  let approved: i32 = 0;
  for (let i: i32 = 0; i < n; i++) {
    const o8 = <usize>i << 3;
    const o4 = <usize>i << 2;
    const mask = check(
      load<f64>(colPosQty + o8), load<f64>(colMark + o8), load<f64>(colQty + o8), load<f64>(colPrice + o8),
      load<i32>(colBucket + o4), load<i32>(colRuleIndex + o4), nowMs, colGross + o8, colNet + o8, colWeight + o8, colNotional + o8,
    );
    store<i32>(colRule + o4, lastRule);
    store<f64>(colInitialMargin + o8, lastInitial);
    store<f64>(colLiqDistance + o8, lastDistance);
    const status = statusOf(mask);
    store<i32>(colMask + o4, mask);
    store<i32>(colStatus + o4, status);
    approved += i32(status == 0);
  }
  return approved;
}

/** Byte offsets of the columns, in the order of RISK_COLUMNS (src/ports/risk-core.ts). */
export function riskColumnOffset(column: i32): i32 {
  switch (column) {
    case 0: return <i32>colPosQty;
    case 1: return <i32>colMark;
    case 2: return <i32>colQty;
    case 3: return <i32>colPrice;
    case 4: return <i32>colBucket;
    case 5: return <i32>colStatus;
    case 6: return <i32>colMask;
    case 7: return <i32>colGross;
    case 8: return <i32>colNet;
    case 9: return <i32>colWeight;
    case 10: return <i32>colNotional;
    case 11: return <i32>single;
    case 12: return <i32>colRuleIndex;
    case 13: return <i32>colRule;
    case 14: return <i32>rules;
    case 15: return <i32>colInitialMargin;
    case 16: return <i32>colLiqDistance;
    case 17: return <i32>margins;
  }
  return -1;
}
