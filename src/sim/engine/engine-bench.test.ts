// Tests that the engine benchmark runs its budget and computes a rate (it measures nothing here).

import { describe, expect, it } from 'vitest';
import { benchEngine } from './engine-bench.js';

describe('benchEngine', () => {
  it('runs the requested events and divides them by the injected elapsed time', async () => {
    const readings = [1_000, 1_250];
    let reads = 0;
    const wallNowMs = (): number => readings[reads++] ?? Number.NaN;
    const eventsPerSecond = await benchEngine({ wallNowMs, eventCount: 5_000, endpointCount: 50 });
    expect(reads).toBe(2);
    expect(eventsPerSecond).toBe(20_000);
  });
});
