// Well-formed payloads of the event types tests write, so that a test states only what it is about.
import type { EventPayload, StoredCheck } from '../../src/ports/events.ts';

/** A worker's stored checks of one order: 13 guards (the benches' records are this size). */
export const thirteenStoredChecks: StoredCheck[] = Array.from(
  { length: 13 },
  (_, i): StoredCheck => [`guard_${i}`, 0.006 * i, 1, true],
);

export const riskDecisionPayload = (
  extra: Record<string, unknown> = {},
): EventPayload<'risk_decision'> => ({
  order_id: 'o1',
  source: 'test',
  order: { symbol: 'BTCUSDT', side: 'BUY', quantity: 1, price: 100, agent_id: null },
  approved: true,
  guard: null,
  reason: null,
  checks: [],
  ...extra,
});

export const orderPayload = (
  exchangeOrderId: string,
  orderId = `c-${exchangeOrderId}`,
): EventPayload<'order'> => ({
  order_id: orderId,
  exchange_order_id: exchangeOrderId,
  symbol: 'BTCUSDT',
  side: 'BUY',
  quantity: 1,
  status: 'FILLED',
  agent_id: null,
});

export const portfolioPayload = (navUsd: number): EventPayload<'portfolio'> => ({
  cycle: 1,
  nav_usd: navUsd,
  pnl_fraction: 0,
  drawdown: 0,
  daily_loss: 0,
  leverage: 0,
  gross_exposure: 0,
  net_exposure: 0,
  gross_usd: 0,
  net_usd: 0,
  exposure_by_symbol: {},
  cash_usd: navUsd,
  initial_nav_usd: navUsd,
  peak_nav_usd: navUsd,
  day_start_nav_usd: navUsd,
  positions: {},
});
