import { describe, expect, it } from 'bun:test';
import { createRiskTokens } from '../../../src/adapters/crypto/risk-tokens.ts';
import { gateOrders, OrderRefusedError } from '../../../src/domain/risk/order-gate.ts';

const tokens = createRiskTokens({ secret: 'gate-secret-0123456789abcdef012345', keyId: 'k1' });

describe('gateOrders', () => {
  const setup = (nowMs: number) => {
    const placed: string[] = [];
    const place = gateOrders(
      async (o: { orderId: string; riskToken?: string }) => (placed.push(o.orderId), 'placed'),
      tokens,
      () => nowMs,
    );
    return { placed, place };
  };

  it('places an order that carries a valid token for its id', async () => {
    const { placed, place } = setup(1_000);
    expect(await place({ orderId: 'o-1', riskToken: tokens.sign('o-1', 500) })).toBe('placed');
    expect(placed).toEqual(['o-1']);
  });

  it.each([
    ['missing_token', undefined, 1_000],
    ['wrong_order', tokens.sign('o-2', 500), 1_000],
    ['expired', tokens.sign('o-1', 0), 400_000],
    ['bad_signature', tokens.sign('o-1', 500).replace(/.$/, (c) => (c === '0' ? '1' : '0')), 1_000],
  ] as const)('refuses (%s) without placing anything', async (problem, riskToken, nowMs) => {
    const { placed, place } = setup(nowMs);
    const err = await place({ orderId: 'o-1', riskToken }).catch((e) => e);
    expect(err).toBeInstanceOf(OrderRefusedError);
    expect(err.problem).toBe(problem);
    expect(placed).toEqual([]);
  });
});
