// The checks behind GET /health's components, each a pure function of what its component reports:
// a database that answers reads but not writes, an exchange behind open breakers, a kill switch
// with orders still to cancel, a user-data stream that has been down for a minute.
import type { EventStore } from '../../ports/event-store.ts';
import { messageOf } from '../error-message.mjs';
import type { ComponentHealth } from './health.ts';

/** Async checks must answer within this time or count as down. */
export const CHECK_TIMEOUT_MS = 2_000;
/** A flush waiting longer than this says writes are not getting through. */
const SLOW_FLUSH_MS = 1_000;
/** A write failure this recent keeps the database degraded. */
const RECENT_FAILURE_MS = 30_000;
/** /health calls the stream's absence degraded after this long (a reconnect takes seconds). */
const STREAM_DOWN_GRACE_MS = 60_000;

/** Runs an async check: `down` with the error's message when it rejects or does not answer in time. */
export async function checkWithin(
  fn: () => Promise<ComponentHealth>,
  timeoutMs = CHECK_TIMEOUT_MS,
): Promise<ComponentHealth> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<ComponentHealth>((resolve) => {
    timer = setTimeout(
      () => resolve({ status: 'down', detail: `no answer within ${timeoutMs} ms` }),
      timeoutMs,
    );
  });
  try {
    return await Promise.race([fn(), timeout]);
  } catch (e) {
    return { status: 'down', detail: messageOf(e) };
  } finally {
    clearTimeout(timer);
  }
}

/** A breaker's name and state, as the resilience registry reports it. */
export interface BreakerView {
  name: string;
  state: string;
}

/** The exchange is degraded while any of its breakers (`<name>.…`) is open or probing. */
export function exchangeHealth(breakers: readonly BreakerView[], name: string): ComponentHealth {
  const unwell = breakers.filter((b) => b.name.startsWith(`${name}.`) && b.state !== 'closed');
  return unwell.length
    ? { status: 'degraded', detail: unwell.map((b) => `${b.name} ${b.state}`).join(', ') }
    : { status: 'ok', detail: name };
}

/** While the kill switch still has orders to cancel on the exchange it is not effective there: degraded. */
export function protectionHealth(
  exchange: ComponentHealth,
  pendingCancels: number,
): ComponentHealth {
  if (pendingCancels === 0) return exchange;
  const detail = `kill switch not yet effective: ${pendingCancels} open order(s) still to cancel`;
  return {
    status: 'degraded',
    detail: exchange.status === 'ok' ? detail : `${exchange.detail}; ${detail}`,
  };
}

/** A write refused for a full disk, as the writer names it (adapters/store/libsql/transaction.mjs). */
const DISK_FULL = /disk full|SQLITE_FULL|ENOSPC|database or disk is full|no space left on device/i;

/** The database answers reads, but are writes getting through? A flush waiting over a second or a recent failure says no. */
export function storeWriteHealth(
  store: Pick<EventStore, 'writeHealth'>,
  now: number,
): ComponentHealth {
  const w = store.writeHealth(now);
  if (w.flushingForMs > SLOW_FLUSH_MS)
    return {
      status: 'degraded',
      detail: `a write has waited ${Math.round(w.flushingForMs)} ms (database locked or slow)`,
    };
  if (
    w.lastFailure &&
    now - w.lastFailure.timeMs < RECENT_FAILURE_MS &&
    DISK_FULL.test(w.lastFailure.message)
  )
    return {
      status: 'down',
      detail: `disk full: the last write failed ${Math.round((now - w.lastFailure.timeMs) / 1000)} s ago (${w.lastFailure.message}); free space on the database volume`,
    };
  if (w.lastFailure && now - w.lastFailure.timeMs < RECENT_FAILURE_MS)
    return {
      status: 'degraded',
      detail: `a write failed ${Math.round((now - w.lastFailure.timeMs) / 1000)} s ago: ${w.lastFailure.message}`,
    };
  return { status: 'ok' };
}

/** The user-data stream's state, as its connection reports it. */
export interface StreamView {
  connected: boolean;
  /** When the current state began (epoch ms). */
  sinceMs: number;
  /** Why it is down, when it is. */
  error?: string;
  /** Found silent (REST saw a change it never carried, or its key was gone) and not heard from since. */
  silentSinceMs?: number;
}

/** The exchange component with the stream's state: degraded once it has been down a minute, or while it is silent. */
export function withStreamHealth(
  exchange: ComponentHealth,
  s: StreamView | undefined,
  nowMs: number,
  pollMs: number,
): ComponentHealth {
  if (!s) return exchange;
  if (s.connected && s.silentSinceMs !== undefined) {
    const silentS = Math.round((nowMs - s.silentSinceMs) / 1000);
    const detail = `user-data stream silent for ${silentS} s (it missed a change REST shows; restarted with a new listen key); polling trades every ${pollMs / 1000} s`;
    return {
      status: 'degraded',
      detail: exchange.status === 'ok' ? detail : `${exchange.detail}; ${detail}`,
    };
  }
  if (s.connected)
    return { ...exchange, detail: `${exchange.detail ?? ''}; user-data stream connected` };
  const downS = Math.round((nowMs - s.sinceMs) / 1000);
  const detail = `user-data stream down for ${downS} s (${s.error ?? 'connecting'}); polling trades every ${pollMs / 1000} s`;
  if (nowMs - s.sinceMs < STREAM_DOWN_GRACE_MS)
    return { ...exchange, detail: `${exchange.detail ?? ''}; ${detail}` };
  return {
    status: 'degraded',
    detail: exchange.status === 'ok' ? detail : `${exchange.detail}; ${detail}`,
  };
}
