// Slow-start batching of creates (replica_set.go's slowStartBatch): batches of 1, 2, 4, …, each
// run in parallel, stopping after the first batch that had an error, so a controller whose
// creates all fail (quota, forbidden) sends one request per sync instead of hundreds.

import { assert } from '../../util/assert.js';

/** controller.SlowStartInitialBatchSize. */
export const slowStartInitialBatchSize = 1;

/** The batch sizes for `count` calls: initial, then doubling, the last one cut to what is left. */
export function slowStartBatchSizes(
  count: number,
  initialBatchSize = slowStartInitialBatchSize,
): number[] {
  assert(Number.isSafeInteger(count) && count >= 0, 'count must be an integer ≥ 0');
  assert(Number.isSafeInteger(initialBatchSize), 'initialBatchSize must be an integer');
  assert(initialBatchSize > 0, 'initialBatchSize must be positive');
  const sizes: number[] = [];
  let remaining = count;
  for (let size = Math.min(remaining, initialBatchSize); size > 0;) {
    sizes.push(size);
    remaining -= size;
    size = Math.min(2 * size, remaining);
  }
  return sizes;
}

export interface SlowStartOutcome {
  /** Calls that resolved. Calls never made and calls that rejected are not counted. */
  successCount: number;
  /** The first rejection (in call order) of the batch that stopped the run. */
  error?: unknown;
}

/**
 * Calls `call` `count` times in slow-start batches; within a batch the calls run concurrently.
 * After a batch with any rejection no further batch starts.
 */
export async function slowStartBatch(
  count: number,
  call: () => Promise<void>,
  options: { /** Size of the first batch. Default 1. */ initialBatchSize?: number } = {},
): Promise<SlowStartOutcome> {
  let successCount = 0;
  for (const size of slowStartBatchSizes(count, options.initialBatchSize)) {
    const calls: Promise<void>[] = [];
    for (let i = 0; i < size; i++) calls.push(call());
    const results = await Promise.allSettled(calls);
    const failed = results.find((result) => result.status === 'rejected');
    successCount += results.filter((result) => result.status === 'fulfilled').length;
    if (failed !== undefined) return { successCount, error: failed.reason };
  }
  return { successCount };
}
