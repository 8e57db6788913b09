// Request validation at the boundary: the route's zod schema (also the OpenAPI source) checks the
// input once; a failure answers 400 with the first problem's path and message.
import type { MiddlewareHandler, ValidationTargets } from 'hono';
import { validator } from 'hono-openapi';
import type { ZodType } from 'zod';
import { jsonError } from './error-handler.ts';

export function validate<T extends keyof ValidationTargets, S extends ZodType>(
  target: T,
  schema: S,
) {
  return validator(target, schema, (result, c) => {
    if (result.success) return;
    const issues = (result.error ?? []) as readonly {
      message: string;
      path?: readonly (PropertyKey | { key: PropertyKey })[];
    }[];
    const first = issues[0];
    const path = (first?.path ?? [])
      .map((p) => (typeof p === 'object' ? String(p.key) : String(p)))
      .join('.');
    const message = first ? `${path ? `${path}: ` : ''}${first.message}` : `invalid ${target}`;
    return jsonError(
      c,
      400,
      'invalid_request',
      `${target === 'json' ? 'body' : target} ${message}`,
    );
  });
}

/**
 * Put before `validate('json', schema)` on a route whose body is optional: a request with no body
 * (whatever its content type: `curl -X POST -H 'content-type: application/json'` without `-d`)
 * validates as `{}` instead of answering "Malformed JSON".
 */
export const emptyBodyIsEmptyObject: MiddlewareHandler = async (c, next) => {
  if ((await c.req.raw.clone().text()).trim() === '') c.req.bodyCache.json = Promise.resolve({});
  await next();
};
