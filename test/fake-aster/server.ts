// A fake Aster futures REST server for tests: a real HTTP server on 127.0.0.1 that speaks the wire
// format of Aster's v1 futures API (Binance USD-M conventions) in front of engine.ts.
//
//   const fake = await startFakeAster({ balanceUsd: 10_000 });   // fake.url, fake.apiKey, fake.apiSecret
//   await fake.stop();
//
// Wire: checks X-MBX-APIKEY (-2015), the HMAC-SHA256 hex `signature` over query string + body
// (-1022) and `timestamp`/`recvWindow` against its own clock (-1021); answers decimals as strings;
// sends X-MBX-USED-WEIGHT-1M on every answer and X-MBX-ORDER-COUNT-1M on new orders; answers 429
// with Retry-After past `weightLimit1m`. Endpoints: GET /fapi/v1/time, /fapi/v1/premiumIndex,
// /fapi/v1/klines (interval 1m), /fapi/v2/balance, /fapi/v2/positionRisk, /fapi/v1/userTrades,
// /fapi/v1/openOrders; POST, GET, DELETE /fapi/v1/order (newOrderRespType ACK or RESULT).
//
// Test hooks (state): setBalance(usd), setPosition(symbol, qty, entry), setMark(symbol, price),
// addForeignTrade({symbol, side, qty, price, timeMs?, applyToPosition? = true, fee?}) → the trade,
// seedCandles(symbol, candles); `clockOffsetMs` puts the server clock ahead (+) or behind (-).
// Inspection: orders() (every order ever accepted), trades(), requests (method, path and answered
// status of every request received, in order of arrival; 'none' while or when unanswered), usedWeight1m.
//
// Faults: inject(fault, match?, times = 1) makes the next `times` requests that match
// {method?, path?} misbehave; clearFaults() drops the rest. `apply` says whether the request is
// executed before the failure (a 503 AFTER the order was placed is the dangerous case):
//   {kind: 'hang', apply?}            never answers (until stop())
//   {kind: 'delay', ms}               executes, answers after ms (a slow answer)
//   {kind: 'late', ms}                the request "arrives" ms late: timestamp checked and executed then
//   {kind: 'status', status, apply?}  answers that HTTP status (503 with the Binance "unknown" body)
//   {kind: 'rate_limit', retryAfterS} 429 with Retry-After;  {kind: 'ban', retryAfterS} 418
//   {kind: 'malformed', apply? = true} 200 with a body that is not JSON
//   {kind: 'off_schema', apply? = true} 200 with JSON of the wrong shape
//   {kind: 'reset', apply?}           closes the connection without an answer (Bun's fetch silently
//                                     re-sends a GET once on a reset keep-alive socket: inject twice)
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApiError, createEngine, type FakeCandle, type FakeOrder, type FakeTrade, LEVERAGE, type Side } from './engine.ts';

export type Fault =
  | { kind: 'hang'; apply?: boolean }
  | { kind: 'delay'; ms: number }
  | { kind: 'late'; ms: number }
  | { kind: 'status'; status: number; apply?: boolean }
  | { kind: 'rate_limit'; retryAfterS: number }
  | { kind: 'ban'; retryAfterS: number }
  | { kind: 'malformed'; apply?: boolean }
  | { kind: 'off_schema'; apply?: boolean }
  | { kind: 'reset'; apply?: boolean };

export interface FakeAsterOptions {
  apiKey?: string;
  apiSecret?: string;
  symbols?: string[];
  balanceUsd?: number;
  /** Taker and maker fee rate. Default 0.0004. */
  feeRate?: number;
  /** Request weight per minute before 429 (Aster: 2,400 per IP). */
  weightLimit1m?: number;
}

export interface FakeAster {
  url: string;
  apiKey: string;
  apiSecret: string;
  clockOffsetMs: number;
  readonly usedWeight1m: number;
  readonly requests: { method: string; path: string; status: number | 'none' }[];
  inject(fault: Fault, match?: { method?: string; path?: string }, times?: number): void;
  clearFaults(): void;
  setBalance(usd: number): void;
  setPosition(symbol: string, qty: number, entry: number): void;
  setMark(symbol: string, price: number): void;
  addForeignTrade(t: { symbol: string; side: Side; qty: number; price: number; timeMs?: number; applyToPosition?: boolean; fee?: number }): FakeTrade;
  seedCandles(symbol: string, candles: FakeCandle[]): void;
  orders(): FakeOrder[];
  trades(): FakeTrade[];
  stop(): Promise<void>;
}

type Answer = { status: number; body: unknown; headers?: Record<string, string> };
const dec = (x: number) => x.toFixed(8);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const PUBLIC = new Set(['/fapi/v1/time', '/fapi/v1/premiumIndex', '/fapi/v1/klines']);

/** Request weights from the API docs (openOrders without symbol 40; klines by limit). */
function weightOf(method: string, path: string, q: URLSearchParams): number {
  if (path === '/fapi/v2/balance' || path === '/fapi/v2/positionRisk' || path === '/fapi/v1/userTrades') return 5;
  if (path === '/fapi/v1/openOrders') return q.get('symbol') ? 1 : 40;
  if (path === '/fapi/v1/klines') {
    const limit = Number(q.get('limit') ?? 500);
    return limit < 100 ? 1 : limit < 500 ? 2 : limit <= 1000 ? 5 : 10;
  }
  return 1;
}

function orderJson(o: FakeOrder, withTime: boolean) {
  return {
    orderId: o.orderId, symbol: o.symbol, status: o.status, clientOrderId: o.clientOrderId, price: dec(o.price), avgPrice: dec(o.avgPrice),
    origQty: dec(o.origQty), executedQty: dec(o.executedQty), cumQty: dec(o.executedQty), cumQuote: dec(o.executedQty * o.avgPrice),
    timeInForce: 'GTC', type: o.type, reduceOnly: o.reduceOnly, closePosition: false, side: o.side,
    positionSide: 'BOTH', stopPrice: '0', workingType: 'CONTRACT_PRICE', priceProtect: false, origType: o.type,
    ...(withTime ? { time: o.time } : {}), updateTime: o.updateTime,
  };
}

export async function startFakeAster(opts: FakeAsterOptions = {}): Promise<FakeAster> {
  const apiKey = opts.apiKey ?? 'fake-api-key-0123456789';
  const apiSecret = opts.apiSecret ?? 'fake-api-secret-0123456789abcdef';
  const weightLimit = opts.weightLimit1m ?? 2_400;
  const engine = createEngine({ symbols: opts.symbols ?? ['BTCUSDT', 'ETHUSDT', 'SOLUSDT'], balanceUsd: opts.balanceUsd ?? 10_000, feeRate: opts.feeRate ?? 0.0004 });
  const faults: { fault: Fault; method?: string; path?: string; left: number }[] = [];
  const requests: FakeAster['requests'] = [];
  const hanging = new Set<ServerResponse>();
  const weight = { minute: 0, used: 0, orders: 0 };
  let clockOffsetMs = 0;
  const now = () => Date.now() + clockOffsetMs;

  const usage = (add: number, order: boolean) => {
    const minute = Math.floor(now() / 60_000);
    if (minute !== weight.minute) Object.assign(weight, { minute, used: 0, orders: 0 });
    weight.used += add;
    if (order) weight.orders += 1;
  };

  function authenticate(req: IncomingMessage, rawQuery: string, rawBody: string, params: URLSearchParams) {
    const key = req.headers['x-mbx-apikey'];
    if (!key) throw new ApiError(400, -2014, 'API-key format invalid.');
    if (key !== apiKey) throw new ApiError(401, -2015, 'Invalid API-key, IP, or permissions for action.');
    // totalParams = query string concatenated with body; `signature` is the last parameter of its part.
    const strip = (s: string) => s.replace(/(^|&)signature=[^&]*$/, '');
    const given = params.get('signature');
    if (!given) throw new ApiError(400, -1102, "Mandatory parameter 'signature' was not sent, was empty/null, or malformed.");
    const expected = createHmac('sha256', apiSecret).update(strip(rawQuery) + strip(rawBody)).digest();
    const got = Buffer.from(/^[0-9a-fA-F]{64}$/.test(given) ? given : '', 'hex');
    if (got.length !== expected.length || !timingSafeEqual(got, expected)) throw new ApiError(400, -1022, 'Signature for this request is not valid.');
    const ts = Number(params.get('timestamp'));
    const recvWindow = Number(params.get('recvWindow') ?? 5_000);
    if (!Number.isInteger(ts)) throw new ApiError(400, -1102, "Mandatory parameter 'timestamp' was not sent, was empty/null, or malformed.");
    if (!(recvWindow > 0 && recvWindow <= 60_000)) throw new ApiError(400, -1130, "Data sent for parameter 'recvWindow' is not valid.");
    const serverTime = now();
    if (!(ts < serverTime + 1000 && serverTime - ts <= recvWindow)) throw new ApiError(400, -1021, 'Timestamp for this request is outside of the recvWindow.');
  }

  function route(method: string, path: string, q: URLSearchParams): Answer {
    const t = now();
    const symbol = q.get('symbol') ?? undefined;
    const need = (name: string) => {
      const v = q.get(name);
      if (!v) throw new ApiError(400, -1102, `Mandatory parameter '${name}' was not sent, was empty/null, or malformed.`);
      return v;
    };
    const ok = (body: unknown, headers?: Record<string, string>): Answer => ({ status: 200, body, headers });
    const markJson = (s: string) => ({ symbol: s, markPrice: dec(engine.marks.get(s) ?? 0), indexPrice: dec(engine.marks.get(s) ?? 0), estimatedSettlePrice: dec(engine.marks.get(s) ?? 0), lastFundingRate: '0.00010000', nextFundingTime: t + 3_600_000, interestRate: '0.00010000', time: t });
    const ref = () => (q.get('orderId') ? { orderId: Number(q.get('orderId')) } : { clientOrderId: need('origClientOrderId') });
    switch (`${method} ${path}`) {
      case 'GET /fapi/v1/time':
        return ok({ serverTime: t });
      case 'GET /fapi/v1/premiumIndex':
        if (!symbol) return ok([...engine.marks.keys()].map(markJson));
        engine.knownSymbol(symbol);
        return ok(markJson(symbol));
      case 'GET /fapi/v1/klines': {
        engine.knownSymbol(need('symbol'));
        if (need('interval') !== '1m') throw new ApiError(400, -1120, 'Invalid interval.');
        const limit = Math.min(Number(q.get('limit') ?? 500), 1500);
        const rows = (engine.candles.get(symbol!) ?? []).slice(-limit);
        return ok(rows.map((c) => [c.openTime, dec(c.open), dec(c.high), dec(c.low), dec(c.close), dec(c.volume), c.closeTime, dec(c.volume * c.close), 0, '0', '0', '0']));
      }
      case 'GET /fapi/v2/balance': {
        const upnl = [...engine.positions.keys()].reduce((s, k) => s + engine.unrealized(k), 0);
        const margin = [...engine.positions].reduce((s, [k, p]) => s + (Math.abs(p.qty) * (engine.marks.get(k) ?? p.entry)) / LEVERAGE, 0);
        const wallet = engine.wallet;
        return ok([{ accountAlias: 'FakeAlias', asset: 'USDT', balance: dec(wallet), crossWalletBalance: dec(wallet), crossUnPnl: dec(upnl), availableBalance: dec(wallet + upnl - margin), maxWithdrawAmount: dec(wallet - margin), marginAvailable: true, updateTime: t }]);
      }
      case 'GET /fapi/v2/positionRisk':
        if (symbol) engine.knownSymbol(symbol);
        return ok([...engine.symbols].filter((s) => !symbol || s === symbol).map((s) => {
          const p = engine.positions.get(s) ?? { qty: 0, entry: 0 };
          return { entryPrice: dec(p.entry), marginType: 'cross', isAutoAddMargin: 'false', isolatedMargin: '0.00000000', leverage: String(LEVERAGE), liquidationPrice: '0', markPrice: dec(engine.marks.get(s) ?? 0), maxNotionalValue: '20000000', positionAmt: dec(p.qty), symbol: s, unRealizedProfit: dec(engine.unrealized(s)), positionSide: 'BOTH', updateTime: t };
        }));
      case 'GET /fapi/v1/userTrades': {
        engine.knownSymbol(need('symbol'));
        const limit = Math.min(Number(q.get('limit') ?? 500), 1000);
        const start = q.get('startTime') ? Number(q.get('startTime')) : undefined;
        const mine = engine.trades.filter((x) => x.symbol === symbol && (start === undefined ? x.time >= t - 7 * 86_400_000 : x.time >= start));
        const rows = start === undefined ? mine.slice(-limit) : mine.slice(0, limit);
        return ok(rows.map((x) => ({ buyer: x.side === 'BUY', commission: dec(x.commission), commissionAsset: 'USDT', id: x.id, maker: x.maker, orderId: x.orderId, price: dec(x.price), qty: dec(x.qty), quoteQty: dec(x.qty * x.price), realizedPnl: dec(x.realizedPnl), side: x.side, positionSide: 'BOTH', symbol: x.symbol, time: x.time })));
      }
      case 'GET /fapi/v1/openOrders':
        if (symbol) engine.knownSymbol(symbol);
        return ok(engine.orders.filter((o) => engine.isOpen(o) && (!symbol || o.symbol === symbol)).map((o) => orderJson(o, true)));
      case 'GET /fapi/v1/order': {
        engine.knownSymbol(need('symbol'));
        const found = engine.find(symbol!, ref());
        if (!found) throw new ApiError(400, -2013, 'Order does not exist.');
        return ok(orderJson(found, true));
      }
      case 'DELETE /fapi/v1/order':
        engine.knownSymbol(need('symbol'));
        return ok(orderJson(engine.cancel(symbol!, ref(), t), false));
      case 'POST /fapi/v1/order': {
        engine.knownSymbol(need('symbol'));
        const side = need('side');
        if (side !== 'BUY' && side !== 'SELL') throw new ApiError(400, -1117, 'Invalid side.');
        const type = need('type');
        if (type !== 'MARKET' && type !== 'LIMIT') throw new ApiError(400, -1116, 'Invalid orderType.');
        const qty = Number(need('quantity'));
        if (!(qty > 0)) throw new ApiError(400, -4003, 'Quantity less than zero.');
        const price = type === 'LIMIT' ? Number(need('price')) : 0;
        if (type === 'LIMIT' && !(price > 0)) throw new ApiError(400, -4001, 'Price less than 0.');
        if (type === 'LIMIT') need('timeInForce');
        const clientOrderId = q.get('newClientOrderId') ?? `fake_${t}_${engine.orders.length}`;
        if (!/^[.A-Z:/a-z0-9_-]{1,36}$/.test(clientOrderId)) throw new ApiError(400, -4015, 'Client order id is not valid.');
        const ord = engine.place({ symbol: symbol!, side, type, qty, price, reduceOnly: q.get('reduceOnly') === 'true', clientOrderId }, t);
        usage(0, true);
        // ACK (the default) answers before the fill, so a MARKET order reads NEW with nothing executed.
        const body = q.get('newOrderRespType') === 'RESULT' ? orderJson(ord, false) : orderJson({ ...ord, status: 'NEW', executedQty: 0, avgPrice: 0 }, false);
        return ok(body, { 'X-MBX-ORDER-COUNT-1M': String(weight.orders) });
      }
      default:
        return { status: 404, body: { code: -1000, msg: `Unknown route ${method} ${path}` } };
    }
  }

  /** Executes one request: weight, auth, route. Errors become the exchange's error answers. */
  function execute(req: IncomingMessage, rawQuery: string, rawBody: string): Answer {
    const method = req.method ?? 'GET';
    const path = (req.url ?? '/').split('?')[0]!;
    const params = new URLSearchParams(rawBody);
    for (const [k, v] of new URLSearchParams(rawQuery)) params.set(k, v); // the query string wins
    usage(weightOf(method, path, params), false);
    if (weight.used > weightLimit) {
      const retryAfterS = 60 - Math.floor((now() % 60_000) / 1000);
      return { status: 429, body: { code: -1003, msg: 'Too many requests; current limit is 2400 requests per minute.' }, headers: { 'Retry-After': String(retryAfterS) } };
    }
    try {
      if (!PUBLIC.has(path)) authenticate(req, rawQuery, rawBody, params);
      return route(method, path, params);
    } catch (e) {
      if (e instanceof ApiError) return { status: e.status, body: { code: e.code, msg: e.message } };
      return { status: 500, body: { code: -1000, msg: `An unknown error occurred: ${e instanceof Error ? e.message : String(e)}` } };
    }
  }

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const rawBody = Buffer.concat(chunks).toString('utf8');
    const url = req.url ?? '/';
    const rawQuery = url.includes('?') ? url.slice(url.indexOf('?') + 1) : '';
    const method = req.method ?? 'GET';
    const path = url.split('?')[0]!;
    const slot = faults.find((f) => f.left > 0 && (!f.method || f.method === method) && (!f.path || f.path === path));
    if (slot) slot.left -= 1;
    const fault = slot?.fault;
    const entry: FakeAster['requests'][number] = { method, path, status: 'none' };
    requests.push(entry);
    const reply = (a: Answer, body = JSON.stringify(a.body)) => {
      res.writeHead(a.status, { 'Content-Type': 'application/json', 'X-MBX-USED-WEIGHT-1M': String(weight.used), ...a.headers });
      res.end(body);
      entry.status = a.status;
    };

    if (fault?.kind === 'late') await sleep(fault.ms);
    if (fault?.kind === 'rate_limit' || fault?.kind === 'ban') {
      const status = fault.kind === 'ban' ? 418 : 429;
      return reply({ status, body: { code: -1003, msg: status === 418 ? 'Way too many requests; IP banned.' : 'Too many requests.' }, headers: { 'Retry-After': String(fault.retryAfterS) } });
    }
    const defaultApply = fault?.kind === 'malformed' || fault?.kind === 'off_schema';
    const apply = !fault || fault.kind === 'delay' || fault.kind === 'late' || ('apply' in fault ? fault.apply ?? defaultApply : defaultApply);
    const answer = apply ? execute(req, rawQuery, rawBody) : undefined;

    switch (fault?.kind) {
      case 'hang':
        hanging.add(res);
        return;
      case 'reset':
        res.socket?.destroy();
        return;
      case 'status':
        return reply({ status: fault.status, body: fault.status === 503 ? { code: -1007, msg: 'Timeout waiting for response from backend server. Send status unknown; execution status unknown.' } : { code: -1000, msg: 'An unknown error occurred while processing the request.' } });
      case 'malformed':
        return reply({ status: 200, body: null }, '{"orderId": 12, "status": "FILL');
      case 'off_schema':
        return reply({ status: 200, body: { unexpected: true, data: [1, 2, 3] } });
      case 'delay':
        await sleep(fault.ms);
    }
    reply(answer!);
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((e) => {
      if (!res.headersSent) res.writeHead(500).end(String(e));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    apiKey,
    apiSecret,
    get clockOffsetMs() {
      return clockOffsetMs;
    },
    set clockOffsetMs(ms: number) {
      clockOffsetMs = ms;
    },
    get usedWeight1m() {
      return weight.used;
    },
    requests,
    inject: (fault, match = {}, times = 1) => void faults.push({ fault, ...match, left: times }),
    clearFaults: () => void faults.splice(0),
    setBalance: (usd) => void (engine.wallet = usd),
    setPosition(symbol, qty, entry) {
      engine.symbols.add(symbol);
      engine.positions.set(symbol, { qty, entry: qty === 0 ? 0 : entry });
    },
    setMark: (symbol, price) => engine.setMark(symbol, price, now()),
    addForeignTrade: (t) => engine.foreignTrade({ ...t, timeMs: t.timeMs ?? now(), applyToPosition: t.applyToPosition ?? true }),
    seedCandles: (symbol, candles) => void engine.candles.set(symbol, candles.map((c) => ({ ...c }))),
    orders: () => engine.orders.map((o) => ({ ...o })),
    trades: () => engine.trades.map((t) => ({ ...t })),
    async stop() {
      for (const res of hanging) res.socket?.destroy();
      server.closeAllConnections?.();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
