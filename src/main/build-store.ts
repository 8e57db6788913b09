// Builds the event store with its trail and retention, and logs what opening it found (a torn
// trail tail cut, a one-time VACUUM). A remote database is called through its breaker
// (libsql.remote); the registry that holds the breaker records into this very store, so the guard
// is bound once both exist (`bindGuard`).
import { componentLogger, type Logger } from '../adapters/logging/logger.ts';
import {
  createLibsqlEventStore,
  type LibsqlEventStore,
} from '../adapters/store/libsql/event-store.ts';
import type { LogPort } from '../ports/log.ts';
import { startRetention } from '../adapters/store/retention.ts';
import { startClockWatch } from '../adapters/clock/clock-watch.ts';
import type { Clocks } from '../ports/clock.ts';
import { type Config, STORE_DECISION_LOG } from '../config/config.ts';
import { isTrailType } from '../domain/records/trail.ts';
import type { EventType } from '../ports/event-store.ts';
import type { Metrics } from '../ports/metrics.ts';
import { type CallGuard, unguarded } from '../ports/resilience.ts';

/** Counts each flush's events by type into the metrics (appended, and decisions logged). */
function countFlush(metrics: Metrics) {
  return (events: readonly { type: EventType }[], seconds: number) => {
    metrics.eventStoreFlush(seconds);
    const byType = new Map<EventType, number>();
    for (const e of events) byType.set(e.type, (byType.get(e.type) ?? 0) + 1);
    for (const [type, n] of byType) {
      metrics.eventsAppended(type, n);
      if (isTrailType(type)) metrics.decisionLogged(n);
    }
  };
}

/** What opening the store found: a torn trail tail cut, a one-time VACUUM done or not. */
function reportOpening(store: LibsqlEventStore, trailPath: string, log: LogPort) {
  if (store.trail && store.trail.repairedBytes > 0)
    log.warn(
      { path: trailPath, bytes: store.trail.repairedBytes },
      'Cut a torn tail from the decision log',
    );
  if (store.maintenance.vacuumAtOpen === 'vacuumed')
    log.info(
      {},
      'Database rewritten once (VACUUM) so that retention can give space back (auto_vacuum=INCREMENTAL)',
    );
  if (store.maintenance.vacuumAtOpen === 'vacuum_failed')
    log.warn(
      {},
      'Could not rewrite the database (VACUUM: locked by another worker or no room); retention deletes, but the file shrinks only after a later start',
    );
}

/** The row is the record: a decision stands when only its trail line failed; ERROR and a metric say so. */
const trailFailureReport = (metrics: Metrics, log: Logger) => (err: Error) => {
  metrics.decisionLogFailed();
  log.error({ err }, 'Decision trail write failed after the commit');
};

/** The store, its retention and the clock watch that suspends retention on a wall-clock step. */
export async function buildStore(
  config: Readonly<Config>,
  logger: Logger,
  metrics: Metrics,
  clocks: Clocks,
) {
  const nowMs = clocks.wallMs;
  const log = componentLogger(logger, 'ais.main');
  let guard: CallGuard = unguarded;
  let coolDownLeftMs = () => 0;
  // A row that no longer parses as its type is skipped by reads (never a crash at start-up): say so, with a running count.
  const storeLog = componentLogger(logger, 'ais.store');
  let malformedRows = 0;
  const store = await createLibsqlEventStore({
    onMalformed: (m) =>
      storeLog.warn(
        { ...m, skipped_total: ++malformedRows },
        'Stored event skipped: its payload does not parse as its type',
      ),
    url: config.db.url,
    authToken: config.db.authToken,
    nowMs,
    remote: {
      guard: (service, fn) => guard(service, fn),
      deadlineMs: config.db.timeoutMs,
      coolDownLeftMs: () => coolDownLeftMs(),
    },
    onTrailFailure: trailFailureReport(metrics, storeLog),
    // The decision trail: a JSONL file projected from the store's decision rows, or those rows alone (store:).
    trail:
      config.decisionLogPath === STORE_DECISION_LOG
        ? undefined
        : { path: config.decisionLogPath, ...config.decisionLogRotation },
    onFlush: countFlush(metrics),
  });
  reportOpening(store, config.decisionLogPath, log);
  // A step of the wall clock is logged, exported and suspends retention until explained.
  const clockWatch = startClockWatch({
    clocks,
    toleranceMs: config.clockStepToleranceMs,
    metrics,
    log: componentLogger(logger, 'ais.clock'),
  });
  const pruning = startRetention({
    maintenance: store.maintenance,
    days: config.retentionDays,
    metrics,
    log: componentLogger(logger, 'ais.store.retention'),
    nowMs,
    newestStoredMs: async () => (await store.query({ newestFirst: true, limit: 1 }))[0]?.timeMs,
    clockStepMs: () => clockWatch.check(),
    intervalMs: config.retentionIntervalMs,
  });
  const retention = {
    ...pruning,
    stop: () => (clockWatch.stop(), pruning.stop()),
  };
  /** Binds the breaker guard, and the remaining cool-down of libsql.remote's breaker (ms) that a 503 tells. */
  const bindGuard = (g: CallGuard, coolDown: () => number) => {
    guard = g;
    coolDownLeftMs = coolDown;
  };
  return { store, retention, clockWatch, bindGuard };
}
