import { describe, expect, it } from 'bun:test';
import { createRiskTokens, TOKEN_TTL_MS } from '../../../src/adapters/crypto/risk-tokens.ts';

const OLD = 'old-secret-0123456789abcdef0123456789';
const NEW = 'new-secret-0123456789abcdef0123456789';
const tokens = createRiskTokens({ secret: NEW, keyId: 'k2', previousSecret: OLD });

describe('risk tokens', () => {
  it('has the shape {order_id}:{timestamp}:{key_id}:{hmac} and verifies for its order', () => {
    const t = tokens.sign('order-1', 1_000_000);
    expect(t).toMatch(/^order-1:1000000:k2:[0-9a-f]{64}$/);
    expect(tokens.verify(t, 'order-1', 1_000_000 + 1)).toEqual({
      ok: true,
      issuedMs: 1_000_000,
      keyId: 'k2',
    });
  });

  it('keeps working for order ids that hold colons', () => {
    const t = tokens.sign('agent:7/x', 5);
    expect(tokens.verify(t, 'agent:7/x', 10).ok).toBe(true);
  });

  it('expires after 300 s', () => {
    const t = tokens.sign('o', 0);
    expect(tokens.verify(t, 'o', TOKEN_TTL_MS).ok).toBe(true);
    expect(tokens.verify(t, 'o', TOKEN_TTL_MS + 1)).toEqual({ ok: false, problem: 'expired' });
    expect(tokens.verify(t, 'o', -60_000)).toEqual({ ok: false, problem: 'not_yet_valid' });
  });

  it('refuses a valid token presented for another order', () => {
    expect(tokens.verify(tokens.sign('o-1', 0), 'o-2', 0)).toEqual({
      ok: false,
      problem: 'wrong_order',
    });
  });

  it('detects tampering with any field', () => {
    const t = tokens.sign('o-1', 1_000);
    const [id, ts, key, mac] = t.split(':') as [string, string, string, string];
    const flip = mac.slice(0, -1) + (mac.endsWith('0') ? '1' : '0');
    for (const bad of [
      `${id}:${Number(ts) + 1}:${key}:${mac}`,
      `o-2:${ts}:${key}:${mac}`,
      `${id}:${ts}:k9:${mac}`,
      `${id}:${ts}:${key}:${flip}`,
    ]) {
      expect(tokens.verify(bad, bad.split(':')[0]!, 1_000).ok).toBe(false);
    }
    for (const junk of ['', 'abc', 'a:b:c', `${id}:x:${key}:${mac}`, `${id}:${ts}:${key}:zz`]) {
      expect(tokens.verify(junk, id, 1_000)).toEqual({ ok: false, problem: 'malformed' });
    }
  });

  it('still verifies tokens of the previous key after a rotation, and refuses unknown keys', () => {
    const before = createRiskTokens({ secret: OLD, keyId: 'k1' });
    const t = before.sign('o', 0);
    expect(tokens.verify(t, 'o', 1).ok).toBe(true);
    const stranger = createRiskTokens({
      secret: 'another-secret-0123456789abcdef0123',
      keyId: 'k1',
    });
    expect(tokens.verify(stranger.sign('o', 0), 'o', 1)).toEqual({
      ok: false,
      problem: 'bad_signature',
    });
    // Once the previous key is dropped, its tokens stop verifying.
    expect(createRiskTokens({ secret: NEW, keyId: 'k2' }).verify(t, 'o', 1).ok).toBe(false);
  });
});
