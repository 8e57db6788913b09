// Seeds a database file as a worker without retention left it (for the retention tests).
import { orderPayload, portfolioPayload } from './events.ts';
import { createClient } from '@libsql/client';
import { drizzle } from 'drizzle-orm/libsql/web';
import { migrate } from 'drizzle-orm/libsql/migrator';
import { MIGRATIONS_DIR } from '../../src/adapters/store/libsql/event-store.ts';

/** A database file as a worker without retention left it: no auto_vacuum, `n` old risk decisions, old control events, a paper account of 100,000 USD (one that can still place an order, so the loop writes fresh risk decisions). */
export async function seedOldDatabase(path: string, n: number, oldMs: number): Promise<void> {
  const client = createClient({ url: `file:${path}` });
  await migrate(drizzle(client), { migrationsFolder: MIGRATIONS_DIR });
  const payload = JSON.stringify({
    order_id: 'o-old',
    source: 'loop',
    order: { symbol: 'BTCUSDT', side: 'BUY', quantity: 1, price: 100, agent_id: null },
    approved: false,
    guard: 'order_notional',
    reason: 'too big',
    checks: Array.from({ length: 10 }, (_, i) => ({
      guard: `g${i}`,
      value: 0.1,
      limit: 1,
      passed: true,
    })),
  });
  const rows = 500;
  const sql = `INSERT INTO events (time_ms, type, stream, payload, schema_version) VALUES ${Array(rows).fill('(?,?,?,?,1)').join(',')}`;
  for (let i = 0; i < n; i += rows) {
    await client.execute({
      sql,
      args: Array.from({ length: rows }, (_, j) => [
        oldMs + i + j,
        'risk_decision',
        'BTCUSDT',
        payload,
      ]).flat(),
    });
  }
  for (const [type, p] of [
    ['kill_switch', { active: true, reason: 'old drill', by: 'operator', source: 'manual' }],
    ['trading_state', { state: 'HALTED', previous: 'ACTIVE', reason: null, by: 'operator' }],
    ['control_action', { endpoint: 'kill-switch', by: 'operator', result: 'applied' }],
    ['order', orderPayload('o1')],
    ['portfolio', portfolioPayload(99_000)],
    ['portfolio', portfolioPayload(100_000)],
  ] as const) {
    await client.execute({
      sql: 'INSERT INTO events (time_ms, type, stream, payload) VALUES (?,?,?,?)',
      args: [oldMs, type, '', JSON.stringify(p)],
    });
  }
  client.close();
}
