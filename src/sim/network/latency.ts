// Latency of a simulated link: a fixed delay or a distribution, sampled to integer milliseconds.
//
// Samples come from the link's own Rng stream, so they depend only on (seed, link) and on how
// many messages that link carried before: never on other links' traffic.

import type { Rng } from '../../control/ports/rng.js';
import { assert, assertNever } from '../../control/util/assert.js';

/**
 * Milliseconds per message: a fixed integer, integers drawn uniformly from [a, b] (both
 * included), an exponential with the given mean, or a normal cut at 0. Every sample is rounded
 * to an integer and capped at latencyMsMax.
 */
export type LatencySpec =
  | number
  | { uniform: readonly [number, number] }
  | { exponential: number }
  | { normal: { mean: number; stddev: number } };

/** Longest latency a message can get, ms (1 hour): caps the tails of distributions. */
export const latencyMsMax = 3_600_000;

/** Asserts that a spec is well formed (programmer or scenario error otherwise). */
export function checkLatency(spec: LatencySpec): void {
  if (typeof spec === 'number') return checkFixed(spec, 'latency');
  if ('uniform' in spec) {
    const [low, high] = spec.uniform;
    checkFixed(low, 'uniform latency low bound');
    checkFixed(high, 'uniform latency high bound');
    assert(low <= high, `uniform latency needs low ≤ high, got [${low}, ${high}]`);
    return;
  }
  if ('exponential' in spec) return checkParameter(spec.exponential, 'exponential latency mean');
  if ('normal' in spec) {
    checkParameter(spec.normal.mean, 'normal latency mean');
    checkParameter(spec.normal.stddev, 'normal latency stddev');
    return;
  }
  return assertNever(spec, 'unknown latency spec');
}

/** True when every sample is 0 (such a link can deliver at once). */
export function isZeroLatency(spec: LatencySpec): boolean {
  if (typeof spec === 'number') return spec === 0;
  if ('uniform' in spec) return spec.uniform[1] === 0;
  if ('exponential' in spec) return spec.exponential === 0;
  return spec.normal.mean === 0 && spec.normal.stddev === 0;
}

/** One sample in integer ms within [0, latencyMsMax]. Draws nothing for a fixed latency. */
export function sampleLatencyMs(spec: LatencySpec, rng: Rng): number {
  if (typeof spec === 'number') return spec;
  if ('uniform' in spec) {
    const [low, high] = spec.uniform;
    return low + rng.intBelow(high - low + 1);
  }
  if ('exponential' in spec) {
    if (spec.exponential === 0) return 0;
    return roundAndCap(-spec.exponential * Math.log(1 - rng.float()));
  }
  if ('normal' in spec) return roundAndCap(spec.normal.mean + spec.normal.stddev * gauss(rng));
  return assertNever(spec, 'unknown latency spec');
}

/** A standard normal draw (Box–Muller; two uniform draws, the second value discarded). */
function gauss(rng: Rng): number {
  const radius = Math.sqrt(-2 * Math.log(1 - rng.float()));
  return radius * Math.cos(2 * Math.PI * rng.float());
}

/** Rounds half up (samples are never negative here) and caps into [0, latencyMsMax]. */
function roundAndCap(value: number): number {
  if (!(value > 0)) return 0;
  return Math.min(latencyMsMax, Math.floor(value + 0.5));
}

function checkFixed(value: number, what: string): void {
  assert(Number.isSafeInteger(value), `${what} must be an integer number of ms, got ${value}`);
  assert(value >= 0 && value <= latencyMsMax, `${what} must be in [0, ${latencyMsMax}] ms`);
}

function checkParameter(value: number, what: string): void {
  assert(Number.isFinite(value), `${what} must be a finite number of ms, got ${value}`);
  assert(value >= 0 && value <= latencyMsMax, `${what} must be in [0, ${latencyMsMax}] ms`);
}
