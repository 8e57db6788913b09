// Every metric the worker exports, in one non-global prom-client registry: the original AIS
// catalogue (names, types, labels) plus this worker's additions. HELP texts carry units and enums.
// The metrics themselves: catalogue-trading.ts, catalogue-service.ts and catalogue-live-account.ts,
// registered in that order.
import type { Registry } from 'prom-client';
import { serviceMetrics } from './catalogue-service.ts';
import { tradingMetrics } from './catalogue-trading.ts';
import { liveAccountCatalogue } from './catalogue-live-account.ts';
import { metricMakers } from './metric-makers.ts';

export function createCatalogue(registry: Registry) {
  const m = metricMakers(registry);
  return { ...tradingMetrics(m), ...serviceMetrics(m), ...liveAccountCatalogue(m) };
}

export type Catalogue = ReturnType<typeof createCatalogue>;
