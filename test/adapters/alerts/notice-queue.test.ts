import { describe, expect, it } from 'bun:test';
import type { AlertNotice } from '../../../src/adapters/alerts/channel.ts';
import { createNoticeQueue } from '../../../src/adapters/alerts/notice-queue.ts';

const notice = (instance: string, status: 'firing' | 'resolved'): AlertNotice => ({
  name: 'ExchangeDataStale',
  severity: 'warning',
  status,
  summary: instance,
  labels: { alertname: 'ExchangeDataStale', instance },
  source: 'alertmanager',
});
const shown = (g: { notices: AlertNotice[] } | undefined) =>
  g?.notices.map((n) => `${n.labels.instance}:${n.status}`);

describe('createNoticeQueue', () => {
  it('keeps the latest status of each alert and hands out whole groups, oldest first', () => {
    const q = createNoticeQueue(100);
    expect(q.offer('g1', notice('a', 'firing'))).toBe('queued');
    expect(q.offer('g2', notice('x', 'firing'))).toBe('queued');
    expect(q.offer('g1', notice('b', 'firing'))).toBe('queued');
    expect(q.offer('g1', notice('a', 'resolved'))).toBe('coalesced');
    expect(q.waiting).toBe(3);
    expect(shown(q.take())).toEqual(['a:resolved', 'b:firing']);
    expect(shown(q.take())).toEqual(['x:firing']);
    expect(q.take()).toBeUndefined();
  });

  it('when full, drops a new firing alert but takes the resolution of one taken for sending', () => {
    const q = createNoticeQueue(1);
    q.offer('g', notice('a', 'firing'));
    const inFlight = q.take()!;
    q.offer('g', notice('b', 'firing'));
    expect(q.offer('g', notice('c', 'firing'))).toBe('dropped');
    expect(q.offer('g', notice('a', 'resolved'))).toBe('queued');
    q.sent(inFlight);
    expect(shown(q.take())).toEqual(['b:firing', 'a:resolved']);
  });

  it('puts a failed group back without overwriting a newer status, and forgets alerts given up', () => {
    const q = createNoticeQueue(100);
    q.offer('g', notice('a', 'firing'));
    q.offer('g', notice('b', 'firing'));
    const failed = q.take()!;
    q.offer('g', notice('a', 'resolved'));
    q.putBack(failed);
    expect(shown(q.take())).toEqual(['a:resolved', 'b:firing']);
    expect(q.announced(notice('b', 'resolved'))).toBe(true);
    q.gaveUp([notice('b', 'firing')]);
    expect(q.announced(notice('b', 'resolved'))).toBe(false);
  });
});
