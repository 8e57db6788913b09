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

/** What the stream host's first message says: LIST_SUBSCRIPTIONS answered as the docs show, or not. */
function readAnswer(data: string): { detail: string } | { problem: string } {
  let answer: { id?: unknown; result?: unknown } | undefined;
  try {
    answer = JSON.parse(data);
  } catch {
    return { problem: `answered something that is not JSON: ${data.slice(0, 80)}` };
  }
  if (answer?.id === 1 && Array.isArray(answer.result))
    return { detail: 'answered LIST_SUBSCRIPTIONS' };
  return { problem: `answered LIST_SUBSCRIPTIONS off the docs: ${data.slice(0, 80)}` };
}

/**
 * Resolves with what answered and how fast; rejects with a one-line ExchangeError (operation
 * stream_probe): `unavailable` when the connection failed or closed, `timeout` when nothing
 * answered in time, `bad_response` when the answer is not what the docs show.
 */
export function probeStream(o: StreamProbeOptions): Promise<{ detail: string }> {
  const WS = o.WebSocket ?? (globalThis as { WebSocket?: typeof WebSocket }).WebSocket;
  const fail = (kind: ExchangeErrorKind, message: string) =>
    new ExchangeError(kind, message, { operation: 'stream_probe' });
  if (!WS) return Promise.reject(fail('unavailable', 'this runtime has no WebSocket'));
  const base = o.wsUrl.replace(/\/+$/, '');
  const url = o.listenKey ? `${base}/ws/${encodeURIComponent(o.listenKey)}` : `${base}/ws`;
  const started = o.monoMs();
  return new Promise((resolve, reject) => {
    let done = false;
    let ws: WebSocket;
    const finish = (error?: ExchangeError, detail?: string) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      ws?.close();
      if (error) reject(error);
      else resolve({ detail: `${detail} in ${Math.round(o.monoMs() - started)} ms` });
    };
    const timer = setTimeout(
      () => finish(fail('timeout', `no answer within ${o.timeoutMs} ms`)),
      o.timeoutMs,
    );
    try {
      ws = new WS(url);
    } catch (e) {
      return finish(fail('unavailable', `cannot open ${url}: ${messageOf(e)}`));
    }
    ws.onopen = () => {
      if (o.listenKey) return finish(undefined, 'user-data stream opened with a listen key');
      ws.send(JSON.stringify({ method: 'LIST_SUBSCRIPTIONS', id: 1 }));
    };
    ws.onmessage = (m) => {
      const verdict = readAnswer(String(m.data));
      if ('detail' in verdict) finish(undefined, verdict.detail);
      else finish(fail('bad_response', verdict.problem));
    };
    ws.onerror = () => finish(fail('unavailable', `connection to ${url} failed`));
    ws.onclose = (e) =>
      finish(
        fail('unavailable', `closed by the server (${e.code}${e.reason ? ` ${e.reason}` : ''})`),
      );
  });
}
