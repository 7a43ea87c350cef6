// Drawing a scenario Distribution from an Rng stream: integer milliseconds, never negative.
import type { Rng } from '../../control/ports/rng.js';
import { assertNever } from '../../control/util/assert.js';
import type { Distribution } from '../scenario/scenario-model.js';

/** One draw, in integer ms (negative draws count as 0, as the scenario format says). */
export function drawMs(distribution: Distribution, rng: Rng): number {
  switch (distribution.kind) {
    case 'constant':
      return distribution.valueMs;
    case 'uniform': {
      const span = distribution.maxMs - distribution.minMs;
      return distribution.minMs + (span <= 0 ? 0 : rng.intBelow(span + 1));
    }
    case 'exponential': {
      // Inverse transform; 1 - u is in (0, 1], so the log is finite.
      const u = rng.float();
      return Math.max(0, Math.round(-distribution.meanMs * Math.log(1 - u)));
    }
    case 'normal': {
      // Box–Muller with two draws.
      const u1 = 1 - rng.float();
      const u2 = rng.float();
      const z = Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
      return Math.max(0, Math.round(distribution.meanMs + z * distribution.stddevMs));
    }
    default:
      return assertNever(distribution, 'unknown distribution');
  }
}
