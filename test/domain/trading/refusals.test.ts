import { describe, expect, it } from 'bun:test';
import {
  DEFAULT_HOLD,
  hold,
  holdOf,
  intentOf,
  type OrderContext,
  releasedBy,
  type RefusalHolds,
} from '../../../src/domain/trading/refusal-hold.ts';
import { classifyRefusal, type RefusalReason } from '../../../src/domain/trading/refusals.ts';
import { ExchangeError } from '../../../src/ports/exchange.ts';

const rejected = (code: number) =>
  new ExchangeError('rejected', `aster new_order: ${code} refused`, {
    status: 400,
    code,
    operation: 'new_order',
  });

describe('classifyRefusal', () => {
  it.each([
    [-2019, 'margin_insufficient'],
    [-2018, 'margin_insufficient'],
    [-4164, 'notional_too_small'],
    [-2022, 'position_gone'],
    [-1111, 'precision'],
    [-4023, 'precision'],
    [-4014, 'precision'],
    [-4131, 'filter'],
    [-4005, 'filter'],
    [-4140, 'symbol_status'],
    [-4141, 'symbol_status'],
    [-1121, 'symbol_status'],
    [-1022, 'rejected'],
  ] as [number, RefusalReason][])(
    'maps %p to %p, with the code as the bounded label',
    (code, reason) => {
      expect(classifyRefusal(rejected(code))).toEqual({
        reason,
        code: String(code),
        message: `aster new_order: ${code} refused`,
      });
    },
  );

  it('is not a refusal of the order for outages, rate limits, throttling or other errors', () => {
    for (const e of [
      new ExchangeError('timeout', 'slow'),
      new ExchangeError('rate_limited', 'HTTP 403, web application firewall limit', {
        status: 403,
      }),
      new ExchangeError('banned', 'HTTP 418'),
      new ExchangeError('throttled', 'budget'),
      new Error('boom'),
    ]) {
      expect(classifyRefusal(e)).toBeUndefined();
    }
  });
});

describe('refusal holds', () => {
  const key = { symbol: 'BTCUSDT', side: 'BUY' as const, intent: 'open' as const };
  const ctx: OrderContext = {
    walletUsd: 10_000,
    positionQty: 0,
    price: 60_000,
    rulesVersion: '{"stepSize":0.001}',
  };
  const refusal = {
    reason: 'margin_insufficient' as const,
    code: '-2019',
    message: 'Margin is insufficient.',
  };
  const held = hold(new Map(), key, refusal, ctx, 1_000);

  it('holds the same order while nothing it depends on changed', () => {
    expect(holdOf(held, key, ctx, 2_000)?.refusal).toEqual(refusal);
    // Small moves inside the bands still hold: a fee, a price tick.
    expect(holdOf(held, key, { ...ctx, walletUsd: 10_005, price: 60_300 }, 2_000)).toBeDefined();
  });

  it('does not hold another order: other side, other symbol, other intent', () => {
    expect(holdOf(held, { ...key, side: 'SELL' }, ctx, 2_000)).toBeUndefined();
    expect(holdOf(held, { ...key, symbol: 'ETHUSDT' }, ctx, 2_000)).toBeUndefined();
    expect(holdOf(held, { ...key, intent: 'reduce' }, ctx, 2_000)).toBeUndefined();
  });

  it.each([
    ['position', { ...ctx, positionQty: 0.1 }, 2_000],
    ['balance', { ...ctx, walletUsd: 10_020 }, 2_000],
    ['price', { ...ctx, price: 60_700 }, 2_000],
    ['price', { ...ctx, price: 59_300 }, 2_000],
    ['rules', { ...ctx, rulesVersion: '{"stepSize":0.01}' }, 2_000],
    ['time', ctx, 1_000 + DEFAULT_HOLD.holdMs],
  ] as const)('releases on a change of %s', (why, now, nowMs) => {
    expect(releasedBy(held.get('BTCUSDT|BUY|open')!, now, nowMs)).toBe(why);
    expect(holdOf(held, key, now, nowMs)).toBeUndefined();
  });

  it('drops expired holds when it records a new one', () => {
    const later: RefusalHolds = hold(
      held,
      { ...key, symbol: 'ETHUSDT' },
      refusal,
      ctx,
      1_000 + DEFAULT_HOLD.holdMs,
    );
    expect([...later.keys()]).toEqual(['ETHUSDT|BUY|open']);
  });

  it('names the intent: reducing shrinks |position|', () => {
    expect(intentOf('SELL', 1)).toBe('reduce');
    expect(intentOf('BUY', -1)).toBe('reduce');
    expect(intentOf('BUY', 0)).toBe('open');
    expect(intentOf('BUY', 1)).toBe('open');
  });
});
