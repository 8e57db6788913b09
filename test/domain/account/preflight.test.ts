// The pre-flight's checks over facts given by hand: each row's status and line, and the table.
import { describe, expect, test } from 'bun:test';
import type { PreflightFacts } from '../../../src/domain/account/preflight-checks.ts';
import {
  formatPreflight,
  preflightExitCode,
  runPreflightChecks,
} from '../../../src/domain/account/preflight.ts';
import { paperSymbolRules } from '../../../src/adapters/exchange/paper/symbol-table.ts';

const ok = <T>(value: T) => ({ ok: true as const, value });
const failed = (error: string) => ({ ok: false as const, error });

function facts(over: Partial<{ [K in keyof PreflightFacts]: Partial<PreflightFacts[K]> }> = {}) {
  const base: PreflightFacts = {
    worker: {
      keys: { scheme: 'v1' },
      network: { baseUrl: 'https://fapi.asterdex.com', wsUrl: 'wss://fstream.asterdex.com' },
      symbols: ['BTCUSDT'],
      agents: [],
      limits: { AIS_MAX_DRAWDOWN: 0.05 },
      stopLoss: { fraction: 0.03, onExchange: true },
      controlToken: true,
    },
    account: {
      permissions: ok({ canTrade: true, canDeposit: true, canWithdraw: false }),
      settings: ok({
        hedgeMode: false,
        symbols: [
          {
            symbol: 'BTCUSDT',
            quantity: 0,
            leverage: 20,
            marginType: 'CROSSED',
            positionSide: 'BOTH',
          },
        ],
      }),
      balance: ok({ asset: 'USDT', walletUsd: 500, availableUsd: 500 }),
      positions: ok([]),
      openOrders: ok([]),
    },
    market: {
      rules: ok(new Map([['BTCUSDT', paperSymbolRules('BTCUSDT')]])),
      brackets: ok({ BTCUSDT: { maxLeverage: 125, maintMarginRatio: 0.0065 } }),
    },
    connection: {
      clock: ok({ offsetMs: -40, roundTripMs: 90 }),
      stream: ok({ detail: 'answered LIST_SUBSCRIPTIONS in 80 ms', confirmed: true }),
    },
  };
  return {
    worker: { ...base.worker, ...over.worker },
    account: { ...base.account, ...over.account },
    market: { ...base.market, ...over.market },
    connection: { ...base.connection, ...over.connection },
  } as PreflightFacts;
}

const row = (f: PreflightFacts, name: string) =>
  runPreflightChecks(f).find((c) => c.check === name)!;

describe('runPreflightChecks', () => {
  test('all well: every row ok, exit 0', () => {
    const checks = runPreflightChecks(facts());
    expect(checks.every((c) => c.status === 'ok')).toBe(true);
    expect(preflightExitCode(checks)).toBe(0);
    expect(row(facts(), 'clock').detail).toBe('exchange clock behind by 40 ms (round trip 90 ms)');
    expect(row(facts(), 'margin BTCUSDT').detail).toBe(
      'CROSSED, leverage 20x, bracket max 125x, maintenance 0.65 % (not configured: left as is)',
    );
  });

  test('a refused signed read fails the keys and every row that needed it, naming the reason', () => {
    const refused = failed('aster account: -2015 Invalid API-key, IP, or permissions for action.');
    const f = facts({
      account: { permissions: refused, settings: refused, balance: refused },
    });
    expect(row(f, 'keys')).toEqual({
      check: 'keys',
      status: 'fail',
      detail:
        'V1 HMAC API key (ASTER_API_KEY): a signed read failed: aster account: -2015 Invalid API-key, IP, or permissions for action.',
    });
    expect(row(f, 'position mode').detail).toStartWith('not read: aster account: -2015');
    expect(row(f, 'balance').status).toBe('fail');
  });

  test('an account that may not trade fails permissions', () => {
    const f = facts({
      account: { permissions: ok({ canTrade: false, canDeposit: true, canWithdraw: false }) },
    });
    expect(row(f, 'permissions').status).toBe('fail');
    expect(row(f, 'permissions').detail).toContain('the account may not trade');
  });

  test('hedge mode with an open leg names it and says start-up would refuse', () => {
    const f = facts({
      account: {
        settings: ok({
          hedgeMode: true,
          symbols: [
            {
              symbol: 'BTCUSDT',
              quantity: 0.5,
              leverage: 20,
              marginType: 'CROSSED',
              positionSide: 'LONG',
            },
          ],
        }),
      },
    });
    expect(row(f, 'position mode').detail).toContain(
      'with open positions (BTCUSDT LONG 0.5): the worker would refuse to start',
    );
  });

  test('a margin type change asked for a symbol with a position fails; without one it warns', () => {
    const settings = (quantity: number) =>
      ok({
        hedgeMode: false,
        symbols: [
          {
            symbol: 'BTCUSDT',
            quantity,
            leverage: 20,
            marginType: 'CROSSED' as const,
            positionSide: 'BOTH' as const,
          },
        ],
      });
    const worker = { marginType: { all: 'ISOLATED' as const, bySymbol: {} } };
    expect(
      row(facts({ worker, account: { settings: settings(0.1) } }), 'margin BTCUSDT'),
    ).toMatchObject({
      status: 'fail',
    });
    expect(
      row(facts({ worker, account: { settings: settings(0) } }), 'margin BTCUSDT'),
    ).toMatchObject({
      status: 'warn',
    });
  });

  test('no available balance fails; a position outside AIS_SYMBOLS warns', () => {
    const f = facts({
      account: {
        balance: ok({ asset: 'USDT', walletUsd: 100, availableUsd: 0 }),
        positions: ok([
          {
            symbol: 'DOGEUSDT',
            quantity: -100,
            entryPrice: 0.2,
            markPrice: 0.2,
            unrealizedPnlUsd: 0,
          },
        ]),
      },
    });
    expect(row(f, 'balance')).toMatchObject({ status: 'fail' });
    expect(row(f, 'positions').status).toBe('warn');
    expect(row(f, 'positions').detail).toStartWith(
      'DOGEUSDT -100 @ 0.2; DOGEUSDT not in AIS_SYMBOLS',
    );
  });

  test('open orders are listed, stops with their trigger', () => {
    const f = facts({
      account: {
        openOrders: ok([
          {
            symbol: 'BTCUSDT',
            side: 'SELL',
            type: 'STOP_MARKET',
            quantity: 0,
            price: 0,
            stopPrice: 58_000,
            clientOrderId: 'ais-stop-1',
          },
        ]),
      },
    });
    expect(row(f, 'open orders').detail).toBe(
      '1: BTCUSDT SELL STOP_MARKET close-all stop 58000 (ais-stop-1)',
    );
  });
});

describe('formatPreflight', () => {
  test('a header, aligned rows, the summary; a failure says to fix it', () => {
    const f = facts({ connection: { clock: ok({ offsetMs: 1_500, roundTripMs: 20 }) } });
    const checks = runPreflightChecks(f);
    expect(preflightExitCode(checks)).toBe(1);
    const lines = formatPreflight(checks).split('\n');
    expect(lines[0]).toBe('check            status  detail');
    expect(lines).toContain(
      "clock            fail    exchange clock ahead by 1500 ms (round trip 20 ms), more than 1000 ms: synchronise this host's clock (timedatectl set-ntp true; chronyc tracking)",
    );
    expect(lines.at(-1)).toBe('11 ok, 0 warn, 1 fail: fix what failed before going live');
  });
});
