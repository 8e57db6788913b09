// The real-time account (issue 11): the user-data stream's connection (adapter) feeding the
// account stream (domain), with the polling fallback (stream-catch-up.ts: while the stream is down,
// the account's trades are polled; after a reconnect they are read once from when it was lost).
// The listen key's REST calls go through the `aster.user_stream` breaker.
import { componentLogger, type Logger } from '../adapters/logging/logger.ts';
import {
  createUserStreamConnection,
  type UserStreamStatus,
} from '../adapters/exchange/user-stream-connection.ts';
import {
  createAccountStream,
  type LiveAccountReactions,
} from '../domain/trading/account-stream.ts';
import { createStreamCatchUp } from '../domain/trading/stream-catch-up.ts';
import { createStreamSilenceDetector } from '../domain/trading/stream-silence.ts';
import type { RiskDeps } from '../http/deps.ts';
import type { AlertSink } from '../ports/alerts.ts';
import type { Metrics } from '../ports/metrics.ts';
import type { CallGuard } from '../ports/resilience.ts';
import type { UserStreamSource } from '../ports/user-stream.ts';
import type { TradingDeps } from './build-trading.ts';

export { USER_STREAM_POLL_MS } from '../domain/trading/stream-catch-up.ts';

/** What the account stream does beyond fills (issue #15), and the stream's liveness settings. */
export type LiveAccountHooks = Omit<LiveAccountReactions, 'silence'> & {
  /** The listen key's probe interval and how long a trade REST shows may go uncarried (ms). Defaults 60 s, 60 s. */
  stream?: { probeMs: number; silenceMs: number };
};

interface UserStreamBuildInput {
  source: UserStreamSource;
  trading: Pick<TradingDeps, 'orders' | 'stops' | 'exchange' | 'symbols'>;
  risk: Pick<RiskDeps, 'control'>;
  alerts: Pick<AlertSink, 'raise'>;
  reconcileNow: () => Promise<unknown>;
  /** The live account's reactions (ledger, settings, forced orders, holds) and the stream's liveness. */
  account?: LiveAccountHooks;
  guard: CallGuard;
  metrics: Metrics;
  logger: Logger;
  /** Wall clock (ms) for the window read back after a gap; monotonic (ms, epoch scale) for the status's ages. */
  clock: { nowMs: () => number; monoMs: () => number };
}

export function buildUserStream(deps: UserStreamBuildInput) {
  const log = componentLogger(deps.logger, 'ais.exchange.stream');
  const silence = createStreamSilenceDetector(deps.account?.stream?.silenceMs ?? 60_000);
  const account = createAccountStream({
    executor: deps.trading.orders.executor,
    ownsStop: (id) => deps.trading.stops?.owns(id) ?? false,
    ourOrders: deps.trading.orders.ourOrders,
    exchange: deps.trading.exchange,
    symbols: () => deps.trading.symbols,
    alerts: deps.alerts,
    control: deps.risk.control,
    reconcileNow: deps.reconcileNow,
    live: { ...deps.account, silence },
    log,
  });
  const guarded = <T>(fn: () => Promise<T>) => deps.guard('aster.user_stream', fn);
  const source: UserStreamSource = {
    ...deps.source,
    createListenKey: () => guarded(() => deps.source.createListenKey()),
    keepAliveListenKey: (k) => guarded(() => deps.source.keepAliveListenKey(k)),
    closeListenKey: (k) => guarded(() => deps.source.closeListenKey(k)),
  };

  const gap = createStreamCatchUp({
    catchUp: (fromMs) => account.catchUp(fromMs),
    serverNowMs: () => deps.trading.exchange.serverNowMs(),
    log,
  });

  const connection = createUserStreamConnection({
    source,
    exchange: deps.trading.exchange.name,
    onEvent: (e) => account.handle(e),
    onConnected(gapSinceMs) {
      silence.connected(deps.trading.exchange.serverNowMs());
      void gap.connected(gapSinceMs);
    },
    onDisconnected() {
      silence.disconnected();
      gap.disconnected();
    },
    metrics: deps.metrics,
    log,
    nowMs: deps.clock.nowMs,
    timing: { keepAliveMs: deps.account?.stream?.probeMs, monoMs: deps.clock.monoMs },
  });

  return {
    account,
    connection,
    start: () => void connection.start(),
    async stop() {
      gap.stop();
      await connection.stop();
    },
    status: (): UserStreamStatus => connection.status(),
    /**
     * Trades read on REST (each reconciliation): one the stream should have carried and did not
     * means it is silent: a new key and connection, and the catch-up reads from that trade on.
     */
    checkSilence(trades: readonly { id: string; timeMs: number }[]) {
      const m = silence.missed(trades, deps.trading.exchange.serverNowMs());
      if (!m) return;
      gap.missed(m.timeMs);
      connection.restart(`trade ${m.id} of ${new Date(m.timeMs).toISOString()} never came`);
    },
  };
}

/** What buildUserStream returns: the stream, started and stopped with the worker. */
export type UserStream = ReturnType<typeof buildUserStream>;
