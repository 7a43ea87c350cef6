// Property tests of the scheduling queue in virtual time: backoff between failed attempts,
// moves on cluster events (node added, node uncordoned) and the 5-minute unschedulable flush.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { coreResources } from '../../src/control/client/resource-client.js';
import { unschedulableMaxWaitMs } from '../../src/control/scheduler/queue.js';
import type { NodeShape } from './property-cluster.js';
import { bigPod, nodeObjectOf, plainNode, podObjectOf } from './property-cluster.js';
import { createSchedulerWorld, withoutPreemption, type SchedulerWorld } from './scheduler-world.js';

/** Decision times (ms since the pod was created) of every cycle of `default/<name>`. */
function attemptTimesMs(world: SchedulerWorld, name: string, createdAtMs: number): number[] {
  return world.traces
    .filter((t) => t.type === 'scheduler.decision' && t.level === 'summary')
    .filter((t) => t.fields.pod === `default/${name}`)
    .map((t) => t.atMs - createdAtMs);
}

async function worldWithPendingPod(
  offsetMs: number,
  nodes: NodeShape[],
  backoff: { podInitialBackoffSeconds?: number; podMaxBackoffSeconds?: number } = {},
) {
  const world = await createSchedulerWorld({ config: { ...withoutPreemption, ...backoff } });
  for (const node of nodes) {
    await world.run(() =>
      world.client.create(coreResources.nodes, '', nodeObjectOf(node) as never),
    );
  }
  world.scheduler.start();
  await world.advance(offsetMs);
  const createdAtMs = world.engine.nowMs();
  await world.run(() =>
    world.client.create(coreResources.pods, 'default', podObjectOf(bigPod) as never),
  );
  return { world, createdAtMs };
}

async function nodeOfPod(world: SchedulerWorld, name: string): Promise<string | undefined> {
  const pod = (await world.pods()).find((p) => p.metadata.name === name);
  return (pod?.spec as { nodeName?: string } | undefined)?.nodeName;
}

/**
 * The gaps a backoff sequence gives when backoffQ is flushed once a second: the first retry
 * waits for the first flush at or after its expiry (so `first` must lie in [b₀, b₀ + 1 s)); from
 * then on the pod fails on a flush tick and whole-second backoffs expire exactly on later ticks.
 */
function gapsFromFlush(backoffsMs: readonly number[], first: number | undefined): number[] {
  const firstBackoffMs = backoffsMs[0] ?? 0;
  const firstGap =
    first !== undefined && first >= firstBackoffMs && first < firstBackoffMs + 1_000
      ? first
      : firstBackoffMs;
  return [firstGap, ...backoffsMs.slice(1)];
}

describe('Scheduling queue timing in virtual time', () => {
  it('backs a failing pod off 1, 2, 4, 8, 10, 10 s between attempts', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: 3_000 }), async (offsetMs) => {
        // No nodes at all: every cycle is an error, which goes straight to backoffQ.
        const { world, createdAtMs } = await worldWithPendingPod(offsetMs, []);
        await world.advance(46_000);
        world.scheduler.stop();
        const times = attemptTimesMs(world, 'big', createdAtMs);
        const gaps = times.slice(1).map((t, i) => t - (times[i] as number));
        const expected = [1_000, 2_000, 4_000, 8_000, 10_000, 10_000];
        expect(gaps.length).toBeGreaterThanOrEqual(expected.length);
        expect(gaps.slice(0, expected.length)).toEqual(gapsFromFlush(expected, gaps[0]));
      }),
      { numRuns: 8 },
    );
  }, 20_000);

  it('doubles the backoff from podInitialBackoffSeconds up to podMaxBackoffSeconds', async () => {
    const backoffArb = fc
      .tuple(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 12 }))
      .map(([initial, extra]) => ({
        podInitialBackoffSeconds: initial,
        podMaxBackoffSeconds: initial + extra,
      }));
    await fc.assert(
      fc.asyncProperty(
        backoffArb,
        fc.integer({ min: 0, max: 3_000 }),
        async (backoff, offsetMs) => {
          const { world, createdAtMs } = await worldWithPendingPod(offsetMs, [], backoff);
          await world.advance(80_000);
          world.scheduler.stop();
          const times = attemptTimesMs(world, 'big', createdAtMs);
          const gaps = times.slice(1).map((t, i) => t - (times[i] as number));
          expect(gaps.length).toBeGreaterThanOrEqual(5);
          const initialMs = backoff.podInitialBackoffSeconds * 1_000;
          const expected = gaps.map((_, i) =>
            Math.min(initialMs * 2 ** i, backoff.podMaxBackoffSeconds * 1_000),
          );
          expect(gaps).toEqual(gapsFromFlush(expected, gaps[0]));
        },
      ),
      { numRuns: 8 },
    );
  }, 20_000);

  it('binds an unschedulable pod soon after its cordoned node is uncordoned', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 2_000, max: 200_000 }), async (waitMs) => {
        const cordoned = { ...plainNode('cordoned', 4_000), unschedulable: true };
        const { world } = await worldWithPendingPod(0, [cordoned]);
        await world.advance(waitMs);
        expect(world.scheduler.queue.whereIs('default/big')).toBe('unschedulable');
        const changedAtMs = world.engine.nowMs();
        await world.run(() =>
          world.client.patch(
            coreResources.nodes,
            { namespace: '', name: 'cordoned' },
            { type: 'merge', body: { spec: { unschedulable: null } } },
          ),
        );
        await world.advance(2_000);
        expect(await nodeOfPod(world, 'big')).toBe('cordoned');
        const times = attemptTimesMs(world, 'big', changedAtMs);
        expect(times).toHaveLength(2);
        expect(times[1]).toBeLessThan(2_000);
        world.scheduler.stop();
      }),
      { numRuns: 5 },
    );
  }, 20_000);

  it('binds an unschedulable pod within 2 s of a node it fits on joining', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 2_000, max: 200_000 }), async (waitMs) => {
        const { world } = await worldWithPendingPod(0, [plainNode('small', 1_000)]);
        await world.advance(waitMs);
        expect(world.scheduler.queue.whereIs('default/big')).toBe('unschedulable');
        expect(world.scheduler.stats().attempts).toBe(1);
        const addedAtMs = world.engine.nowMs();
        await world.run(() =>
          world.client.create(
            coreResources.nodes,
            '',
            nodeObjectOf(plainNode('large', 4_000)) as never,
          ),
        );
        await world.advance(2_000);
        expect(await nodeOfPod(world, 'big')).toBe('large');
        const times = attemptTimesMs(world, 'big', addedAtMs);
        expect(times).toHaveLength(2);
        expect(times[1]).toBeLessThan(2_000);
        world.scheduler.stop();
      }),
      { numRuns: 8 },
    );
  }, 20_000);

  it('retries an unschedulable pod after 5 minutes when nothing happens', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: 29_999 }), async (offsetMs) => {
        const { world, createdAtMs } = await worldWithPendingPod(offsetMs, [
          plainNode('small', 1_000),
          plainNode('tiny', 500),
        ]);
        await world.advance(2 * unschedulableMaxWaitMs + 60_000);
        world.scheduler.stop();
        const times = attemptTimesMs(world, 'big', createdAtMs);
        expect(times).toHaveLength(3);
        const gaps = times.slice(1).map((t, i) => t - (times[i] as number));
        for (const gap of gaps) {
          // Flushed every 30 s once it has waited more than 5 minutes.
          expect(gap).toBeGreaterThan(unschedulableMaxWaitMs);
          expect(gap).toBeLessThanOrEqual(unschedulableMaxWaitMs + 30_000);
        }
        expect(await nodeOfPod(world, 'big')).toBeUndefined();
      }),
      { numRuns: 8 },
    );
  }, 20_000);
});
