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
    expect(flushes).toEqual([[1, 2, 3], [4, 5]]);
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
    const gc = createGroupCommit<number, number>(async (items) => (sizes.push(items.length), items), 4);
    await Promise.all([gc.submit([1, 2, 3]), gc.submit([4, 5]), gc.submit([6, 7, 8, 9, 10])]);
    expect(sizes).toEqual([3, 2, 5]);
    expect(gc.queued).toBe(0);
  });
});
