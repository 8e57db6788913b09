import { describe, expect, it } from 'bun:test';
import { cachedExporter } from '../../../src/adapters/metrics/render-cache.ts';

/** An exporter that counts its renders and answers when `finish` is called. */
function slowExporter() {
  let renders = 0;
  const pending: ((text: string) => void)[] = [];
  return {
    contentType: 'text/plain',
    render: () => {
      renders++;
      return new Promise<string>((resolve) => pending.push(resolve));
    },
    finish: (text: string) => pending.splice(0).forEach((r) => r(text)),
    get renders() {
      return renders;
    },
  };
}

describe('cachedExporter', () => {
  it('shares one render among concurrent scrapes', async () => {
    const inner = slowExporter();
    const cached = cachedExporter(inner, { maxAgeMs: 0, monotonicMs: () => 0 });
    const scrapes = Array.from({ length: 64 }, () => cached.render());
    expect(inner.renders).toBe(1);
    inner.finish('m 1');
    expect(await Promise.all(scrapes)).toEqual(Array(64).fill('m 1'));
    // maxAgeMs 0: the next scrape renders again.
    const next = cached.render();
    expect(inner.renders).toBe(2);
    inner.finish('m 2');
    expect(await next).toBe('m 2');
  });

  it('reuses a finished render for maxAgeMs from its start, then renders again', async () => {
    const inner = slowExporter();
    let now = 1_000;
    const cached = cachedExporter(inner, { maxAgeMs: 1_000, monotonicMs: () => now });
    const first = cached.render();
    now = 1_020; // the render took 20 ms
    inner.finish('m 1');
    await first;
    now = 1_999;
    expect(await cached.render()).toBe('m 1');
    expect(inner.renders).toBe(1);
    now = 2_000;
    const fresh = cached.render();
    expect(inner.renders).toBe(2);
    inner.finish('m 2');
    expect(await fresh).toBe('m 2');
  });

  it('keeps no failed render', async () => {
    let calls = 0;
    const cached = cachedExporter(
      {
        contentType: 'text/plain',
        render: async () => {
          if (++calls === 1) throw new Error('collect failed');
          return 'm 1';
        },
      },
      { maxAgeMs: 60_000, monotonicMs: () => 0 },
    );
    await expect(cached.render()).rejects.toThrow('collect failed');
    expect(await cached.render()).toBe('m 1');
    expect(calls).toBe(2);
  });
});
