import { describe, expect, test } from 'bun:test';
import {
  checkWithin,
  exchangeHealth,
  protectionHealth,
  storeWriteHealth,
  withStreamHealth,
} from '../../../src/domain/health/component-checks.ts';

describe('checkWithin', () => {
  test('answers the check, down with the message when it rejects, down when it is too slow', async () => {
    expect(await checkWithin(async () => ({ status: 'ok' }))).toEqual({ status: 'ok' });
    expect(await checkWithin(() => Promise.reject(new Error('no such table')))).toEqual({
      status: 'down',
      detail: 'no such table',
    });
    const never = () => new Promise<never>(() => undefined);
    expect(await checkWithin(never, 20)).toEqual({
      status: 'down',
      detail: 'no answer within 20 ms',
    });
  });
});

describe('exchangeHealth', () => {
  test("degraded while any of the exchange's own breakers is not closed", () => {
    const breakers = [
      { name: 'aster.orders', state: 'open' },
      { name: 'aster.market', state: 'closed' },
      { name: 'slack', state: 'open' },
    ];
    expect(exchangeHealth(breakers, 'aster')).toEqual({
      status: 'degraded',
      detail: 'aster.orders open',
    });
    expect(exchangeHealth(breakers.slice(1), 'aster')).toEqual({ status: 'ok', detail: 'aster' });
  });
});

describe('protectionHealth', () => {
  test('degraded while the kill switch has orders still to cancel', () => {
    expect(protectionHealth({ status: 'ok', detail: 'paper' }, 0)).toEqual({
      status: 'ok',
      detail: 'paper',
    });
    expect(protectionHealth({ status: 'ok', detail: 'paper' }, 2)).toEqual({
      status: 'degraded',
      detail: 'kill switch not yet effective: 2 open order(s) still to cancel',
    });
    expect(protectionHealth({ status: 'degraded', detail: 'aster.orders open' }, 1).detail).toBe(
      'aster.orders open; kill switch not yet effective: 1 open order(s) still to cancel',
    );
  });
});

describe('storeWriteHealth', () => {
  const store = (flushingForMs: number, failedAtMs?: number) => ({
    writeHealth: () => ({
      flushingForMs,
      lastFailure: failedAtMs === undefined ? undefined : { timeMs: failedAtMs, message: 'locked' },
    }),
  });
  test('degraded by a flush waiting over a second or a failure in the last 30 s', () => {
    expect(storeWriteHealth(store(1_000), 0)).toEqual({ status: 'ok' });
    expect(storeWriteHealth(store(1_001), 0).status).toBe('degraded');
    expect(storeWriteHealth(store(0, 100_000), 129_999)).toEqual({
      status: 'degraded',
      detail: 'a write failed 30 s ago: locked',
    });
    expect(storeWriteHealth(store(0, 100_000), 130_000)).toEqual({ status: 'ok' });
  });
});

describe('withStreamHealth', () => {
  const exchange = { status: 'ok', detail: 'aster' } as const;
  test('a stream down for under a minute is a note, past a minute degraded', () => {
    expect(withStreamHealth(exchange, undefined, 0, 10_000)).toBe(exchange);
    expect(withStreamHealth(exchange, { connected: true, sinceMs: 0 }, 5, 10_000).detail).toBe(
      'aster; user-data stream connected',
    );
    const down = { connected: false, sinceMs: 0, error: 'closed' };
    expect(withStreamHealth(exchange, down, 59_000, 10_000)).toEqual({
      status: 'ok',
      detail: 'aster; user-data stream down for 59 s (closed); polling trades every 10 s',
    });
    expect(withStreamHealth(exchange, down, 60_000, 10_000)).toEqual({
      status: 'degraded',
      detail: 'user-data stream down for 60 s (closed); polling trades every 10 s',
    });
  });
});
