// What the HTTP layer needs, handed in by the start-up file (src/main/build-deps.ts).
import type { Logger } from '../adapters/logging/logger.ts';
import type { Config } from '../config/config.ts';
import type { HealthReport } from '../domain/health/health.ts';
import type { EventStore } from '../ports/event-store.ts';
import type { Metrics } from '../ports/metrics.ts';

export interface MetricsExporter {
  render(): Promise<string>;
  readonly contentType: string;
}

export interface AppDeps {
  config: Readonly<Config>;
  logger: Logger;
  metrics: Metrics;
  exporter: MetricsExporter;
  store: EventStore;
  health(): Promise<HealthReport>;
  nowMs(): number;
}
