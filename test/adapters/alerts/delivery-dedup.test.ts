import { describe, expect, it } from 'bun:test';
import {
  type AlertState,
  createDeliveryDedup,
} from '../../../src/adapters/alerts/delivery-dedup.ts';

const state = (over: Partial<AlertState> = {}): AlertState => ({
  fingerprint: 'a1b2c3d4e5f60718',
  labels: { alertname: 'HighDrawdown' },
  status: 'firing',
  startsAt: '2026-01-02T03:04:05Z',
  ...over,
});

describe('createDeliveryDedup', () => {
  it('sees the same fingerprint, status and start as a repeat within the window only', () => {
    const dedup = createDeliveryDedup(60_000);
    expect(dedup.seen(state(), 0)).toBe(false);
    expect(dedup.seen(state(), 59_999)).toBe(true);
    expect(dedup.seen(state(), 60_000)).toBe(false); // the window ran out: a reminder
    expect(dedup.seen(state(), 60_001)).toBe(true);
  });

  it('tells states apart by status, start and fingerprint', () => {
    const dedup = createDeliveryDedup(60_000);
    expect(dedup.seen(state(), 0)).toBe(false);
    expect(dedup.seen(state({ status: 'resolved' }), 1)).toBe(false);
    expect(dedup.seen(state({ startsAt: '2026-01-02T04:00:00Z' }), 2)).toBe(false);
    expect(dedup.seen(state({ fingerprint: 'ffffffffffffffff' }), 3)).toBe(false);
    expect(dedup.size).toBe(4);
  });

  it('uses the label set where a sender gives no fingerprint, in any label order', () => {
    const dedup = createDeliveryDedup(60_000);
    const labels = { alertname: 'A', instance: 'w1' };
    expect(dedup.seen(state({ fingerprint: undefined, labels }), 0)).toBe(false);
    expect(
      dedup.seen(state({ fingerprint: undefined, labels: { instance: 'w1', alertname: 'A' } }), 1),
    ).toBe(true);
    expect(dedup.seen(state({ fingerprint: undefined, labels: { alertname: 'A' } }), 2)).toBe(
      false,
    );
  });

  it('forgets expired states and remembers nothing with a window of 0', () => {
    const dedup = createDeliveryDedup(1_000);
    for (let i = 0; i < 100; i++) dedup.seen(state({ fingerprint: `fp${i}` }), i);
    expect(dedup.size).toBe(100);
    dedup.seen(state({ fingerprint: 'late' }), 5_000);
    expect(dedup.size).toBe(1);
    const off = createDeliveryDedup(0);
    expect(off.seen(state(), 0)).toBe(false);
    expect(off.seen(state(), 0)).toBe(false);
  });
});
