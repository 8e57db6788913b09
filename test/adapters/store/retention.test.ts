import { describe, expect, it } from 'bun:test';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { createLibsqlEventStore } from '../../../src/adapters/store/libsql/event-store.ts';
import { startRetention } from '../../../src/adapters/store/retention.ts';
import { createPrometheusMetrics } from '../../../src/adapters/metrics/prometheus.ts';
import { seedOldDatabase } from '../../helpers/old-database.ts';
import { portfolioPayload, riskDecisionPayload } from '../../helpers/events.ts';
import { tempDir } from '../../helpers/worker-process.ts';

const DAY_MS = 86_400_000;
const NOW = 1_800_000_000_000;
const silent = { info() {}, warn() {}, error() {} };

describe('retention', () => {
  it('prunes old per-cycle events oldest first, keeps audit events and the newest snapshot, and shrinks the file', async () => {
    const dir = tempDir();
    const path = join(dir, 'ais.db');
    await seedOldDatabase(path, 20_000, NOW - 10 * DAY_MS);
    const before = statSync(path).size;
    const store = await createLibsqlEventStore({ url: `file:${path}`, nowMs: () => NOW });
    expect(store.maintenance.vacuumAtOpen).toBe('vacuumed');
    await store.appendBatch([
      { type: 'risk_decision', payload: riskDecisionPayload({ fresh: true }), timeMs: NOW - 1000 },
    ]);
    const metrics = createPrometheusMetrics({ version: 't', runtime: 'bun', instance: 't' });
    const retention = startRetention({
      maintenance: store.maintenance,
      days: 1,
      metrics,
      log: silent,
      nowMs: () => NOW,
      intervalMs: 3_600_000,
      batchSize: 700,
    });
    await retention.runOnce();
    await retention.stop();

    const left = await store.query({ limit: 10_000 });
    expect(left.filter((e) => e.type === 'risk_decision').map((e) => e.payload)).toEqual([
      riskDecisionPayload({ fresh: true }),
    ]);
    expect(left.filter((e) => e.type === 'portfolio').map((e) => e.payload)).toEqual([
      portfolioPayload(100_000),
    ]);
    expect(
      left
        .map((e) => e.type)
        .filter((t) => t !== 'risk_decision' && t !== 'portfolio')
        .sort(),
    ).toEqual(['control_action', 'kill_switch', 'order', 'trading_state']);
    const text = await metrics.render();
    expect(text).toContain('ais_event_store_pruned_total{type="risk_decision"} 20000');
    expect(text).toContain('ais_event_store_events{type="risk_decision"} 1');
    expect(text).toMatch(/ais_event_store_bytes \d+/);
    expect(text).toMatch(/ais_event_store_disk_free_bytes \d+/);
    const bytes = store.maintenance.footprint().bytes!;
    await store.close();
    // The freed pages went back to the file system (the WAL is checkpointed into the file at close).
    expect(statSync(path).size).toBeLessThan(before / 4);
    expect(bytes).toBeGreaterThan(0);
  });

  it('keeps everything with 0 days, and a new file starts with incremental vacuum', async () => {
    const dir = tempDir();
    const store = await createLibsqlEventStore({
      url: `file:${join(dir, 'ais.db')}`,
      nowMs: () => NOW,
    });
    expect(store.maintenance.vacuumAtOpen).toBe('new');
    await store.appendBatch(
      Array.from({ length: 50 }, (_, i) => ({
        type: 'decision' as const,
        payload: { i },
        timeMs: 1 + i,
      })),
    );
    const metrics = createPrometheusMetrics({ version: 't', runtime: 'bun', instance: 't' });
    const retention = startRetention({
      maintenance: store.maintenance,
      days: 0,
      metrics,
      log: silent,
      nowMs: () => NOW,
      intervalMs: 3_600_000,
    });
    expect(await retention.runOnce()).toBe(0);
    await retention.stop();
    expect((await store.query({ type: 'decision', limit: 100 })).length).toBe(50);
    expect(await metrics.render()).toContain('ais_event_store_events{type="decision"} 50');
    await store.close();
  });

  describe('under a wall clock stepped 40 days forward (injected clocks)', () => {
    /** 130 risk decisions of the last 130 minutes, as a worker writes them, in a fresh store. */
    async function recentDecisions() {
      const store = await createLibsqlEventStore({
        url: `file:${join(tempDir(), 'ais.db')}`,
        nowMs: () => NOW,
      });
      await store.appendBatch(
        Array.from({ length: 130 }, (_, i) => ({
          type: 'risk_decision' as const,
          payload: riskDecisionPayload({ i }),
          timeMs: NOW - (130 - i) * 60_000,
        })),
      );
      return store;
    }
    const count = async (store: Awaited<ReturnType<typeof recentDecisions>>) =>
      (await store.query({ type: 'risk_decision', limit: 1_000 })).length;
    const metrics = () => createPrometheusMetrics({ version: 't', runtime: 'bun', instance: 't' });

    it('keeps every row while the clock watch reports the step (pruning suspended)', async () => {
      const store = await recentDecisions();
      const warnings: string[] = [];
      const retention = startRetention({
        maintenance: store.maintenance,
        days: 30,
        metrics: metrics(),
        log: { ...silent, warn: (_f: object, msg: string) => warnings.push(msg) },
        nowMs: () => NOW + 40 * DAY_MS,
        newestStoredMs: async () => NOW,
        clockStepMs: () => 40 * DAY_MS,
        intervalMs: 60_000,
      });
      expect(await retention.runOnce()).toBe(0);
      await retention.stop();
      expect(await count(store)).toBe(130);
      expect(warnings).toContain(
        'Retention pass skipped: the wall clock stepped (see GET /v1/clock)',
      );
      await store.close();
    });

    it('counts from the newest stored event, not the stepped wall clock, where no watch sees the step', async () => {
      const store = await recentDecisions();
      const newest = (await store.query({ newestFirst: true, limit: 1 }))[0]!.timeMs;
      const retention = startRetention({
        maintenance: store.maintenance,
        days: 30,
        metrics: metrics(),
        log: silent,
        nowMs: () => NOW + 40 * DAY_MS,
        newestStoredMs: async () => newest,
        intervalMs: 60_000,
      });
      expect(await retention.runOnce()).toBe(0);
      await retention.stop();
      expect(await count(store)).toBe(130);
      await store.close();
    });

    it('deleted 129 of the 130 rows before (the wall clock alone)', async () => {
      const store = await recentDecisions();
      const retention = startRetention({
        maintenance: store.maintenance,
        days: 30,
        metrics: metrics(),
        log: silent,
        nowMs: () => NOW + 40 * DAY_MS,
        intervalMs: 60_000,
      });
      expect(await retention.runOnce()).toBe(129);
      await retention.stop();
      await store.close();
    });
  });
});
