import { describe, expect, it } from 'bun:test';
import {
  encodeParams,
  formatDecimal,
  signPayload,
} from '../../../../src/adapters/exchange/aster/sign.ts';

describe('signPayload', () => {
  it('reproduces the documented example of the futures API (SIGNED endpoint examples, POST /fapi/v1/order)', () => {
    const secret = '2b5eb11e18796d12d88f13dc27dbbd02c2cc51ff7059765ed9821957d82bb4d9';
    const query =
      'symbol=BTCUSDT&side=BUY&type=LIMIT&quantity=1&price=9000&timeInForce=GTC&recvWindow=5000&timestamp=1591702613943';
    expect(signPayload(secret, query)).toBe(
      '3c661234138461fcc7a7d8746c6558c9842d4e10870d2ecbedf7777cad694af9',
    );
  });

  it('changes with any byte of the payload', () => {
    expect(signPayload('k', 'a=1')).not.toBe(signPayload('k', 'a=2'));
  });
});

describe('encodeParams', () => {
  it('keeps insertion order, drops undefined, percent-encodes values and writes plain decimals', () => {
    expect(
      encodeParams({
        symbol: 'BTCUSDT',
        quantity: 0.1 + 0.2,
        startTime: undefined,
        newClientOrderId: 'a:b/c d',
        price: 1e-7,
        reduceOnly: true,
      }),
    ).toBe(
      'symbol=BTCUSDT&quantity=0.3&newClientOrderId=a%3Ab%2Fc%20d&price=0.0000001&reduceOnly=true',
    );
  });

  it('formats integers and large numbers without exponents', () => {
    expect(formatDecimal(1591702613943)).toBe('1591702613943');
    expect(formatDecimal(12345.5)).toBe('12345.5');
  });
});
