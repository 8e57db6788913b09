// GET /metrics render time with 2,000 ais_* series, against rendering an empty registry.
import { Registry } from 'prom-client';
import { createPrometheusMetrics } from '../../src/adapters/metrics/prometheus.ts';
import { percentile, record, section } from './harness.ts';

export async function benchMetricsRender() {
  const s = section('/metrics render');
  const m = createPrometheusMetrics({
    version: 'bench',
    runtime: 'bench',
    instance: 'bench',
    processMetrics: false,
  });
  const c = m.catalogue;
  // 2,000 series: 500 symbols x (exposure gauge + orders counter + fills counter) + 500 breaker/limiter series.
  for (let i = 0; i < 500; i++) {
    const symbol = `SYM${i}USDT`;
    c.exposure.set({ symbol }, i / 1000);
    c.ordersSubmitted.inc({ symbol, side: 'BUY' });
    c.ordersFilled.inc({ symbol, side: 'BUY' });
    c.breakerState.set({ breaker: `svc${i}` }, 0);
  }
  const text = await m.render();
  const series = text.split('\n').filter((l) => l.startsWith('ais_')).length;
  const times: number[] = [];
  for (let i = 0; i < 200; i++) {
    const t = performance.now();
    await m.render();
    times.push(performance.now() - t);
  }
  const empty = new Registry();
  const baseTimes: number[] = [];
  for (let i = 0; i < 200; i++) {
    const t = performance.now();
    await empty.metrics();
    baseTimes.push(performance.now() - t);
  }
  const p50 = percentile(times, 50);
  record({
    section: s,
    name: `render p50 (${series} series)`,
    value: p50,
    unit: 'ms',
    baseline: { name: 'empty registry', value: percentile(baseTimes, 50) },
    target: '<= 10 ms',
    met: p50 <= 10,
  });
  const p99 = percentile(times, 99);
  record({
    section: s,
    name: `render p99 (${series} series)`,
    value: p99,
    unit: 'ms',
    target: '<= 10 ms',
    met: p99 <= 10,
  });
}
