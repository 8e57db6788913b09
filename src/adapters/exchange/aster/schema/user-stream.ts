// User-data stream messages (Aster "User Data Streams": ORDER_TRADE_UPDATE, ACCOUNT_UPDATE,
// MARGIN_CALL, listenKeyExpired), parsed once into the port's UserStreamEvent. Decimals arrive as
// strings, ids and times as integers, as on REST. Other event types (leverage updates,
// announcements) are of no interest: undefined.
import { z } from 'zod';
import { ExchangeError } from '../../../../ports/exchange.ts';
import type { FillOrigin, UserStreamEvent } from '../../../../ports/user-stream.ts';
import { decimal, id, millis, side } from './common.ts';

export const listenKeyAnswer = z.object({ listenKey: z.string().min(1).max(256) });
/** PUT and DELETE answer `{}`. */
export const emptyAnswer = z.object({});

const orderTradeUpdate = z.object({
  e: z.literal('ORDER_TRADE_UPDATE'),
  E: millis,
  T: millis.optional(),
  o: z.object({
    s: z.string(),
    c: z.string(),
    S: side,
    o: z.string(),
    x: z.string(),
    X: z.string(),
    i: id,
    l: decimal,
    L: decimal,
    n: decimal.optional(),
    N: z.string().optional(),
    T: millis,
    t: z.number().int(),
    rp: decimal.optional(),
  }),
});

const accountUpdate = z.object({
  e: z.literal('ACCOUNT_UPDATE'),
  E: millis,
  a: z.object({
    m: z.string(),
    B: z.array(z.object({ a: z.string(), wb: decimal })).default([]),
    P: z
      .array(
        z.object({
          s: z.string(),
          pa: decimal,
          ep: decimal,
          up: decimal,
          mt: z.string(),
          ps: z.string().optional(),
        }),
      )
      .default([]),
  }),
});

const marginCall = z.object({
  e: z.literal('MARGIN_CALL'),
  E: millis,
  p: z.array(z.object({ s: z.string(), ps: z.string(), pa: decimal, mp: decimal, mm: decimal })),
});

const expired = z.object({ e: z.literal('listenKeyExpired'), E: millis });

/** "Event: Account Configuration Update previous Leverage Update": `ac` a symbol's leverage, or `ai` the account's modes (`d` position mode, true = hedge). */
const configUpdate = z.object({
  e: z.literal('ACCOUNT_CONFIG_UPDATE'),
  E: millis,
  ac: z.object({ s: z.string(), l: z.number() }).optional(),
  ai: z.object({ d: z.boolean().optional() }).optional(),
});

const message = z.discriminatedUnion('e', [
  orderTradeUpdate,
  accountUpdate,
  marginCall,
  expired,
  configUpdate,
]);
const KNOWN = new Set([
  'ORDER_TRADE_UPDATE',
  'ACCOUNT_UPDATE',
  'MARGIN_CALL',
  'listenKeyExpired',
  'ACCOUNT_CONFIG_UPDATE',
]);

/**
 * Liquidation orders carry a client order id starting with `autoclose-` (order type LIQUIDATION,
 * execution CALCULATED); ADL ones `adl_autoclose` (status NEW_ADL) — the docs' Order Update notes.
 */
function originOf(o: z.output<typeof orderTradeUpdate>['o']): FillOrigin {
  if (o.c.startsWith('autoclose-') || o.o === 'LIQUIDATION' || o.x === 'CALCULATED')
    return 'liquidation';
  if (o.c === 'adl_autoclose' || o.X === 'NEW_ADL') return 'adl';
  return 'other';
}

/** An order's update: a fill when it traded (TRADE, or CALCULATED for a liquidation), else its new status. */
function orderEvent(m: z.output<typeof orderTradeUpdate>, asset: string): UserStreamEvent {
  const o = m.o;
  if (!(o.x === 'TRADE' || o.x === 'CALCULATED') || !(o.l > 0)) {
    return {
      type: 'order',
      symbol: o.s,
      clientOrderId: o.c,
      orderId: o.i,
      status: o.X,
      eventMs: m.E,
    };
  }
  const commission = o.n ?? 0;
  const inAsset = (o.N ?? asset) === asset;
  return {
    type: 'fill',
    fill: {
      id: String(o.t),
      orderId: o.i,
      clientOrderId: o.c,
      symbol: o.s,
      side: o.S,
      quantity: o.l,
      price: o.L,
      // As on REST: a commission in the margin asset is a fee in USD (negative: a rebate); one in
      // another asset (BNB, ASTER) is recorded apart and not booked against cash.
      feeUsd: inAsset ? commission : 0,
      ...(inAsset || commission === 0 ? {} : { foreignFee: { asset: o.N!, amount: commission } }),
      realizedPnlUsd: o.rp ?? 0,
      timeMs: o.T,
      origin: originOf(o),
      eventMs: m.E,
    },
  };
}

/** The account's balances and positions after a change, in the margin asset `asset`. */
function accountEvent(m: z.output<typeof accountUpdate>, asset: string): UserStreamEvent {
  const wallet = m.a.B.find((b) => b.a === asset);
  return {
    type: 'account',
    reason: m.a.m,
    ...(wallet ? { walletUsd: wallet.wb } : {}),
    positions: m.a.P.map((p) => ({
      symbol: p.s,
      quantity: p.pa,
      entryPrice: p.ep,
      unrealizedPnlUsd: p.up,
      marginType: p.mt.toLowerCase() === 'isolated' ? 'isolated' : 'cross',
    })),
    eventMs: m.E,
  };
}

/**
 * One stream message → an event of the port, for the margin asset `asset`. Throws an Error naming
 * the field for a known event off its schema, or for text that is not JSON.
 */
export function parseUserStreamMessage(text: string, asset = 'USDT'): UserStreamEvent | undefined {
  const json: unknown = JSON.parse(text);
  const type = (json as { e?: unknown } | null)?.e;
  if (typeof type !== 'string' || !KNOWN.has(type)) return undefined;
  const r = message.safeParse(json);
  if (!r.success)
    throw new ExchangeError(
      'bad_response',
      `user stream ${type} off schema at ${r.error.issues[0]?.path.join('.') || 'body'}: ${r.error.issues[0]?.message}`,
    );
  const m = r.data;
  switch (m.e) {
    case 'ORDER_TRADE_UPDATE':
      return orderEvent(m, asset);
    case 'ACCOUNT_UPDATE':
      return accountEvent(m, asset);
    case 'MARGIN_CALL':
      return {
        type: 'margin_call',
        positions: m.p.map((p) => ({
          symbol: p.s,
          side: p.ps === 'LONG' ? 'BUY' : p.ps === 'SHORT' ? 'SELL' : 'BOTH',
          quantity: p.pa,
          markPrice: p.mp,
          maintenanceMarginUsd: p.mm,
        })),
        eventMs: m.E,
      };
    case 'listenKeyExpired':
      return { type: 'listen_key_expired', eventMs: m.E };
    case 'ACCOUNT_CONFIG_UPDATE':
      return {
        type: 'config',
        ...(m.ac ? { symbol: m.ac.s, leverage: m.ac.l } : {}),
        ...(m.ai?.d !== undefined ? { hedgeMode: m.ai.d } : {}),
        eventMs: m.E,
      };
  }
}
