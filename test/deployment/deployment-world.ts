// A simulated cluster for the Deployment controller: the namespace world (real API server with
// admission on the sim transport), the real ReplicaSet controller creating pods, the Deployment
// controller, and a stand-in for the kubelet (which does not exist yet) that marks new pods
// Running and Ready after a chosen delay by writing their status.

import { formatTime } from '../../src/control/api/values/time.js';
import type { KubeClient } from '../../src/control/client/client.js';
import { isNotFound } from '../../src/control/client/errors.js';
import { Informer } from '../../src/control/client/informer.js';
import { coreResources } from '../../src/control/client/resource-client.js';
import type { KubeObject } from '../../src/control/client/types.js';
import type { DeploymentControllerOptions } from '../../src/control/controllers/deployment/deployment-controller.js';
import { DeploymentController } from '../../src/control/controllers/deployment/deployment-controller.js';
import type {
  Deployment,
  ReplicaSet,
} from '../../src/control/controllers/deployment/deployment-objects.js';
import { ReplicaSetController } from '../../src/control/controllers/replicaset/replica-set-controller.js';
import type { Rng } from '../../src/control/ports/rng.js';
import type { VirtualClock } from '../../src/sim/engine/engine.js';
import { createNamespaceWorld, epochMs } from '../namespaces/namespace-world.js';
import type { NamespaceWorld } from '../namespaces/namespace-world.js';

export { epochMs };
export const pods = coreResources.pods;
export const replicaSets = coreResources.replicaSets;
export const deployments = coreResources.deployments;
export const events = coreResources.events;

/** How long after its creation a pod turns Ready; undefined: never. */
export type ReadyDelay = (pod: KubeObject, rng: Rng) => number | undefined;

export interface DeploymentWorld extends NamespaceWorld {
  controller: DeploymentController;
  replicaSetController: ReplicaSetController;
  /** The Deployment controller's log, each line prefixed with virtual ms since the epoch. */
  log: string[];
  /** A user's client and clock (kubectl, the test). */
  user: KubeClient;
  clock: VirtualClock;
  /** Changes how long new pods take to turn Ready. */
  setReadyDelay(delay: ReadyDelay): void;
  stop(): Promise<void>;
}

export interface DeploymentWorldOptions {
  seed?: number;
  controller?: Partial<DeploymentControllerOptions>;
  /** Default: every pod turns Ready 1 s after it is created. */
  readyDelay?: ReadyDelay;
}

export async function createDeploymentWorld(
  options: DeploymentWorldOptions = {},
): Promise<DeploymentWorld> {
  const world = await createNamespaceWorld({ seed: options.seed ?? 1 });
  const rs = world.newClient('replicaset-controller');
  const replicaSetController = new ReplicaSetController({
    client: rs.client,
    clock: rs.clock,
    rng: world.rng.fork('replicaset-controller'),
  });
  const dc = world.newClient('deployment-controller');
  const log: string[] = [];
  const controller = new DeploymentController({
    client: dc.client,
    clock: dc.clock,
    rng: world.rng.fork('deployment-controller'),
    log: (line) => log.push(`${dc.clock.nowMs() - epochMs} ${line}`),
    ...options.controller,
  });
  let readyDelay: ReadyDelay = options.readyDelay ?? (() => 1_000);
  const kubelet = startKubeletStandIn(world, (pod, rng) => readyDelay(pod, rng));
  replicaSetController.start();
  controller.start();
  const { client: user, clock } = world.newClient('user');
  const stop = async () => {
    controller.stop();
    replicaSetController.stop();
    kubelet.stop();
    await controller.whenStopped();
    await replicaSetController.whenStopped();
  };
  const setReadyDelay = (delay: ReadyDelay) => {
    readyDelay = delay;
  };
  return { ...world, controller, replicaSetController, log, user, clock, setReadyDelay, stop };
}

/** Watches pods and writes Running/Ready status `delay` after each new pod appears. */
function startKubeletStandIn(world: NamespaceWorld, delay: ReadyDelay): Informer<KubeObject> {
  const { client, clock } = world.newClient('kubelet');
  const rng = world.rng.fork('kubelet-stand-in');
  const informer = new Informer<KubeObject>({
    client,
    resource: pods,
    clock,
    rng: rng.fork('informer'),
  });
  informer.addEventHandler({
    onAdd: (pod) => {
      const delayMs = delay(pod, rng);
      if (delayMs === undefined) return;
      clock.setTimer(delayMs, () => void markReady(client, clock, pod));
    },
  });
  informer.start();
  return informer;
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
  const target = { namespace: pod.metadata.namespace ?? 'default', name: pod.metadata.name ?? '' };
  try {
    await client.patch(
      pods,
      target,
      { type: 'merge', body: { status } },
      { subresource: 'status' },
    );
  } catch (error) {
    if (!isNotFound(error)) throw error;
  }
}

export interface DeploymentShape {
  replicas?: number;
  image?: string;
  strategy?: Record<string, unknown>;
  minReadySeconds?: number;
  progressDeadlineSeconds?: number;
  revisionHistoryLimit?: number;
  paused?: boolean;
}

export function deploymentManifest(name: string, shape: DeploymentShape = {}): Deployment {
  const labels = { app: name };
  const spec: Record<string, unknown> = {
    replicas: shape.replicas ?? 3,
    selector: { matchLabels: labels },
    template: {
      metadata: { labels },
      spec: { containers: [{ name: 'app', image: shape.image ?? 'nginx:1' }] },
    },
  };
  for (const key of [
    'strategy',
    'minReadySeconds',
    'progressDeadlineSeconds',
    'revisionHistoryLimit',
    'paused',
  ] as const) {
    if (shape[key] !== undefined) spec[key] = shape[key];
  }
  return { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name }, spec } as Deployment;
}

/** Sets the image of the first container (a template change, as `kubectl set image`). */
export function setImage(client: KubeClient, name: string, image: string): Promise<Deployment> {
  const body = { spec: { template: { spec: { containers: [{ name: 'app', image }] } } } };
  return client.patch<Deployment>(
    deployments,
    { namespace: 'default', name },
    { type: 'strategic', body },
  );
}

export async function getDeployment(client: KubeClient, name: string): Promise<Deployment> {
  return client.get<Deployment>(deployments, 'default', name);
}

export async function listReplicaSets(client: KubeClient): Promise<ReplicaSet[]> {
  const list = await client.list<ReplicaSet>(replicaSets, 'default');
  return [...list.items].sort((a, b) =>
    (a.metadata.name ?? '') < (b.metadata.name ?? '') ? -1 : 1,
  );
}

export async function listPods(client: KubeClient): Promise<KubeObject[]> {
  return (await client.list(pods, 'default')).items;
}

/** Polls every `stepMs` of virtual time until `check` resolves true; throws after `timeoutMs`. */
export async function waitUntil(
  clock: VirtualClock,
  check: () => Promise<boolean>,
  timeoutMs: number,
  stepMs = 250,
): Promise<number> {
  const startMs = clock.nowMs();
  while (clock.nowMs() - startMs <= timeoutMs) {
    if (await check()) return clock.nowMs() - startMs;
    await clock.sleep(stepMs);
  }
  throw new Error(`condition not met within ${timeoutMs} ms of virtual time`);
}

/** Resolves once the Deployment reports every replica updated and available for its generation. */
export function waitForRollout(
  client: KubeClient,
  clock: VirtualClock,
  name: string,
  timeoutMs = 120_000,
): Promise<number> {
  return waitUntil(
    clock,
    async () => {
      const d = await getDeployment(client, name);
      const status = d.status ?? {};
      const replicas = d.spec.replicas ?? 1;
      return (
        (status.observedGeneration ?? 0) >= (d.metadata.generation ?? 0) &&
        (status.updatedReplicas ?? 0) === replicas &&
        (status.replicas ?? 0) === replicas &&
        (status.availableReplicas ?? 0) === replicas
      );
    },
    timeoutMs,
  );
}

export function conditionOf(deployment: Deployment, type: string) {
  return deployment.status?.conditions?.find((condition) => condition.type === type);
}

export function annotation(object: KubeObject, key: string): string | undefined {
  return object.metadata.annotations?.[key];
}
