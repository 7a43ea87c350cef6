// Tests of Poisson arrival workloads: times, names, bounds and determinism of the arrivals.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createRng } from '../../control/rng/seeded-rng.js';
import type { Workload } from '../scenario/scenario-model.js';
import { expandArrivals, poissonArrivals } from './arrivals.js';
import type { PoissonWorkload } from './arrivals.js';

const template = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { namespace: 'jobs', labels: { app: 'job' } },
  spec: { containers: [{ name: 'main', image: 'busybox:1.36' }] },
};

function process(overrides: Partial<PoissonWorkload> = {}): PoissonWorkload {
  return {
    kind: 'poisson',
    atMs: 60_000,
    untilMs: 300_000,
    ratePerSecond: 2,
    template,
    namePrefix: 'job-',
    countMax: 10_000,
    ...overrides,
  };
}

const streamOf = (seed: number | string) => createRng(seed).fork('arrivals').fork('0');

describe('poissonArrivals', () => {
  it('draws about ratePerSecond arrivals per second, with gaps of mean 1 / rate', () => {
    const w = process({ atMs: 0, untilMs: 1_000_000, ratePerSecond: 2 });
    const arrivals = poissonArrivals(w, streamOf(1));
    // 2,000 expected; the standard deviation of a Poisson count is √2000 ≈ 45.
    expect(arrivals.length).toBeGreaterThan(2_000 - 180);
    expect(arrivals.length).toBeLessThan(2_000 + 180);
    const last = arrivals[arrivals.length - 1]?.atMs ?? 0;
    expect(last / arrivals.length).toBeGreaterThan(450);
    expect(last / arrivals.length).toBeLessThan(550);
  });

  it('gives arrivals in time order within [at, until), named <namePrefix><n> in that order', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 1_000 }),
        fc.integer({ min: 0, max: 100_000 }),
        fc.integer({ min: 1, max: 60_000 }),
        fc.double({ min: 0.01, max: 50, noNaN: true }),
        fc.integer({ min: 1, max: 500 }),
        (seed, atMs, spanMs, ratePerSecond, countMax) => {
          const w = process({ atMs, untilMs: atMs + spanMs, ratePerSecond, countMax });
          const arrivals = poissonArrivals(w, streamOf(seed));
          expect(arrivals.length).toBeLessThanOrEqual(countMax);
          arrivals.forEach((arrival, n) => {
            expect(Number.isSafeInteger(arrival.atMs)).toBe(true);
            expect(arrival.atMs).toBeGreaterThanOrEqual(atMs);
            expect(arrival.atMs).toBeLessThan(atMs + spanMs);
            if (n > 0) expect(arrival.atMs).toBeGreaterThanOrEqual(arrivals[n - 1]?.atMs ?? 0);
            expect(arrival.object['metadata']).toEqual({
              namespace: 'jobs',
              labels: { app: 'job' },
              name: `job-${n}`,
            });
          });
        },
      ),
      { numRuns: 100 },
    );
  });

  it('stops at countMax', () => {
    const arrivals = poissonArrivals(process({ ratePerSecond: 50, countMax: 7 }), streamOf(3));
    expect(arrivals).toHaveLength(7);
    expect(arrivals[6]?.object['metadata']).toMatchObject({ name: 'job-6' });
  });

  it('is the same for the same stream and differs for another seed', () => {
    const w = process();
    const once = poissonArrivals(w, streamOf(42));
    const again = poissonArrivals(w, streamOf(42));
    const other = poissonArrivals(w, streamOf(43));
    expect(again).toEqual(once);
    expect(other.map((a) => a.atMs)).not.toEqual(once.map((a) => a.atMs));
  });

  it('gives each pod its own copy of the template and leaves the template alone', () => {
    const arrivals = poissonArrivals(process({ ratePerSecond: 10 }), streamOf(5));
    expect(arrivals.length).toBeGreaterThan(1);
    expect(arrivals[0]?.object['spec']).not.toBe(arrivals[1]?.object['spec']);
    expect(arrivals[0]?.object['spec']).toEqual(template.spec);
    expect(template.metadata).toEqual({ namespace: 'jobs', labels: { app: 'job' } });
  });
});

describe('expandArrivals', () => {
  it('replaces each process in place by one apply workload per arrival', () => {
    const apply: Workload = { kind: 'apply', atMs: 0, objects: [template] };
    const w = process({ ratePerSecond: 0.5 });
    const rng = createRng(9).fork('arrivals');
    const expanded = expandArrivals([apply, w, apply], rng);
    const arrivals = poissonArrivals(w, createRng(9).fork('arrivals').fork('1'));
    expect(arrivals.length).toBeGreaterThan(0);
    expect(expanded).toHaveLength(arrivals.length + 2);
    expect(expanded[0]).toBe(apply);
    expect(expanded[expanded.length - 1]).toBe(apply);
    expect(expanded.slice(1, -1)).toEqual(
      arrivals.map((a) => ({ kind: 'apply', atMs: a.atMs, objects: [a.object] })),
    );
  });
});
