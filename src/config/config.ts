// Parses the environment once into a frozen, typed config. Throws ConfigError (one line naming the
// variable); the start-up file prints it and exits. Defaults serve the embedded paper setup. The
// variables: schema.ts; the Aster credentials' rules: aster-credentials.ts.
import type { DrawdownAction } from '../domain/trading/drawdown-action.ts';
import { redactText } from '../domain/redaction/redact.ts';
import type { MarginType, PerSymbol } from '../domain/account/setup.ts';
import type { RiskLimits } from '../domain/risk/limits.ts';
import { agentIdsFor, type BuiltInAgentId } from '../domain/trading/agents/built-in.ts';
import { type AsterWallet, asterCredentials } from './aster-credentials.ts';
import { ConfigError } from './config-error.ts';
import { type ParsedEnv, schema } from './schema.ts';

export { ConfigError };

export type Env = Record<string, string | undefined>;

/** AIS_DECISION_LOG_PATH value that keeps the decision trail in the event store (no file system). */
export const STORE_DECISION_LOG = 'store:';

export interface Config {
  port: number;
  host: string;
  /** `timeoutMs`: deadline of each call to a remote server (AIS_DB_TIMEOUT_MS). */
  db: { url: string; authToken?: string; timeoutMs: number };
  exchange: 'paper' | 'aster';
  /** V1 credentials (apiKey, apiSecret) or V3 ones (wallet), never both; neither on paper. */
  aster: {
    apiKey?: string;
    apiSecret?: string;
    /** V3: main wallet, API wallet, its private key (0x + 64 hex), chain id (1666 mainnet, 714 testnet). */
    wallet?: AsterWallet;
    baseUrl: string;
    /** The user-data stream's WebSocket base (streams at /ws/<listenKey>). */
    wsUrl: string;
    /** Initial leverage to set at start-up; unset = leave the account's. */
    leverage?: PerSymbol<number>;
    /** Margin type to set at start-up; unset = leave the account's. */
    marginType?: PerSymbol<MarginType>;
  };
  apiToken?: string;
  metricsToken?: string;
  /** A console session's lifetime (ms): the cookie's Max-Age and its signed expiry. */
  consoleSessionMs: number;
  riskHmac: { secret?: string; previousSecret?: string; keyId: string };
  decisionLogPath: string;
  /** Rotate the JSONL trail past this many bytes (0 = never), keeping this many rotated files. */
  decisionLogRotation: { maxBytes: number; keep: number };
  /** Days per-cycle events are kept (0 = for ever). */
  retentionDays: number;
  /** Time between retention passes (ms). */
  retentionIntervalMs: number;
  /** Wall-clock steps beyond this (ms) suspend retention until explained. */
  clockStepToleranceMs: number;
  /** A /metrics render is reused this long (ms) and shared by concurrent scrapes. */
  metricsCacheMs: number;
  /** /metrics answers a second at most (0: unpaced). */
  metricsMaxPerSecond: number;
  logLevel: ParsedEnv['AIS_LOG_LEVEL'];
  pushgatewayUrl?: string;
  alerts: {
    slackWebhookUrl?: string;
    webhookUrl?: string;
    slackMinSeverity: 'info' | 'warning' | 'critical';
    webhookMinSeverity: 'info' | 'warning' | 'critical';
    /** Repeats of an Alertmanager alert state within this window are dropped (0 = off). */
    dedupWindowMs: number;
  };
  instanceId: string;
  /** How often the kill switch and trading state are re-read from the (possibly shared) store. */
  controlSyncMs: number;
  /** Per request to the exchange (Aster). */
  exchangeTimeoutMs: number;
  /** Cool-down of an open circuit breaker before its half-open probe. */
  breakerCooldownMs: number;
  loop: {
    enabled: boolean;
    intervalMs: number;
    /** Symbols traded; undefined = the paper market's defaults. */
    symbols?: string[];
    /** The built-in agents that run (AIS_AGENTS; unset: all three on paper, none on aster). */
    agents: readonly BuiltInAgentId[];
    /** Per-position stop-loss, a loss fraction from entry (0 = off). */
    stopLoss: number;
    /** Every open position carries a STOP_MARKET Close-All order on the exchange at the stop-loss price. */
    stopLossOnExchange: boolean;
  };
  /** The synthetic market behind the paper exchange. */
  market: { seed: number; barMs: number };
  /** What an automatic drawdown trip does with the open positions. */
  drawdownAction: DrawdownAction;
  /** The risk engine's limits (AIS_MAX_* and AIS_MIN_LIQUIDATION_DISTANCE). */
  risk: RiskLimits;
  /** The paper exchange's initial leverage of every symbol. */
  paperLeverage: number;
  /** The paper account's starting cash. */
  initialBalanceUsd: number;
  /** How often to reconcile, what a divergence does to trading, the relative tolerance. */
  reconciliation: { intervalMs: number; onMismatch: 'HALTED' | 'REDUCING'; tolerance: number };
  /** What a liquidation does to its symbol until an operator clears it. */
  liquidationHold: 'REDUCING' | 'HALTED';
  /** The user-data stream's liveness probe interval and silence grace (ms). */
  stream: { probeMs: number; silenceMs: number };
  /** How often exchangeInfo (rules and statuses) is read again (ms). */
  symbolRulesRefreshMs: number;
  /** A delisted symbol's position: kept protected (`hold`) or also closed at once (`close`). */
  delistedPolicy: 'hold' | 'close';
}

/** Reads only the variables the schema names; empty strings count as unset. */
function parseEnv(env: Env): ParsedEnv {
  const input: Record<string, string> = {};
  for (const key of Object.keys(schema.shape)) {
    const v = env[key];
    if (v !== undefined && v.trim() !== '') input[key] = v;
  }
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  const name = String(issue.path[0] ?? 'environment');
  const secret = /SECRET|TOKEN|KEY/.test(name);
  // A URL's credentials (AIS_DB_URL?authToken=…, user:password@) are secrets too.
  const shown = secret ? '(value hidden)' : redactText(JSON.stringify(input[name] ?? ''));
  throw new ConfigError(`config: ${name} ${issue.message} (got ${shown})`);
}

/** Parses the environment into the frozen config, or throws ConfigError naming the variable. */
export function loadConfig(env: Env): Readonly<Config> {
  const e = parseEnv(env);
  const wallet = asterCredentials(e);
  return deepFreeze({ ...serviceSettings(e, wallet), ...tradingSettings(e) });
}

/** The service: server, database, exchange access, tokens, records, alerts, resilience. */
function serviceSettings(e: ParsedEnv, wallet: AsterWallet | undefined) {
  return {
    port: e.AIS_PORT,
    host: e.AIS_HOST,
    db: { url: e.AIS_DB_URL, authToken: e.AIS_DB_AUTH_TOKEN, timeoutMs: e.AIS_DB_TIMEOUT_MS },
    exchange: e.AIS_EXCHANGE,
    aster: {
      apiKey: e.ASTER_API_KEY,
      apiSecret: e.ASTER_API_SECRET,
      wallet,
      baseUrl: e.ASTER_BASE_URL,
      wsUrl: e.ASTER_WS_URL,
      leverage: e.AIS_ASTER_LEVERAGE,
      marginType: e.AIS_ASTER_MARGIN_TYPE,
    },
    apiToken: e.AIS_API_TOKEN,
    metricsToken: e.AIS_METRICS_TOKEN,
    consoleSessionMs: Math.round(e.AIS_CONSOLE_SESSION_HOURS * 3_600_000),
    riskHmac: {
      secret: e.AIS_RISK_HMAC_SECRET,
      previousSecret: e.AIS_RISK_HMAC_SECRET_PREVIOUS,
      keyId: e.AIS_RISK_HMAC_KEY_ID,
    },
    decisionLogPath: e.AIS_DECISION_LOG_PATH,
    decisionLogRotation: { maxBytes: e.AIS_DECISION_LOG_MAX_BYTES, keep: e.AIS_DECISION_LOG_KEEP },
    retentionDays: e.AIS_RETENTION_DAYS,
    retentionIntervalMs: e.AIS_RETENTION_INTERVAL_MS,
    clockStepToleranceMs: e.AIS_CLOCK_STEP_TOLERANCE_MS,
    metricsCacheMs: e.AIS_METRICS_CACHE_MS,
    metricsMaxPerSecond: e.AIS_METRICS_MAX_PER_S,
    logLevel: e.AIS_LOG_LEVEL,
    pushgatewayUrl: e.AIS_PUSHGATEWAY_URL,
    alerts: {
      slackWebhookUrl: e.AIS_SLACK_WEBHOOK_URL,
      webhookUrl: e.AIS_ALERT_WEBHOOK_URL,
      slackMinSeverity: e.AIS_SLACK_MIN_SEVERITY,
      webhookMinSeverity: e.AIS_ALERT_WEBHOOK_MIN_SEVERITY,
      dedupWindowMs: e.AIS_ALERT_DEDUP_MS,
    },
    instanceId: e.AIS_INSTANCE_ID ?? 'worker-1',
    controlSyncMs: e.AIS_CONTROL_SYNC_MS,
    exchangeTimeoutMs: e.AIS_EXCHANGE_TIMEOUT_MS,
    breakerCooldownMs: e.AIS_BREAKER_COOLDOWN_MS,
  };
}

/** Trading: the loop, the paper market and account, the risk limits, reconciliation. */
function tradingSettings(e: ParsedEnv) {
  return {
    loop: {
      enabled: e.AIS_LOOP_ENABLED === 'true',
      intervalMs: e.AIS_LOOP_INTERVAL_MS,
      symbols: e.AIS_SYMBOLS?.split(','),
      agents: agentIdsFor(e.AIS_AGENTS, e.AIS_EXCHANGE),
      stopLoss: e.AIS_STOP_LOSS,
      stopLossOnExchange: e.AIS_STOP_LOSS_ON_EXCHANGE === 'true',
    },
    market: { seed: e.AIS_MARKET_SEED, barMs: e.AIS_MARKET_BAR_MS },
    drawdownAction: e.AIS_DRAWDOWN_ACTION,
    risk: {
      maxDrawdown: e.AIS_MAX_DRAWDOWN,
      maxDailyLoss: e.AIS_MAX_DAILY_LOSS,
      maxLeverage: e.AIS_MAX_LEVERAGE,
      maxGrossExposure: e.AIS_MAX_GROSS_EXPOSURE,
      maxNetExposure: e.AIS_MAX_NET_EXPOSURE,
      maxPositionWeight: e.AIS_MAX_POSITION_WEIGHT,
      maxOrderNotionalUsd: e.AIS_MAX_ORDER_NOTIONAL_USD,
      maxOrdersPerMinute: e.AIS_MAX_ORDERS_PER_MINUTE,
      minLiquidationDistance: e.AIS_MIN_LIQUIDATION_DISTANCE,
    },
    paperLeverage: e.AIS_PAPER_LEVERAGE,
    initialBalanceUsd: e.AIS_INITIAL_BALANCE_USD,
    reconciliation: {
      intervalMs: e.AIS_RECONCILE_INTERVAL_S * 1000,
      onMismatch: e.AIS_RECONCILE_ON_MISMATCH,
      tolerance: e.AIS_RECONCILE_TOLERANCE,
    },
    liquidationHold: e.AIS_LIQUIDATION_HOLD,
    stream: { probeMs: e.AIS_STREAM_PROBE_S * 1000, silenceMs: e.AIS_STREAM_SILENCE_S * 1000 },
    symbolRulesRefreshMs: e.AIS_SYMBOL_RULES_REFRESH_S * 1000,
    delistedPolicy: e.AIS_DELISTED_POLICY,
  };
}

/** Every secret in the config, so the logger can scrub them from any line. */
export function configSecrets(c: Config): string[] {
  // The private key both as given and without 0x, as a wallet export would show it.
  const key = c.aster.wallet?.privateKey;
  return [
    c.apiToken,
    c.metricsToken,
    c.db.authToken,
    c.aster.apiKey,
    c.aster.apiSecret,
    key,
    key?.slice(2),
    c.riskHmac.secret,
    c.riskHmac.previousSecret,
    c.alerts.slackWebhookUrl,
  ].filter((s): s is string => typeof s === 'string' && s.length > 0);
}

function deepFreeze<T extends object>(o: T): Readonly<T> {
  for (const v of Object.values(o)) if (v && typeof v === 'object') deepFreeze(v);
  return Object.freeze(o);
}
