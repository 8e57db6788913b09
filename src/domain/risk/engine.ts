// The risk engine: runs orders through the numeric core (WASM in production) against the current
// portfolio and control state, and explains every guard. A rejection is a value, never an exception.
import type { MarginAccount } from '../../ports/exchange.ts';
import type { OrderIntent } from '../order-intent.ts';
import type { TradingState } from '../../ports/metrics.ts';
import { type RiskCore, RiskSingle } from '../../ports/risk-core.ts';
import { MAX_RULE_SYMBOLS, RULE_STRIDE, writeRuleNumbers } from '../market/rule-numbers.ts';
import { describeFailure, type SymbolRules } from '../market/symbol-rules.ts';
import { type Portfolio, portfolioFigures } from '../portfolio/portfolio.ts';
import { explainVerdict, type RiskDecision, type RiskFigures } from './explain.ts';
import { TRADING_STATE_CODE } from './guards.ts';
import type { RiskLimits } from './limits.ts';
import { MARGIN_STRIDE, writeMarginNumbers } from './margin-numbers.ts';

/** What the engine needs to know about the kill switch and the trading state. */
export interface ControlView {
  killSwitchActive: boolean;
  killSwitchReason: string | null;
  tradingState: TradingState;
}

interface RiskEngineOptions {
  core: RiskCore;
  limits: RiskLimits;
  /** The core's token bucket for the order_rate guard (one worker-wide budget). */
  rateBucket: number;
  startMs: number;
}

export interface RiskEngine {
  readonly limits: Readonly<RiskLimits>;
  /**
   * The exchange's rules of every symbol (exchangeInfo), for the exchange_rules guard: replaces
   * the previous set. Until the first call, and for a symbol not in it, every order fails that
   * guard (the exchange would refuse an unknown symbol). At most MAX_RULE_SYMBOLS symbols are kept.
   */
  setSymbolRules(rules: ReadonlyMap<string, SymbolRules>): void;
  /** The rules set last, by symbol. */
  symbolRules(): ReadonlyMap<string, SymbolRules>;
  /**
   * The account's margin as the exchange last reported it, for the margin and
   * liquidation_distance guards (per symbol at its rule slot: a symbol without rules has no
   * leverage, so its orders are taken at 1x). Until the first call both guards pass with no
   * figures; `undefined` returns to that state.
   */
  setMargin(margin: MarginAccount | undefined): void;
  /** The margin set last. */
  margin(): MarginAccount | undefined;
  checkOrder(
    order: OrderIntent,
    portfolio: Portfolio,
    control: ControlView,
    nowMs: number,
  ): RiskDecision;
  checkBatch(
    orders: readonly OrderIntent[],
    portfolio: Portfolio,
    control: ControlView,
    nowMs: number,
  ): RiskDecision[];
}

export function createRiskEngine({
  core,
  limits,
  rateBucket,
  startMs,
}: RiskEngineOptions): RiskEngine {
  const l = limits;
  core.riskSetLimits(
    l.maxDrawdown,
    l.maxDailyLoss,
    l.maxLeverage,
    l.maxGrossExposure,
    l.maxNetExposure,
    l.maxPositionWeight,
    l.maxOrderNotionalUsd,
  );
  core.bucketInit(rateBucket, l.maxOrdersPerMinute, l.maxOrdersPerMinute / 60, startMs);
  const signed = (o: OrderIntent) => (o.side === 'BUY' ? o.quantity : -o.quantity);
  const setAccount = (p: Portfolio, c: ControlView) => {
    const f = portfolioFigures(p);
    core.riskSetAccount(
      c.killSwitchActive ? 1 : 0,
      TRADING_STATE_CODE[c.tradingState],
      f.navUsd,
      p.peakNavUsd,
      p.dayStartNavUsd,
      f.grossUsd,
      f.netUsd,
    );
  };
  let rules: ReadonlyMap<string, SymbolRules> = new Map();
  let slots = new Map<string, number>();
  let margin: MarginAccount | undefined;
  /** Writes the margin table at the current rule slots and hands the account's figures to the core. */
  const loadMargin = () => {
    const table = core.riskMargins();
    // Only the slots in use are written and scanned: this runs every cycle.
    table.fill(0, 0, slots.size * MARGIN_STRIDE);
    if (!margin) {
      core.riskSetMargin(0, NaN, NaN, NaN, NaN, l.minLiquidationDistance);
      return;
    }
    let upnl = 0;
    for (const p of margin.positions) upnl += p.quantity * (p.markPrice - p.entryPrice);
    for (const [symbol, slot] of slots) {
      const p = margin.positions.find((x) => x.symbol === symbol);
      writeMarginNumbers(table, slot * MARGIN_STRIDE, {
        leverage: margin.leverage[symbol] ?? p?.leverage ?? 0,
        liquidationPrice: p?.liquidationPrice ?? 0,
        entryPrice: p?.entryPrice ?? 0,
        markPrice: p?.markPrice ?? 0,
        quantity: p?.quantity ?? 0,
        brackets: rules.get(symbol)?.brackets,
        isolatedWalletUsd: margin.isolated?.[symbol] ? (p?.isolatedWalletUsd ?? 0) : undefined,
      });
    }
    core.riskSetMargin(
      slots.size,
      margin.availableUsd,
      margin.walletUsd,
      margin.maintenanceMarginUsd,
      upnl,
      l.minLiquidationDistance,
    );
  };
  loadMargin();
  const explain = (
    order: OrderIntent,
    mark: number,
    rule: number,
    status: number,
    mask: number,
    figures: RiskFigures,
    control: ControlView,
    nowMs: number,
  ) =>
    explainVerdict(status, mask, figures, {
      orderId: order.orderId,
      limits: l,
      control,
      availableUsd: margin?.availableUsd,
      leverage: Math.max(1, margin?.leverage[order.symbol] ?? 1),
      rateTokens: core.bucketTokens(rateBucket, nowMs),
      rule:
        rule === 0
          ? undefined
          : describeFailure(rule, order.symbol, rules.get(order.symbol), {
              quantity: order.quantity,
              price: order.price,
              markPrice: mark,
            }),
    });

  return {
    limits: l,
    setSymbolRules(next) {
      const table = core.riskRules();
      table.fill(0);
      const kept = [...next.values()].slice(0, MAX_RULE_SYMBOLS);
      kept.forEach((r, i) => writeRuleNumbers(table, i * RULE_STRIDE, r));
      slots = new Map(kept.map((r, i) => [r.symbol, i]));
      rules = new Map(kept.map((r) => [r.symbol, r]));
      loadMargin();
    },
    symbolRules: () => rules,
    setMargin(next) {
      margin = next;
      loadMargin();
    },
    margin: () => margin,
    checkOrder(order, portfolio, control, nowMs) {
      setAccount(portfolio, control);
      const pos = portfolio.positions[order.symbol];
      const mark = pos?.markPrice ?? 0;
      const status = core.riskCheck(
        pos?.quantity ?? 0,
        mark,
        signed(order),
        order.price,
        rateBucket,
        slots.get(order.symbol) ?? -1,
        nowMs,
      );
      const s = core.riskSingle();
      const figures: RiskFigures = {
        drawdown: s[RiskSingle.DRAWDOWN]!,
        dailyLoss: s[RiskSingle.DAILY_LOSS]!,
        gross: s[RiskSingle.GROSS]!,
        net: s[RiskSingle.NET]!,
        weight: s[RiskSingle.WEIGHT]!,
        notionalUsd: s[RiskSingle.NOTIONAL_USD]!,
        initialMargin: s[RiskSingle.INITIAL_MARGIN]!,
        liquidationDistance: s[RiskSingle.LIQUIDATION_DISTANCE]!,
      };
      const [rule, mask] = [s[RiskSingle.RULE]!, s[RiskSingle.MASK]!];
      return explain(order, mark, rule, status, mask, figures, control, nowMs);
    },
    checkBatch(orders, portfolio, control, nowMs) {
      setAccount(portfolio, control);
      const drawdown = core.riskDrawdown();
      const dailyLoss = core.riskDailyLoss();
      const out: RiskDecision[] = [];
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
          v.ruleIndex[i] = slots.get(o.symbol) ?? -1;
        });
        core.riskCheckBatch(chunk.length, nowMs);
        for (let i = 0; i < chunk.length; i++) {
          out.push(
            explain(
              chunk[i]!,
              v.markPrice[i]!,
              v.rule[i]!,
              v.status[i]!,
              v.mask[i]!,
              {
                drawdown,
                dailyLoss,
                gross: v.gross[i]!,
                net: v.net[i]!,
                weight: v.weight[i]!,
                notionalUsd: v.notionalUsd[i]!,
                initialMargin: v.initialMargin[i]!,
                liquidationDistance: v.liquidationDistance[i]!,
              },
              control,
              nowMs,
            ),
          );
        }
      }
      return out;
    },
  };
}
