// A kubelet restart mid-life: the new incarnation adopts the running containers of its pods (no
// duplicates, restart counts continue from the attempt label), removes the objects of pods that
// were deleted meanwhile, and keeps reporting status.

import { describe, expect, it } from 'vitest';
import { coreResources } from '../../src/control/client/resource-client.js';
import { runtimeLabels } from '../../src/control/ports/container-runtime.js';
import type { ContainerStatus } from '../../src/control/ports/container-runtime.js';
import {
  boundPod,
  containerStatus,
  createKubeletWorld,
  createPod,
  getPod,
  statusOf,
} from './kubelet-world.js';

function describeContainers(containers: readonly ContainerStatus[]): string[] {
  return containers
    .map((c) => {
      const pod = c.config.labels[runtimeLabels.podName];
      const attempt = c.config.labels[runtimeLabels.attempt];
      return `${pod}/${c.config.name}#${attempt}:${c.state}`;
    })
    .sort();
}

describe('kubelet restart', () => {
  it('leaves exactly the desired containers running and continues restart counts', async () => {
    const world = await createKubeletWorld({
      images: { 'crash:1': { exitAfterMs: 1_000, exitCode: 1 } },
    });
    const result = await world.run(async () => {
      const first = world.startKubelet(1);
      await createPod(world.user, boundPod('web'));
      await createPod(
        world.user,
        boundPod('crash', { containers: [{ name: 'app', image: 'crash:1' }] }),
      );
      await createPod(world.user, boundPod('doomed'));
      await world.userClock.sleep(20_000);
      const webBefore = await getPod(world.user, 'web');
      const crashBefore = containerStatus(await getPod(world.user, 'crash'))
        ?.restartCount as number;
      first.stop();
      await first.whenStopped();
      await world.user.delete(coreResources.pods, 'default', 'doomed', { gracePeriodSeconds: 0 });
      await world.userClock.sleep(5_000);
      const whileDown = describeContainers(
        await world.runtime.listContainers({ state: 'running' }),
      );
      const second = world.startKubelet(2);
      await world.userClock.sleep(40_000);
      return {
        webBefore,
        crashBefore,
        whileDown,
        running: describeContainers(await world.runtime.listContainers({ state: 'running' })),
        all: describeContainers(await world.runtime.listContainers()),
        sandboxes: (await world.runtime.listPodSandboxes())
          .map((s) => `${s.config.name}:${s.state}`)
          .sort(),
        web: await getPod(world.user, 'web'),
        crash: await getPod(world.user, 'crash'),
        tracked: second.podUids.length,
      };
    }, 70_000);
    expect(result.whileDown).toContain('doomed/app#0:running');
    expect(result.running.filter((c) => c.startsWith('web/'))).toEqual(['web/app#0:running']);
    expect(result.running.filter((c) => c.startsWith('crash/')).length).toBeLessThanOrEqual(1);
    expect(result.running.some((c) => c.startsWith('doomed/'))).toBe(false);
    expect(result.all.filter((c) => c.startsWith('web/'))).toEqual(['web/app#0:running']);
    expect(result.all.some((c) => c.startsWith('doomed/'))).toBe(false);
    expect(result.sandboxes).toEqual(['crash:ready', 'web:ready']);
    const web = containerStatus(result.web);
    expect(web?.containerID).toBe(containerStatus(result.webBefore)?.containerID);
    expect(web?.restartCount).toBe(0);
    expect(statusOf(result.web).phase).toBe('Running');
    const crashAfter = containerStatus(result.crash)?.restartCount as number;
    expect(result.crashBefore).toBeGreaterThanOrEqual(2);
    expect(crashAfter).toBeGreaterThan(result.crashBefore);
    expect(result.tracked).toBe(2);
  });

  it('finishes the deletion of a pod deleted gracefully while the kubelet was down', async () => {
    const world = await createKubeletWorld();
    const result = await world.run(async () => {
      const first = world.startKubelet(1);
      await createPod(world.user, boundPod('web', { terminationGracePeriodSeconds: 60 }));
      await world.userClock.sleep(5_000);
      first.stop();
      await first.whenStopped();
      await world.user.delete(coreResources.pods, 'default', 'web');
      await world.userClock.sleep(1_000);
      world.startKubelet(2);
      await world.userClock.sleep(5_000);
      return {
        pod: await getPod(world.user, 'web'),
        containers: await world.runtime.listContainers(),
      };
    }, 12_000);
    expect(result.pod).toBeUndefined();
    expect(result.containers).toEqual([]);
  });

  it('starts a container once when the kubelet is replaced mid-pull', async () => {
    const world = await createKubeletWorld({ images: { 'big:1': { pullMs: 5_000 } } });
    const result = await world.run(async () => {
      const first = world.startKubelet(1);
      await createPod(
        world.user,
        boundPod('web', { containers: [{ name: 'app', image: 'big:1' }] }),
      );
      await world.userClock.sleep(2_000);
      first.stop();
      world.startKubelet(2);
      await world.userClock.sleep(10_000);
      await first.whenStopped();
      return {
        containers: describeContainers(await world.runtime.listContainers()),
        sandboxes: (await world.runtime.listPodSandboxes()).length,
        pod: await getPod(world.user, 'web'),
      };
    }, 13_000);
    expect(result.containers).toEqual(['web/app#0:running']);
    expect(result.sandboxes).toBe(1);
    expect(statusOf(result.pod).phase).toBe('Running');
  });
});
