// Tests of sweep seed lists and shards: parsing, canonical text, and shards that partition.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  parseSeedList,
  parseShard,
  seedListText,
  shardSeeds,
  sweepSeedCountMax,
} from './seed-list.js';

describe('parseSeedList', () => {
  it('reads ranges, single seeds and lists, sorted without repeats', () => {
    expect(parseSeedList('1..5')).toEqual({
      ok: true,
      value: { seeds: [1, 2, 3, 4, 5], text: '1..5' },
    });
    expect(parseSeedList('9, 3..4,7..7,4')).toEqual({
      ok: true,
      value: { seeds: [3, 4, 7, 9], text: '3..4,7,9' },
    });
    expect(parseSeedList('0')).toEqual({ ok: true, value: { seeds: [0], text: '0' } });
  });

  it('refuses empty ranges, non-numbers and too many seeds', () => {
    expect(parseSeedList('5..1')).toEqual({
      ok: false,
      message: 'the range "5..1" is empty (start above end)',
    });
    for (const text of ['', 'a', '1..', '..3', '-1', '1.5', '01', '1...3']) {
      expect(parseSeedList(text).ok, text).toBe(false);
    }
    expect(parseSeedList(`1..${sweepSeedCountMax + 1}`)).toEqual({
      ok: false,
      message: `more than ${sweepSeedCountMax} seeds`,
    });
  });

  it('gives back the same seeds from its canonical text', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.nat(200), { maxLength: 40 }), (seeds) => {
        const sorted = [...seeds].sort((a, b) => a - b);
        const text = seedListText(sorted);
        if (sorted.length === 0) expect(text).toBe('');
        else expect(parseSeedList(text)).toEqual({ ok: true, value: { seeds: sorted, text } });
      }),
      { numRuns: 100 },
    );
  });
});

describe('parseShard and shardSeeds', () => {
  it('reads i/n with 1 ≤ i ≤ n and refuses the rest', () => {
    expect(parseShard('2/3')).toEqual({ ok: true, value: { index: 2, count: 3 } });
    expect(parseShard('3/2')).toEqual({ ok: false, message: 'shard 3 of 2 does not exist' });
    for (const text of ['0/2', '1/0', '1', '1/2/3', 'a/b', '-1/2', '']) {
      expect(parseShard(text).ok, text).toBe(false);
    }
  });

  it('takes every n-th seed starting with the i-th', () => {
    expect(shardSeeds([1, 2, 3, 4, 5, 6, 7], { index: 2, count: 3 })).toEqual([2, 5]);
  });

  it('splits the seeds into n disjoint shards that together hold every seed', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.nat(1000), { maxLength: 60 }),
        fc.integer({ min: 1, max: 9 }),
        (seeds, count) => {
          const shards = Array.from({ length: count }, (_, i) =>
            shardSeeds(seeds, { index: i + 1, count }),
          );
          expect(shards.flat().sort((a, b) => a - b)).toEqual([...seeds].sort((a, b) => a - b));
          const sizes = shards.map((s) => s.length);
          expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
        },
      ),
      { numRuns: 100 },
    );
  });
});
