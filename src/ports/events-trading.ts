// The payload schemas of the trading events: signal, risk_decision, order, fill, funding,
// portfolio (with the camelCase rows written before the snake_case convention). A schema only
// widens: rows written by older versions must still parse (events.ts).
import { z } from 'zod';
import { type StoredCheck, storedCheck as toStoredCheck } from '../domain/risk/checks.ts';

export type { StoredCheck };

export const side = z.enum(['BUY', 'SELL']);
export const tradingState = z.enum(['ACTIVE', 'REDUCING', 'HALTED']);
/** A ratio of NAV: JSON has no Infinity (a NAV of 0 gives one), so it is stored as null. */
export const ratio = z.number().nullable();

export const signal = z.object({
  agent_id: z.string(),
  symbol: z.string(),
  direction: z.enum(['LONG', 'SHORT', 'FLAT']),
  /** 0..1. */
  confidence: z.number(),
  /** Suggested position size as a fraction of NAV. */
  size_hint: z.number(),
  rationale: z.string(),
  time_ms: z.number(),
});
/** A `signal` row written before the snake_case convention (the agent's Signal as it was). */
export const legacySignal = z
  .object({
    agentId: z.string(),
    symbol: z.string(),
    direction: signal.shape.direction,
    confidence: z.number(),
    sizeHint: z.number(),
    rationale: z.string(),
    timeMs: z.number(),
  })
  .transform((s) => ({
    agent_id: s.agentId,
    symbol: s.symbol,
    direction: s.direction,
    confidence: s.confidence,
    size_hint: s.sizeHint,
    rationale: s.rationale,
    time_ms: s.timeMs,
  }));

const position = z.object({
  symbol: z.string(),
  quantity: z.number(),
  avg_entry_price: z.number(),
  mark_price: z.number(),
});
/** A paper book at a cycle: its figures (portfolioFigures) and what a restart needs to continue from it. */
export const portfolio = z.object({
  cycle: z.number(),
  nav_usd: z.number(),
  pnl_fraction: ratio,
  drawdown: ratio,
  daily_loss: ratio,
  leverage: ratio,
  gross_exposure: ratio,
  net_exposure: ratio,
  gross_usd: z.number(),
  net_usd: z.number(),
  exposure_by_symbol: z.record(z.string(), ratio),
  cash_usd: z.number(),
  initial_nav_usd: z.number(),
  peak_nav_usd: z.number(),
  day_start_nav_usd: z.number(),
  positions: z.record(z.string(), position),
});
/** A `portfolio` row written before the snake_case convention. Snapshots from before 2026-11-25 have no cash and do not parse. */
export const legacyPortfolio = z
  .object({
    cycle: z.number(),
    navUsd: z.number(),
    pnlFraction: ratio,
    drawdown: ratio,
    dailyLoss: ratio,
    leverage: ratio,
    grossExposure: ratio,
    netExposure: ratio,
    grossUsd: z.number(),
    netUsd: z.number(),
    exposureBySymbol: z.record(z.string(), ratio),
    cashUsd: z.number(),
    initialNavUsd: z.number(),
    peakNavUsd: z.number(),
    dayStartNavUsd: z.number(),
    positions: z.record(
      z.string(),
      z.object({
        symbol: z.string(),
        quantity: z.number(),
        avgEntryPrice: z.number(),
        markPrice: z.number(),
      }),
    ),
  })
  .transform((p) => ({
    cycle: p.cycle,
    nav_usd: p.navUsd,
    pnl_fraction: p.pnlFraction,
    drawdown: p.drawdown,
    daily_loss: p.dailyLoss,
    leverage: p.leverage,
    gross_exposure: p.grossExposure,
    net_exposure: p.netExposure,
    gross_usd: p.grossUsd,
    net_usd: p.netUsd,
    exposure_by_symbol: p.exposureBySymbol,
    cash_usd: p.cashUsd,
    initial_nav_usd: p.initialNavUsd,
    peak_nav_usd: p.peakNavUsd,
    day_start_nav_usd: p.dayStartNavUsd,
    positions: Object.fromEntries(
      Object.entries(p.positions).map(([s, x]) => [
        s,
        {
          symbol: x.symbol,
          quantity: x.quantity,
          avg_entry_price: x.avgEntryPrice,
          mark_price: x.markPrice,
        },
      ]),
    ),
  }));

/**
 * Loose on purpose (extra keys kept, `checks` any array): the risk_decision record is being
 * reshaped (a compact form of the checks, duration_ms); tightened once that lands.
 */
const figure = z.union([z.number(), z.string(), z.null()]);
/**
 * A guard's outcome as stored (StoredCheck, src/domain/risk/checks.ts): `[guard, value, limit,
 * passed]`, plus the exchange filter when exchange_rules names one (the API answers the same facts
 * as objects).
 */
const storedCheck = z.union([
  z.tuple([z.string(), figure, figure, z.boolean().nullable()]),
  z.tuple([z.string(), figure, figure, z.boolean().nullable(), z.string()]),
]) satisfies z.ZodType<StoredCheck>;
/** Rows written before 2026-11-30 hold each check as an object: read as the stored tuple. */
const legacyCheck = z
  .object({
    guard: z.string(),
    value: figure,
    limit: figure,
    passed: z.boolean().nullable(),
    filter: z.string().optional(),
  })
  .transform(toStoredCheck);

// Loose: a payload keeps keys it does not declare (a newer worker's fields, readable by an older one).
export const riskDecision = z.looseObject({
  order_id: z.string(),
  source: z.string(),
  order: z.object({
    symbol: z.string(),
    side,
    quantity: z.number(),
    price: z.number().nullish(),
    agent_id: z.string().nullable(),
  }),
  approved: z.boolean(),
  guard: z.string().nullable(),
  reason: z.string().nullable(),
  checks: z.array(z.union([storedCheck, legacyCheck])),
  /** The check's duration (ms); absent from rows written before 2026-11-30. */
  duration_ms: z.number().optional(),
});

export const order = z.object({
  /** Our client order id. */
  order_id: z.string(),
  exchange_order_id: z.string(),
  symbol: z.string(),
  side,
  /** Absent for a protective stop (it closes the whole position). */
  quantity: z.number().optional(),
  status: z.string(),
  agent_id: z.string().nullable(),
  /** Protective stops only (agent_id `protective_stop`). */
  type: z.literal('STOP_MARKET').optional(),
  stop_price: z.number().optional(),
  close_position: z.boolean().optional(),
});

export const fill = z.object({
  /** Our client order id; null when the exchange did not say (a fill read by REST polling). */
  order_id: z.string().nullable(),
  exchange_order_id: z.string(),
  trade_id: z.string(),
  symbol: z.string(),
  side,
  quantity: z.number(),
  price: z.number(),
  fee_usd: z.number(),
  exchange: z.string(),
  /** A commission in another asset (BNB, ASTER), as the exchange reported it, not converted. */
  fee_asset: z.string().optional(),
  fee_amount: z.number().optional(),
  /** `stream`: learned from the user-data stream. */
  source: z.literal('stream').optional(),
  /** Not from an order of ours: what it was. */
  foreign: z.enum(['liquidation', 'adl', 'other']).optional(),
});

export const funding = z.object({
  id: z.string(),
  symbol: z.string(),
  amount_usd: z.number(),
  time_ms: z.number(),
});
