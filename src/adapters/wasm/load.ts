// Reads and instantiates the built WASM core, with a message that says how to build it if missing.
import { readFile } from 'node:fs/promises';
import type { RiskCore } from '../../ports/risk-core.ts';
import { createWasmCore } from './wasm-core.ts';

/** The built module's location; Bun, Deno and Node read it through node:fs (an isolate imports it instead). */
export const WASM_PATH = new URL('../../../wasm/build/release.wasm', import.meta.url);

export async function loadWasmCore(path: URL | string = WASM_PATH): Promise<RiskCore> {
  let bytes: Uint8Array<ArrayBuffer>;
  try {
    bytes = new Uint8Array(await readFile(path));
  } catch (cause) {
    throw new Error(`WASM core not found at ${String(path)}: run "npm run build:wasm"`, { cause });
  }
  return createWasmCore(bytes);
}
