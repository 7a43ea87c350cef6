// Properties of the whole simulated cluster under random operations (fast-check, few runs).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { coreResources } from '../../src/control/client/resource-client.js';
import { runtimeLabels } from '../../src/control/ports/container-runtime.js';
import {
  isReady,
  newCluster,
  nodeNameOf,
  podsOf,
  replicaSet,
  replicaSets,
  runIn,
  runningContainers,
  waitFor,
} from './cluster-fixtures.js';

const nodeNames = ['node-a', 'node-b', 'node-c'];
const nodes = nodeNames.map((name, i) => ({ name, zone: `zone-${i}` }));

type Op =
  | { kind: 'scale'; replicas: number }
  | { kind: 'deletePod'; index: number }
  | { kind: 'stopKubelet'; node: string }
  | { kind: 'startKubelet'; node: string }
  | { kind: 'wait'; ms: number };

const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constant('scale' as const), replicas: fc.integer({ min: 0, max: 6 }) }),
  fc.record({ kind: fc.constant('deletePod' as const), index: fc.nat({ max: 5 }) }),
  fc.record({ kind: fc.constant('stopKubelet' as const), node: fc.constantFrom(...nodeNames) }),
  fc.record({ kind: fc.constant('startKubelet' as const), node: fc.constantFrom(...nodeNames) }),
  fc.record({ kind: fc.constant('wait' as const), ms: fc.integer({ min: 1_000, max: 60_000 }) }),
);

describe('the simulated cluster under random operations', () => {
  it('never runs one pod on two nodes, and converges once every kubelet is back', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(op, { minLength: 1, maxLength: 6 }),
        fc.nat(),
        async (ops, seed) => {
          const world = await newCluster(nodes, { seed });
          world.start();
          const { client, clock } = world.userClient('chaos');
          let worst = 0;
          const sample = async () => {
            const byUid = new Map<string, Set<string>>();
            for (const [node, containers] of await runningContainers(world)) {
              for (const c of containers) {
                const uid = c.config.labels[runtimeLabels.podUid] ?? '';
                byUid.set(uid, (byUid.get(uid) ?? new Set()).add(node));
              }
            }
            for (const set of byUid.values()) worst = Math.max(worst, set.size);
          };
          let replicas = 3;
          await runIn(world, 1_800_000, async () => {
            await client.create(replicaSets, 'default', replicaSet('app', replicas));
            for (const step of ops) {
              await sample();
              if (step.kind === 'scale') {
                replicas = step.replicas;
                const body = { spec: { replicas } };
                await client.patch(
                  replicaSets,
                  { namespace: 'default', name: 'app' },
                  { type: 'merge', body },
                );
              } else if (step.kind === 'deletePod') {
                const pods = await podsOf(client, 'app');
                const pod = pods[step.index % Math.max(1, pods.length)];
                if (pod !== undefined) {
                  await client
                    .delete(coreResources.pods, 'default', pod.metadata.name ?? '')
                    .catch(() => undefined);
                }
              } else if (step.kind === 'stopKubelet') {
                await world.stopKubelet(step.node);
              } else if (step.kind === 'startKubelet') {
                if (world.nodes.get(step.node)?.kubelet === undefined)
                  world.startKubelet(step.node);
              } else {
                for (let t = 0; t < step.ms; t += 2_000) {
                  await clock.sleep(2_000);
                  await sample();
                }
              }
            }
            for (const name of nodeNames) {
              if (world.nodes.get(name)?.kubelet === undefined) world.startKubelet(name);
            }
            await waitFor(
              clock,
              `${replicas} ready pods`,
              async () => {
                await sample();
                const pods = (await podsOf(client, 'app')).filter(
                  (p) => p.metadata.deletionTimestamp === undefined,
                );
                const ok =
                  pods.length === replicas &&
                  pods.every(isReady) &&
                  pods.every((p) => nodeNameOf(p) !== '');
                return ok ? true : undefined;
              },
              900_000,
              2_000,
            );
          });
          await runIn(world, 60_000, () => world.stop());
          expect(worst).toBeLessThanOrEqual(1);
        },
      ),
      { numRuns: 6, seed: 20261123 },
    );
  });
});
