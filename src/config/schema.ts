// Every environment variable the worker reads, with its default and its bounds (zod). Only the
// variables named here are read; loadConfig (config.ts) turns the parsed values into Config.
import { DRAWDOWN_ACTIONS } from '../domain/trading/drawdown-action.ts';
import { z } from 'zod';
import {
  BUILT_IN_AGENT_IDS,
  type BuiltInAgentId,
  isBuiltInAgentId,
} from '../domain/trading/agents/built-in.ts';
import {
  int,
  leverageValue,
  marginTypeValue,
  optionalText,
  perSymbol,
  positive,
  text,
  url,
} from './values.ts';

export const schema = z.object({
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
  // Deadline of each call to a remote libSQL server: a hung call fails and its breaker counts it.
  AIS_DB_TIMEOUT_MS: int(50, 120_000).default(2_000),
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
  // What an automatic drawdown trip does with open positions (src/domain/trading/drawdown-action.ts):
  // flatten (default: the only one that bounds the loss at the limit), reduce (close the losers), cancel.
  AIS_DRAWDOWN_ACTION: z.enum(DRAWDOWN_ACTIONS).default('flatten'),
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
  // After the exchange liquidates a position: that symbol trades REDUCING (no exposure added) or
  // HALTED (no order at all) until an operator clears it (docs/live-account.md).
  AIS_LIQUIDATION_HOLD: z.enum(['REDUCING', 'HALTED']).default('REDUCING'),
  // The user-data stream's liveness: the listen key probed (keep-alive) this often; a trade REST
  // shows that the stream has not carried this long after it was made means the stream is silent.
  AIS_STREAM_PROBE_S: int(1, 1_800).default(60),
  AIS_STREAM_SILENCE_S: int(1, 3_600).default(60),
  // exchangeInfo (symbol rules and statuses: a delisting) read again this often.
  AIS_SYMBOL_RULES_REFRESH_S: int(1, 86_400).default(300),
  // A traded symbol that stops TRADING (a delisting): `hold` keeps its position protected and
  // leaves the wind-down to its stop, the stop-loss, an operator or the exchange's settlement;
  // `close` also closes it at once while the exchange takes closing orders (docs/live-account.md).
  AIS_DELISTED_POLICY: z.enum(['hold', 'close']).default('hold'),
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
  // A /metrics render is reused this long and shared by concurrent scrapes (render-cache.ts); 0 =
  // render every scrape (concurrent scrapes still share one).
  AIS_METRICS_CACHE_MS: int(0, 60_000).default(1_000),
  // /metrics answers a second at most (src/http/middleware/pace.ts); 0 = unpaced.
  AIS_METRICS_MAX_PER_S: int(0, 100_000).default(50),
  // Time between retention passes; also how far past the newest stored event a pass may count.
  AIS_RETENTION_INTERVAL_MS: int(1_000, 86_400_000).default(60_000),
  // A step of the wall clock against the monotonic clock beyond this is logged, alerted
  // (WallClockStepped) and suspends retention until explained (src/domain/time/clock-step.ts).
  AIS_CLOCK_STEP_TOLERANCE_MS: int(1_000, 86_400_000).default(60_000),
  // Alertmanager alert states (fingerprint, status, startsAt) received again within this window
  // are not stored or sent again (HA peers, retries); 0 = off (src/adapters/alerts/delivery-dedup.ts).
  AIS_ALERT_DEDUP_MS: int(0, 7 * 86_400_000).default(3_600_000),
  // Outside calls: exchange time-out, and how long an open circuit breaker waits before probing.
  AIS_EXCHANGE_TIMEOUT_MS: int(100, 120_000).default(5_000),
  AIS_BREAKER_COOLDOWN_MS: int(100, 3_600_000).default(30_000),
  AIS_INSTANCE_ID: text
    .regex(/^[A-Za-z0-9_.-]{1,64}$/, 'expected 1-64 letters, digits, _ . or -')
    .optional(),
});

/** The environment as parsed: each variable under its own name, with its default applied. */
export type ParsedEnv = z.infer<typeof schema>;
