import { describe, expect, test } from 'bun:test';
import {
  formatTrades,
  plain,
  tradesFormatOf,
} from '../../../src/adapters/market/backtest-trades.ts';
import type { ExchangeTrade } from '../../../src/ports/exchange.ts';

const trade = (over: Partial<ExchangeTrade>): ExchangeTrade => ({
  id: '7',
  orderId: '3',
  symbol: 'BTCUSDT',
  side: 'BUY',
  quantity: 0.1 + 0.2,
  price: 60_000.5,
  feeUsd: 7.2006,
  realizedPnlUsd: 2.6e-12,
  timeMs: Date.UTC(2026, 0, 1, 0, 1),
  ...over,
});

describe('tradesFormatOf', () => {
  test('by extension, any case; anything else is undefined', () => {
    expect(tradesFormatOf('out.csv')).toBe('csv');
    expect(tradesFormatOf('dir.v2/OUT.JSON')).toBe('json');
    expect(tradesFormatOf('out.txt')).toBeUndefined();
    expect(tradesFormatOf('--help')).toBeUndefined();
    expect(tradesFormatOf('csv')).toBeUndefined();
  });
});

describe('plain', () => {
  test('never an exponent, float noise gone, real digits kept', () => {
    expect(plain(2.6e-12, 8)).toBe('0');
    expect(plain(-2.6e-12, 8)).toBe('0');
    expect(plain(0.1 + 0.2, 10)).toBe('0.3');
    expect(plain(100, 8)).toBe('100');
    expect(plain(1e-7, 10)).toBe('0.0000001');
    expect(plain(-12.5, 8)).toBe('-12.5');
  });
});

describe('formatTrades', () => {
  const trades = [
    trade({ id: '8', timeMs: Date.UTC(2026, 0, 1, 0, 2), side: 'SELL', realizedPnlUsd: -3.25 }),
    trade({}),
  ];

  test('CSV: a header, one line per trade, oldest first, plain decimals', () => {
    expect(formatTrades(trades, 'csv')).toBe(
      [
        'time,time_ms,symbol,side,quantity,price,notional_usd,fee_usd,realized_pnl_usd,trade_id,order_id',
        '2026-01-01T00:01:00.000Z,1767225660000,BTCUSDT,BUY,0.3,60000.5,18000.15,7.2006,0,7,3',
        '2026-01-01T00:02:00.000Z,1767225720000,BTCUSDT,SELL,0.3,60000.5,18000.15,7.2006,-3.25,8,3',
        '',
      ].join('\n'),
    );
  });

  test('JSON: the same rows under the same names', () => {
    const rows = JSON.parse(formatTrades(trades, 'json'));
    expect(rows).toHaveLength(2);
    expect(rows[1]).toEqual({
      time: '2026-01-01T00:02:00.000Z',
      time_ms: 1767225720000,
      symbol: 'BTCUSDT',
      side: 'SELL',
      quantity: '0.3',
      price: '60000.5',
      notional_usd: '18000.15',
      fee_usd: '7.2006',
      realized_pnl_usd: '-3.25',
      trade_id: '8',
      order_id: '3',
    });
  });

  test('no trades: the header alone, or an empty array', () => {
    expect(formatTrades([], 'csv').trim().split('\n')).toHaveLength(1);
    expect(JSON.parse(formatTrades([], 'json'))).toEqual([]);
  });
});
