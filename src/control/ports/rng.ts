// Rng port: named, independent random streams derived from (root seed, path).

/**
 * A random stream. `fork(name)` derives a child stream from (root seed, this.path + '/' + name),
 * never from this stream's draws, so adding a consumer shifts nobody else's numbers.
 */
export interface Rng {
  /** Stream path, e.g. `apiserver/names` or `kubelet/worker-1#2`. */
  readonly path: string;
  fork(name: string): Rng;
  /** Uniform integer in [0, n); n is a positive safe integer. */
  intBelow(n: number): number;
  /** True with probability numerator/denominator (integers, 0 ≤ numerator ≤ denominator). */
  chance(numerator: number, denominator: number): boolean;
  /** A uniformly chosen element of a non-empty array. */
  pick<T>(items: readonly T[]): T;
  /** Uniform float in [0, 1): only where upstream uses floats (jitter, distributions). */
  float(): number;
}
