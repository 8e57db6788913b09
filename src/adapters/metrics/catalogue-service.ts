// The service's metrics: circuit breakers, rate limiters, reconciliation, alerts, records, HTTP,
// identity (names, types, labels and HELP texts as the AIS catalogue has them).
import { type MetricMakers } from './metric-makers.ts';

/** Circuit breakers. */
const circuitBreakersMetrics = ({ gauge, counter }: MetricMakers) => ({
  breakerState: gauge(
    'ais_circuit_breaker_state',
    'Circuit breaker state: 0 closed, 1 half_open, 2 open.',
    ['breaker'],
  ),
  breakerFailures: counter(
    'ais_circuit_breaker_failures_total',
    'Calls through a breaker that failed.',
    ['breaker'],
  ),
  breakerSuccesses: counter(
    'ais_circuit_breaker_successes_total',
    'Calls through a breaker that succeeded.',
    ['breaker'],
  ),
  breakerRejections: counter(
    'ais_circuit_breaker_rejections_total',
    'Calls a breaker refused without trying.',
    ['breaker'],
  ),
  breakerTransitions: counter('ais_circuit_breaker_transitions_total', 'Breaker state changes.', [
    'breaker',
    'from_state',
    'to_state',
  ]),
});

/** Rate limiters. */
const rateLimitersMetrics = ({ gauge, counter }: MetricMakers) => ({
  limiterTokens: gauge('ais_rate_limiter_tokens', 'Tokens available in a rate limiter bucket.', [
    'limiter',
  ]),
  limiterThrottled: counter(
    'ais_rate_limiter_throttled_total',
    'Acquires a rate limiter refused.',
    ['limiter'],
  ),
});

/** Reconciliation. */
const reconciliationMetrics = ({ gauge, counter, histogram }: MetricMakers) => ({
  reconciliationRuns: counter(
    'ais_reconciliation_runs_total',
    'Reconciliation runs, by outcome (passed, failed, error, deferred).',
    ['status'],
  ),
  reconciliationMismatches: gauge(
    'ais_reconciliation_mismatches',
    'Non-matching results in the last reconciliation, by check type.',
    ['check_type'],
  ),
  reconciliationLastRun: gauge(
    'ais_reconciliation_last_run_timestamp_seconds',
    'Unix time in seconds of the last reconciliation run.',
  ),
  reconciliationDuration: histogram(
    'ais_reconciliation_duration_seconds',
    'Duration of a reconciliation run.',
  ),
});

/** Alerts. */
const alertsMetrics = ({ counter }: MetricMakers) => ({
  alertsReceived: counter('ais_alerts_received_total', 'Alerts received from Alertmanager.', [
    'alertname',
    'severity',
    'status',
  ]),
  alertDuplicates: counter(
    'ais_alerts_duplicate_total',
    'Alertmanager alerts received again with the same fingerprint, status and start within the dedup window (AIS_ALERT_DEDUP_MS): not stored, counted or sent again.',
    ['alertname'],
  ),
  alertNotifications: counter(
    'ais_alert_notifications_total',
    'Alert fan-out by channel and outcome: messages sent or failed (one per alert group), alerts skipped (below the minimum severity), coalesced (a newer status replaced a waiting one) or dropped (queue full, or given up after 3 attempts).',
    ['channel', 'outcome'],
  ),
});

/** Records. */
const recordsMetrics = ({ gauge, counter, histogram }: MetricMakers) => ({
  eventAppends: counter(
    'ais_event_store_appends_total',
    'Events made durable in the event store, by type.',
    ['type'],
  ),
  eventFlush: histogram(
    'ais_event_store_flush_seconds',
    'Duration of one group-commit flush of the event store.',
  ),
  eventStoreBytes: gauge(
    'ais_event_store_bytes',
    'Size of the local event store on disk (database file + WAL), in bytes.',
  ),
  eventStoreDiskFree: gauge(
    'ais_event_store_disk_free_bytes',
    'Free bytes on the file system holding the local event store.',
  ),
  eventStoreEvents: gauge('ais_event_store_events', 'Events held in the event store, by type.', [
    'type',
  ]),
  eventsPruned: counter(
    'ais_event_store_pruned_total',
    'Events deleted by retention (AIS_RETENTION_DAYS), by type.',
    ['type'],
  ),
  clockStep: gauge(
    'ais_clock_step_seconds',
    'Unexplained step of the wall clock against the monotonic clock, in seconds (+ forward, - backward); 0 when within AIS_CLOCK_STEP_TOLERANCE_MS. While not 0, retention does not prune.',
  ),
  clockSteps: counter(
    'ais_clock_steps_total',
    'Steps of the wall clock beyond the tolerance, by direction (forward, backward).',
    ['direction'],
  ),
  decisionLines: counter(
    'ais_decision_log_lines_total',
    'Lines written to the decision audit trail.',
  ),
  decisionLogFailures: counter(
    'ais_decision_log_failures_total',
    'Writes of decision trail lines that failed after their rows were committed (the decisions stand; the trail misses them).',
  ),
});

/** HTTP. */
const httpMetrics = ({ counter, histogram }: MetricMakers) => ({
  httpRequests: counter(
    'ais_http_requests_total',
    'HTTP requests, by method, route pattern and status.',
    ['method', 'route', 'status'],
  ),
  httpDuration: histogram(
    'ais_http_request_duration_seconds',
    'HTTP request duration, by method and route pattern.',
    ['method', 'route'],
  ),
});

/** Identity. */
const identityMetrics = ({ gauge }: MetricMakers) => ({
  buildInfo: gauge('ais_build_info', 'Always 1; labels name the version, runtime and instance.', [
    'version',
    'runtime',
    'instance',
  ]),
});

/** Every service metric, registered in this order. */
export const serviceMetrics = (m: MetricMakers) => ({
  ...circuitBreakersMetrics(m),
  ...rateLimitersMetrics(m),
  ...reconciliationMetrics(m),
  ...alertsMetrics(m),
  ...recordsMetrics(m),
  ...httpMetrics(m),
  ...identityMetrics(m),
});
