// A fake Aster futures REST server for tests: a real HTTP server on 127.0.0.1 that speaks the wire
// format of Aster's futures API (Binance USD-M conventions) in front of engine.ts, signed either
// way: V1 (HMAC, /fapi/v1|v2/*) and V3 (API wallet, EIP-712, /fapi/v3/*) side by side.
//
//   const fake = await startFakeAster({ balanceUsd: 10_000 });   // fake.url, fake.apiKey, fake.apiSecret, fake.wallet
//   await fake.stop();
//
// Parameters: typed as the docs' tables type them (params.ts): a LONG or INT that is not
// `^[0-9]{1,20}$` answers -1100, a DECIMAL likewise, an empty one -1105 (before authentication),
// one the endpoint does not take -1104 (after it).
// Wire, V1: checks X-MBX-APIKEY (-2015), the HMAC-SHA256 hex `signature` over query string + body
// (-1022) and `timestamp`/`recvWindow` against its own clock (-1021). V3: the EIP-712 signature
// recovers to `signer` (-1022), the signer is registered for `user` (-2015), the nonce rules
// (-4225); see v3-auth.ts. A V3 path is served like its V1 twin; POST /fapi/v3/noop takes a nonce.
// `fake.wallet` is a fresh API wallet registered for a fresh user (chain id `chainId`, default
// 1666); registerSigner(user, signer) adds more. Answers decimals as strings;
// sends X-MBX-USED-WEIGHT-1M on every answer and X-MBX-ORDER-COUNT-1M on new orders; answers 429
// with Retry-After past `weightLimit1m`. Endpoints: GET /fapi/v1/time, /fapi/v1/premiumIndex, /fapi/v1/income,
// /fapi/v1/klines (interval 1m), /fapi/v2/balance, /fapi/v2/positionRisk, /fapi/v1/userTrades,
// /fapi/v1/openOrders, /fapi/v1/leverageBracket, /fapi/v1/forceOrders (liquidations and ADLs); POST, GET, DELETE /fapi/v1/order (newOrderRespType ACK or RESULT; the cancel
// answer has no avgPrice, as documented); GET, POST /fapi/v1/positionSide/dual; POST /fapi/v1/leverage,
// /fapi/v1/marginType (with the documented refusals: -4046, -4047, -4048, -4059, -4067, -4068,
// -4028, -4161). In hedge mode an order without positionSide LONG/SHORT is refused (-4061).
//
// Symbol filters: GET /fapi/v1/exchangeInfo serves them and every new order must pass them, with
// Aster's codes (filters.ts); `rulesOf` chooses them (default: the paper exchange's Aster-like table).
//
// Test hooks (state): setBalance(usd), setPosition(symbol, qty, entry), setMark(symbol, price),
// setSymbolRules(symbol, patch) (e.g. {status: 'BREAK'}), setMaxLeverage(symbol, x) (its brackets),
// addForeignTrade({symbol, side, qty, price, timeMs?, applyToPosition? = true, fee?}) → the trade,
// seedCandles(symbol, candles), addFunding(symbol, usd, timeMs?) (a FUNDING_FEE income row, applied
// to the wallet; GET /fapi/v1/income serves them with every trade's REALIZED_PNL and COMMISSION
// rows), addIncome({type, usd, ...}) (any income type, pushed as ACCOUNT_UPDATE with its reason),
// moveWalletUnexplained(usd); `clockOffsetMs` puts the server clock ahead (+) or behind (-);
// setHedgeMode(on) and setSymbolSettings(symbol, {leverage?, marginType?}) set the account as the
// exchange holds it (no refusals), as a change from the web interface: the stream pushes
// ACCOUNT_CONFIG_UPDATE (position mode, leverage) or ACCOUNT_UPDATE MARGIN_TYPE_CHANGE; setFees({rate?, asset?}): commission rate (negative = a rebate)
// and asset (BNB: charged outside the USDT wallet); addForeignTrade takes commissionAsset too.
// Inspection: orders() (every order ever accepted), trades(), requests (method, path as sent and answered
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
//   {kind: 'drop_field', field}       executes, answers without `field` (in the object, or in every
//                                     row of a list): one field the schema requires, missing
//   {kind: 'reset', apply?}           closes the connection without an answer (Bun's fetch silently
//                                     re-sends a GET once on a reset keep-alive socket: inject twice)
//   {kind: 'reject', code, msg?, status? = 400}  not executed: the exchange's error answer {code, msg}
//                                     (e.g. -2019 margin insufficient, -4164 notional too small)
//   {kind: 'waf', retryAfterS?}       403 from the web application firewall (an HTML page, not JSON)
//   {kind: 'noop_unheeded'}           (for POST /fapi/v3/noop) answers success without taking the
//                                     nonce: the V3 docs promise the noop no success
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  ApiError,
  createEngine,
  type FakeCandle,
  type FakeOrder,
  type FakeTrade,
  type Side,
  type SymbolSettings,
} from './engine.ts';
import {
  addressOfPrivateKey,
  ASTER_MAINNET_CHAIN_ID,
  type AsterWallet,
  checksumAddress,
} from '../../src/adapters/exchange/aster/sign-v3.ts';
import { type Answer, PUBLIC, type RouteContext, route, routePath, weightOf } from './routes.ts';
import { type FakeUserStream, startFakeUserStream } from './stream.ts';
import { createV3Auth } from './v3-auth.ts';
import { checkParamValues, checkUnread } from './params.ts';
import { reasonOf } from './income.ts';
import { paperSymbolRules } from '../../src/adapters/exchange/paper/symbol-table.ts';
import type { SymbolRules } from '../../src/domain/market/symbol-rules.ts';

/** User Data Streams' listen key (the V3 path maps to it). */
const LISTEN_KEY_PATH = '/fapi/v1/listenKey';

export type Fault =
  | { kind: 'hang'; apply?: boolean }
  | { kind: 'delay'; ms: number }
  | { kind: 'late'; ms: number }
  | { kind: 'status'; status: number; apply?: boolean }
  | { kind: 'rate_limit'; retryAfterS: number }
  | { kind: 'ban'; retryAfterS: number }
  | { kind: 'malformed'; apply?: boolean }
  | { kind: 'off_schema'; apply?: boolean }
  | { kind: 'drop_field'; field: string }
  | { kind: 'reset'; apply?: boolean }
  | { kind: 'reject'; code: number; msg?: string; status?: number }
  | { kind: 'waf'; retryAfterS?: number }
  | { kind: 'noop_unheeded' };

/** The documented messages of the refusals tests inject most (v3.md, Error Codes). */
const REFUSAL_MSG: Record<number, string> = {
  [-1111]: 'Precision is over the maximum defined for this asset.',
  [-2019]: 'Margin is insufficient.',
  [-2022]: 'ReduceOnly Order is rejected.',
  [-4140]: 'Invalid symbol status for opening position',
  [-4164]: "Order's notional must be no smaller than 5.0 (unless you choose reduce only)",
};

export interface FakeAsterOptions {
  apiKey?: string;
  apiSecret?: string;
  symbols?: string[];
  balanceUsd?: number;
  /** Taker and maker fee rate. Default 0.0004. */
  feeRate?: number;
  /** Request weight per minute before 429 (Aster: 2,400 per IP). */
  weightLimit1m?: number;
  /** Asset commissions are charged in. Default USDT. */
  commissionAsset?: string;
  /** Chain id of the V3 typed data the server verifies. Default 1666 (mainnet). */
  chainId?: number;
  /** A symbol's filters (exchangeInfo, and applied to every new order: filters.ts). Default the paper exchange's table, Aster-like. */
  rulesOf?: (symbol: string) => SymbolRules;
}

export interface FakeAster {
  url: string;
  apiKey: string;
  apiSecret: string;
  /** V3 credentials: a fresh API wallet registered for a fresh user, on the server's chain id. */
  wallet: AsterWallet;
  /** Registers `signer` as an API wallet of `user` (V3). */
  registerSigner(user: string, signer: string): void;
  clockOffsetMs: number;
  readonly usedWeight1m: number;
  readonly requests: { method: string; path: string; status: number | 'none' }[];
  inject(fault: Fault, match?: { method?: string; path?: string }, times?: number): void;
  clearFaults(): void;
  setBalance(usd: number): void;
  setPosition(symbol: string, qty: number, entry: number): void;
  setMark(symbol: string, price: number): void;
  /** Changes a symbol's filters or status from now on (exchangeInfo and new orders). */
  setSymbolRules(symbol: string, patch: Partial<SymbolRules>): void;
  /** Caps the initial leverage of the symbol's brackets (GET leverageBracket; default 125). */
  setMaxLeverage(symbol: string, leverage: number): void;
  addForeignTrade(t: {
    symbol: string;
    side: Side;
    qty: number;
    price: number;
    timeMs?: number;
    applyToPosition?: boolean;
    fee?: number;
    commissionAsset?: string;
  }): FakeTrade;
  setHedgeMode(on: boolean): void;
  readonly hedgeMode: boolean;
  setSymbolSettings(symbol: string, s: Partial<SymbolSettings>): void;
  symbolSettings(symbol: string): SymbolSettings;
  setFees(f: { rate?: number; asset?: string }): void;
  seedCandles(symbol: string, candles: FakeCandle[]): void;
  addFunding(symbol: string, usd: number, timeMs?: number): void;
  /**
   * An income row of any type (TRANSFER for a deposit > 0 or a withdrawal < 0, INSURANCE_CLEAR,
   * MARKET_MERCHANT_RETURN_REWARD, WELCOME_BONUS, ...), applied to the wallet (USDT), served by
   * GET income, and pushed on the stream as ACCOUNT_UPDATE with its reason (DEPOSIT, WITHDRAW, ...)
   * unless `silent`.
   */
  addIncome(row: {
    type: string;
    usd: number;
    symbol?: string;
    timeMs?: number;
    asset?: string;
    silent?: boolean;
  }): void;
  /** Moves the wallet with no income row and no event: a change the exchange does not explain. */
  moveWalletUnexplained(usd: number): void;
  orders(): FakeOrder[];
  /** The account's signed position quantity of a symbol (0 when flat). */
  positionOf(symbol: string): number;
  trades(): FakeTrade[];
  /** The user-data stream: its WebSocket URL (ASTER_WS_URL) and hooks (marginCall, expireListenKey, drop, duplicateFills). */
  stream: FakeUserStream;
  /** The exchange liquidates the position at the mark (client order id `autoclose-…`); the trade, or undefined when flat. */
  liquidate(symbol: string): FakeTrade | undefined;
  /** The exchange auto-deleverages `qty` (default all) of the position at the mark (client order id `adl_autoclose`); the trade, or undefined when flat. */
  adl(symbol: string, qty?: number): FakeTrade | undefined;
  stop(): Promise<void>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** `body` without `field`: an object's own, or each row's of a list. */
function without(body: unknown, field: string): unknown {
  if (Array.isArray(body)) return body.map((row) => without(row, field));
  if (!body || typeof body !== 'object') return body;
  const { [field]: _dropped, ...rest } = body as Record<string, unknown>;
  return rest;
}

export async function startFakeAster(opts: FakeAsterOptions = {}): Promise<FakeAster> {
  const apiKey = opts.apiKey ?? 'fake-api-key-0123456789';
  const apiSecret = opts.apiSecret ?? 'fake-api-secret-0123456789abcdef';
  const weightLimit = opts.weightLimit1m ?? 2_400;
  const engine = createEngine({
    symbols: opts.symbols ?? ['BTCUSDT', 'ETHUSDT', 'SOLUSDT'],
    balanceUsd: opts.balanceUsd ?? 10_000,
    feeRate: opts.feeRate ?? 0.0004,
    commissionAsset: opts.commissionAsset,
  });
  const faults: { fault: Fault; method?: string; path?: string; left: number }[] = [];
  const requests: FakeAster['requests'] = [];
  const hanging = new Set<ServerResponse>();
  const weight = { minute: 0, used: 0, orders: 0 };
  let clockOffsetMs = 0;
  const now = () => Date.now() + clockOffsetMs;
  const stream = startFakeUserStream(engine, now);
  const v3 = createV3Auth({ chainId: opts.chainId ?? ASTER_MAINNET_CHAIN_ID, nowMs: now });
  const privateKey = `0x${randomBytes(32).toString('hex')}`;
  const wallet: AsterWallet = {
    user: checksumAddress(randomBytes(20).toString('hex')),
    signer: addressOfPrivateKey(privateKey),
    privateKey,
    chainId: v3.chainId,
  };
  v3.register(wallet.user, wallet.signer);

  const usage = (add: number, order: boolean) => {
    const minute = Math.floor(now() / 60_000);
    if (minute !== weight.minute) Object.assign(weight, { minute, used: 0, orders: 0 });
    weight.used += add;
    if (order) weight.orders += 1;
  };

  const rules = new Map<string, SymbolRules>();
  const rulesOf = (symbol: string) =>
    rules.get(symbol) ?? (opts.rulesOf ?? paperSymbolRules)(symbol);
  const maxLeverage = new Map<string, number>();
  const routeContext: RouteContext = {
    nowMs: now,
    rulesOf,
    maxLeverageOf: (symbol) => maxLeverage.get(symbol) ?? 125,
    countOrder: () => {
      usage(0, true);
      return weight.orders;
    },
  };

  function authenticate(
    req: IncomingMessage,
    rawQuery: string,
    rawBody: string,
    params: URLSearchParams,
  ) {
    const key = req.headers['x-mbx-apikey'];
    if (!key) throw new ApiError(400, -2014, 'API-key format invalid.');
    if (key !== apiKey)
      throw new ApiError(401, -2015, 'Invalid API-key, IP, or permissions for action.');
    // totalParams = query string concatenated with body; `signature` is the last parameter of its part.
    const strip = (s: string) => s.replace(/(^|&)signature=[^&]*$/, '');
    const given = params.get('signature');
    if (!given)
      throw new ApiError(
        400,
        -1102,
        "Mandatory parameter 'signature' was not sent, was empty/null, or malformed.",
      );
    const expected = createHmac('sha256', apiSecret)
      .update(strip(rawQuery) + strip(rawBody))
      .digest();
    const got = Buffer.from(/^[0-9a-fA-F]{64}$/.test(given) ? given : '', 'hex');
    if (got.length !== expected.length || !timingSafeEqual(got, expected))
      throw new ApiError(400, -1022, 'Signature for this request is not valid.');
    const ts = Number(params.get('timestamp'));
    const recvWindow = Number(params.get('recvWindow') ?? 5_000);
    if (!Number.isInteger(ts))
      throw new ApiError(
        400,
        -1102,
        "Mandatory parameter 'timestamp' was not sent, was empty/null, or malformed.",
      );
    if (!(recvWindow > 0 && recvWindow <= 60_000))
      throw new ApiError(400, -1130, "Data sent for parameter 'recvWindow' is not valid.");
    const serverTime = now();
    if (!(ts < serverTime + 1000 && serverTime - ts <= recvWindow))
      throw new ApiError(400, -1021, 'Timestamp for this request is outside of the recvWindow.');
  }

  /** Executes one request: weight, auth, route. Errors become the exchange's error answers. */
  function listenKeyRoute(method: string): Answer {
    if (method === 'POST') return { status: 200, body: { listenKey: stream.createListenKey() } };
    if (method === 'PUT') return (stream.keepAlive(), { status: 200, body: {} });
    if (method === 'DELETE') return (stream.close(), { status: 200, body: {} });
    throw new ApiError(405, -1000, 'Method not allowed.');
  }

  function execute(req: IncomingMessage, rawQuery: string, rawBody: string): Answer {
    const method = req.method ?? 'GET';
    const sentPath = (req.url ?? '/').split('?')[0]!;
    const path = routePath(sentPath);
    const params = new URLSearchParams(rawBody);
    for (const [k, v] of new URLSearchParams(rawQuery)) params.set(k, v); // the query string wins
    usage(weightOf(method, path, params), false);
    if (weight.used > weightLimit) {
      const retryAfterS = 60 - Math.floor((now() % 60_000) / 1000);
      return {
        status: 429,
        body: { code: -1003, msg: 'Too many requests; current limit is 2400 requests per minute.' },
        headers: { 'Retry-After': String(retryAfterS) },
      };
    }
    try {
      const v3Path = sentPath.startsWith('/fapi/v3/');
      const kind = {
        signed: !PUBLIC.has(path) && (path !== LISTEN_KEY_PATH || v3Path),
        v3: v3Path,
      };
      checkParamValues(method, path, params, kind);
      if (path === LISTEN_KEY_PATH) {
        // USER_STREAM: V1 takes the API key alone (no signature); V3 a signed request (docs).
        if (sentPath.startsWith('/fapi/v3/')) v3.authenticate(rawQuery, rawBody, params);
        else if (req.headers['x-mbx-apikey'] !== apiKey)
          throw new ApiError(401, -2015, 'Invalid API-key, IP, or permissions for action.');
        checkUnread(method, path, params, kind);
        return listenKeyRoute(method);
      }
      if (!PUBLIC.has(path)) {
        if (sentPath.startsWith('/fapi/v3/')) v3.authenticate(rawQuery, rawBody, params);
        else authenticate(req, rawQuery, rawBody, params);
      }
      checkUnread(method, path, params, kind);
      return route(engine, routeContext, method, path, params);
    } catch (e) {
      if (e instanceof ApiError)
        return { status: e.status, body: { code: e.code, msg: e.message } };
      return {
        status: 500,
        body: {
          code: -1000,
          msg: `An unknown error occurred: ${e instanceof Error ? e.message : String(e)}`,
        },
      };
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
    const slot = faults.find(
      (f) => f.left > 0 && (!f.method || f.method === method) && (!f.path || f.path === path),
    );
    if (slot) slot.left -= 1;
    const fault = slot?.fault;
    const entry: FakeAster['requests'][number] = { method, path, status: 'none' };
    requests.push(entry);
    const reply = (a: Answer, body = JSON.stringify(a.body)) => {
      res.writeHead(a.status, {
        'Content-Type': 'application/json',
        'X-MBX-USED-WEIGHT-1M': String(weight.used),
        ...a.headers,
      });
      res.end(body);
      entry.status = a.status;
    };

    if (fault?.kind === 'late') await sleep(fault.ms);
    if (fault?.kind === 'noop_unheeded')
      return reply({ status: 200, body: { code: 200, msg: 'success' } });
    if (fault?.kind === 'reject')
      return reply({
        status: fault.status ?? 400,
        body: { code: fault.code, msg: fault.msg ?? REFUSAL_MSG[fault.code] ?? 'Refused.' },
      });
    if (fault?.kind === 'waf') {
      res.writeHead(403, {
        'Content-Type': 'text/html',
        ...(fault.retryAfterS !== undefined ? { 'Retry-After': String(fault.retryAfterS) } : {}),
      });
      res.end(
        '<html><head><title>403 Forbidden</title></head><body>Request blocked.</body></html>',
      );
      entry.status = 403;
      return;
    }
    if (fault?.kind === 'rate_limit' || fault?.kind === 'ban') {
      const status = fault.kind === 'ban' ? 418 : 429;
      return reply({
        status,
        body: {
          code: -1003,
          msg: status === 418 ? 'Way too many requests; IP banned.' : 'Too many requests.',
        },
        headers: { 'Retry-After': String(fault.retryAfterS) },
      });
    }
    const defaultApply =
      fault?.kind === 'malformed' || fault?.kind === 'off_schema' || fault?.kind === 'drop_field';
    const apply =
      !fault ||
      fault.kind === 'delay' ||
      fault.kind === 'late' ||
      ('apply' in fault ? (fault.apply ?? defaultApply) : defaultApply);
    const answer = apply ? execute(req, rawQuery, rawBody) : undefined;

    switch (fault?.kind) {
      case 'hang':
        hanging.add(res);
        return;
      case 'reset':
        res.socket?.destroy();
        return;
      case 'status':
        return reply({
          status: fault.status,
          body:
            fault.status === 503
              ? {
                  code: -1007,
                  msg: 'Timeout waiting for response from backend server. Send status unknown; execution status unknown.',
                }
              : { code: -1000, msg: 'An unknown error occurred while processing the request.' },
        });
      case 'malformed':
        return reply({ status: 200, body: null }, '{"orderId": 12, "status": "FILL');
      case 'off_schema':
        return reply({ status: 200, body: { unexpected: true, data: [1, 2, 3] } });
      case 'delay':
        await sleep(fault.ms);
        break;
      case 'drop_field':
        if (answer!.status === 200)
          return reply({ ...answer!, body: without(answer!.body, fault.field) });
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
    wallet,
    registerSigner: (user, signer) => v3.register(user, signer),
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
    stream,
    liquidate: (symbol) => engine.liquidate(symbol, now()),
    adl: (symbol, qty) => engine.adl(symbol, now(), qty),
    inject: (fault, match = {}, times = 1) => void faults.push({ fault, ...match, left: times }),
    clearFaults: () => void faults.splice(0),
    setBalance: (usd) => void (engine.wallet = usd),
    setPosition(symbol, qty, entry) {
      engine.symbols.add(symbol);
      engine.positions.set(symbol, { qty, entry: qty === 0 ? 0 : entry });
    },
    setMark: (symbol, price) => engine.setMark(symbol, price, now()),
    setSymbolRules: (symbol, patch) => void rules.set(symbol, { ...rulesOf(symbol), ...patch }),
    setMaxLeverage: (symbol, leverage) => void maxLeverage.set(symbol, leverage),
    addForeignTrade: (t) =>
      engine.foreignTrade({
        ...t,
        timeMs: t.timeMs ?? now(),
        applyToPosition: t.applyToPosition ?? true,
      }),
    // Changed from outside (the web interface): the stream says so, as the exchange does.
    setHedgeMode(on) {
      engine.forceHedgeMode(on);
      stream.configUpdate({ ai: { j: false, f: false, d: on } });
    },
    get hedgeMode() {
      return engine.hedgeMode;
    },
    setSymbolSettings(symbol, settings) {
      engine.forceSettings(symbol, settings);
      if (settings.leverage !== undefined)
        stream.configUpdate({ ac: { s: symbol, l: settings.leverage } });
      if (settings.marginType !== undefined) stream.accountUpdate('MARGIN_TYPE_CHANGE');
    },
    symbolSettings: (symbol) => engine.settings(symbol),
    setFees: (f) => void Object.assign(engine.fees, f),
    seedCandles: (symbol, candles) =>
      void engine.candles.set(
        symbol,
        candles.map((c) => ({ ...c })),
      ),
    addFunding(symbol, usd, timeMs) {
      engine.addIncome('FUNDING_FEE', symbol, usd, timeMs ?? now());
      stream.accountUpdate('FUNDING_FEE');
    },
    addIncome(r) {
      engine.addIncome(r.type, r.symbol ?? '', r.usd, r.timeMs ?? now(), r.asset);
      if (!r.silent) stream.accountUpdate(reasonOf(r.type, r.usd));
    },
    moveWalletUnexplained: (usd) => void (engine.wallet = engine.wallet + usd),
    orders: () => engine.orders.map((o) => ({ ...o })),
    positionOf: (symbol) => engine.positions.get(symbol)?.qty ?? 0,
    trades: () => engine.trades.map((t) => ({ ...t })),
    async stop() {
      await stream.stop();
      for (const res of hanging) res.socket?.destroy();
      server.closeAllConnections?.();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
