// Tests of the Go duration formatting used in kubelet messages.

import { describe, expect, it } from 'vitest';
import { formatGoDurationMs } from './go-duration.js';

describe('formatGoDurationMs', () => {
  it.each([
    [0, '0s'],
    [1, '1ms'],
    [500, '500ms'],
    [1_000, '1s'],
    [2_003, '2.003s'],
    [1_500, '1.5s'],
    [10_000, '10s'],
    [60_000, '1m0s'],
    [80_000, '1m20s'],
    [160_000, '2m40s'],
    [300_000, '5m0s'],
    [90_061, '1m30.061s'],
    [3_600_000, '1h0m0s'],
    [3_723_400, '1h2m3.4s'],
    [-1_500, '-1.5s'],
  ])('prints %i ms as Go prints it: %s', (ms, text) => {
    expect(formatGoDurationMs(ms)).toBe(text);
  });
});
