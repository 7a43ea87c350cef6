// A simulated cluster for the ReplicaSet controller: the namespace world (real API server with
// admission on the sim transport) plus a started controller, and helpers that stand in for the
// kubelet, which does not exist yet: the test binds pods and marks them Running and Ready.

import type { KubeClient } from '../../src/control/client/client.js';
import { coreResources } from '../../src/control/client/resource-client.js';
import type { KubeObject } from '../../src/control/client/types.js';
import { formatTime } from '../../src/control/api/values/time.js';
import { isControlledBy } from '../../src/control/controllers/replicaset/controller-ref.js';
import { isPodActive } from '../../src/control/controllers/replicaset/pod-fields.js';
import type { ReplicaSetControllerOptions } from '../../src/control/controllers/replicaset/replica-set-controller.js';
import { ReplicaSetController } from '../../src/control/controllers/replicaset/replica-set-controller.js';
import type { VirtualClock } from '../../src/sim/engine/engine.js';
import { createNamespaceWorld, epochMs } from '../namespaces/namespace-world.js';
import type { NamespaceWorld } from '../namespaces/namespace-world.js';

export { epochMs };
export const pods = coreResources.pods;
export const replicaSets = coreResources.replicaSets;
export const events = coreResources.events;

export interface ReplicaSetWorld extends NamespaceWorld {
  controller: ReplicaSetController;
  /** The controller's log lines, each prefixed with the virtual ms since the epoch. */
  log: string[];
  /** A user's client and clock (kubectl, the test acting as kubelet). */
  user: KubeClient;
  clock: VirtualClock;
}

export async function createReplicaSetWorld(
  options: { seed?: number; controller?: Partial<ReplicaSetControllerOptions> } = {},
): Promise<ReplicaSetWorld> {
  const world = await createNamespaceWorld({ seed: options.seed ?? 1 });
  const { client, clock: controllerClock } = world.newClient('replicaset-controller');
  const log: string[] = [];
  const controller = new ReplicaSetController({
    client,
    clock: controllerClock,
    rng: world.rng.fork('replicaset-controller'),
    log: (line) => log.push(`${controllerClock.nowMs() - epochMs} ${line}`),
    ...options.controller,
  });
  controller.start();
  const { client: user, clock } = world.newClient('user');
  return { ...world, controller, log, user, clock };
}

export interface ReplicaSetShape {
  replicas: number;
  labels?: Record<string, string>;
  minReadySeconds?: number;
  podSpec?: Record<string, unknown>;
  metadata?: Record<string, unknown>;
}

export function replicaSetManifest(name: string, shape: ReplicaSetShape): KubeObject {
  const labels = shape.labels ?? { app: name };
  return {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: { name, ...shape.metadata },
    spec: {
      replicas: shape.replicas,
      minReadySeconds: shape.minReadySeconds ?? 0,
      selector: { matchLabels: labels },
      template: {
        metadata: { labels },
        spec: { containers: [{ name: 'app', image: 'nginx:1.27' }], ...shape.podSpec },
      },
    },
  };
}

export function podManifest(name: string, labels: Record<string, string>): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, labels },
    spec: { containers: [{ name: 'app', image: 'nginx:1.27' }] },
  };
}

/** Every pod of the namespace, by name. */
export async function listPods(client: KubeClient, namespace = 'default'): Promise<KubeObject[]> {
  return (await client.list(pods, namespace)).items;
}

/** The active pods `replicaSet` controls, by name. */
export async function ownedPods(client: KubeClient, replicaSet: KubeObject): Promise<KubeObject[]> {
  const all = await listPods(client, replicaSet.metadata.namespace ?? 'default');
  return all.filter((pod) => isPodActive(pod) && isControlledBy(pod, replicaSet));
}

export function namesOf(objects: readonly KubeObject[]): string[] {
  return objects.map((object) => object.metadata.name ?? '');
}

/** What the kubelet would write for a running pod that passed its readiness probe. */
export async function markReady(client: KubeClient, clock: VirtualClock, pod: KubeObject) {
  const now = formatTime(clock.nowMs());
  const status = {
    phase: 'Running',
    conditions: [
      { type: 'Ready', status: 'True', lastTransitionTime: now },
      { type: 'ContainersReady', status: 'True', lastTransitionTime: now },
    ],
  };
  const namespace = pod.metadata.namespace ?? 'default';
  const latest = await client.get(pods, namespace, pod.metadata.name ?? '');
  return client.updateStatus(pods, namespace, { ...latest, status });
}

export async function setReplicas(client: KubeClient, name: string, replicas: number) {
  const target = { namespace: 'default', name };
  return client.patch(replicaSets, target, { type: 'merge', body: { spec: { replicas } } });
}

export function statusOf(replicaSet: KubeObject): Record<string, unknown> {
  return (replicaSet.status ?? {}) as Record<string, unknown>;
}
