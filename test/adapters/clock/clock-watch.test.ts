import { describe, expect, it } from 'bun:test';
import { startClockWatch } from '../../../src/adapters/clock/clock-watch.ts';
import { createClocks } from '../../../src/adapters/clock/clocks.ts';
import { createPrometheusMetrics } from '../../../src/adapters/metrics/prometheus.ts';

const DAY = 86_400_000;

/** A wall clock an operator (or NTP) can step, and a monotonic one the test advances. */
function steppableClocks() {
  const t = { wall: Date.UTC(2026, 11, 1), perf: 1_000, offset: 0 };
  const clocks = createClocks(
    () => t.wall + t.offset,
    () => t.perf,
  );
  const advance = (ms: number) => ((t.wall += ms), (t.perf += ms));
  return { clocks, t, advance };
}

function logs() {
  const lines: { level: string; msg: string; fields: object }[] = [];
  const at = (level: string) => (fields: object, msg: string) => lines.push({ level, msg, fields });
  return { lines, log: { info: at('info'), warn: at('warn'), error: at('error') } };
}

describe('startClockWatch', () => {
  it('logs and exports a 40-day step forward, and its return', async () => {
    const { clocks, t, advance } = steppableClocks();
    const metrics = createPrometheusMetrics({ version: 't', runtime: 't', instance: 't' });
    const { lines, log } = logs();
    const watch = startClockWatch({ clocks, toleranceMs: 60_000, metrics, log });
    try {
      advance(5_000);
      expect(watch.check()).toBe(0);
      t.offset = 40 * DAY;
      expect(watch.check()).toBe(40 * DAY);
      expect(watch.view()).toMatchObject({ step_ms: 40 * DAY, retention_suspended: true });
      expect(lines.filter((l) => l.level === 'error').map((l) => l.msg)).toEqual([
        'Wall clock stepped: retention suspended until the clock comes back or an operator accepts it',
      ]);
      let text = await metrics.render();
      expect(text).toContain(`ais_clock_step_seconds ${40 * 86_400}`);
      expect(text).toContain('ais_clock_steps_total{direction="forward"} 1');
      t.offset = 0;
      expect(watch.check()).toBe(0);
      text = await metrics.render();
      expect(text).toContain('ais_clock_step_seconds 0');
      expect(lines.at(-1)!.msg).toBe('Wall clock back within the tolerance: retention resumes');
    } finally {
      watch.stop();
    }
  });

  it('lets an operator accept a step back of one hour', () => {
    const { clocks, t } = steppableClocks();
    const metrics = createPrometheusMetrics({ version: 't', runtime: 't', instance: 't' });
    const watch = startClockWatch({ clocks, toleranceMs: 60_000, metrics, log: logs().log });
    try {
      t.offset = -3_600_000;
      expect(watch.check()).toBe(-3_600_000);
      expect(watch.accept('ops')).toBe(-3_600_000);
      expect(watch.check()).toBe(0);
      expect(watch.view().retention_suspended).toBe(false);
    } finally {
      watch.stop();
    }
  });
});
