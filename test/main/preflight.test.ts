// The pre-flight against the fake exchange set up like the testnet (chain id 714, reached under
// the testnet's hostnames through test/fake-aster/hosts.ts): it passes when all is well, fails with
// one clear line for each wrong setting, and changes nothing (the fake records every request).
import { afterEach, describe, expect, test } from 'bun:test';
import { spawnSync } from 'node:child_process';
import type { PreflightCheck } from '../../src/domain/account/preflight-checks.ts';
import { runPreflight } from '../../src/main/preflight.ts';
import { asterHostsOn } from '../fake-aster/hosts.ts';
import { type FakeAster, startFakeAster } from '../fake-aster/server.ts';
import { ROOT } from '../helpers/worker-process.ts';

const TESTNET = {
  ASTER_BASE_URL: 'https://fapi.asterdex-testnet.com',
  ASTER_WS_URL: 'wss://fstream.asterdex-testnet.com',
  ASTER_CHAIN_ID: '714',
};

let fake: FakeAster | undefined;
afterEach(async () => {
  await fake?.stop();
  fake = undefined;
});

async function testnetLike() {
  fake = await startFakeAster({ chainId: 714, symbols: ['BTCUSDT', 'ETHUSDT', 'SOLUSDT'] });
  const w = fake.wallet;
  const env = {
    AIS_EXCHANGE: 'aster',
    ...TESTNET,
    ASTER_USER: w.user,
    ASTER_SIGNER: w.signer,
    ASTER_SIGNER_PRIVATE_KEY: w.privateKey,
    AIS_RISK_HMAC_SECRET: 'preflight-risk-secret-0123456789abcdef',
    AIS_SYMBOLS: 'BTCUSDT,ETHUSDT',
    AIS_EXCHANGE_TIMEOUT_MS: '3000',
    AIS_API_TOKEN: 'preflight-api-token-0123456789',
  };
  const transport = asterHostsOn(fake);
  const run = (extra: Record<string, string> = {}, listenKey = false) =>
    runPreflight({ ...env, ...extra }, { listenKey, runtime: transport });
  return { fake, env, transport, run };
}

const rowOf = (checks: PreflightCheck[], name: string) => checks.find((c) => c.check === name);
/** Methods and paths of every request that could change the account (anything but a GET). */
const writes = (f: FakeAster) => f.requests.filter((r) => r.method !== 'GET');

describe('npm run preflight', () => {
  test('passes on a testnet-like account, reading only: every request a GET, no listen key', async () => {
    const { fake, transport, run } = await testnetLike();
    fake.setPosition('BTCUSDT', 0.01, 60_000);
    const { checks, text, exitCode } = await run();
    expect(checks.filter((c) => c.status !== 'ok')).toEqual([]);
    expect(exitCode).toBe(0);
    expect(checks.map((c) => c.check)).toEqual([
      'keys',
      'permissions',
      'network',
      'clock',
      'stream',
      'position mode',
      'symbol BTCUSDT',
      'margin BTCUSDT',
      'symbol ETHUSDT',
      'margin ETHUSDT',
      'balance',
      'positions',
      'open orders',
      'worker settings',
    ]);
    expect(rowOf(checks, 'network')!.detail).toBe(
      'testnet: REST https://fapi.asterdex-testnet.com, stream wss://fstream.asterdex-testnet.com, chain 714',
    );
    expect(rowOf(checks, 'keys')!.detail).toContain(`V3 API wallet ${fake.wallet.signer}`);
    expect(rowOf(checks, 'margin BTCUSDT')!.detail).toContain('bracket max 125x');
    expect(rowOf(checks, 'positions')!.detail).toStartWith('BTCUSDT 0.01 @ 60000');
    expect(rowOf(checks, 'worker settings')!.detail).toContain('no agents');
    expect(text.split('\n')[0]).toMatch(/^check\s+status\s+detail$/);
    expect(text).toEndWith('14 ok, 0 warn, 0 fail: ready to start the worker');
    // Read-only: the fake saw GETs only, and signed reads among them; no listen key exists.
    expect(fake.requests.length).toBeGreaterThan(8);
    expect(writes(fake)).toEqual([]);
    expect(fake.requests.map((r) => r.path)).toContain('/fapi/v3/leverageBracket');
    expect(fake.stream.listenKey).toBeUndefined();
    expect(fake.stream.subscriptionLists).toEqual(['{"method":"LIST_SUBSCRIPTIONS","id":1}']);
    expect(new Set(transport.asked)).toEqual(
      new Set(['fapi.asterdex-testnet.com', 'fstream.asterdex-testnet.com']),
    );
  });

  test('fails on hedge mode with one line that says what to do', async () => {
    const { fake, run } = await testnetLike();
    fake.setHedgeMode(true);
    const { checks, exitCode } = await run();
    expect(exitCode).toBe(1);
    expect(checks.filter((c) => c.status === 'fail')).toEqual([
      {
        check: 'position mode',
        status: 'fail',
        detail:
          'hedge mode, the worker trades only in one-way mode; without positions: the worker would switch it to one-way at start-up (a change to the account); switch it on asterdex.com first to keep the pre-flight clean',
      },
    ]);
    expect(writes(fake)).toEqual([]);
    expect(fake.hedgeMode).toBe(true);
  });

  test('fails when the stream is on mainnet while REST is on the testnet', async () => {
    const { fake, run } = await testnetLike();
    const { checks, exitCode } = await run({ ASTER_WS_URL: 'wss://fstream.asterdex.com' });
    expect(exitCode).toBe(1);
    expect(checks.filter((c) => c.status === 'fail')).toEqual([
      {
        check: 'network',
        status: 'fail',
        detail:
          'ASTER_WS_URL wss://fstream.asterdex.com is mainnet but ASTER_BASE_URL https://fapi.asterdex-testnet.com is testnet: set ASTER_WS_URL=wss://fstream.asterdex-testnet.com',
      },
    ]);
    expect(writes(fake)).toEqual([]);
  });

  test('fails for a symbol that is not trading, and for one the exchange does not list', async () => {
    const { fake, run } = await testnetLike();
    fake.setSymbolRules('ETHUSDT', { status: 'BREAK' });
    const { checks, exitCode } = await run({ AIS_SYMBOLS: 'BTCUSDT,ETHUSDT,DOGEUSDT' });
    expect(exitCode).toBe(1);
    expect(rowOf(checks, 'symbol ETHUSDT')).toMatchObject({ status: 'fail' });
    expect(rowOf(checks, 'symbol ETHUSDT')!.detail).toStartWith(
      'status BREAK, not TRADING: the exchange takes no order for it; remove it from AIS_SYMBOLS or wait until it trades (tick',
    );
    expect(rowOf(checks, 'symbol DOGEUSDT')).toEqual({
      check: 'symbol DOGEUSDT',
      status: 'fail',
      detail: 'not listed by the exchange: remove it from AIS_SYMBOLS',
    });
    expect(rowOf(checks, 'symbol BTCUSDT')!.status).toBe('ok');
    // The unlisted symbol's orders are none; the other symbols' are still listed.
    expect(rowOf(checks, 'open orders')).toEqual({
      check: 'open orders',
      status: 'ok',
      detail: 'none',
    });
  });

  test('fails when the clock is off by more than a second', async () => {
    const { fake, run } = await testnetLike();
    fake.clockOffsetMs = 2_500;
    const { checks, exitCode } = await run();
    expect(exitCode).toBe(1);
    const clock = rowOf(checks, 'clock')!;
    expect(clock.status).toBe('fail');
    expect(clock.detail).toMatch(
      /^exchange clock ahead by 2\d{3} ms \(round trip \d+ ms\), more than 1000 ms: synchronise this host's clock/,
    );
    // Signed reads still succeed: the worker stamps them on the exchange's clock.
    expect(rowOf(checks, 'keys')!.status).toBe('ok');
  });

  test('fails on the mainnet chain id with a testnet wallet: the network line and the refused signature', async () => {
    const { run } = await testnetLike();
    const { checks } = await run({ ASTER_CHAIN_ID: '1666' });
    expect(rowOf(checks, 'network')).toMatchObject({
      status: 'fail',
      detail:
        'ASTER_CHAIN_ID 1666 is mainnet but ASTER_BASE_URL https://fapi.asterdex-testnet.com is testnet: set ASTER_CHAIN_ID=714',
    });
    expect(rowOf(checks, 'keys')).toMatchObject({ status: 'fail' });
    expect(rowOf(checks, 'keys')!.detail).toContain('-1022');
  });

  test('fails when the leverage asked is above the bracket; warns of the changes start-up would make', async () => {
    const { fake, run } = await testnetLike();
    fake.setMaxLeverage('BTCUSDT', 20);
    const { checks } = await run({
      AIS_ASTER_LEVERAGE: '50,ETHUSDT:5',
      AIS_ASTER_MARGIN_TYPE: 'ISOLATED',
    });
    expect(rowOf(checks, 'margin BTCUSDT')).toMatchObject({ status: 'fail' });
    expect(rowOf(checks, 'margin BTCUSDT')!.detail).toContain(
      "leverage 50x is above the first bracket's 20x; lower AIS_ASTER_LEVERAGE",
    );
    expect(rowOf(checks, 'margin ETHUSDT')).toMatchObject({ status: 'warn' });
    expect(rowOf(checks, 'margin ETHUSDT')!.detail).toContain(
      'start-up will set margin type → ISOLATED, leverage → 5x',
    );
    expect(writes(fake)).toEqual([]);
  });

  test('without AIS_API_TOKEN the worker settings fail: nothing could make it ACTIVE', async () => {
    const { run } = await testnetLike();
    const { checks, exitCode } = await run({ AIS_API_TOKEN: '' });
    expect(exitCode).toBe(1);
    expect(rowOf(checks, 'worker settings')).toMatchObject({ status: 'fail' });
    expect(rowOf(checks, 'worker settings')!.detail).toStartWith(
      'AIS_API_TOKEN unset: every control endpoint is disabled',
    );
  });

  test('the demo agents named on a live account are a warning', async () => {
    const { run } = await testnetLike();
    const { checks, exitCode } = await run({ AIS_AGENTS: 'momentum' });
    expect(exitCode).toBe(0);
    expect(rowOf(checks, 'worker settings')).toMatchObject({ status: 'warn' });
    expect(rowOf(checks, 'worker settings')!.detail).toEndWith(
      'the built-in demo agents will trade this account (AIS_AGENTS)',
    );
  });

  test('--listen-key: the one write is POST listenKey, and the user-data stream opens with it', async () => {
    const { fake, run } = await testnetLike();
    const { checks, exitCode } = await run({}, true);
    expect(exitCode).toBe(0);
    expect(writes(fake)).toEqual([{ method: 'POST', path: '/fapi/v3/listenKey', status: 200 }]);
    expect(fake.stream.listenKey).toBeDefined();
    expect(rowOf(checks, 'stream')!.detail).toContain('user-data stream opened with a listen key');
  });

  test('V1 keys on the default (mainnet) URLs: the network is mainnet, the keys V1', async () => {
    fake = await startFakeAster();
    const { checks, exitCode } = await runPreflight(
      {
        AIS_EXCHANGE: 'aster',
        ASTER_API_KEY: fake.apiKey,
        ASTER_API_SECRET: fake.apiSecret,
        AIS_RISK_HMAC_SECRET: 'preflight-risk-secret-0123456789abcdef',
        AIS_SYMBOLS: 'BTCUSDT',
        AIS_API_TOKEN: 'preflight-api-token-0123456789',
      },
      { runtime: asterHostsOn(fake) },
    );
    expect(exitCode).toBe(0);
    expect(rowOf(checks, 'network')!.detail).toBe(
      'mainnet: REST https://fapi.asterdex.com, stream wss://fstream.asterdex.com',
    );
    expect(rowOf(checks, 'keys')!.detail).toBe(
      'V1 HMAC API key (ASTER_API_KEY): a signed read succeeded',
    );
    expect(writes(fake)).toEqual([]);
  });

  test('a stream host that connects but does not answer LIST_SUBSCRIPTIONS is a warning, not a failure', async () => {
    const { fake, run } = await testnetLike();
    fake.stream.answerSubscriptionLists = false;
    const { checks, exitCode } = await run({ AIS_EXCHANGE_TIMEOUT_MS: '300' });
    expect(exitCode).toBe(0);
    expect(rowOf(checks, 'stream')).toMatchObject({ status: 'warn' });
    expect(rowOf(checks, 'stream')!.detail).toMatch(
      /^wss:\/\/fstream\.asterdex-testnet\.com: connected in \d+ ms, but no answer to LIST_SUBSCRIPTIONS within 300 ms; the host is reachable: run npm run preflight -- --listen-key/,
    );
  });

  test('an unreachable stream fails', async () => {
    const { fake, run } = await testnetLike();
    fake.stream.refuseConnections = true;
    const { checks } = await run();
    expect(rowOf(checks, 'stream')).toMatchObject({ status: 'fail' });
    expect(rowOf(checks, 'stream')!.detail).toStartWith(
      'wss://fstream.asterdex-testnet.com unreachable:',
    );
  });
});

describe('the preflight CLI', () => {
  const cli = (args: string[], env: Record<string, string> = {}) =>
    spawnSync('./node_modules/.bin/bun', ['src/main/preflight.ts', ...args], {
      cwd: ROOT,
      env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env },
      encoding: 'utf8',
      timeout: 30_000,
    });

  test('--help prints the usage and exits 0', () => {
    const r = cli(['--help']);
    expect(r.status).toBe(0);
    expect(r.stdout).toStartWith('usage: npm run preflight [-- --listen-key]');
  });

  test('an unknown option is refused with one line, exit 2', () => {
    const r = cli(['--fix']);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toBe('preflight: unknown option --fix (see --help)\n');
    const p = cli(['out.txt']);
    expect(p.status).toBe(2);
    expect(p.stderr).toBe('preflight: unexpected argument "out.txt" (see --help)\n');
  });

  test('on paper it says what it needs, exit 2', () => {
    const r = cli([]);
    expect(r.status).toBe(2);
    expect(r.stderr).toStartWith('preflight: config: AIS_EXCHANGE is paper');
  });

  test('against the fake on loopback: the table, exit 0 (the network cannot be told: a warning)', async () => {
    fake = await startFakeAster({ chainId: 714 });
    const w = fake.wallet;
    const child = Bun.spawn(['./node_modules/.bin/bun', 'src/main/preflight.ts'], {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH!,
        HOME: process.env.HOME!,
        AIS_EXCHANGE: 'aster',
        ASTER_BASE_URL: fake.url,
        ASTER_WS_URL: fake.stream.url,
        ASTER_CHAIN_ID: '714',
        ASTER_USER: w.user,
        ASTER_SIGNER: w.signer,
        ASTER_SIGNER_PRIVATE_KEY: w.privateKey,
        AIS_RISK_HMAC_SECRET: 'preflight-risk-secret-0123456789abcdef',
        AIS_SYMBOLS: 'BTCUSDT',
        AIS_API_TOKEN: 'preflight-api-token-0123456789',
      },
      stdout: 'pipe',
      stderr: 'pipe',
    });
    const out = await new Response(child.stdout).text();
    expect(await child.exited).toBe(0);
    expect(out).toContain('network          warn');
    expect(out.trim()).toEndWith('11 ok, 1 warn, 0 fail: ready to start the worker');
    expect(writes(fake)).toEqual([]);
  });
});
