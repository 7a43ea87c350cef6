// `--shard i/n` as vitest and Playwright read it: shard i of n takes the i-th contiguous slice.

export interface Shard {
  /** 1-based. */
  index: number;
  count: number;
}

/** Most shards one run may be split into. */
export const shardCountMax = 1_000;

export type ParseShardResult = { ok: true; shard: Shard } | { ok: false; message: string };

/** Parses `i/n` with 1 ≤ i ≤ n ≤ shardCountMax. */
export function parseShard(text: string): ParseShardResult {
  const match = /^(\d{1,4})\/(\d{1,4})$/.exec(text);
  const fail = (why: string): ParseShardResult => ({
    ok: false,
    message: `Invalid value for --shard: "${text}": ${why}`,
  });
  if (match === null) return fail('use i/n, e.g. 2/4');
  const index = Number(match[1]);
  const count = Number(match[2]);
  if (count < 1 || count > shardCountMax) return fail(`n must be 1-${shardCountMax}`);
  if (index < 1 || index > count) return fail('i must be 1-n');
  return { ok: true, shard: { index, count } };
}

/**
 * The items of one shard: of N items (in the caller's stable order), shard i of n takes indexes
 * [floor((i−1)·N/n), floor(i·N/n)). The n shards partition the items exactly, sizes differ by
 * at most one, and a shard may be empty when n > N.
 */
export function shardItems<T>(items: readonly T[], shard: Shard): T[] {
  const from = Math.floor(((shard.index - 1) * items.length) / shard.count);
  const to = Math.floor((shard.index * items.length) / shard.count);
  return items.slice(from, to);
}
