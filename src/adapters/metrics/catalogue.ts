// Every metric the worker exports, in one non-global prom-client registry: the original AIS
// catalogue (names, types, labels) plus this worker's additions. HELP texts carry units and enums.
// The metrics themselves: catalogue-trading.ts and catalogue-service.ts, registered in that order.
import type { Registry } from 'prom-client';
import { serviceMetrics } from './catalogue-service.ts';
import { tradingMetrics } from './catalogue-trading.ts';
import { metricMakers } from './metric-makers.ts';

export function createCatalogue(registry: Registry) {
  const m = metricMakers(registry);
  return { ...tradingMetrics(m), ...serviceMetrics(m) };
}

export type Catalogue = ReturnType<typeof createCatalogue>;
