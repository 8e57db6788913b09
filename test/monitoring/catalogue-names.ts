// The metric names Prometheus can see from the worker: every catalogue metric, with the series a
// histogram adds (_bucket, _sum, _count). Rules and dashboards may use only these (and `up`).
import { Histogram, Registry } from 'prom-client';
import { createCatalogue } from '../../src/adapters/metrics/catalogue.ts';

export function catalogueSeriesNames(): Set<string> {
  const registry = new Registry();
  createCatalogue(registry);
  const names = new Set<string>();
  for (const m of registry.getMetricsAsArray()) {
    const name = (m as unknown as { name: string }).name;
    names.add(name);
    if (m instanceof Histogram) for (const s of ['_bucket', '_sum', '_count']) names.add(name + s);
  }
  return names;
}

/** The ais_* names a PromQL expression mentions (label names never start with ais_). */
export function aisNamesIn(expr: string): string[] {
  return [...new Set(expr.match(/\bais_[a-z0-9_]+\b/g) ?? [])];
}
