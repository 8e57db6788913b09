// Start-up on Cloudflare Workers (workerd): `npm run start:workers` locally, `wrangler deploy` to
// Cloudflare (docs/deploy-edge.md). One edge worker per isolate, built by its first request from the
// bindings and secrets; what a request starts and must finish after the answer goes to waitUntil.
// The WASM core is imported as a module: wrangler bundles it compiled (workerd refuses
// WebAssembly.compile of bytes at run time). The console's script, styles and uPlot are bundled as
// text (wrangler.toml's Text rule), since an isolate has no file system to read them from.
import wasm from '../../wasm/build/release.wasm';
import { messageOf } from '../domain/error-message.mjs';
import { buildEdgeWorker, type EdgeWorker } from './build-edge.ts';
import { consoleAssets } from './workers-console-assets.ts';

/** The part of the Workers ExecutionContext used here. */
interface ExecutionContext {
  waitUntil(promise: Promise<unknown>): void;
}

let worker: Promise<EdgeWorker> | undefined;

/** Bindings that are text (vars and secrets) become the environment that loadConfig reads. */
function envOf(bindings: Record<string, unknown>): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(bindings))
    if (typeof value === 'string') env[name] = value;
  return env;
}

export default {
  async fetch(req: Request, bindings: Record<string, unknown>, ctx: ExecutionContext) {
    worker ??= buildEdgeWorker({ env: envOf(bindings), wasm, runtime: 'workerd', consoleAssets });
    let built: EdgeWorker;
    try {
      built = await worker;
    } catch (e) {
      // A bad setting or an unreachable database: say why, and build afresh on the next request.
      worker = undefined;
      console.error(messageOf(e));
      const error = { code: 'unavailable', message: messageOf(e) };
      return Response.json({ error }, { status: 503, headers: { 'Retry-After': '1' } });
    }
    const res = await built.fetch(req);
    ctx.waitUntil(built.settle());
    return res;
  },
};
