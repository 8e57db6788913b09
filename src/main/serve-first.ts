// The port is claimed before any start-up work: a second worker on a taken port stops with one
// line before it opens the database, reconciles or trades. Until the worker is built the server
// answers 503 `starting` with Retry-After.
import { loadConfig, type Config, type Env } from '../config/config.ts';
import { messageOf } from '../domain/error-message.mjs';
import { buildWorker, type RuntimeName, type Worker } from './build-deps.ts';

/** What a runtime's listen gives back: the bound port and its server handle. */
export interface Listening<S> {
  port: number;
  server: S;
}

/** Listens on the configured host and port with `fetch`; rejects (EADDRINUSE, EACCES…) when it cannot. */
export type Listen<S> = (
  config: Readonly<Config>,
  fetch: (req: Request) => Response | Promise<Response>,
) => Promise<Listening<S>>;

const STARTING_BODY = JSON.stringify({
  error: { code: 'starting', message: 'the worker is starting; retry shortly' },
});

/** The one line for a failed listen: a taken port says so and names it. */
export function listenFailureLine(e: unknown, host: string, port: number): string {
  const code = (e as { code?: unknown } | null)?.code;
  if (code === 'EADDRINUSE')
    return `cannot listen on ${host}:${port}: the port is already in use (another worker?)`;
  return `cannot listen on ${host}:${port}: ${messageOf(e)}`;
}

/**
 * Parses the config, claims the port, then builds the worker; any failure is one line on stderr
 * and `exit(1)`. Returns the worker, listening, with the server answering through it.
 */
export async function serveFirst<S>(
  runtime: RuntimeName,
  env: Env,
  exit: (code: number) => never,
  listen: Listen<S>,
): Promise<{ worker: Worker; server: S }> {
  let config: Readonly<Config>;
  try {
    config = loadConfig(env);
  } catch (e) {
    console.error(messageOf(e));
    return exit(1);
  }
  let handler: ((req: Request) => Response | Promise<Response>) | undefined;
  const starting = () =>
    new Response(STARTING_BODY, {
      status: 503,
      headers: { 'content-type': 'application/json', 'retry-after': '1' },
    });
  let listening: Listening<S>;
  try {
    listening = await listen(config, (req) => (handler ? handler(req) : starting()));
  } catch (e) {
    console.error(listenFailureLine(e, config.host, config.port));
    return exit(1);
  }
  let worker: Worker;
  try {
    worker = await buildWorker(runtime, env, {}, config);
  } catch (e) {
    console.error(messageOf(e));
    return exit(1);
  }
  handler = worker.fetch;
  worker.listening(listening.port);
  return { worker, server: listening.server };
}
