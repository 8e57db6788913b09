// The V3 known-answer vector on each runtime the worker supports: the same script under Bun, Deno
// (--node-modules-dir=manual) and Node (tsx) prints the digest, the signature and the signer.
import { describe, expect, it } from 'bun:test';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { ROOT } from '../../../helpers/worker-process.ts';
import { V3_KAT } from './v3-kat.ts';

const BIN = join(ROOT, 'node_modules/.bin');
const SCRIPT = 'test/adapters/exchange/aster/kat-v3-script.ts';
const COMMANDS: Record<string, string[]> = {
  bun: [process.execPath, SCRIPT],
  deno: [join(BIN, 'deno'), 'run', '--node-modules-dir=manual', SCRIPT],
  node: [join(BIN, 'tsx'), SCRIPT],
};

describe.each(Object.keys(COMMANDS))('the V3 known answer under %s', (runtime) => {
  it('matches the digest and signature of issue 9 and derives the docs signer', () => {
    const [cmd, ...args] = COMMANDS[runtime]!;
    const run = spawnSync(cmd!, args, {
      cwd: ROOT,
      encoding: 'utf8',
      timeout: 60_000,
      env: { ...process.env, NO_COLOR: '1' },
    });
    if (run.status !== 0) throw new Error(`${runtime} exited ${run.status}: ${run.stderr}`);
    expect(JSON.parse(run.stdout.trim().split('\n').at(-1)!)).toEqual({
      digest: V3_KAT.digest,
      signature: V3_KAT.signature,
      signer: V3_KAT.signer,
      recovered: V3_KAT.signer,
    });
  });
});
