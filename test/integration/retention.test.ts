// A worker started with AIS_RETENTION_DAYS=1 over a year-old database: the per-cycle events go,
// the events a restart and an audit need stay (and still act: the old kill switch holds).
import { describe, expect, it } from 'bun:test';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { waitFor } from '../monitoring/processes.ts';
import { seedOldDatabase } from '../helpers/old-database.ts';
import { startWorker, tempDir } from '../helpers/worker-process.ts';

const TOKEN = 'retention-token-0123456789';
const headers = { authorization: `Bearer ${TOKEN}` };

describe('retention in a running worker', () => {
  it('prunes 100,000 old risk decisions and keeps the old control events', async () => {
    const dir = tempDir();
    const path = join(dir, 'ais.db');
    await seedOldDatabase(path, 100_000, Date.now() - 30 * 86_400_000);
    const seededBytes = statSync(path).size;
    const worker = await startWorker(
      'bun',
      // A pass a second: the first counts from the newest stored event (the seeded, 30 days old:
      // a clock stepped forward looks the same), the next from this run's first records.
      { AIS_RETENTION_DAYS: '1', AIS_RETENTION_INTERVAL_MS: '1000', AIS_API_TOKEN: TOKEN },
      { dir },
    );
    try {
      const metric = async (line: RegExp) =>
        Number(line.exec(await (await fetch(`${worker.url}/metrics`)).text())?.[1]);
      await waitFor(
        'the old risk decisions pruned',
        async () =>
          (await metric(/^ais_event_store_pruned_total\{type="risk_decision"\} (\d+)$/m)) ===
          100_000,
        30_000,
      );
      const old = async (type: string) =>
        (
          (await (
            await fetch(`${worker.url}/v1/events?type=${type}&limit=10`, { headers })
          ).json()) as { events: unknown[] }
        ).events.length;
      expect(await old('kill_switch')).toBe(1);
      expect(await old('trading_state')).toBe(1);
      expect(await old('control_action')).toBe(1);
      expect(await old('order')).toBe(1);
      // Still in force after the prune: the old kill switch keeps trading halted.
      const health = (await (await fetch(`${worker.url}/health`)).json()) as {
        kill_switch: { active: boolean };
      };
      expect(health.kill_switch.active).toBe(true);
      // The risk decisions left are this run's few (the kill switch blocks new exposure).
      await waitFor(
        'the count exported',
        async () => (await metric(/^ais_event_store_events\{type="risk_decision"\} (\d+)$/m)) < 10,
      );
      await waitFor(
        'the file shrunk',
        async () => (await metric(/^ais_event_store_bytes (\d+)$/m)) < seededBytes / 2,
        30_000,
      );
      expect(worker.logs.some((l) => l['message'] === 'Retention pruned old events')).toBe(true);
    } finally {
      expect(await worker.stop()).toBe(0);
    }
  });
});
