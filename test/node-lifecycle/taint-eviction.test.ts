// The taint eviction controller on its own, against NoExecute taints a user puts on a node: pods
// that do not tolerate a taint go at once, tolerationSeconds counts from when the controller
// saw the taint, and removing the taint cancels the waiting deletions.
import { describe, expect, it } from 'vitest';
import { coreResources } from '../../src/control/client/resource-client.js';
import type { KubeClient } from '../../src/control/client/client.js';
import { TaintEvictionController } from '../../src/control/controllers/node-lifecycle/taint-eviction-controller.js';
import { createNamespaceWorld } from '../namespaces/namespace-world.js';
import { FakeKubelet } from './fake-kubelet.js';
import { epochMs, evicted, podOrGone } from './node-lifecycle-world.js';

const dedicated = { key: 'dedicated', value: 'gpu', effect: 'NoExecute' };

async function setTaints(client: KubeClient, taints: unknown[] | null): Promise<void> {
  const body = { spec: { taints } };
  await client.patch(coreResources.nodes, { namespace: '', name: 'n1' }, { type: 'merge', body });
}

describe('the taint eviction controller', () => {
  it('evicts by tolerations of a user NoExecute taint and cancels when the taint goes', async () => {
    const world = await createNamespaceWorld();
    const { client: controllerClient, clock: controllerClock } = world.newClient('taint-eviction');
    const controller = new TaintEvictionController({
      client: controllerClient,
      clock: controllerClock,
      rng: world.rng.fork('taint-eviction'),
    });
    controller.start();
    const { client, clock } = world.newClient('user');
    const kubelet = new FakeKubelet({
      engine: world.engine,
      transport: world.transport,
      name: 'n1',
    });
    const tolerate = (seconds?: number) => ({
      tolerations: [
        {
          key: 'dedicated',
          operator: 'Equal',
          value: 'gpu',
          effect: 'NoExecute',
          tolerationSeconds: seconds,
        },
      ],
    });
    const seen = await world.run(async () => {
      await kubelet.register();
      await kubelet.runPod('default', 'plain');
      await kubelet.runPod('default', 'minute', tolerate(60));
      await kubelet.runPod('default', 'hour', tolerate(3600));
      await kubelet.runPod('default', 'always', tolerate());
      await clock.sleep(5_000);
      await setTaints(client, [dedicated]);
      const taintedAt = clock.nowMs();
      const status = async () => {
        const names = ['plain', 'minute', 'hour', 'always'];
        const pods = await Promise.all(names.map((n) => podOrGone(client, 'default', n)));
        return Object.fromEntries(names.map((n, i) => [n, evicted(pods[i])]));
      };
      await clock.sleep(1_000);
      const afterOneSecond = await status();
      await clock.sleep(58_000);
      const before60 = await status();
      await clock.sleep(2_000);
      const after60 = await status();
      const hourAt = controller.scheduledDeletionOf('default/hour');
      await setTaints(client, null);
      await clock.sleep(5_000);
      const events = await client.list(coreResources.events, 'default');
      await clock.sleep(3_700_000);
      const afterRemoval = await status();
      controller.stop();
      await controller.whenStopped();
      const messages = events.items.map((e) => e.message).sort();
      return { taintedAt, afterOneSecond, before60, after60, hourAt, afterRemoval, messages };
    }, 4_000_000);

    expect(seen.afterOneSecond).toEqual({ plain: true, minute: false, hour: false, always: false });
    expect(seen.before60.minute).toBe(false);
    expect(seen.after60).toEqual({ plain: true, minute: true, hour: false, always: false });
    expect(seen.hourAt).toBe(seen.taintedAt + 3_600_000);
    expect(seen.afterRemoval).toEqual({ plain: true, minute: true, hour: false, always: false });
    expect(seen.messages).toEqual([
      'Cancelling deletion of Pod default/hour',
      'Marking for deletion Pod default/minute',
      'Marking for deletion Pod default/plain',
    ]);
    expect(seen.taintedAt - epochMs).toBe(5_000);
  });
});
