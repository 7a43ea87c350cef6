// Rng contract: every Rng implementation runs this suite (determinism, forks, uniformity).

import { describe, expect, it } from 'vitest';
import type { Rng } from '../../src/control/ports/rng.js';

export interface RngContractOptions {
  newRng(rootSeed: string | number, path?: string): Rng;
}

function draws(rng: Rng, count: number): number[] {
  const values: number[] = [];
  for (let i = 0; i < count; i += 1) {
    values.push(rng.intBelow(1_000_000), rng.float(), rng.chance(1, 3) ? 1 : 0);
    values.push(rng.pick([10, 20, 30]));
  }
  return values;
}

/** Pearson's chi-square statistic of observed counts against a uniform expectation. */
function chiSquare(counts: number[], total: number): number {
  const expected = total / counts.length;
  return counts.reduce((sum, count) => sum + (count - expected) ** 2 / expected, 0);
}

export function runRngContract(name: string, options: RngContractOptions): void {
  const { newRng } = options;
  describe(`Rng contract: ${name}`, () => {
    it('repeats the same sequence for the same seed and path', () => {
      expect(draws(newRng(7, 'a/b'), 50)).toEqual(draws(newRng(7, 'a/b'), 50));
      expect(draws(newRng('seed', ''), 50)).toEqual(draws(newRng('seed'), 50));
    });

    it('gives different sequences for different seeds or paths', () => {
      const base = draws(newRng(7, 'a'), 20);
      expect(draws(newRng(8, 'a'), 20)).not.toEqual(base);
      expect(draws(newRng(7, 'b'), 20)).not.toEqual(base);
      expect(draws(newRng(7, ''), 20)).not.toEqual(base);
    });

    it('derives forks from the path alone, not from the parent’s draws', () => {
      const fresh = newRng(11, 'kubelet');
      const used = newRng(11, 'kubelet');
      draws(used, 100);
      const fork = fresh.fork('worker-1#2');
      expect(fork.path).toBe('kubelet/worker-1#2');
      expect(draws(used.fork('worker-1#2'), 30)).toEqual(draws(fork, 30));
      expect(draws(newRng(11, 'kubelet/worker-1#2'), 30)).toEqual(
        draws(newRng(11, 'kubelet').fork('worker-1#2'), 30),
      );
      expect(newRng(11).fork('api').path).toBe('api');
    });

    it('leaves the parent’s sequence alone when forking', () => {
      const plain = newRng(5, 'p');
      const forking = newRng(5, 'p');
      const expected = draws(plain, 20);
      forking.fork('child').intBelow(10);
      expect(draws(forking, 20)).toEqual(expected);
    });

    it('draws integers in range for small, 32-bit and 53-bit bounds', () => {
      const rng = newRng(3, 'ranges');
      const bounds = [1, 2, 7, 1000, 2 ** 32 - 1, 2 ** 32, 2 ** 32 + 1, Number.MAX_SAFE_INTEGER];
      for (const n of bounds) {
        for (let i = 0; i < 50; i += 1) {
          const value = rng.intBelow(n);
          expect(Number.isSafeInteger(value)).toBe(true);
          expect(value).toBeGreaterThanOrEqual(0);
          expect(value).toBeLessThan(n);
        }
      }
      expect(rng.intBelow(1)).toBe(0);
    });

    it('spreads intBelow(10) evenly (chi-square, fixed seed)', () => {
      const rng = newRng(2024, 'uniformity');
      const counts = new Array<number>(10).fill(0);
      const total = 20_000;
      for (let i = 0; i < total; i += 1) {
        const value = rng.intBelow(10);
        counts[value] = (counts[value] as number) + 1;
      }
      // 27.88 is the 0.999 quantile of chi-square with 9 degrees of freedom.
      expect(chiSquare(counts, total)).toBeLessThan(27.88);
    });

    it('has no modulo bias for bounds that do not divide the draw range', () => {
      // With plain modulo of 32- or 53-bit draws, the lowest third of these ranges would get
      // half of the values instead of a third.
      const rng = newRng(99, 'bias');
      for (const n of [3 * 2 ** 30, 3 * 2 ** 50]) {
        const total = 6_000;
        let low = 0;
        for (let i = 0; i < total; i += 1) if (rng.intBelow(n) < n / 3) low += 1;
        expect(Math.abs(low / total - 1 / 3)).toBeLessThan(0.03);
      }
    });

    it('answers chance at the extremes exactly and near its ratio otherwise', () => {
      const rng = newRng(17, 'chance');
      let quarter = 0;
      for (let i = 0; i < 4_000; i += 1) {
        expect(rng.chance(0, 5)).toBe(false);
        expect(rng.chance(5, 5)).toBe(true);
        if (rng.chance(1, 4)) quarter += 1;
      }
      expect(Math.abs(quarter / 4_000 - 0.25)).toBeLessThan(0.03);
    });

    it('picks every element eventually and floats stay in [0, 1)', () => {
      const rng = newRng(23, 'pick');
      const items = ['a', 'b', 'c', 'd'] as const;
      const seen = new Set<string>();
      for (let i = 0; i < 200; i += 1) {
        seen.add(rng.pick(items));
        const value = rng.float();
        expect(value).toBeGreaterThanOrEqual(0);
        expect(value).toBeLessThan(1);
      }
      expect([...seen].sort()).toEqual(['a', 'b', 'c', 'd']);
    });

    it('throws on invalid arguments (programmer errors)', () => {
      const rng = newRng(1, 'args');
      for (const n of [0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 53]) {
        expect(() => rng.intBelow(n)).toThrow();
      }
      expect(() => rng.chance(2, 1)).toThrow();
      expect(() => rng.chance(-1, 2)).toThrow();
      expect(() => rng.chance(1, 0)).toThrow();
      expect(() => rng.chance(0.5, 2)).toThrow();
      expect(() => rng.pick([])).toThrow();
      expect(() => rng.fork('')).toThrow();
      expect(() => rng.fork('a/b')).toThrow();
    });
  });
}
