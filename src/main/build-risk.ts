// Builds the risk side of the worker (tokens, kill switch and trading state, portfolio, engine,
// service) from the config and the shared adapters; used by build-deps.ts and the HTTP tests.
import { randomBytes } from 'node:crypto';
import { createRiskTokens } from '../adapters/crypto/risk-tokens.ts';
import { componentLogger, type Logger } from '../adapters/logging/logger.ts';
import type { Config } from '../config/config.ts';
import { createPortfolioBook } from '../domain/portfolio/book.ts';
import { createPortfolio, portfolioFigures } from '../domain/portfolio/portfolio.ts';
import { createControlService } from '../domain/risk/control-service.ts';
import { createRiskEngine } from '../domain/risk/engine.ts';
import { limitsByGuard } from '../domain/risk/limits.ts';
import { createRiskService } from '../domain/risk/risk-service.ts';
import { createSymbolHoldService } from '../domain/risk/symbol-hold-service.ts';
import type { RiskDeps } from '../http/deps.ts';
import type { EventStore } from '../ports/event-store.ts';
import type { Metrics } from '../ports/metrics.ts';
import type { RiskCore } from '../ports/risk-core.ts';

interface RiskBuildInput {
  config: Readonly<Config>;
  core: RiskCore;
  store: EventStore;
  metrics: Metrics;
  logger: Logger;
  /** Wall clock: records, risk tokens. */
  nowMs: () => number;
  /**
   * Monotonic clock on the epoch scale (ports/clock.ts): the order_rate bucket, check durations.
   * A backtest passes its simulated time (monotonic too), so that runs repeat.
   */
  monoMs: () => number;
}

export async function buildRisk(i: RiskBuildInput): Promise<RiskDeps> {
  const { monoMs } = i;
  const log = componentLogger(i.logger, 'ais.risk.control');
  const { secret, previousSecret, keyId } = i.config.riskHmac;
  // config refuses AIS_EXCHANGE=aster without a secret; paper signs with a key that dies with the process.
  if (!secret)
    componentLogger(i.logger, 'ais.risk.tokens').warn(
      {},
      'AIS_RISK_HMAC_SECRET unset: risk tokens signed with a per-process key',
    );
  const tokens = createRiskTokens({
    secret: secret ?? randomBytes(32).toString('hex'),
    previousSecret,
    keyId,
  });
  // A fresh paper install trades; a fresh aster install waits HALTED until an operator sets ACTIVE.
  const initialState = i.config.exchange === 'paper' ? 'ACTIVE' : 'HALTED';
  const control = await createControlService({
    store: i.store,
    metrics: i.metrics,
    log,
    nowMs: i.nowMs,
    initialState,
  });
  const portfolio = createPortfolioBook(createPortfolio(i.config.initialBalanceUsd));
  // The last bucket of the core is the order_rate budget; exchange limiters use the low indexes.
  const engine = createRiskEngine({
    core: i.core,
    limits: i.config.risk,
    rateBucket: i.core.maxBuckets - 1,
    startMs: monoMs(),
  });
  // Per-symbol holds (after a liquidation, ...) survive a restart like the trading state.
  const holds = await createSymbolHoldService({
    store: i.store,
    metrics: i.metrics,
    log: componentLogger(i.logger, 'ais.risk.holds'),
    nowMs: i.nowMs,
  });
  const service = createRiskService({
    holds,
    engine,
    control,
    portfolio,
    tokens,
    store: i.store,
    metrics: i.metrics,
    nowMs: i.nowMs,
    monoMs,
  });
  i.metrics.portfolio(portfolioFigures(portfolio.get()));
  // The limits in force, so that alert rules and dashboards compare each figure with its limit.
  i.metrics.riskLimits(limitsByGuard(engine.limits));
  return { service, control, portfolio, engine, tokens, holds };
}
