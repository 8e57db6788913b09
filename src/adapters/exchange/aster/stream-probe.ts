// Asks the stream host whether it answers, without changing anything on the account: opens
// `<ASTER_WS_URL>/ws` (a raw connection with no stream) and sends LIST_SUBSCRIPTIONS, which a live
// Aster stream server answers with `{"result": [], "id": 1}` (v3.md "Websocket Market Streams",
// "Listing Subscriptions"). No listen key is created: POST listenKey creates one (or extends the
// running worker's by 60 minutes), a change, if a small one, to the account's stream session.
// With `listenKey` (npm run preflight -- --listen-key) the probe opens `/ws/<listenKey>` instead:
// the user-data stream itself, as the worker will (the caller obtained the key and never deletes it:
// a running worker on the same account shares the same key).
import { messageOf } from '../../../domain/error-message.mjs';
import { ExchangeError, type ExchangeErrorKind } from '../../../ports/exchange.ts';

export interface StreamProbeOptions {
  /** The WebSocket base (ASTER_WS_URL). */
  wsUrl: string;
  /** Open the user-data stream of this key instead of asking a bare connection. */
  listenKey?: string;
  timeoutMs: number;
  /** The WebSocket constructor; the runtime's global by default (tests map hosts to loopback). */
  WebSocket?: typeof WebSocket;
  /** A monotonic clock (ms) for the time it took. */
  monoMs: () => number;
}

/** What the probe saw: `confirmed` when the server answered as the docs show (or, with a listen
 *  key, the user-data stream opened); false when it connected but did not answer as expected. */
export interface StreamProbeResult {
  detail: string;
  confirmed: boolean;
}

/**
 * Connects and asks (see above). Resolves once the connection opened: `confirmed` with the docs'
 * answer, unconfirmed (and why) when the server closed, answered otherwise or stayed silent for
 * `timeoutMs` (a reachable host whose bare connection we read differently from the exchange is
 * not a reason to stop). Rejects with an ExchangeError (operation stream_probe) when no connection
 * opened: `unavailable` (refused, failed, closed before opening) or `timeout`.
 */
export function probeStream(o: StreamProbeOptions): Promise<StreamProbeResult> {
  const WS = o.WebSocket ?? (globalThis as { WebSocket?: typeof WebSocket }).WebSocket;
  const fail = (kind: ExchangeErrorKind, message: string) =>
    new ExchangeError(kind, message, { operation: 'stream_probe' });
  if (!WS) return Promise.reject(fail('unavailable', 'this runtime has no WebSocket'));
  const base = o.wsUrl.replace(/\/+$/, '');
  const url = o.listenKey ? `${base}/ws/${encodeURIComponent(o.listenKey)}` : `${base}/ws`;
  const started = o.monoMs();
  return new Promise((resolve, reject) => {
    let opened = false;
    let ws: WebSocket | undefined;
    const ms = () => `${Math.round(o.monoMs() - started)} ms`;
    const finish = (outcome: ExchangeError | StreamProbeResult) => {
      if (timer === undefined) return;
      clearTimeout(timer);
      timer = undefined;
      ws?.close();
      if (outcome instanceof ExchangeError) reject(outcome);
      else resolve(outcome);
    };
    const unconfirmed = (why: string) =>
      finish({ detail: `connected in ${ms()}, but ${why}`, confirmed: false });
    let timer: ReturnType<typeof setTimeout> | undefined = setTimeout(() => {
      if (opened) unconfirmed(`no answer to LIST_SUBSCRIPTIONS within ${o.timeoutMs} ms`);
      else finish(fail('timeout', `no connection within ${o.timeoutMs} ms`));
    }, o.timeoutMs);
    try {
      ws = new WS(url);
    } catch (e) {
      return finish(fail('unavailable', `cannot open ${url}: ${messageOf(e)}`));
    }
    ws.onopen = () => {
      opened = true;
      if (o.listenKey)
        return finish({
          detail: `user-data stream opened with a listen key in ${ms()}`,
          confirmed: true,
        });
      ws!.send(JSON.stringify({ method: 'LIST_SUBSCRIPTIONS', id: 1 }));
    };
    ws.onmessage = (m) => {
      const text = String(m.data);
      if (isEmptyListAnswer(text))
        finish({ detail: `answered LIST_SUBSCRIPTIONS in ${ms()}`, confirmed: true });
      else unconfirmed(`it answered LIST_SUBSCRIPTIONS off the docs: ${text.slice(0, 80)}`);
    };
    ws.onerror = () => {
      if (!opened) finish(fail('unavailable', `connection to ${url} failed`));
    };
    ws.onclose = (e) => {
      const how = `${e.code}${e.reason ? ` ${e.reason}` : ''}`;
      if (opened) unconfirmed(`the server closed it (${how}) without answering LIST_SUBSCRIPTIONS`);
      else finish(fail('unavailable', `closed by the server before opening (${how})`));
    };
  });
}

/** `{"result": [...], "id": 1}`, the docs' answer to our LIST_SUBSCRIPTIONS. */
function isEmptyListAnswer(text: string): boolean {
  try {
    const a = JSON.parse(text) as { id?: unknown; result?: unknown } | null;
    return a?.id === 1 && Array.isArray(a.result);
  } catch {
    return false;
  }
}
