// The risk engine: runs orders through the numeric core (WASM in production) against the current
// portfolio and control state, and explains every guard. A rejection is a value, never an exception.
import type { TradingState } from '../../ports/metrics.ts';
import type { RiskCore } from '../../ports/risk-core.ts';
import { type Portfolio, portfolioFigures } from '../portfolio/portfolio.ts';
import { explainVerdict, type RiskVerdict } from './explain.ts';
import { TRADING_STATE_CODE } from './guards.ts';
import type { RiskLimits } from './limits.ts';

export interface OrderRequest {
  orderId: string;
  symbol: string;
  side: 'BUY' | 'SELL';
  quantity: number;
  price: number;
  agentId?: string;
}

/** What the engine needs to know about the kill switch and the trading state. */
export interface ControlView {
  killSwitchActive: boolean;
  killSwitchReason: string | null;
  tradingState: TradingState;
}

export interface RiskEngineOptions {
  core: RiskCore;
  limits: RiskLimits;
  /** The core's token bucket for the order_rate guard (one worker-wide budget). */
  rateBucket: number;
  startMs: number;
}

export interface RiskEngine {
  readonly limits: Readonly<RiskLimits>;
  checkOrder(order: OrderRequest, portfolio: Portfolio, control: ControlView, nowMs: number): RiskVerdict;
  checkBatch(orders: readonly OrderRequest[], portfolio: Portfolio, control: ControlView, nowMs: number): RiskVerdict[];
}

export function createRiskEngine({ core, limits, rateBucket, startMs }: RiskEngineOptions): RiskEngine {
  const l = limits;
  core.riskSetLimits(l.maxDrawdown, l.maxDailyLoss, l.maxLeverage, l.maxGrossExposure, l.maxNetExposure, l.maxPositionWeight, l.maxOrderNotionalUsd);
  core.bucketInit(rateBucket, l.maxOrdersPerMinute, l.maxOrdersPerMinute / 60, startMs);
  const signed = (o: OrderRequest) => (o.side === 'BUY' ? o.quantity : -o.quantity);
  const setAccount = (p: Portfolio, c: ControlView) => {
    const f = portfolioFigures(p);
    core.riskSetAccount(c.killSwitchActive ? 1 : 0, TRADING_STATE_CODE[c.tradingState], f.navUsd, p.peakNavUsd, p.dayStartNavUsd, f.grossUsd, f.netUsd);
  };
  const explain = (status: number, mask: number, values: number[], control: ControlView, nowMs: number) =>
    explainVerdict(status, mask, values, { limits: l, control, rateTokens: core.bucketTokens(rateBucket, nowMs) });

  return {
    limits: l,
    checkOrder(order, portfolio, control, nowMs) {
      setAccount(portfolio, control);
      const pos = portfolio.positions[order.symbol];
      const status = core.riskCheck(pos?.quantity ?? 0, pos?.markPrice ?? 0, signed(order), order.price, rateBucket, nowMs);
      const s = core.riskSingle();
      return explain(status, s[0]!, [s[5]!, s[6]!, s[1]!, s[2]!, s[3]!, s[4]!], control, nowMs);
    },
    checkBatch(orders, portfolio, control, nowMs) {
      setAccount(portfolio, control);
      const drawdown = core.riskDrawdown();
      const dailyLoss = core.riskDailyLoss();
      const out: RiskVerdict[] = [];
      for (let start = 0; start < orders.length; start += core.maxBatch) {
        const chunk = orders.slice(start, start + core.maxBatch);
        const v = core.riskBatch();
        chunk.forEach((o, i) => {
          const pos = portfolio.positions[o.symbol];
          v.posQty[i] = pos?.quantity ?? 0;
          v.markPrice[i] = pos?.markPrice ?? 0;
          v.orderQty[i] = signed(o);
          v.price[i] = o.price;
          v.bucket[i] = rateBucket;
        });
        core.riskCheckBatch(chunk.length, nowMs);
        for (let i = 0; i < chunk.length; i++) {
          out.push(explain(v.status[i]!, v.mask[i]!, [drawdown, dailyLoss, v.gross[i]!, v.net[i]!, v.weight[i]!, v.notionalUsd[i]!], control, nowMs));
        }
      }
      return out;
    },
  };
}
