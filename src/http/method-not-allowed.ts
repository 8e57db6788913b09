// A wrong method on a known path is a 405 with `Allow` (RFC 9110 §15.5.6), not a 404: the not-found
// handler asks the app's own route table which methods the path has.
import type { Context, Hono, NotFoundHandler } from 'hono';
import { jsonError } from './error-handler.ts';

interface RoutePattern {
  method: string;
  pattern: RegExp;
}

/** `/v1/things/:id` → `^/v1/things/[^/]+$`; `*` matches anything. Hono's own syntax, the part this app uses. */
function patternOf(path: string): RegExp {
  const source = path
    .split('/')
    .map((part) =>
      part === '*'
        ? '.*'
        : part.startsWith(':')
          ? '[^/]+'
          : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'),
    )
    .join('/');
  return new RegExp(`^${source}/?$`);
}

/** The methods the app answers on `path` (middleware, registered as ALL, does not count); HEAD where GET is. */
export function allowedMethods(routes: readonly RoutePattern[], path: string): string[] {
  const methods = new Set<string>();
  for (const r of routes) if (r.pattern.test(path)) methods.add(r.method);
  if (methods.has('GET')) methods.add('HEAD');
  return [...methods].sort();
}

/**
 * The app's not-found handler: 405 with `Allow` when the path is known under other methods, the
 * JSON 404 otherwise. The route table is read on the first unmatched request, when every route is
 * mounted.
 */
export function notFoundOrWrongMethod(app: Hono): NotFoundHandler {
  let routes: RoutePattern[] | undefined;
  return (c: Context) => {
    routes ??= app.routes
      .filter((r) => r.method !== 'ALL')
      .map((r) => ({ method: r.method, pattern: patternOf(r.path) }));
    const allow = allowedMethods(routes, c.req.path);
    if (allow.length === 0 || allow.includes(c.req.method))
      return jsonError(c, 404, 'not_found', `no route for ${c.req.method} ${c.req.path}`);
    c.header('Allow', allow.join(', '));
    return jsonError(
      c,
      405,
      'method_not_allowed',
      `${c.req.method} is not allowed on ${c.req.path}; allowed: ${allow.join(', ')}`,
    );
  };
}
