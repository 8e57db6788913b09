// Loads the AssemblyScript module (wasm/build/release.wasm) and exposes it as the RiskCore port.
import { RULE_STRIDE } from '../../domain/market/rule-numbers.ts';
import { MARGIN_STRIDE } from '../../domain/risk/margin-numbers.ts';
import {
  RISK_SINGLE_LENGTH,
  RiskColumn,
  type RiskBatchViews,
  type RiskCore,
} from '../../ports/risk-core.ts';

type Fn = (...args: number[]) => number;

interface WasmExports {
  memory: WebAssembly.Memory;
  MAX_BUCKETS: WebAssembly.Global;
  MAX_BATCH: WebAssembly.Global;
  MAX_SYMBOLS: WebAssembly.Global;
  bucketInit: Fn;
  bucketAcquire: Fn;
  bucketTokens: Fn;
  bucketPause: Fn;
  bucketSetTokens: Fn;
  bucketPausedUntil: Fn;
  riskSetLimits: (...args: number[]) => void;
  riskSetAccount: Fn;
  riskSetMargin?: Fn;
  riskDrawdown: () => number;
  riskDailyLoss: () => number;
  riskCheck: Fn;
  riskCheckBatch: Fn;
  riskColumnOffset: (column: number) => number;
}

/**
 * Instantiates the core from the module's bytes (Bun, Deno, Node: load.ts reads them) or from a
 * compiled module (Cloudflare Workers: workerd refuses to compile bytes at run time, so the bundle
 * imports the .wasm file and hands the module in).
 */
export async function createWasmCore(source: BufferSource | WebAssembly.Module): Promise<RiskCore> {
  const compiled =
    source instanceof WebAssembly.Module ? source : await WebAssembly.compile(source);
  const instance = await WebAssembly.instantiate(compiled, {});
  const x = instance.exports as unknown as WasmExports;
  // A module built from older sources lacks newer exports: say how to fix it rather than fail oddly.
  if (!(x.MAX_SYMBOLS instanceof WebAssembly.Global)) throw new Error('wasm: wasm/build/release.wasm is older than wasm/assembly (no symbol rule table): run npm run build:wasm');
  if (typeof x.riskSetMargin !== 'function') throw new Error('wasm: wasm/build/release.wasm is older than wasm/assembly (no margin guards): run npm run build:wasm');
  const riskSetMargin = x.riskSetMargin;
  const maxBatch = x.MAX_BATCH.value as number;
  const at = (column: number) => x.riskColumnOffset(column);
  // Views over linear memory; rebuilt when memory.buffer changes (it would after a memory.grow).
  let buffer: ArrayBuffer | undefined;
  let batch: RiskBatchViews;
  let single: Float64Array;
  let rules: Float64Array;
  let margins: Float64Array;
  const views = () => {
    if (buffer === x.memory.buffer) return;
    buffer = x.memory.buffer;
    const f64 = (c: number) => new Float64Array(buffer!, at(c), maxBatch);
    const i32 = (c: number) => new Int32Array(buffer!, at(c), maxBatch);
    batch = {
      posQty: f64(RiskColumn.POS_QTY), markPrice: f64(RiskColumn.MARK_PRICE), orderQty: f64(RiskColumn.ORDER_QTY),
      price: f64(RiskColumn.PRICE), bucket: i32(RiskColumn.BUCKET), status: i32(RiskColumn.STATUS), mask: i32(RiskColumn.MASK),
      gross: f64(RiskColumn.GROSS), net: f64(RiskColumn.NET), weight: f64(RiskColumn.WEIGHT), notionalUsd: f64(RiskColumn.NOTIONAL),
      ruleIndex: i32(RiskColumn.RULE_INDEX), rule: i32(RiskColumn.RULE),
      initialMargin: f64(RiskColumn.INITIAL_MARGIN), liquidationDistance: f64(RiskColumn.LIQUIDATION_DISTANCE),
    };
    single = new Float64Array(buffer, at(RiskColumn.SINGLE), RISK_SINGLE_LENGTH);
    rules = new Float64Array(buffer, at(RiskColumn.RULES), (x.MAX_SYMBOLS.value as number) * RULE_STRIDE);
    margins = new Float64Array(buffer, at(RiskColumn.MARGINS), (x.MAX_SYMBOLS.value as number) * MARGIN_STRIDE);
  };
  views();
  // Exports are called directly, not wrapped: an extra closure per call costs on the hot path.
  return {
    kind: 'wasm',
    maxBuckets: x.MAX_BUCKETS.value as number,
    maxBatch,
    bucketInit: x.bucketInit,
    bucketAcquire: x.bucketAcquire,
    bucketTokens: x.bucketTokens,
    bucketPause: x.bucketPause,
    bucketSetTokens: x.bucketSetTokens,
    bucketPausedUntil: x.bucketPausedUntil,
    riskSetLimits: x.riskSetLimits,
    riskSetAccount: x.riskSetAccount,
    riskSetMargin,
    riskDrawdown: x.riskDrawdown,
    riskDailyLoss: x.riskDailyLoss,
    riskCheck: x.riskCheck,
    riskCheckBatch: x.riskCheckBatch,
    riskBatch: () => (views(), batch),
    riskSingle: () => (views(), single),
    riskRules: () => (views(), rules),
    riskMargins: () => (views(), margins),
  };
}
