// Tests for --shard: parsing, and shards partitioning the list exactly.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseShard, shardItems } from './shard.js';

describe('shards', () => {
  it('together hold every item exactly once, in order, sizes within one', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer(), { maxLength: 60 }),
        fc.integer({ min: 1, max: 12 }),
        (items, count) => {
          const shards = Array.from({ length: count }, (_, i) =>
            shardItems(items, { index: i + 1, count }),
          );
          expect(shards.flat()).toEqual(items);
          const sizes = shards.map((s) => s.length);
          expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('parses i/n and refuses what is not a shard', () => {
    expect(parseShard('2/3')).toEqual({ ok: true, shard: { index: 2, count: 3 } });
    for (const bad of ['0/3', '4/3', '1/0', '1-3', 'a/b', '1/3/4', '']) {
      expect(parseShard(bad)).toMatchObject({
        ok: false,
        message: expect.stringMatching(/--shard/),
      });
    }
  });
});
