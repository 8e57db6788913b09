import { describe, expect, test } from 'bun:test';
import {
  checkNetwork,
  networkOfChainId,
  networkOfUrl,
} from '../../../src/domain/account/network.ts';

describe('networkOfUrl', () => {
  test('tells the testnet and mainnet hosts apart, and nothing else', () => {
    expect(networkOfUrl('https://fapi.asterdex-testnet.com')).toBe('testnet');
    expect(networkOfUrl('wss://fstream5.asterdex-testnet.com/ws')).toBe('testnet');
    expect(networkOfUrl('https://fapi.asterdex.com')).toBe('mainnet');
    expect(networkOfUrl('wss://FSTREAM.asterdex.com')).toBe('mainnet');
    // Look-alikes are not Aster.
    expect(networkOfUrl('https://fapi.asterdex.com.example.org')).toBeUndefined();
    expect(networkOfUrl('https://notasterdex.com')).toBeUndefined();
    expect(networkOfUrl('http://127.0.0.1:8080')).toBeUndefined();
    expect(networkOfUrl('not a url')).toBeUndefined();
  });

  test('chain ids: 714 testnet, 1666 mainnet', () => {
    expect(networkOfChainId(714)).toBe('testnet');
    expect(networkOfChainId(1666)).toBe('mainnet');
    expect(networkOfChainId(56)).toBeUndefined();
  });
});

describe('checkNetwork', () => {
  test('ok when all three agree', () => {
    expect(
      checkNetwork({
        baseUrl: 'https://fapi.asterdex.com',
        wsUrl: 'wss://fstream.asterdex.com',
        chainId: 1666,
      }),
    ).toEqual({
      check: 'network',
      status: 'ok',
      detail:
        'mainnet: REST https://fapi.asterdex.com, stream wss://fstream.asterdex.com, chain 1666',
    });
  });

  test('the REST URL decides; each disagreeing setting is named with its fix', () => {
    const r = checkNetwork({
      baseUrl: 'https://fapi.asterdex.com',
      wsUrl: 'wss://fstream.asterdex-testnet.com',
      chainId: 714,
    });
    expect(r.status).toBe('fail');
    expect(r.detail).toBe(
      'ASTER_WS_URL wss://fstream.asterdex-testnet.com is testnet, ASTER_CHAIN_ID 714 is testnet but ASTER_BASE_URL https://fapi.asterdex.com is mainnet: set ASTER_WS_URL=wss://fstream.asterdex.com ASTER_CHAIN_ID=1666',
    );
  });

  test('a proxy in front of REST: the stream and the chain id still must agree', () => {
    const r = checkNetwork({
      baseUrl: 'https://proxy.internal',
      wsUrl: 'wss://fstream.asterdex.com',
      chainId: 714,
    });
    expect(r.status).toBe('fail');
    expect(r.detail).toContain('ASTER_CHAIN_ID 714 is testnet but ASTER_WS_URL');
  });

  test('V1 (no chain id) on hosts that are not Aster: a warning', () => {
    const r = checkNetwork({ baseUrl: 'http://127.0.0.1:1', wsUrl: 'ws://127.0.0.1:2' });
    expect(r.status).toBe('warn');
    expect(r.detail).toContain('the network cannot be told (nothing else known)');
  });
});
