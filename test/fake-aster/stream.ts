// The fake Aster user-data stream: listen keys (valid 60 minutes, extended by keep-alives, the same
// key returned to a POST while one is active, as the docs say) and a WebSocket server at
// /ws/<listenKey> (Bun.serve on 127.0.0.1; a raw /ws answers LIST_SUBSCRIPTIONS with no stream) that pushes ORDER_TRADE_UPDATE for every trade of the
// engine and ACCOUNT_UPDATE after it, in the documented shapes, with E (event time) from the
// fake's clock. Test hooks: marginCall(symbol), accountUpdate(reason), expireListenKey(), drop() (closes every socket),
// duplicateFills (push each fill event twice), refuseConnections, and the messages sent so far.
import type { Server, ServerWebSocket } from 'bun';
import type { Engine, FakeOrder, FakeTrade } from './engine.ts';
import { ApiError } from './engine.ts';

const dec = (x: number) => String(Number(x.toFixed(10)));
const LISTEN_KEY_VALIDITY_MS = 60 * 60_000;

export interface FakeUserStream {
  /** ws://127.0.0.1:port (ASTER_WS_URL). */
  url: string;
  /** POST listenKey: the active key (extended) or a new one. */
  createListenKey(): string;
  /** PUT listenKey: extends the active key; -1125 when there is none. */
  keepAlive(): void;
  /** DELETE listenKey. */
  close(): void;
  /** The active key, if any. */
  readonly listenKey: string | undefined;
  readonly connections: number;
  /** Every message pushed, as sent. */
  readonly sent: string[];
  /** Every LIST_SUBSCRIPTIONS request received on a raw /ws connection, as sent. */
  readonly subscriptionLists: string[];
  duplicateFills: boolean;
  /** While true, connections are refused (an outage of the stream alone). */
  refuseConnections: boolean;
  /** While false, a raw /ws connection takes LIST_SUBSCRIPTIONS without answering (default true). */
  answerSubscriptionLists: boolean;
  marginCall(symbol: string): void;
  /** Pushes ACCOUNT_UPDATE with reason `m` (DEPOSIT, WITHDRAW, INSURANCE_CLEAR, ...) and the wallet as it is now. */
  accountUpdate(reason: string): void;
  /** Invalidates the key and pushes listenKeyExpired on its connections. */
  expireListenKey(): void;
  /**
   * Invalidates the key without an event: its connections stay open and carry nothing from now on;
   * a keep-alive answers -1125 (the failure the docs' listenKeyExpired event does not cover).
   */
  expireListenKeySilently(): void;
  /** Pushes ACCOUNT_CONFIG_UPDATE with `ac` (a symbol's leverage) or `ai` (the account's modes, `d` hedge). */
  configUpdate(body: {
    ac?: { s: string; l: number };
    ai?: { j: boolean; f: boolean; d: boolean };
  }): void;
  /** While true, nothing is pushed though every connection stays open (a stream that went silent). */
  mute: boolean;
  /** Closes every connection (a network drop). */
  drop(): void;
  stop(): Promise<void>;
}

export function startFakeUserStream(engine: Engine, nowMs: () => number): FakeUserStream {
  let key: { value: string; expiresMs: number } | undefined;
  let seq = 0;
  const sockets = new Set<ServerWebSocket<{ key: string }>>();
  const sent: string[] = [];
  const subscriptionLists: string[] = [];
  const active = () => (key && key.expiresMs > nowMs() ? key : undefined);

  const push = (event: object, times = 1) => {
    if (api.mute) return;
    const text = JSON.stringify(event);
    for (const ws of sockets) {
      if (ws.data.key !== key?.value) continue;
      for (let i = 0; i < times; i++) {
        ws.send(text);
        sent.push(text);
      }
    }
  };

  const accountUpdate = (reason: string) => ({
    e: 'ACCOUNT_UPDATE',
    E: nowMs(),
    T: nowMs(),
    a: {
      m: reason,
      B: [{ a: 'USDT', wb: dec(engine.wallet), cw: dec(engine.wallet), bc: '0' }],
      P: [...engine.positions]
        .filter(([, p]) => p.qty !== 0)
        .map(([s, p]) => ({
          s,
          pa: dec(p.qty),
          ep: dec(p.entry),
          cr: '0',
          up: dec(engine.unrealized(s)),
          mt: engine.settings(s).marginType,
          iw: '0',
          ps: 'BOTH',
        })),
    },
  });

  const orderTradeUpdate = (t: FakeTrade, o: FakeOrder) => ({
    e: 'ORDER_TRADE_UPDATE',
    E: nowMs(),
    T: t.time,
    o: {
      s: t.symbol,
      c: o.clientOrderId,
      S: t.side,
      o: o.type,
      f: 'GTC',
      q: dec(o.origQty),
      p: dec(o.price),
      ap: dec(o.avgPrice),
      sp: dec(o.stopPrice),
      x: o.type === 'LIQUIDATION' ? 'CALCULATED' : 'TRADE',
      X: o.status,
      i: o.orderId,
      l: dec(t.qty),
      z: dec(o.executedQty),
      L: dec(t.price),
      N: t.commissionAsset,
      n: dec(t.commission),
      T: t.time,
      t: t.id,
      b: '0',
      a: '0',
      m: t.maker,
      R: o.reduceOnly,
      wt: o.workingType,
      ot: o.type,
      ps: 'BOTH',
      cp: o.closePosition,
      rp: dec(t.realizedPnl),
    },
  });

  engine.onTrade((t, o) => {
    push(orderTradeUpdate(t, o), api.duplicateFills ? 2 : 1);
    push(accountUpdate('ORDER'));
  });

  const server: Server<{ key: string }> = Bun.serve<{ key: string }>({
    hostname: '127.0.0.1',
    port: 0,
    fetch(req, srv) {
      const path = new URL(req.url).pathname;
      if (api.refuseConnections) return new Response('stream unavailable', { status: 503 });
      // A raw connection without a stream: it takes LIST_SUBSCRIPTIONS (market streams, v3.md).
      if (path === '/ws')
        return srv.upgrade(req, { data: { key: '' } })
          ? undefined
          : new Response('upgrade failed', { status: 400 });
      const m = /^\/ws\/([^/]+)$/.exec(path);
      const k = m && decodeURIComponent(m[1]!);
      if (!k || k !== active()?.value) return new Response('invalid listen key', { status: 400 });
      return srv.upgrade(req, { data: { key: k } })
        ? undefined
        : new Response('upgrade failed', { status: 400 });
    },
    websocket: {
      open: (ws) => void sockets.add(ws),
      close: (ws) => void sockets.delete(ws),
      message(ws, text) {
        if (ws.data.key !== '') return; // the user-data stream takes no message (none is sent)
        // A raw connection takes only what the docs show: {"method": "LIST_SUBSCRIPTIONS", "id":
        // <unsigned int>}; anything else closes it as an invalid request (stricter than Binance).
        let m: { method?: unknown; id?: unknown } | undefined;
        try {
          m = JSON.parse(String(text));
        } catch {}
        const id = m?.id;
        if (m?.method !== 'LIST_SUBSCRIPTIONS' || !Number.isSafeInteger(id) || (id as number) < 0)
          return ws.close(1008, 'invalid request');
        subscriptionLists.push(String(text));
        if (api.answerSubscriptionLists) ws.send(JSON.stringify({ result: [], id }));
      },
    },
  });

  const api: FakeUserStream = {
    url: `ws://127.0.0.1:${server.port}`,
    createListenKey() {
      const now = nowMs();
      key = active() ?? { value: `fake-listen-key-${++seq}-${now}`, expiresMs: 0 };
      key.expiresMs = now + LISTEN_KEY_VALIDITY_MS;
      return key.value;
    },
    keepAlive() {
      const k = active();
      if (!k) throw new ApiError(400, -1125, 'This listenKey does not exist.');
      k.expiresMs = nowMs() + LISTEN_KEY_VALIDITY_MS;
    },
    close() {
      key = undefined;
    },
    get listenKey() {
      return active()?.value;
    },
    get connections() {
      return sockets.size;
    },
    sent,
    subscriptionLists,
    duplicateFills: false,
    refuseConnections: false,
    accountUpdate: (reason) => push(accountUpdate(reason)),
    answerSubscriptionLists: true,
    marginCall(symbol) {
      const p = engine.positions.get(symbol);
      const mark = engine.marks.get(symbol) ?? 0;
      push({
        e: 'MARGIN_CALL',
        E: nowMs(),
        cw: dec(engine.wallet),
        p: [
          {
            s: symbol,
            ps: 'BOTH',
            pa: dec(p?.qty ?? 0),
            mt: 'CROSSED',
            iw: '0',
            mp: dec(mark),
            up: dec(engine.unrealized(symbol)),
            mm: dec(Math.abs(p?.qty ?? 0) * mark * 0.005),
          },
        ],
      });
    },
    mute: false,
    configUpdate: (body) => push({ e: 'ACCOUNT_CONFIG_UPDATE', E: nowMs(), T: nowMs(), ...body }),
    expireListenKeySilently() {
      key = undefined;
    },
    expireListenKey() {
      push({ e: 'listenKeyExpired', E: nowMs() });
      key = undefined;
    },
    drop() {
      for (const ws of sockets) ws.close(4000, 'dropped');
    },
    async stop() {
      for (const ws of sockets) ws.close();
      server.stop(true);
    },
  };
  return api;
}
