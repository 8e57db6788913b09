import { describe, expect, test } from 'bun:test';
import { parseCsvBars } from '../../../src/adapters/market/csv-bars.ts';
import { createReplayMarket } from '../../../src/domain/market/replay.ts';

const csv = [
  'time,symbol,open,high,low,close,volume',
  '0,BTCUSDT,100,110,95,105,1',
  '60000,BTCUSDT,105,107,100,101,2',
  '0,ETHUSDT,10,11,9,10.5,',
  '60000,ETHUSDT,10.5,12,10,11,3',
].join('\n');

describe('CSV bars and the replay market', () => {
  test('bars become visible once closed, per symbol, oldest first', () => {
    const m = createReplayMarket(parseCsvBars(csv));
    expect(m).toMatchObject({ barMs: 60_000, startMs: 0, endMs: 119_999 });
    expect([...m.symbols].sort()).toEqual(['BTCUSDT', 'ETHUSDT']);
    expect(m.price('BTCUSDT')).toBeUndefined();
    expect(m.advanceTo(59_999)).toBe(2);
    expect(m.price('BTCUSDT')).toBe(105);
    expect(m.candles('ETHUSDT', 10).map((c) => c.close)).toEqual([10.5]);
    m.advanceTo(200_000);
    expect(m.candles('BTCUSDT', 10).map((c) => c.close)).toEqual([105, 101]);
    expect(m.candles('BTCUSDT', 1).map((c) => c.close)).toEqual([101]);
  });

  test('ISO times and any column order are read', () => {
    const bars = parseCsvBars(
      'symbol,close,low,high,open,time\nSOLUSDT,2,1,3,2,2026-01-01T00:00:00Z',
    );
    expect(bars[0]).toMatchObject({
      symbol: 'SOLUSDT',
      openTimeMs: Date.UTC(2026, 0, 1),
      close: 2,
    });
  });

  test('a malformed line is refused with its line number', () => {
    const bad = (text: string) => () => parseCsvBars(text);
    expect(bad('time,symbol,open,high,low\n0,X,1,1,1')).toThrow(/line 1: .*missing close/);
    expect(bad('time,symbol,open,high,low,close\n0,BTCUSDT,1,2,1,1\nx,BTCUSDT,1,2,1,1')).toThrow(
      /line 3: time/,
    );
    expect(bad('time,symbol,open,high,low,close\n0,BTCUSDT,1,2,1,-1')).toThrow(
      /line 2: close must be a positive number/,
    );
    expect(bad('time,symbol,open,high,low,close\n0,btc,1,2,1,1')).toThrow(/line 2: symbol/);
    expect(bad('time,symbol,open,high,low,close\n0,BTCUSDT,1,2,1.5,1')).toThrow(
      /line 2: low and high/,
    );
    expect(bad('time,symbol,open,high,low,close\n')).toThrow(/no bars/);
    expect(() =>
      createReplayMarket(
        parseCsvBars('time,symbol,open,high,low,close\n0,A1,1,1,1,1\n0,A1,1,1,1,1'),
      ),
    ).toThrow(/two bars of one symbol/);
  });
});
