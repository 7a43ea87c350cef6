// Engine micro-benchmark: synchronous events across many endpoints, in events per second.

import { assert } from '../../control/util/assert.js';
import { Engine, eventPhases } from './engine.js';

export interface BenchEngineOptions {
  /**
   * Host wall time in ms (e.g. `() => performance.now()`), read only before and after the run,
   * outside the determinism guard. Injected because src/sim reads no host time itself.
   */
  wallNowMs: () => number;
  /** Events to run. Default 1,000,000. */
  eventCount?: number;
  /** Endpoints that share them. Default 1,000. */
  endpointCount?: number;
}

/**
 * Runs `eventCount` synchronous events: each endpoint keeps one event pending and reschedules
 * itself 1–7 ms later (cycling through the phases) until the budget is spent. Returns events/s.
 */
export async function benchEngine(options: BenchEngineOptions): Promise<number> {
  const eventCount = options.eventCount ?? 1_000_000;
  const endpointCount = options.endpointCount ?? 1_000;
  assert(Number.isSafeInteger(eventCount) && eventCount > 0, 'eventCount must be positive');
  assert(
    Number.isSafeInteger(endpointCount) && endpointCount > 0,
    'endpointCount must be positive',
  );
  const engine = new Engine({
    startMs: 0,
    drain: () => Promise.reject(new Error('benchEngine schedules only synchronous events')),
    eventCountMax: eventCount,
    drainRoundsMax: 1,
  });
  let remaining = eventCount;
  const step = (endpoint: string, index: number): void => {
    if (remaining <= 0) return;
    remaining -= 1;
    engine.schedule({
      atMs: engine.nowMs() + 1 + (index % 7),
      phase: eventPhases[index % eventPhases.length] ?? 'timer',
      endpoint,
      sync: true,
      run: () => step(endpoint, index + 1),
    });
  };
  for (let i = 0; i < endpointCount; i += 1) step(`endpoint-${i}`, i);
  const startedMs = options.wallNowMs();
  await engine.runUntilQuiet();
  const elapsedMs = options.wallNowMs() - startedMs;
  assert(engine.eventCount === eventCount, 'benchEngine ran a different number of events');
  return elapsedMs > 0 ? (eventCount * 1000) / elapsedMs : Number.POSITIVE_INFINITY;
}
