import { describe, expect, it } from 'bun:test';
import { redactDeep, redactText, redactUrl } from '../../../src/domain/redaction/redact.ts';

describe('redactUrl', () => {
  it.each([
    ['http://127.0.0.1:8080?authToken=sqld-abc123', 'http://127.0.0.1:8080/?authToken=[REDACTED]'],
    ['http://ci-bot:pgw-secret@host:9091', 'http://host:9091/'],
    [
      'libsql://db-org.turso.io?authToken=eyJhbGci&tls=1',
      'libsql://db-org.turso.io?authToken=[REDACTED]&tls=1',
    ],
    [
      'https://u@example.com/hook?token=t1&api_key=k&X-Amz-Signature=s&sig=x&page=2',
      'https://example.com/hook?token=[REDACTED]&api_key=[REDACTED]&X-Amz-Signature=[REDACTED]&sig=[REDACTED]&page=2',
    ],
    ['https://hooks.slack.com/services/T000/B000/XXXXSECRET', 'https://hooks.slack.com/[REDACTED]'],
    ['wss://user:pw@db.example.com/path', 'wss://db.example.com/path'],
    [
      'wss://fstream.asterdex.com/ws/pqia91ma19a5s61cv6a81va65sdf19v8a65a1a5s61cv6a81va65sdf19v8a65a1',
      'wss://fstream.asterdex.com/ws/[REDACTED]',
    ],
  ])('%s → %s', (url, shown) => {
    expect(redactUrl(url)).toBe(shown);
  });

  it('leaves a URL with nothing secret exactly as it was', () => {
    for (const url of [
      'http://localhost:8000',
      'file:./data/ais.db',
      'https://fapi.asterdex.com',
      'http://x/v1/events?type=alert&limit=5',
    ])
      expect(redactUrl(url)).toBe(url);
  });

  it('redacts by pattern what does not parse', () => {
    expect(redactUrl('http://user:pw@[bad/x?token=abc')).toBe('http://[bad/x?token=[REDACTED]');
  });
});

describe('redactText', () => {
  it('redacts every URL inside a message and keeps the rest', () => {
    expect(
      redactText(
        'fetch http://a:b@h:1/x?key=k failed; retry https://hooks.slack.com/services/T/B/C now',
      ),
    ).toBe(
      'fetch http://h:1/x?key=[REDACTED] failed; retry https://hooks.slack.com/[REDACTED] now',
    );
  });
  it('reaches strings nested in objects and arrays', () => {
    expect(redactDeep({ a: [{ detail: 'down: http://u:p@db:1' }], n: 1 })).toEqual({
      a: [{ detail: 'down: http://db:1/' }],
      n: 1,
    });
  });
});
