// The HTTP baseline for the orders/check bench: a bare Hono app that only parses the JSON body.
// Prints the same "Worker listening" line as the worker so the bench can find its port.
import { Hono } from 'hono';

const app = new Hono().post('/v1/orders/check', async (c) => c.json({ ok: true, n: Object.keys(await c.req.json()).length }));
const server = Bun.serve({ port: 0, hostname: '127.0.0.1', fetch: app.fetch });
console.log(JSON.stringify({ message: 'Worker listening', extra_json: { port: server.port } }));
