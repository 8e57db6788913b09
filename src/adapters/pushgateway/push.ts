// Pushes metrics to a Prometheus Pushgateway (backtest summaries, batch jobs): PUT replaces the
// group `/metrics/job/<job>/<label>/<value>...`, POST replaces only the pushed metric names.
// Prometheus scrapes the gateway with honor_labels: true, so job and run_id survive the scrape.
import type { Registry } from 'prom-client';
import { AisError } from '../../domain/errors.ts';
import { type CallGuard, unguarded } from '../../ports/resilience.ts';
import { messageOf } from '../../domain/error-message.mjs';

interface PushTarget {
  /** The gateway's base URL, e.g. http://pushgateway:9091 (AIS_PUSHGATEWAY_URL). */
  url: string;
  job: string;
  /** Further grouping labels, e.g. { run_id: 'bt-2026-01-02-1' }; order is kept in the path. */
  groupingKey?: Record<string, string>;
  /** Protects the call (a breaker for service `pushgateway`); none by default. */
  guard?: CallGuard;
  timeoutMs?: number;
}

type PushOptions = PushTarget &
  ({ registry: Registry; text?: never } | { text: string; registry?: never }) & {
    /** PUT (default) replaces the whole group; POST replaces only the metric names pushed. */
    method?: 'PUT' | 'POST';
  };

/** A push that failed or was never sent (bad grouping key); `status` the gateway's answer when there was one. `code` pushgateway_failed. */
export class PushgatewayError extends AisError {
  constructor(
    message: string,
    readonly status?: number,
    options?: { cause?: unknown },
  ) {
    super('pushgateway_failed', message, options);
  }
}

const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const TEXT_FORMAT = 'text/plain; version=0.0.4; charset=utf-8';
/** A gateway on the same network answers in milliseconds; a summary is a few KiB. */
const DEFAULT_TIMEOUT_MS = 10_000;

/** One path segment pair; values that are empty or hold a `/` go base64url-encoded (`@base64`). */
function segment(name: string, value: string): string {
  if (!LABEL_NAME.test(name))
    throw new PushgatewayError(`invalid grouping label name ${JSON.stringify(name)}`);
  if (value === '') return `${name}@base64/=`;
  if (value.includes('/'))
    return `${name}@base64/${Buffer.from(value, 'utf8').toString('base64url')}`;
  return `${name}/${encodeURIComponent(value)}`;
}

/** The group's URL: `${url}/metrics/job/<job>/<label>/<value>...`. */
export function groupUrl(t: Pick<PushTarget, 'url' | 'job' | 'groupingKey'>): string {
  if (!t.job) throw new PushgatewayError('job must not be empty');
  const parts = [
    segment('job', t.job),
    ...Object.entries(t.groupingKey ?? {}).map(([k, v]) => segment(k, v)),
  ];
  return `${t.url.replace(/\/+$/, '')}/metrics/${parts.join('/')}`;
}

async function call(t: PushTarget, method: string, body?: string): Promise<void> {
  const url = groupUrl(t);
  const guard = t.guard ?? unguarded;
  await guard('pushgateway', async () => {
    let res: Response;
    try {
      res = await fetch(url, {
        method,
        headers: body === undefined ? undefined : { 'Content-Type': TEXT_FORMAT },
        body,
        signal: AbortSignal.timeout(t.timeoutMs ?? DEFAULT_TIMEOUT_MS),
      });
    } catch (e) {
      throw new PushgatewayError(
        `Pushgateway unreachable at ${new URL(url).origin}: ${messageOf(e)}`,
        undefined,
        { cause: e },
      );
    }
    const text = await res.text().catch(() => '');
    if (!res.ok)
      throw new PushgatewayError(
        `Pushgateway answered ${res.status} to ${method} ${new URL(url).pathname}: ${text.trim().slice(0, 300)}`,
        res.status,
      );
  });
}

/** Pushes a prom-client registry or exposition text to the group; rejects with PushgatewayError. */
export async function pushMetrics(opts: PushOptions): Promise<void> {
  let text = opts.registry ? await opts.registry.metrics() : opts.text!;
  // The gateway's text parser needs the last line terminated.
  if (!text.endsWith('\n')) text += '\n';
  await call(opts, opts.method ?? 'PUT', text);
}

/** Deletes the whole group (e.g. a finished run's metrics). */
export async function deleteMetrics(target: PushTarget): Promise<void> {
  await call(target, 'DELETE');
}
