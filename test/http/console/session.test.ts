import { describe, expect, it } from 'bun:test';
import { createSessions } from '../../../src/http/console/session.ts';

const TOKEN = 'session-test-token-0123456789';
const HOUR = 3_600_000;

describe('createSessions', () => {
  it('issues a value that verifies until it expires, and never contains the token', () => {
    const s = createSessions(TOKEN, HOUR);
    const { value, expiresMs } = s.issue(1_000);
    expect(expiresMs).toBe(1_000 + HOUR);
    expect(value).not.toContain(TOKEN);
    expect(s.verify(value, 1_000)).toBe(true);
    expect(s.verify(value, 1_000 + HOUR - 1)).toBe(true);
    expect(s.verify(value, 1_000 + HOUR)).toBe(false);
  });

  it('gives every login its own random id', () => {
    const s = createSessions(TOKEN, HOUR);
    expect(s.issue(0).value).not.toBe(s.issue(0).value);
  });

  it('refuses a value with a changed expiry, id or signature, and any other shape', () => {
    const s = createSessions(TOKEN, HOUR);
    const { value } = s.issue(0);
    const [expiry, id, mac] = value.split('.') as [string, string, string];
    const later = (Number.parseInt(expiry, 36) + 10 * HOUR).toString(36);
    for (const forged of [
      `${later}.${id}.${mac}`,
      `${expiry}.${id.replace(/^./, (c) => (c === 'A' ? 'B' : 'A'))}.${mac}`,
      `${expiry}.${id}.${mac.replace(/.$/, (c) => (c === 'A' ? 'B' : 'A'))}`,
      `${expiry}.${id}`,
      TOKEN,
      '',
      undefined,
    ])
      expect(s.verify(forged, 1)).toBe(false);
  });

  it('refuses sessions signed under another token (a new token ends every session)', () => {
    const old = createSessions(TOKEN, HOUR).issue(0).value;
    expect(createSessions(`${TOKEN}-rotated`, HOUR).verify(old, 1)).toBe(false);
    // The same token in a restarted process keeps them.
    expect(createSessions(TOKEN, HOUR).verify(old, 1)).toBe(true);
  });

  it('ends a session at logout, and only that one', () => {
    const s = createSessions(TOKEN, HOUR);
    const a = s.issue(0).value;
    const b = s.issue(0).value;
    s.revoke(a, 1);
    expect(s.verify(a, 2)).toBe(false);
    expect(s.verify(b, 2)).toBe(true);
  });

  it('checks a login attempt against the token', () => {
    const s = createSessions(TOKEN, HOUR);
    expect(s.checkToken(TOKEN)).toBe(true);
    expect(s.checkToken(`${TOKEN}x`)).toBe(false);
    expect(s.checkToken('')).toBe(false);
  });
});
