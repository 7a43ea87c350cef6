// Property: whatever a user does to a ReplicaSet and its pods (scale up and down, delete pods,
// bind them, mark them Ready), once the user stops the controller converges to spec.replicas
// active owned pods, and to spec.replicas Ready ones once the test marks them Ready.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../src/control/client/types.js';
import {
  createReplicaSetWorld,
  markReady,
  ownedPods,
  pods,
  replicaSetManifest,
  replicaSets,
  setReplicas,
  statusOf,
} from './replica-set-world.js';
import type { ReplicaSetWorld } from './replica-set-world.js';

type Command =
  | { kind: 'scale'; replicas: number; waitMs: number }
  | { kind: 'deletePod'; index: number; waitMs: number }
  | { kind: 'bindPod'; index: number; waitMs: number }
  | { kind: 'markReady'; waitMs: number };

const waitMs = fc.integer({ min: 0, max: 2_000 });
const command: fc.Arbitrary<Command> = fc.oneof(
  fc.record({
    kind: fc.constant('scale' as const),
    replicas: fc.integer({ min: 0, max: 6 }),
    waitMs,
  }),
  fc.record({ kind: fc.constant('deletePod' as const), index: fc.nat(9), waitMs }),
  fc.record({ kind: fc.constant('bindPod' as const), index: fc.nat(9), waitMs }),
  fc.record({ kind: fc.constant('markReady' as const), waitMs }),
);

async function apply(world: ReplicaSetWorld, replicaSet: KubeObject, step: Command): Promise<void> {
  const { user, clock } = world;
  const owned = await ownedPods(user, replicaSet);
  const target =
    step.kind === 'deletePod' || step.kind === 'bindPod'
      ? owned[step.index % Math.max(1, owned.length)]
      : undefined;
  const name = target?.metadata.name ?? '';
  if (step.kind === 'scale') await setReplicas(user, 'web', step.replicas);
  else if (step.kind === 'markReady') for (const pod of owned) await markReady(user, clock, pod);
  else if (target !== undefined && step.kind === 'deletePod')
    await user.delete(pods, 'default', name);
  else if (target !== undefined && (target.spec as { nodeName?: string }).nodeName === undefined) {
    await user.bind('default', name, 'node-1');
  }
  await clock.sleep(step.waitMs);
}

async function runScenario(commands: readonly Command[]) {
  const world = await createReplicaSetWorld({ seed: commands.length });
  const { user, clock, controller } = world;
  return world.run(async () => {
    const replicaSet = await user.create(
      replicaSets,
      'default',
      replicaSetManifest('web', { replicas: 3 }),
    );
    for (const step of commands) await apply(world, replicaSet, step);
    await clock.sleep(10_000);
    for (const pod of await ownedPods(user, replicaSet)) await markReady(user, clock, pod);
    await clock.sleep(5_000);
    const stored = await user.get(replicaSets, 'default', 'web');
    const owned = await ownedPods(user, replicaSet);
    controller.stop();
    return { stored, owned };
  }, 120_000);
}

describe('ReplicaSet convergence', () => {
  it('ends with spec.replicas active, Ready pods after any user actions', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(command, { maxLength: 8 }), async (commands) => {
        const { stored, owned } = await runScenario(commands);
        const desired = (stored.spec as { replicas: number }).replicas;
        const status = statusOf(stored);
        expect(owned).toHaveLength(desired);
        expect(status.replicas).toBe(desired);
        expect(status.readyReplicas ?? 0).toBe(desired);
        expect(status.availableReplicas ?? 0).toBe(desired);
        expect(status.observedGeneration).toBe(stored.metadata.generation);
      }),
      { numRuns: 20, seed: 424242, endOnFailure: true },
    );
  });
});
