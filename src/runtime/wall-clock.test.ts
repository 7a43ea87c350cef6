// Runs the Clock contract against the wall clock with real, tiny waits.

import { describe, expect, it } from 'vitest';
import { runClockContract } from '../../test/contracts/clock.js';
import { WallClock } from './wall-clock.js';

runClockContract('WallClock', {
  newClock: () => ({
    clock: new WallClock(),
    advance: (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)),
  }),
});

describe('WallClock', () => {
  it('does not fire delays beyond the host timer range at once', async () => {
    const clock = new WallClock({ unrefTimers: true });
    let fired = false;
    const timer = clock.setTimer(2_147_483_648, () => (fired = true));
    await new Promise<void>((resolve) => setTimeout(resolve, 3));
    timer.cancel();
    expect(fired).toBe(false);
  });
});
