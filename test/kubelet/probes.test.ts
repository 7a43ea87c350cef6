// The kubelet with its prober: liveness failures restart containers, readiness gates Ready,
// startup probes gate started.

import { describe, expect, it } from 'vitest';
import {
  boundPod,
  condition,
  containerStatus,
  createKubeletWorld,
  createPod,
  eventsOf,
  getPod,
  observePod,
  statusOf,
} from './kubelet-world.js';

const out = (exitCode: number) => ({ exitCode, stdout: '', stderr: exitCode === 0 ? '' : 'bad' });

describe('kubelet probes', () => {
  it('kills and restarts a container whose liveness probe fails', async () => {
    const world = await createKubeletWorld({
      images: {
        'sick:1': {
          exec: (_command: readonly string[], sinceMs: number) => out(sinceMs < 10_000 ? 0 : 1),
        },
      },
    });
    const probe = { exec: { command: ['check'] }, periodSeconds: 5, failureThreshold: 2 };
    const result = await world.run(async () => {
      world.startKubelet();
      const container = { name: 'app', image: 'sick:1', livenessProbe: probe };
      await createPod(world.user, boundPod('sick', { containers: [container] }));
      await world.userClock.sleep(40_000);
      return { pod: await getPod(world.user, 'sick'), events: await eventsOf(world.user, 'sick') };
    }, 41_000);
    const killing = result.events.filter((e) => e.reason === 'Killing').map((e) => e.message);
    expect(killing).toContain('Container app failed liveness probe, will be restarted');
    const unhealthy = result.events.find((e) => e.reason === 'Unhealthy');
    expect(unhealthy?.message).toMatch(/^Liveness probe failed/);
    const app = containerStatus(result.pod);
    expect(app?.restartCount).toBeGreaterThanOrEqual(1);
    expect(app?.lastState.terminated).toMatchObject({ exitCode: 143, reason: 'Error' });
    expect(statusOf(result.pod).phase).toBe('Running');
  });

  it('keeps a pod unready until its readiness probe passes', async () => {
    const world = await createKubeletWorld({
      images: {
        'warm:1': {
          exec: (_command: readonly string[], sinceMs: number) => out(sinceMs < 8_000 ? 1 : 0),
        },
      },
    });
    const observed = observePod(world, 'warm');
    const pod = await world.run(async () => {
      world.startKubelet();
      const probe = { exec: { command: ['ready'] }, periodSeconds: 2 };
      const container = { name: 'app', image: 'warm:1', readinessProbe: probe };
      await createPod(world.user, boundPod('warm', { containers: [container] }));
      await world.userClock.sleep(20_000);
      return getPod(world.user, 'warm');
    }, 21_000);
    const unready = observed.seen.find(
      (o) => statusOf(o.pod).phase === 'Running' && condition(o.pod, 'Ready')?.status === 'False',
    );
    expect(condition(unready?.pod, 'Ready')).toMatchObject({
      reason: 'ContainersNotReady',
      message: 'containers with unready status: [app]',
    });
    expect(containerStatus(unready?.pod)).toMatchObject({ ready: false, started: true });
    const readyAt = observed.seen.find((o) => condition(o.pod, 'Ready')?.status === 'True')?.atMs;
    expect(readyAt).toBeGreaterThanOrEqual(2_500 + 8_000);
    expect(readyAt).toBeLessThanOrEqual(2_500 + 8_000 + 2_000);
    expect(containerStatus(pod)).toMatchObject({ ready: true, started: true, restartCount: 0 });
  });

  it('reports started only once a startup probe passed', async () => {
    const world = await createKubeletWorld({
      images: {
        'slow:1': {
          exec: (_command: readonly string[], sinceMs: number) => out(sinceMs < 5_000 ? 1 : 0),
        },
      },
    });
    const observed = observePod(world, 'slow');
    await world.run(async () => {
      world.startKubelet();
      const probe = { exec: { command: ['started'] }, periodSeconds: 1, failureThreshold: 30 };
      const container = { name: 'app', image: 'slow:1', startupProbe: probe };
      await createPod(world.user, boundPod('slow', { containers: [container] }));
      await world.userClock.sleep(15_000);
    }, 16_000);
    const running = observed.seen.filter(
      (o) => containerStatus(o.pod)?.state.running !== undefined,
    );
    expect(containerStatus(running[0]?.pod)).toMatchObject({ started: false, ready: false });
    expect(containerStatus(running.at(-1)?.pod)).toMatchObject({ started: true, ready: true });
  });
});
