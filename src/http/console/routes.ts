// The operator console: GET / (the page), POST /console/login and /console/logout (the session
// cookie), GET /console/snapshot and /console/stream (the live state, as JSON and as server-sent
// events), GET /console/history (equity and drawdown), GET /console/assets/* (script, style,
// uPlot), GET /runbooks/* and GET /api (a reference page for /openapi.json). Reading needs no
// session; acting goes through the /v1 control endpoints, which accept the session (auth.ts).
import { type Context, Hono } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { streamSSE } from 'hono/streaming';
import { z } from 'zod';
import { stateWord } from '../../domain/risk/state-word.ts';
import type { AppDeps } from '../deps.ts';
import { jsonError } from '../error-handler.ts';
import { isSameOrigin } from '../middleware/same-origin.ts';
import { validate } from '../validate.ts';
import { apiReferencePage } from './api-page.ts';
import { type ConsoleDeps, createConsoleFeed, SNAPSHOT_MS } from './feed.ts';
import { HISTORY_RANGES, type HistoryRange, sampleHistory } from './history.ts';
import { CONSOLE_CSP, consolePage } from './page.ts';
import { SESSION_COOKIE, type Sessions } from './session.ts';

/** Failed logins allowed a minute (all clients together) before logins answer 429. */
const MAX_FAILED_LOGINS_PER_MINUTE = 10;
/** An unchanged snapshot is sent again after this long, so a proxy never sees an idle stream. */
const RESEND_MS = 15_000;

const loginBody = z.strictObject({ token: z.string().min(1).max(512) });
const historyQuery = z.strictObject({
  range: z.enum(Object.keys(HISTORY_RANGES) as [HistoryRange, ...HistoryRange[]]).default('24h'),
});

const isHttps = (c: Context) =>
  new URL(c.req.url).protocol === 'https:' || c.req.header('x-forwarded-proto') === 'https';

/** The console's routes; `sessions` is undefined when no API token is set (logins answer 503). */
export function consoleRoutes(
  deps: ConsoleDeps & Pick<AppDeps, 'consoleAssets'>,
  sessions: Sessions | undefined,
) {
  const assets = deps.consoleAssets ?? new Map();
  const runbooks = new Set(
    [...assets.keys()].filter((k) => k.startsWith('runbooks/')).map((k) => k.slice(9, -3)),
  );
  const feed = createConsoleFeed(deps, runbooks);
  const failures: number[] = [];
  const hasSession = (c: Context) =>
    sessions?.verify(getCookie(c, SESSION_COOKIE), deps.nowMs()) === true;
  const asset = (c: Context, name: string) => {
    const a = assets.get(name);
    if (!a) return jsonError(c, 404, 'not_found', `no console asset ${name}`);
    return c.body(a.body, 200, { 'content-type': a.type, 'cache-control': 'no-cache' });
  };

  return new Hono()
    .get('/', (c) => {
      c.header('content-security-policy', CONSOLE_CSP);
      c.header('cache-control', 'no-store');
      c.header('x-content-type-options', 'nosniff');
      c.header('referrer-policy', 'same-origin');
      const word = stateWord(deps.risk.control.state());
      const { instanceId: instance, exchange } = deps.config;
      return c.html(consolePage({ word, instance, exchange, session: hasSession(c) }));
    })
    .post('/console/login', validate('json', loginBody), async (c) => {
      if (!sessions)
        return jsonError(c, 503, 'control_disabled', 'set AIS_API_TOKEN to enable the console');
      if (!isSameOrigin(c))
        return jsonError(c, 403, 'cross_origin', 'log in from the console page itself');
      const now = deps.nowMs();
      while (failures.length && failures[0]! <= now - 60_000) failures.shift();
      if (failures.length >= MAX_FAILED_LOGINS_PER_MINUTE)
        return jsonError(c, 429, 'too_many_logins', 'too many failed logins: wait a minute');
      if (!sessions.checkToken(c.req.valid('json').token)) {
        failures.push(now);
        return jsonError(c, 403, 'forbidden', 'wrong token');
      }
      const session = sessions.issue(now);
      setCookie(c, SESSION_COOKIE, session.value, {
        httpOnly: true,
        sameSite: 'Strict',
        secure: isHttps(c),
        path: '/',
        maxAge: Math.floor((session.expiresMs - now) / 1000),
      });
      return c.json({ expires: new Date(session.expiresMs).toISOString() });
    })
    .post('/console/logout', (c) => {
      if (!isSameOrigin(c)) return jsonError(c, 403, 'cross_origin', 'log out from the console');
      sessions?.revoke(getCookie(c, SESSION_COOKIE), deps.nowMs());
      deleteCookie(c, SESSION_COOKIE, { path: '/', secure: isHttps(c) });
      return c.json({ logged_out: true });
    })
    .get('/console/snapshot', async (c) => c.json(await feed.snapshot()))
    .get('/console/stream', (c) =>
      streamSSE(c, async (stream) => {
        let closed = false;
        stream.onAbort(() => void (closed = true));
        let last = '';
        let sentMs = 0;
        while (!closed) {
          const { timeMs, ...rest } = await feed.snapshot();
          const body = JSON.stringify(rest);
          if (body !== last || timeMs - sentMs >= RESEND_MS) {
            await stream.writeSSE({ event: 'snapshot', data: JSON.stringify({ timeMs, ...rest }) });
            [last, sentMs] = [body, timeMs];
          }
          await stream.sleep(SNAPSHOT_MS);
        }
      }),
    )
    .get('/console/history', validate('query', historyQuery), async (c) => {
      const range = HISTORY_RANGES[c.req.valid('query').range];
      return c.json(await sampleHistory(deps.store, deps.nowMs() - range));
    })
    .get('/console/assets/:name', (c) => asset(c, c.req.param('name')))
    .get('/runbooks/:name', (c) => asset(c, `runbooks/${c.req.param('name')}.md`))
    .get('/api', (c) => {
      c.header('content-security-policy', CONSOLE_CSP);
      return c.html(apiReferencePage());
    });
}
