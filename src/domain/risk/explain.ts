// Turns the core's numbers (status, fail mask, figures) into the answer an operator reads: the
// first failing guard with a sentence, and every guard's value, limit and outcome.
import { type RuleViolation, violationText } from '../market/symbol-rules.ts';
import type { ControlView } from './engine.ts';
import type { GuardCheck } from './checks.ts';
import {
  GUARDS,
  type GuardName,
  type RejectionReason,
  rejectionOf,
  Status,
  type VerdictGuard,
} from './guards.ts';
import type { RiskLimits } from './limits.ts';

export type { GuardCheck };

/**
 * The decision on one order, the one shape from the engine to the stored record and the API
 * answer: approved, or the first failing guard with a sentence; every guard's check; the risk
 * token once an approval is recorded (risk-service.ts).
 */
export interface RiskDecision {
  /** The order's client order id (OrderIntent.orderId). */
  orderId: string;
  approved: boolean;
  guard?: VerdictGuard;
  reason?: string;
  checks: GuardCheck[];
  /** Present only on approval. */
  token?: string;
}

/** A decision's outcome without its order id and token (an overtaken approval, a stored row read back). */
export type RiskVerdict = Omit<RiskDecision, 'orderId' | 'token'>;

/** The core's figures of one order, by name (the single check's RiskSingle fields or the batch columns). */
export interface RiskFigures {
  /** The account's drawdown and daily loss, fractions of the peak and day-start NAV. */
  drawdown: number;
  dailyLoss: number;
  /** Gross exposure after the order as a fraction of NAV (also the leverage). */
  gross: number;
  net: number;
  weight: number;
  notionalUsd: number;
  /** NaN while the margin is unknown. */
  initialMargin: number;
  liquidationDistance: number;
}

interface Context {
  orderId: string;
  limits: RiskLimits;
  control: ControlView;
  rateTokens: number;
  /** The first symbol rule the order breaks (exchange_rules), if any. */
  rule?: RuleViolation;
  /** The available balance (USD) the margin guard compares with; undefined while the margin is unknown. */
  availableUsd?: number;
  /** The symbol's leverage the order's initial margin was taken at. */
  leverage?: number;
}

const num = (x: number | undefined) => (x !== undefined && Number.isFinite(x) ? x : null);
const fmt = (x: number | null) => (x === null ? 'not a number' : String(Number(x.toPrecision(6))));

/** The verdict of status and fail mask `mask` (RiskSingle.MASK), each guard with its figure and limit. */
export function explainVerdict(
  status: number,
  mask: number,
  figures: Readonly<RiskFigures>,
  ctx: Context,
): RiskDecision {
  const gross = num(figures.gross);
  const initialMargin = num(figures.initialMargin);
  const liqDistance = num(figures.liquidationDistance);
  const marginKnown = ctx.availableUsd !== undefined;
  const { limits: l, control } = ctx;
  const table: Record<GuardName, [GuardCheck['value'], GuardCheck['limit']]> = {
    kill_switch: [control.killSwitchActive ? 1 : 0, 0],
    trading_state: [
      control.tradingState,
      control.tradingState === 'REDUCING' ? 'reduce-only' : 'ACTIVE',
    ],
    drawdown: [num(figures.drawdown), l.maxDrawdown],
    daily_loss: [num(figures.dailyLoss), l.maxDailyLoss],
    leverage: [gross, l.maxLeverage],
    gross_exposure: [gross, l.maxGrossExposure],
    net_exposure: [num(figures.net), l.maxNetExposure],
    position_weight: [num(figures.weight), l.maxPositionWeight],
    order_notional: [num(figures.notionalUsd), l.maxOrderNotionalUsd],
    margin: marginKnown ? [initialMargin, num(ctx.availableUsd)] : [null, null],
    // Infinity (no position can be liquidated) is shown as null, like any non-finite figure.
    liquidation_distance: marginKnown
      ? [liqDistance, l.minLiquidationDistance]
      : [null, l.minLiquidationDistance],
    exchange_rules: ctx.rule ? [ctx.rule.value, ctx.rule.bound] : [null, null],
    order_rate: [Math.floor(ctx.rateTokens), l.maxOrdersPerMinute],
  };
  const checks = GUARDS.map((guard, i): GuardCheck => {
    const failed = (mask & (1 << (i + 1))) !== 0;
    const skipped = guard === 'order_rate' && !failed && status !== Status.APPROVED;
    const [value, limit] = table[guard];
    const check: GuardCheck = { guard, value, limit, passed: skipped ? null : !failed };
    if (guard === 'exchange_rules' && ctx.rule)
      check.filter = `${ctx.rule.filter}.${ctx.rule.rule}`;
    return check;
  });
  if (status === Status.APPROVED) return { orderId: ctx.orderId, approved: true, checks };
  const guard = rejectionOf(status);
  return {
    orderId: ctx.orderId,
    approved: false,
    guard,
    reason: reasonFor(guard, table, control, ctx.rule, ctx.leverage),
    checks,
  };
}

function reasonFor(
  guard: RejectionReason,
  table: Record<GuardName, [GuardCheck['value'], GuardCheck['limit']]>,
  control: ControlView,
  rule?: RuleViolation,
  leverage?: number,
): string {
  if (guard === 'exchange_rules')
    return `the exchange would refuse it: ${rule ? violationText(rule) : 'a symbol rule is broken'}`;
  if (guard === 'invalid_input')
    return 'the order or the portfolio holds numbers the risk core cannot use (NaN, infinity, zero quantity or a price of 0 or less)';
  if (guard === 'kill_switch')
    return `the kill switch is active${control.killSwitchReason ? `: ${control.killSwitchReason}` : ''}`;
  if (guard === 'trading_state') {
    return control.tradingState === 'REDUCING'
      ? 'trading is REDUCING: only orders that reduce a position pass'
      : `trading is ${control.tradingState}`;
  }
  const [value, limit] = table[guard] as [number | null, number];
  if (guard === 'order_rate') return `more than ${limit} orders per minute`;
  if (guard === 'margin')
    return `initial margin ${fmt(value)} USD (notional / leverage ${leverage ?? 1}) is over the available balance ${fmt(limit)} USD`;
  if (guard === 'liquidation_distance')
    return `after the order a position's mark would be ${fmt(value)} of the mark from its liquidation price, under the minimum ${limit}`;
  if (guard === 'drawdown' || guard === 'daily_loss')
    return `${guard.replace('_', ' ')} ${fmt(value)} reached the limit ${limit}`;
  const what =
    guard === 'order_notional'
      ? 'order notional (USD)'
      : `${guard.replace('_', ' ')} after the order`;
  return `${what} ${fmt(value)} is over the limit ${limit}`;
}
