// The real worker, SIGKILLed 20 times at random moments while it answers risk checks and runs its
// trading loop. After each kill: every risk check that was answered is a stored risk_decision
// event and a decision-log line, the database passes PRAGMA integrity_check, the restarted worker
// repairs any torn decision-log tail (every line then parses) and comes back with the kill switch
// and trading state that were last acknowledged.
import { describe, expect, it } from 'bun:test';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createClient } from '@libsql/client';
import { startWorker, tempDir, type WorkerProcess } from '../helpers/worker-process.ts';

const ROUNDS = 20;
const TOKEN = 'sigkill-test-token-0123456789';
const headers = { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' };

async function load(w: WorkerProcess, round: number, acked: Set<string>, stop: { now: boolean }) {
  let n = 0;
  const one = async () => {
    while (!stop.now) {
      const id = `r${round}-${n++}`;
      try {
        const res = await fetch(`${w.url}/v1/orders/check`, {
          method: 'POST',
          headers,
          body: JSON.stringify({
            symbol: 'ETHUSDT',
            side: 'BUY',
            quantity: 0.001,
            price: 3_000,
            client_order_id: id,
          }),
        });
        if (res.status === 200) {
          await res.json();
          acked.add(id);
        }
      } catch {
        return; // the worker is gone
      }
    }
  };
  await Promise.all(Array.from({ length: 8 }, one));
}

describe('SIGKILL under load', () => {
  it(`loses nothing acknowledged and keeps the control state over ${ROUNDS} kills`, async () => {
    const dir = tempDir('ais-sigkill-');
    const env = { AIS_API_TOKEN: TOKEN, AIS_LOOP_INTERVAL_MS: '50', AIS_MARKET_BAR_MS: '50' };
    const acked = new Set<string>();
    let expected = { trading_state: 'ACTIVE', kill: false };
    for (let round = 0; round < ROUNDS; round++) {
      const w = await startWorker('bun', env, { dir });
      const health = await (await fetch(`${w.url}/health`)).json();
      expect({ trading_state: health.trading_state, kill: health.kill_switch.active }).toEqual(
        expected,
      );
      const decisions = readFileSync(join(dir, 'decisions.jsonl'), 'utf8');
      for (const line of decisions.split('\n').filter(Boolean)) JSON.parse(line);

      // Change the control state now and then (acknowledged before the load starts).
      if (round % 4 === 1) {
        await fetch(`${w.url}/v1/control/kill-switch`, {
          method: 'POST',
          headers,
          body: JSON.stringify({ action: 'trigger', reason: `round ${round}` }),
        });
        expected = { trading_state: expected.trading_state, kill: true };
      } else if (round % 4 === 3) {
        await fetch(`${w.url}/v1/control/kill-switch`, {
          method: 'POST',
          headers,
          body: JSON.stringify({ action: 'reset' }),
        });
        const r = await fetch(`${w.url}/v1/control/trading-state`, {
          method: 'POST',
          headers,
          body: JSON.stringify({ state: 'ACTIVE' }),
        });
        expect(r.status).toBe(200);
        expected = { trading_state: 'ACTIVE', kill: false };
      }

      const stop = { now: false };
      const running = load(w, round, acked, stop);
      await Bun.sleep(50 + Math.random() * 350);
      await w.stop('SIGKILL');
      stop.now = true;
      await running;

      const db = createClient({ url: `file:${join(dir, 'ais.db')}` });
      expect((await db.execute('PRAGMA integrity_check')).rows[0]![0]).toBe('ok');
      const rows = await db.execute(
        "SELECT json_extract(payload, '$.order_id') AS id FROM events WHERE type = 'risk_decision'",
      );
      const stored = new Set(rows.rows.map((r) => String(r.id)));
      db.close();
      for (const id of acked) expect(stored.has(id)).toBe(true);
      const lines = readFileSync(join(dir, 'decisions.jsonl'), 'utf8').split('\n');
      const logged = new Set<string>();
      for (const line of lines.slice(0, -1))
        logged.add(String((JSON.parse(line) as { order_id?: string }).order_id));
      for (const id of acked) expect(logged.has(id)).toBe(true);
    }
    expect(acked.size).toBeGreaterThan(ROUNDS);
  }, 180_000);
});
