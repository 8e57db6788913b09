// The whole RiskCore port in plain TypeScript: the token-bucket reference (src/domain/resilience)
// plus the risk checks of reference-risk.ts over the same struct-of-arrays layout as the WASM core.
import { BucketStatus } from '../resilience/token-bucket.ts';
import { createReferenceCore as createBucketReference } from '../resilience/reference-core.ts';
import {
  RISK_SINGLE_LENGTH,
  type RiskBatchViews,
  type RiskCore,
  RiskSingle,
} from '../../ports/risk-core.ts';
import { MAX_RULE_SYMBOLS, RULE_STRIDE } from '../market/rule-numbers.ts';
import { MARGIN_STRIDE, type MarginState, scanMargin } from './margin-numbers.ts';
import type { CoreLimits } from './limits.ts';
import { checkOrderFigures, deriveAccount, statusOf, toI32 } from './reference-risk.ts';

/** Same batch size as the WASM module (wasm/assembly/risk.ts MAX_BATCH). */
export const MAX_BATCH = 4096;

export function createReferenceRiskCore(): RiskCore {
  const buckets = createBucketReference();
  let limits: CoreLimits = {
    maxDrawdown: NaN,
    maxDailyLoss: NaN,
    maxLeverage: NaN,
    maxGrossExposure: NaN,
    maxNetExposure: NaN,
    maxPositionWeight: NaN,
    maxOrderNotionalUsd: NaN,
  };
  let account = deriveAccount(1, 2, NaN, NaN, NaN, NaN, NaN);
  const f64 = () => new Float64Array(MAX_BATCH);
  const i32 = () => new Int32Array(MAX_BATCH);
  const batch: RiskBatchViews = {
    posQty: f64(),
    markPrice: f64(),
    orderQty: f64(),
    price: f64(),
    bucket: i32(),
    ruleIndex: i32(),
    status: i32(),
    mask: i32(),
    gross: f64(),
    net: f64(),
    weight: f64(),
    notionalUsd: f64(),
    rule: i32(),
    initialMargin: f64(),
    liquidationDistance: f64(),
  };
  const single = new Float64Array(RISK_SINGLE_LENGTH);
  const rules = new Float64Array(MAX_RULE_SYMBOLS * RULE_STRIDE);
  const margins = new Float64Array(MAX_RULE_SYMBOLS * MARGIN_STRIDE);
  let margin: MarginState = scanMargin(margins, 0, MARGIN_STRIDE, NaN, NaN, NaN, NaN, NaN);
  const check = (
    posQty: number,
    mark: number,
    qty: number,
    price: number,
    bucket: number,
    ruleIndex: number,
    nowMs: number,
  ) =>
    checkOrderFigures(
      account,
      limits,
      rules,
      margin,
      margins,
      posQty,
      mark,
      qty,
      price,
      ruleIndex,
      () => buckets.bucketAcquire(toI32(bucket), 1, nowMs) === BucketStatus.GRANTED,
    );

  return {
    ...buckets,
    kind: 'reference',
    maxBatch: MAX_BATCH,
    riskSetLimits(
      maxDrawdown,
      maxDailyLoss,
      maxLeverage,
      maxGrossExposure,
      maxNetExposure,
      maxPositionWeight,
      maxOrderNotionalUsd,
    ) {
      limits = {
        maxDrawdown,
        maxDailyLoss,
        maxLeverage,
        maxGrossExposure,
        maxNetExposure,
        maxPositionWeight,
        maxOrderNotionalUsd,
      };
    },
    riskSetAccount(killSwitch, tradingState, navUsd, peakNavUsd, dayStartNavUsd, grossUsd, netUsd) {
      account = deriveAccount(
        killSwitch,
        tradingState,
        navUsd,
        peakNavUsd,
        dayStartNavUsd,
        grossUsd,
        netUsd,
      );
      return account.valid ? 1 : 0;
    },
    riskSetMargin(slots, availableUsd, walletUsd, maintUsd, upnlUsd, minDistance) {
      const n = toI32(slots);
      margin = scanMargin(
        margins,
        n < 0 ? 0 : n > MAX_RULE_SYMBOLS ? MAX_RULE_SYMBOLS : n,
        MARGIN_STRIDE,
        availableUsd,
        walletUsd,
        maintUsd,
        upnlUsd,
        minDistance,
      );
      return margin.known ? 1 : 0;
    },
    riskDrawdown: () => account.drawdown,
    riskDailyLoss: () => account.dailyLoss,
    riskCheck(posQty, markPrice, orderQty, price, bucket, ruleIndex, nowMs) {
      const r = check(posQty, markPrice, orderQty, price, bucket, ruleIndex, nowMs);
      single[RiskSingle.MASK] = r.mask;
      single[RiskSingle.GROSS] = r.gross;
      single[RiskSingle.NET] = r.net;
      single[RiskSingle.WEIGHT] = r.weight;
      single[RiskSingle.NOTIONAL_USD] = r.notional;
      single[RiskSingle.DRAWDOWN] = account.drawdown;
      single[RiskSingle.DAILY_LOSS] = account.dailyLoss;
      single[RiskSingle.RULE] = r.rule;
      single[RiskSingle.INITIAL_MARGIN] = r.initialMargin;
      single[RiskSingle.LIQUIDATION_DISTANCE] = r.liquidationDistance;
      return statusOf(r.mask);
    },
    riskCheckBatch(n, nowMs) {
      const count = toI32(n);
      if (count < 0 || count > MAX_BATCH) return -1;
      let approved = 0;
      for (let i = 0; i < count; i++) {
        const r = check(
          batch.posQty[i]!,
          batch.markPrice[i]!,
          batch.orderQty[i]!,
          batch.price[i]!,
          batch.bucket[i]!,
          batch.ruleIndex[i]!,
          nowMs,
        );
        const status = statusOf(r.mask);
        batch.mask[i] = r.mask;
        batch.status[i] = status;
        batch.gross[i] = r.gross;
        batch.net[i] = r.net;
        batch.weight[i] = r.weight;
        batch.notionalUsd[i] = r.notional;
        batch.rule[i] = r.rule;
        batch.initialMargin[i] = r.initialMargin;
        batch.liquidationDistance[i] = r.liquidationDistance;
        if (status === 0) approved++;
      }
      return approved;
    },
    riskBatch: () => batch,
    riskSingle: () => single,
    riskRules: () => rules,
    riskMargins: () => margins,
  };
}
