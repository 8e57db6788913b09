// The running worker as the start-up files see it: its fetch handler, the start-up line, SIGHUP's
// trail reopen, and close(), which stops the parts in order (schedules first, then the loop and
// its final snapshot, queued alerts, retention, the store, the log's last lines).
import type { Logger } from '../adapters/logging/logger.ts';
import type { LibsqlEventStore } from '../adapters/store/libsql/event-store.ts';
import type { Config } from '../config/config.ts';
import { redactUrl } from '../domain/redaction/redact.ts';
import type { AppDeps } from '../http/deps.ts';
import type { TradingDeps } from './build-trading.ts';
import type { UserStream } from './build-user-stream.ts';

export interface Worker {
  config: Readonly<Config>;
  logger: Logger;
  fetch: (req: Request) => Response | Promise<Response>;
  deps: AppDeps;
  /** The trading side as built (exchange, market in paper mode, executor, loop): drills and tests. */
  trading: TradingDeps;
  /** Logs the start-up line once the server listens. */
  listening(port: number): void;
  /** SIGHUP: reopens the decision trail at its path (after logrotate or `mv`); never throws. */
  reopenLogs(): Promise<void>;
  /** Ends long-lived answers (the console's event streams) before the server stops; close() does too. */
  stopping(): void;
  /** Flushes and closes every adapter; idempotent. */
  close(): Promise<void>;
}

/** The parts close() stops, in its order. */
interface StoppableParts {
  /** AppDeps.console.shutdown's controller: aborted by stopping() and close(). */
  stopping: AbortController;
  stopControlSync: () => void;
  reconciliation: { stop(): void };
  trading: TradingDeps;
  symbolRules: { stop(): void };
  userStream?: Pick<UserStream, 'stop'>;
  alerts: { drain(ms: number): Promise<unknown> };
  retention: { stop(): Promise<unknown> };
}

interface WorkerHandleInput {
  runtime: string;
  /** performance.now() when the build began. */
  startedMs: number;
  deps: AppDeps;
  /** The store with its decision trail (reopened on SIGHUP). */
  store: LibsqlEventStore;
  fetch: Worker['fetch'];
  /** The `ais.main` logger. */
  log: Logger;
  parts: StoppableParts;
}

/** Waits until the destination wrote the last lines, at most 2 s (a stuck stdout must not keep a stopping worker alive). */
const flushed = (logger: Logger) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, 2_000);
    logger.flush(() => {
      clearTimeout(timer);
      resolve();
    });
  });

async function stopParts(p: StoppableParts, d: AppDeps, log: Logger) {
  p.stopControlSync();
  p.reconciliation.stop();
  p.trading.protection.stop();
  p.symbolRules.stop();
  await p.userStream?.stop();
  await p.trading.loop.stop();
  await p.trading.coordinator
    .snapshot()
    .catch((e) => log.warn({ err: e }, 'Could not store the final portfolio snapshot'));
  // Queued notifications get up to 5 s (one channel timeout) to go out; the rest are dropped.
  await p.alerts.drain(5_000);
  await p.retention.stop();
  await d.store.close().catch(() => undefined);
  log.info({}, 'Worker stopped');
  // The start-up file exits the process right after close(): the last lines must be out.
  await flushed(d.logger);
}

export function workerHandle(w: WorkerHandleInput): Worker {
  const { config } = w.deps;
  const store = w.store;
  let closing: Promise<void> | undefined;
  return {
    config,
    logger: w.deps.logger,
    deps: w.deps,
    trading: w.parts.trading,
    fetch: w.fetch,
    listening(port) {
      w.log.info(
        {
          runtime: w.runtime,
          port,
          exchange: config.exchange,
          db: redactUrl(config.db.url),
          startup_ms: Math.round(performance.now() - w.startedMs),
        },
        'Worker listening',
      );
    },
    async reopenLogs() {
      try {
        if (!store.trail) return;
        await store.trail.reopen();
        w.log.info({ path: config.decisionLogPath }, 'Reopened the decision trail (SIGHUP)');
      } catch (e) {
        w.log.error(
          { path: config.decisionLogPath, err: e },
          'Could not reopen the decision trail',
        );
      }
    },
    stopping: () => w.parts.stopping.abort(),
    close: () => (w.parts.stopping.abort(), (closing ??= stopParts(w.parts, w.deps, w.log))),
  };
}
