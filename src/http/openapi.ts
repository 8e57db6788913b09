// GET /openapi.json: the OpenAPI 3.1 document generated from the routes' own validators
// (hono-openapi reads the zod schemas each route validates with), so it cannot drift from the code.
// Routes without a describeRoute() get the common answers: 200, and the error shape.
import type { Context, Hono } from 'hono';
import { generateSpecs } from 'hono-openapi';
import type { OpenAPIV3_1 } from 'openapi-types';
import pkg from '../../package.json' with { type: 'json' };

const errorSchema: OpenAPIV3_1.SchemaObject = {
  type: 'object',
  required: ['error'],
  properties: {
    error: {
      type: 'object',
      required: ['code', 'message'],
      properties: { code: { type: 'string' }, message: { type: 'string' }, details: {} },
    },
  },
};

const errorResponse = (description: string): OpenAPIV3_1.ResponseObject => ({
  description,
  content: { 'application/json': { schema: errorSchema } },
});

/** Paths behind the bearer token (src/http/app.ts). */
const isProtected = (path: string) => path.startsWith('/v1/') || path.startsWith('/webhooks/');

function complete(doc: OpenAPIV3_1.Document): OpenAPIV3_1.Document {
  for (const [path, item] of Object.entries(doc.paths ?? {})) {
    for (const op of Object.values(item ?? {}) as OpenAPIV3_1.OperationObject[]) {
      const responses = (op.responses ??= {}) as Record<string, OpenAPIV3_1.ResponseObject>;
      for (const [status, r] of Object.entries(responses))
        r.description ??= status === '200' ? 'OK' : 'Error';
      if (!Object.keys(responses).some((s) => s.startsWith('2')))
        responses['200'] = { description: 'OK' };
      responses['404'] ??= errorResponse('Not found');
      responses['413'] ??= errorResponse('Body over the size limit');
      if (isProtected(path)) {
        op.security = [{ bearer: [] }];
        responses['401'] ??= errorResponse('Missing bearer token');
        responses['403'] ??= errorResponse('Wrong bearer token');
        responses['503'] ??= errorResponse('Control endpoints disabled: AIS_API_TOKEN is not set');
      }
    }
  }
  return doc;
}

export function openApiHandler(app: Hono) {
  let doc: Promise<OpenAPIV3_1.Document> | undefined;
  return async (c: Context) => {
    doc ??= generateSpecs(app, {
      documentation: {
        info: {
          title: 'AIS Worker',
          version: pkg.version,
          description:
            'Risk and observability service of the AIS trading swarm. Errors are {"error": {"code", "message"}}.',
        },
        components: {
          securitySchemes: {
            bearer: { type: 'http', scheme: 'bearer', description: 'AIS_API_TOKEN' },
          },
        },
      },
      // Every route is listed, described or not; middleware patterns (`/v1/*`) are not routes.
      includeEmptyPaths: true,
      excludeStaticFile: false,
      exclude: [/\*/],
      defaultValidationErrorResponse: errorResponse('Invalid request'),
    }).then((d) => complete(d as OpenAPIV3_1.Document));
    return c.json(await doc);
  };
}
