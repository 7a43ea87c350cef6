// Tests of the sweep summary (distributions, pass counts, failing seeds) and of shard merging.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { renderSweepJson, sweepResultFromJson } from './sweep-json.js';
import { renderSweepText } from './render-sweep-text.js';
import { shardSeeds } from './seed-list.js';
import { mergeSweeps, summariseSweep } from './summarise-sweep.js';
import type { SweepInput } from './summarise-sweep.js';
import type { SweepRun } from './sweep-model.js';

const scenario = { name: 'demo', file: 'scenarios/demo.yaml', hash: 'ab'.repeat(32) };

function run(seed: number, latencyMs: number, held: boolean[]): SweepRun {
  return {
    seed,
    passed: held.every(Boolean),
    held,
    metrics: { 'pods.latencyMs': latencyMs, ...(seed % 2 === 0 ? { 'faults.x': seed } : {}) },
    error: null,
  };
}

function input(runs: SweepRun[], extra: Partial<SweepInput> = {}): SweepInput {
  return { scenario, seeds: '1..10', shard: null, expectations: ['up', 'fast'], runs, ...extra };
}

describe('summariseSweep', () => {
  it('summarises each metric over the runs that have it, by nearest rank', () => {
    const runs = Array.from({ length: 10 }, (_, i) => run(10 - i, (10 - i) * 100, [true, true]));
    const result = summariseSweep(input(runs));
    expect(result.runs.map((r) => r.seed)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(result.summary.metrics).toEqual([
      { name: 'faults.x', count: 5, min: 2, p50: 6, p90: 10, max: 10, mean: 6 },
      { name: 'pods.latencyMs', count: 10, min: 100, p50: 500, p90: 900, max: 1000, mean: 550 },
    ]);
  });

  it('counts held expectations and lists failing seeds with reproduce commands', () => {
    const crashed: SweepRun = {
      seed: 3,
      passed: false,
      held: [],
      metrics: {},
      error: { code: 'E_INTERNAL', exitCode: 3, message: 'boom' },
    };
    const result = summariseSweep(
      input([run(1, 1, [true, true]), run(2, 1, [true, false]), crashed]),
    );
    expect(result.summary).toMatchObject({
      runCount: 3,
      passedCount: 1,
      failedCount: 2,
      erroredCount: 1,
      expectations: [
        { name: 'up', heldCount: 2, runCount: 2 },
        { name: 'fast', heldCount: 1, runCount: 2 },
      ],
      failingSeeds: [
        {
          seed: 2,
          failed: ['fast'],
          error: null,
          reproduce: 'npx miniku sim run scenarios/demo.yaml --seed 2',
        },
        {
          seed: 3,
          failed: [],
          error: 'boom',
          reproduce: 'npx miniku sim run scenarios/demo.yaml --seed 3',
        },
      ],
    });
    const text = renderSweepText(result);
    expect(text).toContain(
      '  seed 2 failed: "fast"\n    reproduce: npx miniku sim run scenarios/demo.yaml --seed 2\n',
    );
    expect(text).toContain('  seed 3 did not finish: boom\n');
  });

  it('refuses a seed that ran twice', () => {
    expect(() => summariseSweep(input([run(1, 1, []), run(1, 2, [])]))).toThrow('seed 1 ran twice');
  });
});

describe('mergeSweeps', () => {
  it('gives the unsharded result from all shards, in any order, after a JSON round trip', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.nat(50), { minLength: 1, maxLength: 30 }),
        fc.integer({ min: 1, max: 5 }),
        fc.integer({ min: 0, max: 1000 }),
        (seeds, count, salt) => {
          const sorted = [...seeds].sort((a, b) => a - b);
          const runOf = (seed: number) => run(seed, (seed * 7919 + salt) % 1000, [seed % 3 !== 0]);
          const whole = summariseSweep(input(sorted.map(runOf), { expectations: ['up'] }));
          const shards = Array.from({ length: count }, (_, i) =>
            summariseSweep(
              input(shardSeeds(sorted, { index: i + 1, count }).map(runOf), {
                expectations: ['up'],
                shard: { count, indexes: [i + 1] },
              }),
            ),
          ).reverse();
          const reread = shards.map((shard) => {
            const parsed = sweepResultFromJson(JSON.parse(renderSweepJson(shard)));
            if (!parsed.ok) throw new Error(parsed.message);
            return parsed.value;
          });
          const merged = mergeSweeps(reread);
          if (!merged.ok) throw new Error(merged.message);
          expect(renderSweepJson(merged.value)).toBe(renderSweepJson(whole));
        },
      ),
      { numRuns: 60 },
    );
  });

  it('keeps the shards it was given when some are missing', () => {
    const shard = (index: number) =>
      summariseSweep(
        input([run(index, 1, [true, true])], { shard: { count: 3, indexes: [index] } }),
      );
    const merged = mergeSweeps([shard(3), shard(1)]);
    expect(merged.ok && merged.value.shard).toEqual({ count: 3, indexes: [1, 3] });
  });

  it('refuses results of different sweeps', () => {
    const a = summariseSweep(input([run(1, 1, [])], { shard: { count: 2, indexes: [1] } }));
    const other = (extra: Partial<SweepInput>) =>
      summariseSweep(input([run(2, 1, [])], { shard: { count: 2, indexes: [2] }, ...extra }));
    const cases: Array<[Partial<SweepInput>, string]> = [
      [{ scenario: { ...scenario, hash: 'cd'.repeat(32) } }, 'of different scenarios'],
      [{ seeds: '1..20' }, 'of different seed lists'],
      [{ expectations: ['up'] }, 'list different expectations'],
      [{ shard: { count: 3, indexes: [2] } }, 'different shard counts'],
      [{ shard: null }, 'holds every seed'],
    ];
    for (const [extra, message] of cases) {
      const merged = mergeSweeps([a, other(extra)]);
      expect(merged.ok ? '' : merged.message).toContain(message);
    }
  });
});

describe('sweepResultFromJson', () => {
  it('refuses values that are not sweep results', () => {
    const good = JSON.parse(renderSweepJson(summariseSweep(input([run(1, 1, [true, true])]))));
    expect(sweepResultFromJson(good).ok).toBe(true);
    const broken = [
      null,
      { ...good, sweepFormatVersion: 2 },
      { ...good, runs: [{ seed: 1 }] },
      { ...good, runs: [{ ...good.runs[0], metrics: { x: 'fast' } }] },
      { ...good, shard: { count: 2 } },
      { ...good, expectations: [1] },
    ];
    for (const value of broken) expect(sweepResultFromJson(value).ok).toBe(false);
  });
});
