// GET /v1/portfolio: the state the risk engine checks against (NAV, P&L, drawdown, exposure, positions).
import { Hono } from 'hono';
import { liquidationDistance } from '../../domain/portfolio/margin.ts';
import { portfolioFigures, type Position } from '../../domain/portfolio/portfolio.ts';
import { type MarginAccount, marginRatio } from '../../ports/exchange.ts';
import { killSwitchView } from '../../domain/risk/trading-control.ts';
import type { AppDeps } from '../deps.ts';

/** A protective stop as the trading side reports it. */
type Stop = { side: 'BUY' | 'SELL'; stopPrice: number; clientOrderId: string };

/** One position in the answer; `weight` its exposure as a fraction of NAV. */
function positionAnswer(pos: Position, weight: number, stop: Stop | undefined) {
  return {
    symbol: pos.symbol,
    quantity: pos.quantity,
    avg_entry_price: pos.avgEntryPrice,
    mark_price: pos.markPrice,
    notional_usd: pos.quantity * pos.markPrice,
    unrealised_pnl_usd: pos.quantity * (pos.markPrice - pos.avgEntryPrice),
    weight,
    // The protective stop on the exchange (Close-All STOP_MARKET at this mark price), or null.
    stop: stop
      ? { stop_price: stop.stopPrice, side: stop.side, client_order_id: stop.clientOrderId }
      : null,
  };
}

/** The account's margin as the exchange last reported it (the margin guards' input). */
function marginAnswer(m: MarginAccount) {
  return {
    wallet_usd: m.walletUsd,
    margin_balance_usd: m.marginBalanceUsd,
    maintenance_margin_usd: m.maintenanceMarginUsd,
    available_usd: m.availableUsd,
    margin_ratio: marginRatio(m),
    read_at: new Date(m.timeMs).toISOString(),
    positions: m.positions.map((x) => ({
      symbol: x.symbol,
      quantity: x.quantity,
      mark_price: x.markPrice,
      liquidation_price: x.liquidationPrice,
      liquidation_distance: liquidationDistance(x.markPrice, x.liquidationPrice),
      leverage: x.leverage,
    })),
  };
}

export function portfolioRoutes(deps: Pick<AppDeps, 'risk' | 'trading'>) {
  return new Hono().get('/v1/portfolio', (c) => {
    const p = deps.risk.portfolio.get();
    const stops = deps.trading.loop?.protectiveStops();
    const f = portfolioFigures(p);
    const state = deps.risk.control.state();
    const m = deps.risk.engine.margin();
    return c.json({
      nav_usd: f.navUsd,
      cash_usd: p.cashUsd,
      initial_nav_usd: p.initialNavUsd,
      pnl_usd: f.navUsd - p.initialNavUsd,
      pnl_fraction: f.pnlFraction,
      peak_nav_usd: p.peakNavUsd,
      drawdown: f.drawdown,
      day_start_nav_usd: p.dayStartNavUsd,
      daily_loss: f.dailyLoss,
      leverage: f.leverage,
      gross_exposure: f.grossExposure,
      net_exposure: f.netExposure,
      gross_exposure_usd: f.grossUsd,
      net_exposure_usd: f.netUsd,
      positions: Object.values(p.positions).map((pos) =>
        positionAnswer(pos, f.exposureBySymbol[pos.symbol] ?? 0, stops?.get(pos.symbol)),
      ),
      // snake_case like the rest of the answer: max_drawdown, max_orders_per_minute, ...
      limits: Object.fromEntries(
        Object.entries(deps.risk.engine.limits).map(([k, v]) => [
          k.replace(/[A-Z]/g, (m) => `_${m.toLowerCase()}`),
          v,
        ]),
      ),
      // The account ledger: USD the exchange booked per kind since the worker started (realised P&L
      // and commission as recorded; funding, insurance clearance, rebates in P&L; transfers and
      // bonuses as cash movements that rebased the NAV references). Null on paper without one.
      ledger_usd: deps.trading.ledger?.totals() ?? null,
      // The account's margin as the exchange last reported it (the margin guards' input); null before the first read.
      margin: m ? marginAnswer(m) : null,
      trading_state: state.tradingState,
      kill_switch: killSwitchView(state),
      // Aster only (null on paper): what the start-up checks left in force.
      exchange_account: deps.trading.account
        ? {
            position_mode: deps.trading.account.positionMode,
            symbols: deps.trading.account.symbols.map((s) => ({
              symbol: s.symbol,
              leverage: s.leverage,
              margin_type: s.marginType,
            })),
          }
        : null,
    });
  });
}
