import { describe, expect, it } from 'bun:test';
import { createGroupCommit } from '../../../src/adapters/shared/group-commit.ts';

describe('createGroupCommit', () => {
  it('carries writes submitted in one tick in one flush, and those made during it in the next', async () => {
    const flushes: number[][] = [];
    const gc = createGroupCommit<number, number>(async (items) => {
      flushes.push(items);
      await new Promise((r) => setTimeout(r, 5));
      return items.map((x) => x * 10);
    });
    const first = [1, 2, 3].map((x) => gc.submit([x]));
    await new Promise((r) => setTimeout(r, 2)); // the first flush is now running (it takes 5 ms)
    const second = [4, 5].map((x) => gc.submit([x]));
    expect(await Promise.all([...first, ...second])).toEqual([[10], [20], [30], [40], [50]]);
    expect(flushes).toEqual([
      [1, 2, 3],
      [4, 5],
    ]);
  });

  it('settles a promise only after its flush has finished', async () => {
    let flushed = false;
    const gc = createGroupCommit<number, number>(async (items) => {
      await new Promise((r) => setTimeout(r, 10));
      flushed = true;
      return items;
    });
    await gc.submit([1]);
    expect(flushed).toBe(true);
  });

  it('rejects every write of a failed flush and goes on with the next', async () => {
    let calls = 0;
    const gc = createGroupCommit<number, number>(async (items) => {
      calls++;
      if (calls === 1) throw new Error('disk full');
      return items;
    });
    const failed = Promise.allSettled([gc.submit([1]), gc.submit([2])]);
    expect((await failed).map((r) => r.status)).toEqual(['rejected', 'rejected']);
    expect(await gc.submit([3])).toEqual([3]);
  });

  it('splits a backlog larger than maxItems without splitting one submission', async () => {
    const sizes: number[] = [];
    const gc = createGroupCommit<number, number>(
      async (items) => (sizes.push(items.length), items),
      { maxItems: 4 },
    );
    await Promise.all([gc.submit([1, 2, 3]), gc.submit([4, 5]), gc.submit([6, 7, 8, 9, 10])]);
    expect(sizes).toEqual([3, 2, 5]);
    expect(gc.queued).toBe(0);
  });

  it('runs one flush at a time unless told otherwise', async () => {
    let running = 0;
    let most = 0;
    const gc = createGroupCommit<number, number>(async (items) => {
      most = Math.max(most, ++running);
      await new Promise((r) => setTimeout(r, 3));
      running--;
      return items;
    });
    for (let tick = 0; tick < 5; tick++) {
      void gc.submit([tick]);
      await new Promise((r) => setImmediate(r));
    }
    await gc.drain();
    expect(most).toBe(1);
  });

  it('with maxInFlight 2, starts a second flush while the first runs, in submission order, and drains both', async () => {
    const started: number[][] = [];
    let running = 0;
    let most = 0;
    const gc = createGroupCommit<number, number>(
      async (items) => {
        started.push(items);
        most = Math.max(most, ++running);
        await new Promise((r) => setTimeout(r, 5));
        running--;
        return items.map((x) => x * 10);
      },
      { maxInFlight: 2 },
    );
    const results: Promise<number[]>[] = [];
    for (let tick = 0; tick < 6; tick++) {
      results.push(gc.submit([tick]));
      await new Promise((r) => setImmediate(r));
    }
    await gc.drain();
    expect(running).toBe(0);
    expect(most).toBe(2);
    // Every item flushed once, and the flushes made in the order the items came.
    expect(started.flat()).toEqual([0, 1, 2, 3, 4, 5]);
    expect(await Promise.all(results)).toEqual([[0], [10], [20], [30], [40], [50]]);
  });

  it('with maxInFlight 2, a failed flush rejects its own writes only', async () => {
    let calls = 0;
    const gc = createGroupCommit<number, number>(
      async (items) => {
        const call = ++calls;
        await new Promise((r) => setTimeout(r, 5));
        if (call === 1) throw new Error('disk full');
        return items;
      },
      { maxInFlight: 2 },
    );
    const first = gc.submit([1]);
    await new Promise((r) => setImmediate(r));
    const second = gc.submit([2]);
    expect((await Promise.allSettled([first, second])).map((r) => r.status)).toEqual([
      'rejected',
      'fulfilled',
    ]);
  });
});
