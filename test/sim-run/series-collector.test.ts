// The report's time series, observed from a simulated cluster in virtual time.
import { describe, expect, it } from 'vitest';
import { SeriesCollector } from '../../src/sim/run/series-collector.js';
import { epochMs } from '../support/sim-base.js';
import {
  isReady,
  newCluster,
  podsOf,
  replicaSet,
  replicaSets,
  runIn,
  waitFor,
} from '../cluster/cluster-fixtures.js';

describe('SeriesCollector', () => {
  it('records phases, pods per node, readiness intervals and latencies of a small run', async () => {
    const world = await newCluster([
      { name: 'n1', zone: 'z1' },
      { name: 'n2', zone: 'z2' },
    ]);
    const { client, clock, rng } = world.newClient('collector');
    const collector = new SeriesCollector({
      client,
      clock,
      rng,
      startMs: epochMs,
      pendingQueueLength: () => world.scheduler.queue.size,
    });
    collector.start();
    world.start();
    const user = world.userClient('u');
    await runIn(world, 240_000, async () => {
      await user.client.create(replicaSets, 'default', replicaSet('web', 4));
      await waitFor(
        user.clock,
        'ready',
        async () => {
          const pods = await podsOf(user.client, 'web');
          return pods.length === 4 && pods.every(isReady) ? true : undefined;
        },
        120_000,
      );
      await user.clock.sleep(60_000);
      await world.stopKubelet('n2');
      await user.clock.sleep(120_000);
    });
    const endMs = world.engine.nowMs() - epochMs;
    const series = collector.series(endMs);
    collector.stop();
    await runIn(world, 60_000, () => world.stop());

    const last = series.podsByPhase[series.podsByPhase.length - 1]!;
    expect(last.counts.Running).toBe(4);
    expect(series.podsByPhase[0]!.counts.Pending).toBeGreaterThan(0);
    expect(series.podsPerNode.map((s) => s.node)).toEqual(['n1', 'n2']);
    for (const s of series.podsPerNode) expect(s.samples[s.samples.length - 1]!.value).toBe(2);
    expect(series.schedulingLatencyMs.length).toBe(4);
    expect(series.podStartupLatencyMs.length).toBe(4);
    // Startup includes the image pull (2 s) and the container start (0.5 s).
    expect(Math.min(...series.podStartupLatencyMs)).toBeGreaterThanOrEqual(2_500);
    const n2 = series.nodeReadiness.find((r) => r.node === 'n2')!;
    expect(n2.intervals.map((i) => i.status)).toEqual(['Ready', 'Unknown']);
    const unknownFromMs = n2.intervals[1]!.fromMs;
    expect(n2.intervals[1]!.toMs).toBe(endMs);
    // Unknown 50 s (+ the 5 s monitor period) after the kubelet stopped at ~t+60 s of Ready.
    const readyAtMs = n2.intervals[0]!.fromMs;
    expect(unknownFromMs - readyAtMs).toBeGreaterThan(100_000);
    expect(series.pendingQueue.length).toBeGreaterThan(0);
    expect(collector.truncated).toBe(false);
  });
});
