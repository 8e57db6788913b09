// Health checks of the database shared by the VPS and the edge builders: a check with a deadline,
// and whether writes are getting through.
import type { ComponentHealth } from '../domain/health/health.ts';
import type { EventStore } from '../ports/event-store.ts';
import { messageOf } from '../domain/error-message.mjs';

/** Async checks must answer within this time or count as down. */
const CHECK_TIMEOUT_MS = 2_000;

/** Runs one component check; no answer within 2 s or a throw is `down` with the reason. */
export async function check(fn: () => Promise<ComponentHealth>): Promise<ComponentHealth> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<ComponentHealth>((resolve) => {
    timer = setTimeout(
      () => resolve({ status: 'down', detail: `no answer within ${CHECK_TIMEOUT_MS} ms` }),
      CHECK_TIMEOUT_MS,
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

/** The database answers reads, but are writes getting through? A flush waiting over a second or a recent failure says no. */
export function storeWriteHealth(store: EventStore, now: number): ComponentHealth {
  const w = store.writeHealth(now);
  if (w.flushingForMs > 1_000)
    return {
      status: 'degraded',
      detail: `a write has waited ${Math.round(w.flushingForMs)} ms (database locked or slow)`,
    };
  if (w.lastFailure && now - w.lastFailure.timeMs < 30_000)
    return {
      status: 'degraded',
      detail: `a write failed ${Math.round((now - w.lastFailure.timeMs) / 1000)} s ago: ${w.lastFailure.message}`,
    };
  return { status: 'ok' };
}
