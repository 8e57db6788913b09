// Parses the environment once into a frozen, typed config. Throws ConfigError (one line naming the
// variable); the start-up file prints it and exits. Defaults serve the embedded paper setup.
import { z } from 'zod';
import { AisError } from '../domain/errors.ts';
import { redactText } from '../domain/redaction/redact.ts';
import { addressOfPrivateKey } from '../adapters/exchange/aster/sign-v3.ts';
import type { MarginType, PerSymbol } from '../domain/account/setup.ts';
import {
  agentIdsFor,
  BUILT_IN_AGENT_IDS,
  type BuiltInAgentId,
  isBuiltInAgentId,
} from '../domain/trading/agents/built-in.ts';

/** A setting missing or out of range (`code` config_invalid); the message is the one line to print, values of secrets hidden. */
export class ConfigError extends AisError {
  constructor(message: string) {
    super('config_invalid', message);
  }
}

const text = z.string().trim().min(1);
const optionalText = text.optional();
const url = (protocols: RegExp, hint: string) =>
  text.refine((v) => protocols.test(v) && URL.canParse(v.replace(/^file:/, 'file:///x/')), {
    message: hint,
  });
/** A positive decimal up to max (risk limits, balances). */
const positive = (max: number) => {
  const error = `expected a number above 0 and at most ${max}`;
  return z.coerce.number({ error }).gt(0, { error }).max(max, { error });
};
const int = (min: number, max: number) => {
  const error = `expected a whole number from ${min} to ${max}`;
  return z.coerce.number({ error }).int({ error }).min(min, { error }).max(max, { error });
};

/**
 * A setting for every traded symbol and/or per symbol, e.g. `10`, `BTCUSDT:5,ETHUSDT:3` or
 * `10,BTCUSDT:5`. Comma-separated entries: a bare value (at most one) applies to every traded symbol, `SYMBOL:value`
 * to one symbol (each named once). `value` parses one value or returns undefined.
 */
const perSymbol = <T>(value: (v: string) => T | undefined, expected: string, example: string) => {
  const hint = `expected ${expected} for all symbols and/or SYMBOL:value, comma-separated (e.g. ${example})`;
  return text.transform((raw, ctx): PerSymbol<T> => {
    const out: { all?: T; bySymbol: Record<string, T> } = { bySymbol: {} };
    const bad = (why: string) => {
      ctx.addIssue({ code: 'custom', message: why });
      return z.NEVER;
    };
    for (const entry of raw.split(',').map((e) => e.trim())) {
      const m = /^(?:([A-Z0-9]{2,20}):)?(.+)$/.exec(entry);
      const v = m ? value(m[2]!) : undefined;
      if (!m || v === undefined) return bad(`${hint}; "${entry}" is not`);
      if (m[1] === undefined) {
        if (out.all !== undefined) return bad('has more than one value for every symbol');
        out.all = v;
      } else {
        if (Object.hasOwn(out.bySymbol, m[1])) return bad(`names ${m[1]} twice`);
        out.bySymbol[m[1]] = v;
      }
    }
    return out;
  });
};
/** Change Initial Leverage takes an integer from 1 to 125 (v3.md). */
const leverageValue = (v: string) =>
  /^\d{1,3}$/.test(v) && Number(v) >= 1 && Number(v) <= 125 ? Number(v) : undefined;
const marginTypeValue = (v: string): MarginType | undefined =>
  v === 'CROSSED' || v === 'ISOLATED' ? v : undefined;

const schema = z.object({
  AIS_PORT: int(0, 65535).default(8000),
  // Loopback unless said otherwise: a VPS puts a reverse proxy in front (docs/deploy-vps.md).
  AIS_HOST: text.default('127.0.0.1'),
  AIS_DB_URL: url(
    /^(file:|libsql:|https?:|wss?:)/,
    'expected a libSQL URL: file:, libsql:, http(s): or ws(s):',
  )
    .or(z.literal(':memory:'))
    .default('file:./data/ais.db'),
  AIS_DB_AUTH_TOKEN: optionalText,
  AIS_EXCHANGE: z.enum(['paper', 'aster']).default('paper'),
  ASTER_API_KEY: optionalText,
  ASTER_API_SECRET: optionalText,
  // V3 (API wallet): the main wallet, the API wallet acting for it, its key, the EIP-712 chain id.
  ASTER_USER: text
    .regex(/^0x[0-9a-fA-F]{40}$/, 'expected an address: 0x and 40 hex digits')
    .optional(),
  ASTER_SIGNER: text
    .regex(/^0x[0-9a-fA-F]{40}$/, 'expected an address: 0x and 40 hex digits')
    .optional(),
  // Wallets export keys with and without 0x: both are read, kept with it.
  ASTER_SIGNER_PRIVATE_KEY: text
    .regex(/^(0x)?[0-9a-fA-F]{64}$/, 'expected a private key: 64 hex digits (0x optional)')
    .transform((k) => (k.startsWith('0x') ? k : `0x${k}`))
    .optional(),
  ASTER_CHAIN_ID: z
    .enum(['1666', '714'], { error: 'expected 1666 (mainnet) or 714 (testnet)' })
    .transform(Number)
    .default(1666),
  ASTER_BASE_URL: url(/^https?:/, 'expected an http(s) URL').default('https://fapi.asterdex.com'),
  ASTER_WS_URL: url(/^wss?:/, 'expected a ws(s) URL').default('wss://fstream.asterdex.com'),
  // Account settings applied at an aster start-up (Change Initial Leverage, Change Margin Type).
  AIS_ASTER_LEVERAGE: perSymbol(
    leverageValue,
    'a whole number from 1 to 125',
    '10 or BTCUSDT:5,ETHUSDT:3',
  ).optional(),
  AIS_ASTER_MARGIN_TYPE: perSymbol(
    marginTypeValue,
    'CROSSED or ISOLATED',
    'ISOLATED or CROSSED,BTCUSDT:ISOLATED',
  ).optional(),
  AIS_API_TOKEN: text.min(16, 'must be at least 16 characters').optional(),
  AIS_METRICS_TOKEN: optionalText,
  // How long a console login lasts (hours): the session cookie's Max-Age and its signed expiry.
  AIS_CONSOLE_SESSION_HOURS: positive(720).default(12),
  AIS_RISK_HMAC_SECRET: text.min(32, 'must be at least 32 characters').optional(),
  AIS_RISK_HMAC_SECRET_PREVIOUS: text.min(32, 'must be at least 32 characters').optional(),
  AIS_RISK_HMAC_KEY_ID: text
    .regex(/^[A-Za-z0-9_-]{1,32}$/, 'expected 1-32 letters, digits, _ or -')
    .default('k1'),
  AIS_DECISION_LOG_PATH: text.default('./data/decisions.jsonl'),
  // Built-in rotation of the JSONL trail: 0 bytes = off (rotate with logrotate + SIGHUP instead).
  AIS_DECISION_LOG_MAX_BYTES: int(0, 2 ** 50).default(104_857_600),
  AIS_DECISION_LOG_KEEP: int(1, 1_000).default(10),
  // Days the per-cycle events (risk_decision, signal, portfolio, decision) are kept; 0 = for ever;
  // decimals allowed (0.25 = 6 h) so that a soak can watch retention work within an hour.
  AIS_RETENTION_DAYS: z.coerce
    .number({ error: 'expected a number of days from 0 (keep everything) to 36500' })
    .min(0, { error: 'expected a number of days from 0 (keep everything) to 36500' })
    .max(36_500, { error: 'expected a number of days from 0 (keep everything) to 36500' })
    .default(30),
  AIS_LOG_LEVEL: z
    .enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'])
    .default('info'),
  AIS_PUSHGATEWAY_URL: url(/^https?:/, 'expected an http(s) URL').optional(),
  AIS_SLACK_WEBHOOK_URL: url(/^https?:/, 'expected an http(s) URL').optional(),
  AIS_ALERT_WEBHOOK_URL: url(/^https?:/, 'expected an http(s) URL').optional(),
  // Each alert channel skips alerts below its minimum severity.
  AIS_ALERT_WEBHOOK_MIN_SEVERITY: z.enum(['info', 'warning', 'critical']).default('warning'),
  AIS_SLACK_MIN_SEVERITY: z.enum(['info', 'warning', 'critical']).default('warning'),
  // Risk limits (src/domain/risk/limits.ts holds the defaults and why).
  AIS_MAX_DRAWDOWN: positive(1).default(0.05),
  AIS_MAX_DAILY_LOSS: positive(1).default(0.02),
  AIS_MAX_LEVERAGE: positive(100).default(1),
  AIS_MAX_GROSS_EXPOSURE: positive(100).default(1),
  AIS_MAX_NET_EXPOSURE: positive(100).default(0.5),
  AIS_MAX_POSITION_WEIGHT: positive(100).default(0.05),
  AIS_MAX_ORDER_NOTIONAL_USD: positive(1e12).default(10_000),
  AIS_MAX_ORDERS_PER_MINUTE: positive(1e9).default(60),
  // liquidation_distance: a fraction of the mark, 0 (off in effect) to 1.
  AIS_MIN_LIQUIDATION_DISTANCE: z.coerce
    .number({ error: 'expected a fraction of the mark from 0 (off) to 1' })
    .min(0, { error: 'expected a fraction of the mark from 0 (off) to 1' })
    .max(1, { error: 'expected a fraction of the mark from 0 (off) to 1' })
    .default(0.1),
  // The paper exchange's initial leverage of every symbol (as AIS_ASTER_LEVERAGE sets Aster's).
  AIS_PAPER_LEVERAGE: int(1, 125).default(20),
  AIS_INITIAL_BALANCE_USD: positive(1e12).default(100_000),
  // Reconciliation with the exchange (src/domain/reconciliation/).
  AIS_RECONCILE_INTERVAL_S: int(1, 86_400).default(60),
  AIS_RECONCILE_ON_MISMATCH: z.enum(['HALTED', 'REDUCING']).default('HALTED'),
  AIS_RECONCILE_TOLERANCE: positive(1).default(0.001),
  // The trading loop and the paper market.
  AIS_LOOP_ENABLED: z.enum(['true', 'false']).default('true'),
  AIS_LOOP_INTERVAL_MS: int(50, 3_600_000).default(1_000),
  AIS_SYMBOLS: text
    .regex(
      /^[A-Z0-9]{2,20}(,[A-Z0-9]{2,20})*$/,
      'expected symbols separated by commas, e.g. BTCUSDT,ETHUSDT',
    )
    .optional(),
  // The built-in demo agents that run: ids comma-separated, or none; unset = all on paper, none on aster.
  AIS_AGENTS: text
    .transform((v) => (v === 'none' ? [] : v.split(',').map((id) => id.trim())))
    .refine((ids) => ids.every(isBuiltInAgentId) && new Set(ids).size === ids.length, {
      message: `expected none or built-in agent ids separated by commas, each once (${BUILT_IN_AGENT_IDS.join(', ')})`,
    })
    .transform((ids) => ids as BuiltInAgentId[])
    .optional(),
  AIS_STOP_LOSS_ON_EXCHANGE: z
    .enum(['true', 'false'], { error: 'expected true or false' })
    .default('true'),
  AIS_STOP_LOSS: z.coerce
    .number({ error: 'expected a number from 0 (off) to 1' })
    .min(0, { error: 'expected a number from 0 (off) to 1' })
    .max(1, { error: 'expected a number from 0 (off) to 1' })
    .default(0.03),
  AIS_MARKET_SEED: int(0, 2 ** 31).default(1),
  AIS_MARKET_BAR_MS: int(10, 86_400_000).default(1_000),
  AIS_CONTROL_SYNC_MS: int(100, 600_000).default(1_000),
  // Outside calls: exchange time-out, and how long an open circuit breaker waits before probing.
  AIS_EXCHANGE_TIMEOUT_MS: int(100, 120_000).default(5_000),
  AIS_BREAKER_COOLDOWN_MS: int(100, 3_600_000).default(30_000),
  AIS_INSTANCE_ID: text
    .regex(/^[A-Za-z0-9_.-]{1,64}$/, 'expected 1-64 letters, digits, _ . or -')
    .optional(),
});

export type Env = Record<string, string | undefined>;

/** AIS_DECISION_LOG_PATH value that keeps the decision trail in the event store (no file system). */
export const STORE_DECISION_LOG = 'store:';

export interface Config {
  port: number;
  host: string;
  db: { url: string; authToken?: string };
  exchange: 'paper' | 'aster';
  /** V1 credentials (apiKey, apiSecret) or V3 ones (wallet), never both; neither on paper. */
  aster: {
    apiKey?: string;
    apiSecret?: string;
    /** V3: main wallet, API wallet, its private key (0x + 64 hex), chain id (1666 mainnet, 714 testnet). */
    wallet?: { user: string; signer: string; privateKey: string; chainId: number };
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
  logLevel: z.infer<typeof schema>['AIS_LOG_LEVEL'];
  pushgatewayUrl?: string;
  alerts: {
    slackWebhookUrl?: string;
    webhookUrl?: string;
    slackMinSeverity: 'info' | 'warning' | 'critical';
    webhookMinSeverity: 'info' | 'warning' | 'critical';
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
  risk: {
    maxDrawdown: number;
    maxDailyLoss: number;
    maxLeverage: number;
    maxGrossExposure: number;
    maxNetExposure: number;
    maxPositionWeight: number;
    maxOrderNotionalUsd: number;
    maxOrdersPerMinute: number;
    minLiquidationDistance: number;
  };
  /** The paper exchange's initial leverage of every symbol. */
  paperLeverage: number;
  /** The paper account's starting cash. */
  initialBalanceUsd: number;
  /** How often to reconcile, what a divergence does to trading, the relative tolerance. */
  reconciliation: { intervalMs: number; onMismatch: 'HALTED' | 'REDUCING'; tolerance: number };
}

/** Reads only the variables the schema names; empty strings count as unset. */
export function loadConfig(env: Env): Readonly<Config> {
  const input: Record<string, string> = {};
  for (const key of Object.keys(schema.shape)) {
    const v = env[key];
    if (v !== undefined && v.trim() !== '') input[key] = v;
  }
  const parsed = schema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const name = String(issue.path[0] ?? 'environment');
    const secret = /SECRET|TOKEN|KEY/.test(name);
    // A URL's credentials (AIS_DB_URL?authToken=…, user:password@) are secrets too.
    const shown = secret ? '(value hidden)' : redactText(JSON.stringify(input[name] ?? ''));
    throw new ConfigError(`config: ${name} ${issue.message} (got ${shown})`);
  }
  const e = parsed.data;
  const wallet = asterWallet(e);
  if (e.AIS_EXCHANGE === 'aster') {
    const v1 = e.ASTER_API_KEY !== undefined || e.ASTER_API_SECRET !== undefined;
    if (v1 && wallet)
      throw new ConfigError(
        'config: ASTER_API_KEY/ASTER_API_SECRET (V1) and ASTER_USER/ASTER_SIGNER/ASTER_SIGNER_PRIVATE_KEY (V3) are both set: keep one scheme',
      );
    if (!v1 && !wallet) {
      throw new ConfigError(
        'config: ASTER_USER, ASTER_SIGNER and ASTER_SIGNER_PRIVATE_KEY (V3 API wallet; or ASTER_API_KEY and ASTER_API_SECRET for V1) are required when AIS_EXCHANGE=aster',
      );
    }
    const required = v1
      ? (['ASTER_API_KEY', 'ASTER_API_SECRET', 'AIS_RISK_HMAC_SECRET'] as const)
      : (['AIS_RISK_HMAC_SECRET'] as const);
    for (const name of required) {
      if (!e[name]) throw new ConfigError(`config: ${name} is required when AIS_EXCHANGE=aster`);
    }
  }
  return deepFreeze({
    port: e.AIS_PORT,
    host: e.AIS_HOST,
    db: { url: e.AIS_DB_URL, authToken: e.AIS_DB_AUTH_TOKEN },
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
    logLevel: e.AIS_LOG_LEVEL,
    pushgatewayUrl: e.AIS_PUSHGATEWAY_URL,
    alerts: {
      slackWebhookUrl: e.AIS_SLACK_WEBHOOK_URL,
      webhookUrl: e.AIS_ALERT_WEBHOOK_URL,
      slackMinSeverity: e.AIS_SLACK_MIN_SEVERITY,
      webhookMinSeverity: e.AIS_ALERT_WEBHOOK_MIN_SEVERITY,
    },
    instanceId: e.AIS_INSTANCE_ID ?? 'worker-1',
    controlSyncMs: e.AIS_CONTROL_SYNC_MS,
    exchangeTimeoutMs: e.AIS_EXCHANGE_TIMEOUT_MS,
    breakerCooldownMs: e.AIS_BREAKER_COOLDOWN_MS,
    loop: {
      enabled: e.AIS_LOOP_ENABLED === 'true',
      intervalMs: e.AIS_LOOP_INTERVAL_MS,
      symbols: e.AIS_SYMBOLS?.split(','),
      agents: agentIdsFor(e.AIS_AGENTS, e.AIS_EXCHANGE),
      stopLoss: e.AIS_STOP_LOSS,
      stopLossOnExchange: e.AIS_STOP_LOSS_ON_EXCHANGE === 'true',
    },
    market: { seed: e.AIS_MARKET_SEED, barMs: e.AIS_MARKET_BAR_MS },
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
  });
}

const V3_VARIABLES = ['ASTER_USER', 'ASTER_SIGNER', 'ASTER_SIGNER_PRIVATE_KEY'] as const;

/**
 * The V3 wallet when any of its variables is set: all three must be, and the private key must
 * derive to ASTER_SIGNER (a key of another wallet would only ever get -1022 from the exchange).
 * Undefined when none is set.
 */
function asterWallet(e: z.infer<typeof schema>): Config['aster']['wallet'] {
  if (V3_VARIABLES.every((name) => e[name] === undefined)) return undefined;
  const given = V3_VARIABLES.find((name) => e[name] !== undefined)!;
  const missing = V3_VARIABLES.find((name) => e[name] === undefined);
  if (missing)
    throw new ConfigError(`config: ${missing} is required with ${given} (V3 API wallet)`);
  const user = e.ASTER_USER!;
  const signer = e.ASTER_SIGNER!;
  const privateKey = e.ASTER_SIGNER_PRIVATE_KEY!;
  let derived: string;
  try {
    derived = addressOfPrivateKey(privateKey);
  } catch {
    // No cause on purpose: the library's message may quote the key it refused.
    throw new ConfigError(
      'config: ASTER_SIGNER_PRIVATE_KEY is not a valid secp256k1 private key (value hidden)',
    );
  }
  if (derived.toLowerCase() !== signer.toLowerCase()) {
    throw new ConfigError(
      `config: ASTER_SIGNER_PRIVATE_KEY does not derive to ASTER_SIGNER ${signer} (it is the key of ${derived})`,
    );
  }
  return { user, signer, privateKey, chainId: e.ASTER_CHAIN_ID };
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
