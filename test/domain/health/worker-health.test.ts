import { describe, expect, test } from 'bun:test';
import {
  createWorkerHealth,
  type WorkerHealthSources,
} from '../../../src/domain/health/worker-health.ts';
import type { ControlState } from '../../../src/domain/risk/trading-control.ts';

const active: ControlState = {
  killSwitch: { active: false, reason: null, sinceMs: null, by: null },
  tradingState: 'ACTIVE',
  tradingReason: null,
  tradingSinceMs: null,
};

function sources(over: Partial<WorkerHealthSources> = {}): WorkerHealthSources {
  return {
    store: { ping: async () => undefined, writeHealth: () => ({ flushingForMs: 0 }) },
    exchange: { name: 'paper', breakers: () => [], pendingCancels: () => 0 },
    coreKind: 'wasm',
    loop: () => ({ status: 'ok' }),
    reconciliation: { latest: () => undefined, ageMs: () => undefined, intervalMs: 60_000 },
    control: () => active,
    nowMs: () => 1_000,
    monoMs: () => 1_000,
    ...over,
  };
}

describe('createWorkerHealth', () => {
  test('ok with every component well and trading ACTIVE', async () => {
    expect(await createWorkerHealth(sources())()).toEqual({
      status: 'ok',
      trading_state: 'ACTIVE',
      kill_switch: {
        active: false,
        reason: null,
        since: null,
        effective_on_exchange: true,
        pending_cancels: 0,
      },
      components: {
        db: { status: 'ok' },
        exchange: { status: 'ok', detail: 'paper' },
        wasm: { status: 'ok', detail: 'wasm' },
        loop: { status: 'ok' },
        reconciliation: { status: 'ok', detail: 'no run yet' },
      },
    });
  });

  test('a disabled loop says so; a database that does not answer is down, its URL redacted', async () => {
    const health = createWorkerHealth(
      sources({
        loop: undefined,
        store: {
          ping: () => Promise.reject(new Error('libsql://db.example?authToken=abc123secret down')),
          writeHealth: () => ({ flushingForMs: 0 }),
        },
      }),
    );
    const report = await health();
    expect(report.status).toBe('degraded');
    expect(report.components.loop).toEqual({
      status: 'disabled',
      detail: 'AIS_LOOP_ENABLED=false',
    });
    expect(report.components.db.status).toBe('down');
    expect(report.components.db.detail).not.toContain('abc123secret');
  });

  test('orders still to cancel: the kill switch is not yet effective on the exchange', async () => {
    const report = await createWorkerHealth(
      sources({ exchange: { name: 'paper', breakers: () => [], pendingCancels: () => 3 } }),
    )();
    expect(report.kill_switch).toMatchObject({ effective_on_exchange: false, pending_cancels: 3 });
    expect(report.components.exchange.status).toBe('degraded');
  });

  test("the user-data stream's down age follows the monotonic clock, not a wall-clock step", async () => {
    const T = 1_764_000_000_000;
    const HOUR = 3_600_000;
    const health = (wallMs: number, monoMs: number) =>
      createWorkerHealth(
        sources({
          exchange: {
            name: 'aster',
            breakers: () => [],
            pendingCancels: () => 0,
            stream: {
              status: () => ({ connected: false, sinceMs: T, error: 'closed' }),
              pollMs: 5_000,
            },
          },
          nowMs: () => wallMs,
          monoMs: () => monoMs,
        }),
      )();
    // Down 10 s, the wall clock an hour ahead: within the grace, not an hour-long outage.
    const ahead = await health(T + 10_000 + HOUR, T + 10_000);
    expect(ahead.components.exchange.status).toBe('ok');
    expect(ahead.components.exchange.detail).toContain('user-data stream down for 10 s');
    // Down 2 min, the wall clock an hour behind: degraded, not hidden by a negative age.
    const behind = await health(T + 120_000 - HOUR, T + 120_000);
    expect(behind.components.exchange.status).toBe('degraded');
    expect(behind.components.exchange.detail).toContain('user-data stream down for 120 s');
  });
});
