// The root pino logger: JSON lines shaped as the seed shows ({timestamp, level, logger, message,
// extra_json}), secrets scrubbed by key name and by value. Child loggers per component.
import pino, { type DestinationStream, type Logger } from 'pino';
import { redactText } from '../../domain/redaction/redact.ts';

export type { Logger };
/** Where log lines go: stdout by default, a buffer in tests. */
export type LogDestination = DestinationStream;

/** pino's level names mapped to the seed's (Python logging) names. */
const LEVELS: Record<string, string> = {
  trace: 'DEBUG',
  debug: 'DEBUG',
  info: 'INFO',
  warn: 'WARNING',
  error: 'ERROR',
  fatal: 'CRITICAL',
};

/** Keys whose values are never logged, wherever they sit in the object. */
const SECRET_KEY =
  /secret|token|password|passwd|api[-_]?key|private[-_]?key|authorization|signature|cookie|credential/i;
const REDACTED = '[REDACTED]';

interface LoggerOptions {
  level?: string;
  /** Values to scrub from any string in a log line (the config's secrets). */
  secrets?: readonly string[];
  destination?: DestinationStream;
}

/** Each component logger's root, so that children never stack two `logger` keys. */
const roots = new WeakMap<Logger, Logger>();

/** The root logger, itself named `ais`. */
export function createLogger(opts: LoggerOptions = {}): Logger {
  const secrets = (opts.secrets ?? []).filter((s) => s.length >= 4);
  const scrub = (v: unknown, depth: number): unknown => {
    // Configured secrets anywhere, then every URL's userinfo and secret parameters (redactText).
    if (typeof v === 'string')
      return redactText(secrets.reduce((s, secret) => s.split(secret).join(REDACTED), v));
    // An error's `code` (ours: src/domain/errors.ts; a driver's: SQLITE_BUSY, ECONNRESET) and the
    // error it wraps, scrubbed like the rest (a cause may quote a signed URL); depth bounds a loop.
    if (v instanceof Error) {
      const code = (v as { code?: unknown }).code;
      const error: Record<string, unknown> = { type: v.name, message: v.message, stack: v.stack };
      if (code !== undefined) error['code'] = code;
      if (v.cause !== undefined) error['cause'] = v.cause;
      return scrub(error, depth + 1);
    }
    if (!v || typeof v !== 'object' || depth > 8) return v;
    if (Array.isArray(v)) return v.map((x) => scrub(x, depth + 1));
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v))
      out[k] = SECRET_KEY.test(k) ? REDACTED : scrub(x, depth + 1);
    return out;
  };
  const root = pino(
    {
      level: opts.level ?? 'info',
      messageKey: 'message',
      base: undefined,
      timestamp: () => `,"timestamp":"${new Date().toISOString()}"`,
      formatters: {
        level: (label) => ({ level: LEVELS[label] ?? label.toUpperCase() }),
        bindings: (b) => (b?.['logger'] ? { logger: b['logger'] } : {}),
        log: (obj) => ({ extra_json: scrub(obj, 0) }),
      },
      hooks: {
        // The message itself may quote a secret (an error text echoing a URL with a key).
        logMethod(args, method) {
          const scrubbed = args.map((a) => (typeof a === 'string' ? scrub(a, 0) : a));
          return method.apply(this, scrubbed as Parameters<typeof method>);
        },
      },
    },
    // Synchronous writes to stdout: a log line is out when the call returns, so the last lines of a
    // shutdown are never lost to the process exiting (with sync: false a worker stopped by SIGTERM
    // lost its "Worker stopped" line about one time in ten). The worker logs per cycle and per
    // event, not per request, so the cost stays off the hot path.
    opts.destination ?? pino.destination({ dest: 1, sync: true }),
  );
  const named = root.child({ logger: 'ais' });
  roots.set(named, root);
  return named;
}

/** A child logger for one component, named with the dotted module path (ais.risk.engine). */
export function componentLogger(root: Logger, name: string): Logger {
  const base = roots.get(root) ?? root;
  const child = base.child({ logger: name });
  roots.set(child, base);
  return child;
}
