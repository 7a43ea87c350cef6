// Graceful pod deletion through the kubelet: SIGTERM, SIGKILL at the grace deadline, final
// status, and the kubelet's own DELETE that removes the pod from the API.

import { describe, expect, it } from 'vitest';
import { coreResources } from '../../src/control/client/resource-client.js';
import {
  boundPod,
  containerStatus,
  createKubeletWorld,
  createPod,
  eventsOf,
  getPod,
  observePod,
  statusOf,
  waitFor,
} from './kubelet-world.js';

describe('graceful termination', () => {
  it('kills a SIGTERM-ignoring container at the grace deadline, then removes the pod', async () => {
    const world = await createKubeletWorld({
      images: { 'stubborn:1': { terminationDelayMs: Number.MAX_SAFE_INTEGER } },
    });
    const observed = observePod(world, 'stubborn');
    const result = await world.run(async () => {
      world.startKubelet();
      const spec = {
        terminationGracePeriodSeconds: 7,
        containers: [{ name: 'app', image: 'stubborn:1' }],
      };
      await createPod(world.user, boundPod('stubborn', spec));
      await world.userClock.sleep(10_000);
      await world.user.delete(coreResources.pods, 'default', 'stubborn');
      const goneAtMs = await waitFor(world.userClock, 'the pod to go', async () =>
        (await getPod(world.user, 'stubborn')) === undefined ? world.elapsedMs() : undefined,
      );
      return {
        goneAtMs,
        events: await eventsOf(world.user, 'stubborn'),
        containers: await world.runtime.listContainers(),
        sandboxes: await world.runtime.listPodSandboxes(),
      };
    }, 40_000);
    expect(result.goneAtMs).toBe(17_000);
    const killing = result.events.filter((e) => e.reason === 'Killing');
    expect(killing.map((e) => e.message)).toEqual(['Stopping container app']);
    const last = observed.seen.filter((o) => o.type === 'MODIFIED').at(-1)?.pod;
    expect(statusOf(last).phase).toBe('Failed');
    expect(containerStatus(last)?.state.terminated).toMatchObject({
      exitCode: 137,
      reason: 'Error',
    });
    expect(observed.seen.at(-1)?.type).toBe('DELETED');
    expect(result.containers).toEqual([]);
    expect(result.sandboxes).toEqual([]);
  });

  it('ends in Succeeded when the container exits 0 on SIGTERM', async () => {
    const world = await createKubeletWorld({
      images: { 'polite:1': { terminationDelayMs: 2_000, sigtermExitCode: 0 } },
    });
    const observed = observePod(world, 'polite');
    const goneAtMs = await world.run(async () => {
      world.startKubelet();
      await createPod(
        world.user,
        boundPod('polite', { containers: [{ name: 'app', image: 'polite:1' }] }),
      );
      await world.userClock.sleep(5_000);
      await world.user.delete(coreResources.pods, 'default', 'polite');
      return waitFor(world.userClock, 'the pod to go', async () =>
        (await getPod(world.user, 'polite')) === undefined ? world.elapsedMs() : undefined,
      );
    }, 40_000);
    expect(goneAtMs).toBe(7_000);
    const last = observed.seen.filter((o) => o.type === 'MODIFIED').at(-1)?.pod;
    expect(statusOf(last).phase).toBe('Succeeded');
    expect(containerStatus(last)?.state.terminated).toMatchObject({
      exitCode: 0,
      reason: 'Completed',
    });
  });

  it('tears down the containers of a force-deleted pod', async () => {
    const world = await createKubeletWorld();
    const result = await world.run(async () => {
      world.startKubelet();
      await createPod(world.user, boundPod('forced'));
      await world.userClock.sleep(5_000);
      await world.user.delete(coreResources.pods, 'default', 'forced', { gracePeriodSeconds: 0 });
      await world.userClock.sleep(5_000);
      return {
        events: await eventsOf(world.user, 'forced'),
        containers: await world.runtime.listContainers(),
      };
    }, 11_000);
    expect(result.events.filter((e) => e.reason === 'Killing')).toHaveLength(1);
    expect(result.containers).toEqual([]);
  });
});
