// Slow-start batches: sizes 1, 2, 4, … and the stop after the first failing batch.

import { describe, expect, it } from 'vitest';
import { slowStartBatch, slowStartBatchSizes } from './slow-start.js';

describe('slow-start batch sizes', () => {
  it.each([
    [0, 1, []],
    [1, 1, [1]],
    [2, 1, [1, 1]],
    [3, 1, [1, 2]],
    [5, 1, [1, 2, 2]],
    [7, 1, [1, 2, 4]],
    [10, 1, [1, 2, 4, 3]],
    [10, 3, [3, 6, 1]],
    [2, 5, [2]],
    [500, 1, [1, 2, 4, 8, 16, 32, 64, 128, 245]],
  ])('%i calls starting at %i run in batches %j', (count, initial, sizes) => {
    expect(slowStartBatchSizes(count, initial)).toEqual(sizes);
  });

  it('always add up to the count', () => {
    for (let count = 0; count <= 600; count++) {
      const sizes = slowStartBatchSizes(count);
      expect(sizes.reduce((sum, size) => sum + size, 0)).toBe(count);
    }
  });
});

describe('slow-start batching', () => {
  it('makes every call when all succeed', async () => {
    let calls = 0;
    const outcome = await slowStartBatch(10, async () => {
      calls += 1;
    });
    expect(calls).toBe(10);
    expect(outcome).toEqual({ successCount: 10 });
  });

  it('finishes the batch with the first failure and starts no other', async () => {
    let calls = 0;
    const outcome = await slowStartBatch(10, async () => {
      calls += 1;
      if (calls === 4 || calls === 6) throw new Error(`call ${calls} refused`);
    });
    // Batches 1, 2 and 4: the third batch (calls 4–7) fails twice; calls 8–10 never happen.
    expect(calls).toBe(7);
    expect(outcome.successCount).toBe(5);
    expect((outcome.error as Error).message).toBe('call 4 refused');
  });

  it('runs the calls of one batch concurrently', async () => {
    let running = 0;
    let runningMax = 0;
    await slowStartBatch(7, async () => {
      running += 1;
      runningMax = Math.max(runningMax, running);
      await Promise.resolve();
      running -= 1;
    });
    expect(runningMax).toBe(4);
  });
});
