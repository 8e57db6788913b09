// Risk limits and their defaults. The first six follow the original (product.md, Risk engine);
// order notional and order rate are this worker's additions, both overridable by AIS_* variables.

import type { GuardName } from './guards.ts';

export interface RiskLimits {
  /** Rolling drawdown from the high-water mark, a fraction; reaching it rejects and trips the kill switch. */
  maxDrawdown: number;
  /** Loss since the day start, a fraction of the day-start NAV. */
  maxDailyLoss: number;
  /** Gross notional / NAV. */
  maxLeverage: number;
  /** Gross exposure, a fraction of NAV (the same ratio as leverage here; the lower limit binds). */
  maxGrossExposure: number;
  /** |Net exposure|, a fraction of NAV. */
  maxNetExposure: number;
  /** |Position| in one symbol, a fraction of NAV. */
  maxPositionWeight: number;
  /** One order's notional (quantity × price) in USD: a fat-finger cap. */
  maxOrderNotionalUsd: number;
  /** Orders approved per minute (a token bucket: this many at once, refilled evenly). */
  maxOrdersPerMinute: number;
  /**
   * Smallest distance between a position's mark and its liquidation price after an order, a
   * fraction of the mark (liquidation_distance; 0 turns the guard off in effect).
   */
  minLiquidationDistance: number;
}

/**
 * The limits the numeric core holds (riskSetLimits, in this order): all but order_rate (a token
 * bucket of its own) and liquidation_distance (handed in with the margin, riskSetMargin).
 */
export type CoreLimits = Omit<RiskLimits, 'maxOrdersPerMinute' | 'minLiquidationDistance'>;

export const DEFAULT_LIMITS: Readonly<RiskLimits> = Object.freeze({
  maxDrawdown: 0.05, // the original's max rolling drawdown (its alert fires at 0.04)
  maxDailyLoss: 0.02,
  maxLeverage: 1.0, // the original's alert fires at 2.5 for set-ups that allow more
  maxGrossExposure: 1.0,
  maxNetExposure: 0.5,
  maxPositionWeight: 0.05,
  // 10 % of the default 100,000 USD balance: above the 5 % position cap, so it only stops typos.
  maxOrderNotionalUsd: 10_000,
  // Far below Aster's 1,200 orders/min per account; a swarm trading once a cycle needs a handful.
  maxOrdersPerMinute: 60,
  // A 10 % move of the mark must not liquidate anything: about twice the largest one-day move of
  // BTC in most years, and room for the protective stop (AIS_STOP_LOSS, 2 %) to act first.
  minLiquidationDistance: 0.1,
});

/**
 * Each configured limit under the name of the guard that enforces it (ais_risk_limit{guard}), in
 * that guard's unit: fractions of NAV for drawdown, daily_loss, gross/net exposure, position
 * weight and liquidation distance (a fraction of the mark); a ratio for leverage; USD for
 * order_notional; orders per minute for order_rate. Guards with no number of their own (kill
 * switch, trading state, margin, exchange rules) are absent.
 */
export function limitsByGuard(l: Readonly<RiskLimits>): Partial<Record<GuardName, number>> {
  return {
    drawdown: l.maxDrawdown,
    daily_loss: l.maxDailyLoss,
    leverage: l.maxLeverage,
    gross_exposure: l.maxGrossExposure,
    net_exposure: l.maxNetExposure,
    position_weight: l.maxPositionWeight,
    order_notional: l.maxOrderNotionalUsd,
    order_rate: l.maxOrdersPerMinute,
    liquidation_distance: l.minLiquidationDistance,
  };
}
