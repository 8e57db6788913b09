// The breakers, limiters and alert service every worker builds, the edge isolate's included.
import { createAlertService } from '../adapters/alerts/alert-service.ts';
import { channelsFromConfig } from '../adapters/alerts/channels.ts';
import { componentLogger, type Logger } from '../adapters/logging/logger.ts';
import { createResilience } from '../adapters/resilience/registry.ts';
import type { Config } from '../config/config.ts';
import type { Clocks } from '../ports/clock.ts';
import type { EventStore } from '../ports/event-store.ts';
import type { Metrics } from '../ports/metrics.ts';
import type { RiskCore } from '../ports/risk-core.ts';

/** What the guards are built from. */
export interface GuardsInput {
  config: Readonly<Config>;
  core: RiskCore;
  store: EventStore;
  metrics: Metrics;
  logger: Logger;
  clocks: Clocks;
}

/**
 * Breakers and limiters of every outside service (bucket indexes from 0 up; the last is the risk
 * engine's), and the alert service whose channels they guard. Cool-downs, token refills and the
 * alert dedup window run on the monotonic clock: a wall-clock step neither ends nor stretches them.
 */
export function buildGuards(s: GuardsInput) {
  const resilience = createResilience({
    core: s.core,
    metrics: s.metrics,
    store: s.store,
    log: componentLogger(s.logger, 'ais.resilience.breaker'),
    limiterLog: componentLogger(s.logger, 'ais.resilience.limiter'),
    nowMs: s.clocks.monoMs,
    defaultBreaker: { openMs: s.config.breakerCooldownMs },
  });
  const alerts = createAlertService({
    store: s.store,
    metrics: s.metrics,
    logger: componentLogger(s.logger, 'ais.alerts'),
    channels: channelsFromConfig(s.config.alerts),
    guard: resilience.guard,
    nowMs: s.clocks.wallMs,
    dedupWindowMs: s.config.alerts.dedupWindowMs,
    monotonicMs: s.clocks.monoMs,
  });
  return { resilience, alerts };
}
