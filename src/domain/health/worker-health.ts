// GET /health of a running worker: each component checked (component-checks.ts), summarised with
// the trading state and the kill switch's reach on the exchange (health.ts), error messages
// redacted (a detail may quote a remote database's URL with its token).
import type { EventStore } from '../../ports/event-store.ts';
import { redactDeep } from '../redaction/redact.ts';
import { reconciliationHealth } from '../reconciliation/health.ts';
import type { ReconciliationReport } from '../reconciliation/report.ts';
import { type ControlState, killSwitchView } from '../risk/trading-control.ts';
import type { SymbolHolds } from '../risk/symbol-holds.ts';
import {
  type BreakerView,
  checkWithin,
  exchangeHealth,
  protectionHealth,
  storeWriteHealth,
  type StreamView,
  withStreamHealth,
} from './component-checks.ts';
import { type ComponentHealth, type HealthReport, summariseHealth } from './health.ts';

/** What the health answer reads, grouped by component. */
export interface WorkerHealthSources {
  store: Pick<EventStore, 'ping' | 'writeHealth'>;
  exchange: {
    name: string;
    breakers: () => readonly BreakerView[];
    /** Orders the kill switch still has to cancel. */
    pendingCancels: () => number;
    /** The user-data stream, when the exchange has one; `pollMs` is its polling fallback. */
    stream?: { status: () => StreamView; pollMs: number };
  };
  /** The WASM core's kind (wasm or reference). */
  coreKind: string;
  /** The trading loop's health; absent when the loop is disabled. */
  loop?: () => ComponentHealth;
  /** The latest report, ms since it started (monotonic), and the interval between runs. */
  reconciliation: {
    latest: () => ReconciliationReport | undefined;
    ageMs: () => number | undefined;
    intervalMs: number;
  };
  control: () => ControlState;
  /** Symbols whose trading is stopped on their own (after a liquidation, ...). */
  holds?: () => SymbolHolds;
  /** Wall clock (ms): the store's write-failure age (its failures are stamped on it). */
  nowMs: () => number;
  /** Monotonic clock (ms, epoch scale): the user-data stream's down / silent ages. */
  monoMs: () => number;
}

/** `symbols`: degraded while any symbol is held, naming each with its state and cause. */
export function holdsHealth(holds: SymbolHolds): ComponentHealth {
  const held = Object.entries(holds);
  if (held.length === 0) return { status: 'ok', detail: 'no symbol held' };
  return {
    status: 'degraded',
    detail: held
      .map(([symbol, h]) => `${symbol} ${h.state} after ${h.cause}: ${h.reason}`)
      .join('; '),
  };
}

/** Returns GET /health's answer, built fresh on each call. */
export function createWorkerHealth(s: WorkerHealthSources): () => Promise<HealthReport> {
  return async () => {
    const now = s.nowMs();
    const db = await checkWithin(
      async () => (await s.store.ping(), storeWriteHealth(s.store, now)),
    );
    const pending = s.exchange.pendingCancels();
    const exchange = withStreamHealth(
      protectionHealth(exchangeHealth(s.exchange.breakers(), s.exchange.name), pending),
      s.exchange.stream?.status(),
      s.monoMs(),
      s.exchange.stream?.pollMs ?? 0,
    );
    const control = s.control();
    const components = {
      db,
      exchange,
      wasm: { status: 'ok', detail: s.coreKind } as const,
      loop: s.loop?.() ?? { status: 'disabled' as const, detail: 'AIS_LOOP_ENABLED=false' },
      reconciliation: reconciliationHealth(
        s.reconciliation.latest(),
        s.reconciliation.ageMs() ?? 0,
        s.reconciliation.intervalMs,
      ),
      // Present where symbols can be held (a worker built with holds).
      ...(s.holds ? { symbols: holdsHealth(s.holds()) } : {}),
    };
    return redactDeep(
      summariseHealth(components, control.tradingState, {
        ...killSwitchView(control),
        effective_on_exchange: pending === 0,
        pending_cancels: pending,
      }),
    );
  };
}
