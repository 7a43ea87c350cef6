// Seeded Rng: each stream is seedrandom's ARC4 generator seeded with `${rootSeed}|${path}`.

import seedrandom from 'seedrandom';
import type { Rng } from '../ports/rng.js';
import { assert } from '../util/assert.js';

const twoPow32 = 0x1_0000_0000;
const twoPow21 = 0x20_0000;
const twoPow53 = twoPow32 * twoPow21;
/** Each draw is rejected with probability < 1/2, so 128 rejections in a row never happen. */
const drawAttemptCountMax = 128;

/**
 * Creates the stream at `path` under `rootSeed`. Its numbers depend only on (rootSeed, path):
 * never on other streams' draws. Path segments are non-empty and contain neither `/` nor `|`,
 * so distinct (rootSeed, path) pairs give distinct seed strings. The numbers 42 and '42' name
 * the same root seed.
 */
export function createRng(rootSeed: string | number, path = ''): Rng {
  if (typeof rootSeed === 'number') {
    assert(Number.isSafeInteger(rootSeed), `rootSeed must be a safe integer, got ${rootSeed}`);
  } else {
    assert(rootSeed.length > 0, 'rootSeed must not be empty');
  }
  if (path !== '') for (const segment of path.split('/')) assertSegment(segment);
  return new SeededRng(String(rootSeed), path);
}

function assertSegment(segment: string): void {
  assert(segment.length > 0, 'Rng path segments must not be empty');
  assert(!segment.includes('/'), `Rng stream name must not contain "/": "${segment}"`);
  assert(!segment.includes('|'), `Rng stream name must not contain "|": "${segment}"`);
}

class SeededRng implements Rng {
  readonly path: string;
  private readonly rootSeed: string;
  private readonly prng: seedrandom.PRNG;

  constructor(rootSeed: string, path: string) {
    this.rootSeed = rootSeed;
    this.path = path;
    this.prng = seedrandom(`${rootSeed}|${path}`);
  }

  fork(name: string): Rng {
    assertSegment(name);
    return new SeededRng(this.rootSeed, this.path === '' ? name : `${this.path}/${name}`);
  }

  intBelow(n: number): number {
    assert(Number.isSafeInteger(n), `intBelow needs a safe integer, got ${n}`);
    assert(n > 0, `intBelow needs a positive bound, got ${n}`);
    return n <= twoPow32 ? this.below32(n) : this.below53(n);
  }

  chance(numerator: number, denominator: number): boolean {
    assert(
      Number.isSafeInteger(numerator),
      `chance numerator must be an integer, got ${numerator}`,
    );
    assert(Number.isSafeInteger(denominator), `chance denominator must be an integer`);
    assert(denominator > 0, `chance denominator must be positive, got ${denominator}`);
    assert(
      numerator >= 0 && numerator <= denominator,
      `chance needs 0 ≤ ${numerator} ≤ ${denominator}`,
    );
    return this.intBelow(denominator) < numerator;
  }

  pick<T>(items: readonly T[]): T {
    assert(items.length > 0, 'pick needs a non-empty array');
    return items[this.intBelow(items.length)] as T;
  }

  float(): number {
    return this.prng.double();
  }

  private uint32(): number {
    return this.prng.int32() >>> 0;
  }

  /** Rejection sampling: draws in the incomplete top block [limit, 2^32) are redrawn. */
  private below32(n: number): number {
    const limit = twoPow32 - (twoPow32 % n);
    for (let attempt = 0; attempt < drawAttemptCountMax; attempt += 1) {
      const draw = this.uint32();
      if (draw < limit) return draw % n;
    }
    throw new Error(`Rng stream "${this.path}" rejected ${drawAttemptCountMax} draws in a row`);
  }

  /** As below32 over 53-bit draws (21 high bits + 32 low bits), all exact in a double. */
  private below53(n: number): number {
    const limit = twoPow53 - (twoPow53 % n);
    for (let attempt = 0; attempt < drawAttemptCountMax; attempt += 1) {
      const high = this.uint32() % twoPow21;
      const draw = high * twoPow32 + this.uint32();
      if (draw < limit) return draw % n;
    }
    throw new Error(`Rng stream "${this.path}" rejected ${drawAttemptCountMax} draws in a row`);
  }
}
