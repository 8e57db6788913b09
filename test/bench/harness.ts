// Tiny benchmark harness: each figure is printed beside the baseline measured in the same run,
// with the ratio and the target, and collected for test/bench/results.json.

export interface Figure {
  section: string;
  name: string;
  value: number;
  unit: string;
  /** The same work done the baseline way, in the same run. */
  baseline?: { name: string; value: number };
  /** value / baseline (for "higher is better" units) or baseline / value (for times), so >1 = better. */
  ratio?: number;
  target?: string;
  /** Whether the target is met; undefined when there is no target. */
  met?: boolean;
}

export const figures: Figure[] = [];

/** Units where less is better (times, memory): the ratio is then baseline / value. */
const isTime = (unit: string) => /^(ns|µs|ms|s|MB)(\/op)?$/.test(unit);

export function record(f: Omit<Figure, 'ratio'>): Figure {
  const ratio = f.baseline
    ? isTime(f.unit)
      ? f.baseline.value / f.value
      : f.value / f.baseline.value
    : undefined;
  const full = { ...f, ratio };
  figures.push(full);
  const fmt = (v: number) =>
    Math.abs(v) >= 100 ? Math.round(v).toLocaleString('en-US') : v.toPrecision(3);
  const base = f.baseline
    ? `  vs ${f.baseline.name}: ${fmt(f.baseline.value)} ${f.unit}  (ratio ${ratio!.toFixed(2)}x)`
    : '';
  const target = f.target ? `  target ${f.target}: ${f.met ? 'met' : 'MISSED'}` : '';
  console.log(`  ${f.name}: ${fmt(f.value)} ${f.unit}${base}${target}`);
  return full;
}

/** Median of `rounds` measurements of ns per call for `fn` run `iterations` times. */
export function nsPerOp(fn: (i: number) => unknown, iterations: number, rounds = 7): number {
  for (let i = 0; i < Math.min(iterations, 10_000); i++) fn(i); // warm-up (JIT, tier-up)
  const samples: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const t0 = performance.now();
    for (let i = 0; i < iterations; i++) fn(i);
    samples.push(((performance.now() - t0) * 1e6) / iterations);
  }
  return median(samples);
}

export function median(xs: number[]): number {
  return percentile(xs, 50);
}

export function percentile(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))]!;
}

export function section(name: string): string {
  console.log(`\n== ${name}`);
  return name;
}
