// How the catalogue makes a metric: a gauge, counter or histogram registered in its registry (one
// non-global prom-client Registry per worker), and the histogram buckets it uses.
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
/** Latency buckets in seconds from 50 µs (WASM risk checks) to 10 s (a slow exchange). */
export const LATENCY = [
  0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5,
  5, 10,
];
/** Microsecond-scale buckets for in-process risk checks. */
export const RISK_CHECK = [
  0.000001, 0.0000025, 0.000005, 0.00001, 0.000025, 0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.005,
];

/** The three makers, each registering into the worker's registry. */
export function metricMakers(registry: Registry) {
  const r = [registry];
  const gauge = <L extends string>(name: string, help: string, labelNames: readonly L[] = []) =>
    new Gauge<L>({ name, help, labelNames, registers: r });
  const counter = <L extends string>(name: string, help: string, labelNames: readonly L[] = []) =>
    new Counter<L>({ name, help, labelNames, registers: r });
  const histogram = <L extends string>(
    name: string,
    help: string,
    labelNames: readonly L[] = [],
    buckets = LATENCY,
  ) => new Histogram<L>({ name, help, labelNames, buckets, registers: r });
  return { gauge, counter, histogram };
}

export type MetricMakers = ReturnType<typeof metricMakers>;
