// The numeric core the domain calls for hot paths. Two implementations: WASM (production) and the
// TypeScript reference (tests, and a fallback nobody should need). Numbers only across this line.

/** Many token buckets addressed by index; status codes as in BucketStatus. */
export interface TokenBucketCore {
  readonly maxBuckets: number;
  bucketInit(i: number, capacity: number, refillPerSec: number, nowMs: number): number;
  bucketAcquire(i: number, cost: number, nowMs: number): number;
  bucketTokens(i: number, nowMs: number): number;
  bucketPause(i: number, untilMs: number): number;
  bucketSetTokens(i: number, tokens: number, nowMs: number): number;
  bucketPausedUntil(i: number): number;
}

/** Column numbers for riskColumnOffset (wasm/assembly/risk.ts); SINGLE is the single check's output. */
export const RiskColumn = {
  POS_QTY: 0,
  MARK_PRICE: 1,
  ORDER_QTY: 2,
  PRICE: 3,
  BUCKET: 4,
  STATUS: 5,
  MASK: 6,
  GROSS: 7,
  NET: 8,
  WEIGHT: 9,
  NOTIONAL: 10,
  SINGLE: 11,
  RULE_INDEX: 12,
  RULE: 13,
  /** The symbol rule table: MAX_RULE_SYMBOLS slots of RULE_STRIDE f64 (src/domain/market/rule-numbers.ts). */
  RULES: 14,
  INITIAL_MARGIN: 15,
  LIQUIDATION_DISTANCE: 16,
  /** The margin table: MAX_RULE_SYMBOLS slots of MARGIN_STRIDE f64 at the rule slots (src/domain/risk/margin-numbers.ts). */
  MARGINS: 17,
} as const;

/**
 * The single check's output (riskSingle), one f64 per field at these indices: the layout the WASM
 * module writes (wasm/assembly/risk.ts, `single` + 8 × index) and the TypeScript reference
 * mirrors. Read and write it by these names only.
 */
export const RiskSingle = {
  /** Bit k set when guard k fails. */
  MASK: 0,
  /** Gross exposure after the order as a fraction of NAV (also the leverage). */
  GROSS: 1,
  /** |Net exposure| after the order as a fraction of NAV. */
  NET: 2,
  /** |Position| in the symbol after the order as a fraction of NAV. */
  WEIGHT: 3,
  NOTIONAL_USD: 4,
  /** The account's drawdown and daily loss, fractions of the peak and day-start NAV. */
  DRAWDOWN: 5,
  DAILY_LOSS: 6,
  /** 0, or the first symbol rule the order breaks (RuleFailure). */
  RULE: 7,
  /** NaN while the margin is unknown (as the batch columns). */
  INITIAL_MARGIN: 8,
  LIQUIDATION_DISTANCE: 9,
} as const;
/** How many f64 the single check's output holds. */
export const RISK_SINGLE_LENGTH = 10;

/** Struct-of-arrays views over the batch columns (inputs first, then outputs), maxBatch long. */
export interface RiskBatchViews {
  /** Signed position quantity in the order's symbol. */
  posQty: Float64Array;
  /** The symbol's mark price; 0 when none is known (the order's price values the position). */
  markPrice: Float64Array;
  /** Signed order quantity: positive buys, negative sells. */
  orderQty: Float64Array;
  price: Float64Array;
  /** Token-bucket index for the order_rate guard. */
  bucket: Int32Array;
  /** Slot of the order's symbol in the rule table; -1 for a symbol without rules (unknown). */
  ruleIndex: Int32Array;
  /** 0 approved, else the first failing guard's code (src/domain/risk/guards.ts). */
  status: Int32Array;
  /** Bit k set when guard k fails. */
  mask: Int32Array;
  /** Gross exposure after the order as a fraction of NAV (also the leverage). */
  gross: Float64Array;
  /** |Net exposure| after the order as a fraction of NAV. */
  net: Float64Array;
  /** |Position| in the symbol after the order as a fraction of NAV. */
  weight: Float64Array;
  notionalUsd: Float64Array;
  /** 0, or the first symbol rule the order breaks (RuleFailure, src/domain/market/rule-numbers.ts). */
  rule: Int32Array;
  /** The order's initial margin in USD (opening quantity × price / the symbol's leverage); NaN while the margin is unknown. */
  initialMargin: Float64Array;
  /** The smallest signed distance (side × (mark − liquidation price) / mark) of any position after the order; NaN while the margin is unknown. */
  liquidationDistance: Float64Array;
}

/** Pre-trade risk checks: limits and account set once, then orders checked one by one or by batch. */
interface RiskCheckCore {
  readonly maxBatch: number;
  /** The limits of RiskLimits (src/domain/risk/limits.ts) the core holds, in its units, one number each. */
  riskSetLimits(
    maxDrawdown: number,
    maxDailyLoss: number,
    maxLeverage: number,
    maxGrossExposure: number,
    maxNetExposure: number,
    maxPositionWeight: number,
    maxOrderNotionalUsd: number,
  ): void;
  /** Returns 1 when the account's numbers are usable, else 0 (every check then fails invalid_input). */
  riskSetAccount(
    killSwitch: number,
    tradingState: number,
    navUsd: number,
    peakNavUsd: number,
    dayStartNavUsd: number,
    grossUsd: number,
    netUsd: number,
  ): number;
  /**
   * The account's margin (USD: available balance, wallet, maintenance margin, unrealised P&L) and
   * the liquidation_distance limit (a fraction of the mark), after the margin table's first `slots`
   * slots are written (riskMargins; only those are read). Returns 1 when usable; 0 leaves the margin unknown (margin and
   * liquidation_distance then pass, with NaN figures).
   */
  riskSetMargin(
    slots: number,
    availableUsd: number,
    walletUsd: number,
    maintenanceUsd: number,
    unrealizedPnlUsd: number,
    minLiquidationDistance: number,
  ): number;
  riskDrawdown(): number;
  riskDailyLoss(): number;
  /** Status of one order; its mask and figures are then in riskSingle(). `ruleIndex`: the symbol's rule slot (-1 unknown). */
  riskCheck(
    posQty: number,
    markPrice: number,
    orderQty: number,
    price: number,
    bucket: number,
    ruleIndex: number,
    nowMs: number,
  ): number;
  /** Checks the first n orders of the batch columns; returns the approved count, -1 for a bad n. */
  riskCheckBatch(n: number, nowMs: number): number;
  /** The batch columns; fetch them again before each batch (views die if memory grows). */
  riskBatch(): RiskBatchViews;
  /** The last single check's figures, laid out as RiskSingle names them. */
  riskSingle(): Float64Array;
  /** The symbol rule table, written by the host (writeRuleNumbers); fetch it again before writing. */
  riskRules(): Float64Array;
  /** The margin table, written by the host (writeMarginNumbers) before riskSetMargin; fetch it again before writing. */
  riskMargins(): Float64Array;
}

/** Everything the WASM module exports, as the domain sees it. */
export interface RiskCore extends TokenBucketCore, RiskCheckCore {
  readonly kind: 'wasm' | 'reference';
}
