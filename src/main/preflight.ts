// `npm run preflight [-- --listen-key]`: the read-only pre-flight of the Aster account the worker's
// environment names (the same AIS_* and ASTER_* variables as `npm start`). Reads, never changes:
// GETs and signed reads only (src/adapters/exchange/aster/preflight-reads.ts); prints one row per
// check (check, ok/warn/fail, detail) and exits 0 when nothing failed, 1 when something did, 2 on
// a usage or configuration error. docs/going-live.md says what to do about each failure.
import { readPreflightFacts } from '../adapters/exchange/aster/preflight-reads.ts';
import { ConfigError, type Config, type Env, loadConfig } from '../config/config.ts';
import { DEFAULT_SYMBOLS } from '../domain/market/synthetic.ts';
import type { PreflightCheck, WorkerFacts } from '../domain/account/preflight-checks.ts';
import {
  formatPreflight,
  preflightExitCode,
  runPreflightChecks,
} from '../domain/account/preflight.ts';
import { parseCli } from './cli-args.ts';

const USAGE = `usage: npm run preflight [-- --listen-key]

Checks the Aster account in the worker's environment (AIS_EXCHANGE=aster, ASTER_*), changing nothing:
keys and scheme, permissions, network (REST, stream, chain id), clock, stream, position mode, each
symbol's status, rules, margin type, leverage and brackets, balance, positions, open orders, settings.
Exit status: 0 nothing failed, 1 a check failed, 2 usage or configuration error.

  --listen-key  also open the user-data stream with a listen key (POST listenKey: creates one, or
                extends the key a running worker holds by 60 minutes; no order, no setting changed)
  -h, --help    this text`;

/** Transports and clocks; the runtime's own by default (tests map Aster's hosts to a loopback fake). */
export interface PreflightRuntime {
  fetch?: typeof fetch;
  WebSocket?: typeof WebSocket;
  nowMs?: () => number;
}

/** The checks for the environment `env`, the table and the exit status. Throws ConfigError on a bad environment. */
export async function runPreflight(
  env: Env,
  options: { listenKey?: boolean; runtime?: PreflightRuntime } = {},
): Promise<{ checks: PreflightCheck[]; text: string; exitCode: 0 | 1 }> {
  const config = loadConfig(env);
  if (config.exchange !== 'aster')
    throw new ConfigError(
      'config: AIS_EXCHANGE is paper: the pre-flight checks an Aster account (set AIS_EXCHANGE=aster and the ASTER_* variables, docs/going-live.md)',
    );
  const worker = workerFacts(config);
  const { wallet, apiKey, apiSecret } = config.aster;
  const reads = await readPreflightFacts({
    auth: wallet ? { wallet } : { apiKey: apiKey!, apiSecret: apiSecret! },
    baseUrl: config.aster.baseUrl,
    wsUrl: config.aster.wsUrl,
    symbols: worker.symbols,
    listenKey: options.listenKey ?? false,
    timeoutMs: config.exchangeTimeoutMs,
    nowMs: options.runtime?.nowMs ?? Date.now,
    monoMs: () => performance.now(),
    transport: options.runtime,
  });
  const checks = runPreflightChecks({ worker, ...reads });
  return { checks, text: formatPreflight(checks), exitCode: preflightExitCode(checks) };
}

function workerFacts(c: Readonly<Config>): WorkerFacts {
  const w = c.aster.wallet;
  const r = c.risk;
  return {
    keys: w ? { scheme: 'v3', user: w.user, signer: w.signer } : { scheme: 'v1' },
    network: { baseUrl: c.aster.baseUrl, wsUrl: c.aster.wsUrl, chainId: w?.chainId },
    symbols: c.loop.symbols ?? DEFAULT_SYMBOLS.map((s) => s.symbol),
    leverage: c.aster.leverage,
    marginType: c.aster.marginType,
    agents: c.loop.agents,
    limits: {
      AIS_MAX_DRAWDOWN: r.maxDrawdown,
      AIS_MAX_DAILY_LOSS: r.maxDailyLoss,
      AIS_MAX_LEVERAGE: r.maxLeverage,
      AIS_MAX_GROSS_EXPOSURE: r.maxGrossExposure,
      AIS_MAX_NET_EXPOSURE: r.maxNetExposure,
      AIS_MAX_POSITION_WEIGHT: r.maxPositionWeight,
      AIS_MAX_ORDER_NOTIONAL_USD: r.maxOrderNotionalUsd,
      AIS_MAX_ORDERS_PER_MINUTE: r.maxOrdersPerMinute,
      AIS_MIN_LIQUIDATION_DISTANCE: r.minLiquidationDistance,
    },
    stopLoss: { fraction: c.loop.stopLoss, onExchange: c.loop.stopLossOnExchange },
    controlToken: c.apiToken !== undefined,
  };
}

/** The CLI: parses `argv`, prints the table (stdout) or the one-line error (stderr); returns the exit status. */
export async function main(argv: string[], env: Env = process.env): Promise<number> {
  const cli = parseCli(
    {
      name: 'preflight',
      usage: USAGE,
      options: { 'listen-key': { type: 'boolean', default: false } },
    },
    argv,
  );
  if (!cli.ok) return cli.exitCode;
  try {
    const { text, exitCode } = await runPreflight(env, { listenKey: cli.values['listen-key'] });
    console.log(text);
    return exitCode;
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    console.error(`preflight: ${e.message}`);
    return 2;
  }
}

if (import.meta.main) process.exit(await main(process.argv.slice(2)));
