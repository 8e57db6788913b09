// Loads the AssemblyScript module (wasm/build/release.wasm) and exposes it as the RiskCore port.
import type { RiskCore } from '../../ports/risk-core.ts';

interface WasmExports {
  memory: WebAssembly.Memory;
  MAX_BUCKETS: WebAssembly.Global;
  bucketInit(i: number, capacity: number, refillPerSec: number, nowMs: number): number;
  bucketAcquire(i: number, cost: number, nowMs: number): number;
  bucketTokens(i: number, nowMs: number): number;
  bucketPause(i: number, untilMs: number): number;
  bucketSetTokens(i: number, tokens: number, nowMs: number): number;
  bucketPausedUntil(i: number): number;
}

/** The built module's location; every runtime can read it through node:fs. */
export const WASM_PATH = new URL('../../../wasm/build/release.wasm', import.meta.url);

/** Instantiates the core from the module's bytes (the start-up file reads them). */
export async function createWasmCore(bytes: BufferSource): Promise<RiskCore> {
  const instance = await WebAssembly.instantiate(await WebAssembly.compile(bytes), {});
  const x = instance.exports as unknown as WasmExports;
  // Exports are called directly, not wrapped: an extra closure per call costs on the hot path.
  return {
    kind: 'wasm',
    maxBuckets: x.MAX_BUCKETS.value as number,
    bucketInit: x.bucketInit,
    bucketAcquire: x.bucketAcquire,
    bucketTokens: x.bucketTokens,
    bucketPause: x.bucketPause,
    bucketSetTokens: x.bucketSetTokens,
    bucketPausedUntil: x.bucketPausedUntil,
  };
}
