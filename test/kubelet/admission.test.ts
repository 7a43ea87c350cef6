// Kubelet admission end to end: pods that do not fit fail with upstream reasons and never start.

import { describe, expect, it } from 'vitest';
import {
  boundPod,
  createKubeletWorld,
  createPod,
  eventsOf,
  getPod,
  statusOf,
  type Status,
} from './kubelet-world.js';

function withRequests(name: string, cpu: string, memory = '64Mi') {
  const container = { name: 'app', image: 'nginx:1.27', resources: { requests: { cpu, memory } } };
  return boundPod(name, { containers: [container] });
}

describe('kubelet admission', () => {
  it('rejects a pod whose cpu request does not fit next to admitted ones: OutOfcpu', async () => {
    const world = await createKubeletWorld();
    const result = await world.run(async () => {
      world.startKubelet();
      await createPod(world.user, withRequests('first', '3'));
      await world.userClock.sleep(1_000);
      await createPod(world.user, withRequests('second', '2'));
      await world.userClock.sleep(5_000);
      return {
        first: await getPod(world.user, 'first'),
        second: await getPod(world.user, 'second'),
        events: await eventsOf(world.user, 'second'),
        containers: await world.runtime.listContainers(),
      };
    }, 7_000);
    expect(statusOf(result.first).phase).toBe('Running');
    const message =
      "Node didn't have enough resource: cpu, requested: 2000, used: 3000, capacity: 4000";
    expect(statusOf(result.second)).toMatchObject({
      phase: 'Failed',
      reason: 'OutOfcpu',
      message: `Pod was rejected: ${message}`,
      qosClass: 'Burstable',
    });
    expect(statusOf(result.second).containerStatuses).toBeUndefined();
    expect(result.events.map((e: Status) => [e.type, e.reason, e.message])).toEqual([
      ['Warning', 'OutOfcpu', message],
    ]);
    const names = result.containers.map((c) => c.config.labels['io.kubernetes.pod.name']);
    expect(names).toEqual(['first']);
  });

  it('admits pods in creation order and frees resources once a pod finished', async () => {
    const world = await createKubeletWorld({ images: { 'job:1': { exitAfterMs: 1_000 } } });
    const result = await world.run(async () => {
      world.startKubelet();
      const job = boundPod('job', {
        restartPolicy: 'Never',
        containers: [{ name: 'app', image: 'job:1', resources: { requests: { cpu: '3' } } }],
      });
      await createPod(world.user, job);
      await world.userClock.sleep(10_000);
      await createPod(world.user, withRequests('after', '3'));
      await world.userClock.sleep(5_000);
      return { job: await getPod(world.user, 'job'), after: await getPod(world.user, 'after') };
    }, 16_000);
    expect(statusOf(result.job).phase).toBe('Succeeded');
    expect(statusOf(result.after).phase).toBe('Running');
  });

  it('rejects pods beyond the pods capacity with OutOfpods', async () => {
    const world = await createKubeletWorld({
      kubelet: { capacity: { cpu: '4', memory: '8Gi', pods: '2' } },
    });
    const third = await world.run(async () => {
      world.startKubelet();
      for (const name of ['a', 'b', 'c']) await createPod(world.user, boundPod(name));
      await world.userClock.sleep(3_000);
      return getPod(world.user, 'c');
    }, 4_000);
    expect(statusOf(third)).toMatchObject({
      phase: 'Failed',
      reason: 'OutOfpods',
      message:
        "Pod was rejected: Node didn't have enough resource: pods, requested: 1, " +
        'used: 2, capacity: 2',
    });
  });
});
