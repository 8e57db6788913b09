import { describe, expect, it } from 'bun:test';
import { Validator } from '@seriousme/openapi-schema-validator';
import { createApp } from '../../src/http/app.ts';
import { createTestDeps } from '../helpers/test-deps.ts';

async function spec() {
  const { deps } = await createTestDeps();
  const app = createApp(deps);
  const res = await app.request('/openapi.json');
  expect(res.status).toBe(200);
  return {
    app,
    doc: (await res.json()) as { openapi: string; paths: Record<string, Record<string, unknown>> },
  };
}

/** Hono's `/v1/foo/:name` is OpenAPI's `/v1/foo/{name}`. */
const toOpenApiPath = (p: string) => p.replace(/:(\w+)/g, '{$1}');

describe('GET /openapi.json', () => {
  it('is a valid OpenAPI 3 document', async () => {
    const { doc } = await spec();
    const result = await new Validator().validate(doc);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(doc.openapi).toStartWith('3.');
  });

  it('lists every route of the app with its method', async () => {
    const { app, doc } = await spec();
    const routes = app.routes.filter((r) => r.method !== 'ALL' && !r.path.includes('*'));
    expect(routes.length).toBeGreaterThan(3);
    for (const r of routes) {
      expect(doc.paths[toOpenApiPath(r.path)]?.[r.method.toLowerCase()]).toBeDefined();
    }
  });

  it('documents query parameters from the route validators', async () => {
    const { doc } = await spec();
    const events = doc.paths['/v1/events']!.get as { parameters: { name: string }[] };
    expect(events.parameters.map((p) => p.name)).toEqual(
      expect.arrayContaining(['type', 'since', 'limit']),
    );
  });
});
