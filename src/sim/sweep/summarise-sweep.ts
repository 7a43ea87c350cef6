// Builds a sweep's result from its runs (distribution of every metric, expectation pass counts,
// failing seeds with reproduce commands) and merges the results of shards into one.
import { canonicalStringify } from '../../control/api/values/canonical-json.js';
import { percentileOf } from '../report/downsample.js';
import { compareText } from '../report/format.js';
import type { Parsed } from './seed-list.js';
import { sweepFormatVersion } from './sweep-model.js';
import type {
  ExpectationSummary,
  FailingSeed,
  MetricSummary,
  ShardSet,
  SweepResult,
  SweepRun,
  SweepSummary,
} from './sweep-model.js';

export interface SweepInput {
  scenario: SweepResult['scenario'];
  seeds: string;
  shard: ShardSet | null;
  expectations: string[];
  /** In any order; the result sorts them by seed. */
  runs: readonly SweepRun[];
}

/** The command that reruns one seed of the scenario alone. */
export function reproduceCommand(file: string, seed: number): string {
  return `npx miniku sim run ${file} --seed ${seed}`;
}

function metricSummaries(runs: readonly SweepRun[]): MetricSummary[] {
  const values = new Map<string, number[]>();
  for (const run of runs) {
    for (const [name, value] of Object.entries(run.metrics)) {
      const list = values.get(name) ?? [];
      list.push(value);
      values.set(name, list);
    }
  }
  return [...values.keys()].sort(compareText).map((name) => {
    const inSeedOrder = values.get(name) as number[];
    let sum = 0;
    for (const value of inSeedOrder) sum += value;
    const sorted = [...inSeedOrder].sort((a, b) => a - b);
    return {
      name,
      count: sorted.length,
      min: sorted[0] as number,
      p50: percentileOf(sorted, 50) as number,
      p90: percentileOf(sorted, 90) as number,
      max: sorted[sorted.length - 1] as number,
      mean: sum / sorted.length,
    };
  });
}

function expectationSummaries(
  names: readonly string[],
  runs: readonly SweepRun[],
): ExpectationSummary[] {
  const finished = runs.filter((run) => run.error === null);
  return names.map((name, index) => ({
    name,
    heldCount: finished.filter((run) => run.held[index] === true).length,
    runCount: finished.length,
  }));
}

function failingSeeds(input: SweepInput, runs: readonly SweepRun[]): FailingSeed[] {
  return runs
    .filter((run) => !run.passed)
    .map((run) => ({
      seed: run.seed,
      failed: input.expectations.filter((_, index) => run.held[index] === false),
      error: run.error === null ? null : run.error.message,
      reproduce: reproduceCommand(input.scenario.file, run.seed),
    }));
}

function summaryOf(input: SweepInput, runs: readonly SweepRun[]): SweepSummary {
  const passedCount = runs.filter((run) => run.passed).length;
  return {
    runCount: runs.length,
    passedCount,
    failedCount: runs.length - passedCount,
    erroredCount: runs.filter((run) => run.error !== null).length,
    metrics: metricSummaries(runs),
    expectations: expectationSummaries(input.expectations, runs),
    failingSeeds: failingSeeds(input, runs),
  };
}

/** Null when the shards are all n of n (the result holds every seed). */
function normalShard(shard: ShardSet | null): ShardSet | null {
  if (shard === null) return null;
  const indexes = [...new Set(shard.indexes)].sort((a, b) => a - b);
  return indexes.length === shard.count ? null : { count: shard.count, indexes };
}

/**
 * The sweep's result: runs sorted by seed and their summary; a shard set holding all n of n
 * shards becomes null. Same runs, same result.
 */
export function summariseSweep(input: SweepInput): SweepResult {
  const runs = [...input.runs].sort((a, b) => a.seed - b.seed);
  for (let i = 1; i < runs.length; i++) {
    if (runs[i]?.seed === runs[i - 1]?.seed) throw new Error(`seed ${runs[i]?.seed} ran twice`);
  }
  return {
    sweepFormatVersion,
    scenario: { ...input.scenario },
    seeds: input.seeds,
    shard: normalShard(input.shard),
    expectations: [...input.expectations],
    summary: summaryOf(input, runs),
    runs,
  };
}

function sameText(values: readonly unknown[]): boolean {
  const first = canonicalStringify(values[0]);
  return values.every((value) => canonicalStringify(value) === first);
}

function mergedShard(results: readonly SweepResult[]): Parsed<ShardSet | null> {
  const shards = results.map((result) => result.shard);
  if (shards.length === 1) return { ok: true, value: shards[0] ?? null };
  if (shards.some((shard) => shard === null)) {
    return { ok: false, message: 'a result that holds every seed cannot be merged with others' };
  }
  const sets = shards as ShardSet[];
  const count = sets[0]?.count ?? 0;
  if (sets.some((set) => set.count !== count)) {
    return { ok: false, message: 'the results come from different shard counts' };
  }
  const indexes = sets.flatMap((set) => set.indexes);
  if (new Set(indexes).size !== indexes.length) {
    return { ok: false, message: 'a shard appears in more than one result' };
  }
  return { ok: true, value: { count, indexes } };
}

/**
 * One result from the results of shards of the same sweep (same scenario bytes, seed list and
 * expectations): their runs together and the summary recomputed. All n shards of n give the
 * same result, byte for byte, as the unsharded sweep.
 */
export function mergeSweeps(results: readonly SweepResult[]): Parsed<SweepResult> {
  if (results.length === 0) return { ok: false, message: 'no results to merge' };
  if (!sameText(results.map((r) => r.scenario))) {
    return { ok: false, message: 'the results are of different scenarios (name, file or bytes)' };
  }
  if (!sameText(results.map((r) => r.seeds))) {
    return { ok: false, message: 'the results are of different seed lists' };
  }
  if (!sameText(results.map((r) => r.expectations))) {
    return { ok: false, message: 'the results list different expectations' };
  }
  const shard = mergedShard(results);
  if (!shard.ok) return shard;
  const first = results[0] as SweepResult;
  const runs = results.flatMap((result) => result.runs);
  if (new Set(runs.map((run) => run.seed)).size !== runs.length) {
    return { ok: false, message: 'a seed appears in more than one result' };
  }
  const merged = summariseSweep({
    scenario: first.scenario,
    seeds: first.seeds,
    shard: shard.value,
    expectations: first.expectations,
    runs,
  });
  return { ok: true, value: merged };
}
