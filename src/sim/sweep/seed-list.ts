// The seeds of a sweep: `--seeds` lists and ranges, and `--shard i/n` slices of them.

/** Most seeds one sweep runs. */
export const sweepSeedCountMax = 100_000;

export type Parsed<T> = { ok: true; value: T } | { ok: false; message: string };

export interface SeedList {
  /** Ascending, without repeats. */
  seeds: number[];
  /** The list in one canonical text: ranges `a..b` and single seeds joined by commas. */
  text: string;
}

export interface Shard {
  /** 1-based. */
  index: number;
  count: number;
}

const seedPattern = /^(0|[1-9]\d{0,14})$/;

function seedPart(part: string): Parsed<[number, number]> {
  const range = /^([^.]*)\.\.([^.]*)$/.exec(part);
  const [from = '', to = ''] = range === null ? [part, part] : [range[1], range[2]];
  if (!seedPattern.test(from) || !seedPattern.test(to)) {
    return { ok: false, message: `"${part}" is not a seed or a range a..b of whole numbers` };
  }
  const start = Number(from);
  const end = Number(to);
  if (start > end) return { ok: false, message: `the range "${part}" is empty (start above end)` };
  if (end - start + 1 > sweepSeedCountMax) {
    return { ok: false, message: `more than ${sweepSeedCountMax} seeds` };
  }
  return { ok: true, value: [start, end] };
}

/** `1..100`, `7`, `1..10,42,50..60`: seeds are whole numbers from 0. */
export function parseSeedList(text: string): Parsed<SeedList> {
  const seen = new Set<number>();
  for (const part of text.split(',')) {
    const parsed = seedPart(part.trim());
    if (!parsed.ok) return parsed;
    const [start, end] = parsed.value;
    for (let seed = start; seed <= end; seed++) {
      seen.add(seed);
      if (seen.size > sweepSeedCountMax) {
        return { ok: false, message: `more than ${sweepSeedCountMax} seeds` };
      }
    }
  }
  const seeds = [...seen].sort((a, b) => a - b);
  return { ok: true, value: { seeds, text: seedListText(seeds) } };
}

/** Ascending seeds as ranges: [1,2,3,5] → `1..3,5`. */
export function seedListText(seeds: readonly number[]): string {
  const parts: string[] = [];
  let index = 0;
  while (index < seeds.length) {
    const start = seeds[index] as number;
    let end = start;
    while (seeds[index + 1] === end + 1) {
      end += 1;
      index += 1;
    }
    parts.push(start === end ? String(start) : `${start}..${end}`);
    index += 1;
  }
  return parts.join(',');
}

/** `i/n` with 1 ≤ i ≤ n, as vitest's and Playwright's `--shard`. */
export function parseShard(text: string): Parsed<Shard> {
  const match = /^([1-9]\d{0,5})\/([1-9]\d{0,5})$/.exec(text);
  if (match === null) return { ok: false, message: 'use i/n with whole numbers 1 ≤ i ≤ n' };
  const index = Number(match[1]);
  const count = Number(match[2]);
  if (index > count) return { ok: false, message: `shard ${index} of ${count} does not exist` };
  return { ok: true, value: { index, count } };
}

/** Shard i of n: the seeds at positions i-1, i-1+n, i-1+2n … of the ascending list. */
export function shardSeeds(seeds: readonly number[], shard: Shard): number[] {
  return seeds.filter((_, position) => position % shard.count === shard.index - 1);
}
