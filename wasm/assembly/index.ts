// The WASM core's exports: numbers in, numbers out. Each module has a TypeScript reference in src/domain.
export {
  MAX_BUCKETS,
  bucketInit,
  bucketAcquire,
  bucketTokens,
  bucketPause,
  bucketSetTokens,
  bucketPausedUntil,
} from './token-bucket';
export {
  MAX_BATCH,
  MAX_SYMBOLS,
  riskSetLimits,
  riskSetAccount,
  riskSetMargin,
  riskDrawdown,
  riskDailyLoss,
  riskCheck,
  riskCheckBatch,
  riskColumnOffset,
} from './risk';
