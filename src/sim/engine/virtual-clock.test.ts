// Runs the Clock contract against engine clocks, plain and skewed.

import { runClockContract } from '../../../test/contracts/clock.js';
import { Engine } from './engine.js';

const hostSetImmediate = setImmediate;
const hostDrain = (): Promise<void> => new Promise((resolve) => hostSetImmediate(() => resolve()));

function fixture(skewMs: number) {
  const engine = new Engine({
    startMs: 1_767_225_600_000,
    drain: hostDrain,
    eventCountMax: 10_000,
    drainRoundsMax: 100,
  });
  const clock = engine.clock('component', { skewMs });
  return { clock, advance: (ms: number) => engine.runUntil(engine.nowMs() + ms) };
}

runClockContract('VirtualClock', { newClock: () => fixture(0) });
runClockContract('VirtualClock skewed 90 s behind', { newClock: () => fixture(-90_000) });
