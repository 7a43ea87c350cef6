// Test support for the network's tests: a core world on the caller's drain, and a way to run a
// script as an engine event and then the engine past it.

import type { KubeObject } from '../../control/client/types.js';
import type { CoreWorld, CoreWorldOptions } from '../core-world.js';
import { createCoreWorld } from '../core-world.js';
import { runScript as runEngineScript } from '../engine/run-script.js';

export const testEpochMs = Date.UTC(2026, 0, 1);

/** A core world at the test epoch; `drain` is the host macrotask boundary (from the test). */
export function newNetworkWorld(
  drain: () => Promise<void>,
  options: Partial<Pick<CoreWorldOptions, 'seed' | 'network' | 'watchHistoryCountMax'>> = {},
): Promise<CoreWorld> {
  return createCoreWorld({
    seed: options.seed ?? 1,
    startMs: testEpochMs,
    drain,
    eventCountMax: 1_000_000,
    drainRoundsMax: 10_000,
    ...(options.network === undefined ? {} : { network: options.network }),
    ...(options.watchHistoryCountMax === undefined
      ? {}
      : { watchHistoryCountMax: options.watchHistoryCountMax }),
  });
}

/**
 * Runs `script` as an engine event now, then the engine for `untilMs` of virtual time; fails
 * when the script has not finished by then.
 */
export async function runScript<T>(
  world: CoreWorld,
  script: () => Promise<T>,
  untilMs: number,
): Promise<T> {
  return runEngineScript(world.engine, { endpoint: 'test', forMs: untilMs }, script);
}

export function nodeObject(name: string): KubeObject {
  return { apiVersion: 'v1', kind: 'Node', metadata: { name } };
}

/** Settles a promise into a value or the error, so a test can assert on either. */
export function outcome<T>(promise: Promise<T>): Promise<{ value: T } | { error: unknown }> {
  return promise.then(
    (value) => ({ value }),
    (error: unknown) => ({ error }),
  );
}
