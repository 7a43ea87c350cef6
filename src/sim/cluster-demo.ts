// `miniku demo --cluster`: a scripted session on a simulated 3-node cluster in virtual time — a
// Deployment and its Service, a rolling update, a kubelet crash with taint-based eviction, the
// node's recovery — printed as a short transcript with its digest.
//
// The script runs as one engine event and waits on the observer's informer caches (never by
// polling the API); every wait has a virtual-time limit, and so has the whole run, so a demo that
// does not reach a milestone fails with an error naming it instead of hanging.

import type { KubeClient } from '../control/client/client.js';
import { coreResources } from '../control/client/resource-client.js';
import type { KubeObject, ResourceDescriptor } from '../control/client/types.js';
import { revisionAnnotation } from '../control/controllers/deployment/deployment-objects.js';
import { unreachableTaintKey } from '../control/controllers/node-lifecycle/node-taints.js';
import { sha256Hex } from '../control/util/sha256.js';
import { ClusterObserver } from './cluster-demo-observer.js';
import {
  conditionOf,
  describeNode,
  describeReplicaSet,
  endpointsText,
  isDeleting,
  isNodeReady,
  isPodReady,
  nodeOfPod,
  podsPerNode,
  replicaSetSizes,
  restartCount,
} from './cluster-demo-views.js';
import { createClusterWorld } from './cluster-world.js';
import type { ClusterNodeSpec, ClusterWorld } from './cluster-world.js';
import type { VirtualClock } from './engine/engine.js';
import type { SimImageScript } from './sim-runtime.js';

export interface ClusterDemoOptions {
  seed: string | number;
  /** Host macrotask boundary injected by the composition root. */
  drain: () => Promise<void>;
  /** The whole session must end within this much virtual time, ms. Default 30 min. */
  durationMsMax?: number;
}

export interface ClusterDemoResult {
  lines: string[];
  /** SHA-256 of the transcript: the same seed always gives the same digest. */
  digest: string;
}

/** 2026-01-01T00:00:00Z, the virtual epoch. */
const startMs = 1_767_225_600_000;
/** Default bound of the whole session's virtual time. */
const demoDurationMsMax = 30 * 60_000;
/** The engine runs in slices of this much virtual time until the script has finished. */
const runSliceMs = 10_000;
const namespace = 'default';
const app = 'web';
const replicas = 6;
const crashedNode = 'node-c';
const capacity = { cpu: '4', memory: '16Gi', pods: '110' };
const nodes: readonly ClusterNodeSpec[] = ['a', 'b', 'c'].map((letter) => ({
  name: `node-${letter}`,
  zone: `zone-${letter}`,
  capacity,
}));
const nodeNames = nodes.map((node) => node.name);
const unreachableNoExecute = `${unreachableTaintKey}:NoExecute`;
const newImage = 'nginx:1.28';
const serviceResource: ResourceDescriptor = {
  group: '',
  version: 'v1',
  plural: 'services',
  namespaced: true,
  kind: 'Service',
};

/** When the script acts (virtual ms after the start), unless it is running late. */
const scheduleMs = { rollout: 60_000, crash: 180_000, restart: 600_000 };

/** nginx answers GET / on port 80 one second after it starts. */
const nginxScript: SimImageScript = {
  listen: [{ port: 80, fromMs: 1_000, http: [{ path: '/', statusCode: 200, body: 'Welcome' }] }],
};

interface Demo {
  world: ClusterWorld;
  observer: ClusterObserver;
  user: KubeClient;
  /** The user's clock (engine time, no skew). */
  clock: VirtualClock;
  print: (text: string) => void;
}

/** `+mm:ss` of virtual time since the start. */
function stamp(elapsedMs: number): string {
  const seconds = Math.trunc(elapsedMs / 1000);
  const mm = String(Math.trunc(seconds / 60)).padStart(2, '0');
  const ss = String(seconds % 60).padStart(2, '0');
  return `+${mm}:${ss}`;
}

function deployment(): KubeObject {
  const labels = { app };
  const container = {
    name: 'nginx',
    image: 'nginx:1.27',
    ports: [{ containerPort: 80 }],
    resources: { requests: { cpu: '100m', memory: '64Mi' } },
    readinessProbe: { httpGet: { path: '/', port: 80 }, periodSeconds: 5 },
  };
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: app, namespace, labels },
    spec: {
      replicas,
      selector: { matchLabels: labels },
      template: { metadata: { labels }, spec: { containers: [container] } },
    },
  };
}

function service(): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: app, namespace },
    spec: { selector: { app }, ports: [{ port: 80, targetPort: 80 }] },
  };
}

function activePods(demo: Demo): KubeObject[] {
  return demo.observer.pods.store.list().filter((pod) => !isDeleting(pod));
}

function nodeNamed(demo: Demo, name: string): KubeObject | undefined {
  return demo.observer.nodes.store.list().find((node) => node.metadata.name === name);
}

function nodeTaints(demo: Demo, name: string): readonly string[] {
  const node = nodeNamed(demo, name);
  return node === undefined ? [] : describeNode(node).taints;
}

function webDeployment(demo: Demo): KubeObject | undefined {
  return demo.observer.deployments.store.list().find((d) => d.metadata.name === app);
}

function revisionOf(demo: Demo): string {
  return webDeployment(demo)?.metadata.annotations?.[revisionAnnotation] ?? '?';
}

function deploymentStatus(demo: Demo): Record<string, number> {
  return (webDeployment(demo)?.status ?? {}) as Record<string, number>;
}

async function sleepUntil(demo: Demo, elapsedMs: number): Promise<void> {
  const waitMs = startMs + elapsedMs - demo.clock.nowMs();
  if (waitMs > 0) await demo.clock.sleep(waitMs);
}

async function createWorkload(demo: Demo): Promise<void> {
  const { observer, print } = demo;
  const zones = nodes.map((n) => `${n.name} (${n.zone ?? ''})`).join(', ');
  print(`Cluster: ${zones}; ${capacity.cpu} CPU, ${capacity.memory} each`);
  const allReady = () =>
    nodeNames.every((name) => {
      const node = nodeNamed(demo, name);
      return node !== undefined && isNodeReady(node);
    });
  await observer.until('every node Ready', 60_000, allReady);
  print(`Nodes ${nodeNames.join(', ')} registered and Ready`);
  await demo.user.create(coreResources.deployments, namespace, deployment());
  await demo.user.create(serviceResource, namespace, service());
  print(`User creates Deployment ${app} (${replicas} × nginx:1.27, readiness GET :80/)`);
  print(`User creates Service ${app} (selector app=${app})`);
}

async function awaitAvailable(demo: Demo): Promise<void> {
  const { observer, print } = demo;
  await observer.until(
    `Deployment ${app} Available`,
    180_000,
    () => conditionOf(webDeployment(demo), 'Available') === 'True',
  );
  const status = deploymentStatus(demo);
  const available = `${status.availableReplicas ?? 0}/${replicas} available`;
  print(`Deployment ${app} Available: ${available}, revision ${revisionOf(demo)}`);
  await observer.until(`${replicas} ready pods and endpoints`, 180_000, () => {
    const pods = activePods(demo);
    const ready = pods.length === replicas && pods.every(isPodReady);
    return ready && observer.endpointsCounts.ready === replicas;
  });
  print(`All ${replicas} pods Ready: ${podsPerNode(activePods(demo), nodeNames)}`);
  print(`Endpoints ${app}: ${endpointsText(observer.endpointsCounts)}`);
  observer.follow('deployments', true);
}

function rolloutComplete(demo: Demo, generation: number): boolean {
  const status = deploymentStatus(demo);
  const settled =
    (status.observedGeneration ?? 0) >= generation &&
    status.updatedReplicas === replicas &&
    status.replicas === replicas &&
    status.availableReplicas === replicas;
  const old = demo.observer.replicaSets.store
    .list()
    .filter((rs) => describeReplicaSet(rs).image !== newImage);
  const drained = old.every((rs) => {
    const sizes = replicaSetSizes(rs);
    return sizes.desired === 0 && sizes.current === 0;
  });
  return settled && drained;
}

async function rollingUpdate(demo: Demo): Promise<void> {
  const { observer, print } = demo;
  await sleepUntil(demo, scheduleMs.rollout);
  observer.follow('replicaSets', true);
  const patch = {
    spec: { template: { spec: { containers: [{ name: 'nginx', image: newImage }] } } },
  };
  print(`User sets the image to ${newImage} (rolling update, maxSurge 25%, maxUnavailable 25%)`);
  const updated = await demo.user.patch(
    coreResources.deployments,
    { namespace, name: app },
    { type: 'strategic', body: patch },
  );
  let fewestReady = observer.endpointsCounts.ready;
  await observer.until('the rollout to nginx:1.28', 300_000, () => {
    fewestReady = Math.min(fewestReady, observer.endpointsCounts.ready);
    return rolloutComplete(demo, updated.metadata.generation ?? 0);
  });
  observer.follow('replicaSets', false);
  const complete = `${replicas}/${replicas} updated and available`;
  print(`Rollout complete: ${complete}, old ReplicaSet at 0, revision ${revisionOf(demo)}`);
  print(`  endpoints never fell below ${fewestReady} ready addresses during the rollout`);
  print(`  pods per node: ${podsPerNode(activePods(demo), nodeNames)}`);
}

async function crashAndEvict(demo: Demo): Promise<void> {
  const { observer, print, world } = demo;
  await sleepUntil(demo, scheduleMs.crash);
  for (const topic of ['nodes', 'pods', 'endpoints'] as const) observer.follow(topic, true);
  await world.stopKubelet(crashedNode);
  const crashedAtMs = world.engine.nowMs();
  print(`Crash: the kubelet on ${crashedNode} stops (its containers keep running)`);
  await observer.until(`the unreachable NoExecute taint on ${crashedNode}`, 120_000, () =>
    nodeTaints(demo, crashedNode).includes(unreachableNoExecute),
  );
  const taintedAtMs = world.engine.nowMs();
  await observer.until(`${replicas} ready replicas off ${crashedNode}`, 600_000, () => {
    const pods = activePods(demo);
    const ready = pods.length === replicas && pods.every(isPodReady);
    const moved = pods.every((pod) => nodeOfPod(pod) !== crashedNode);
    return ready && moved && observer.endpointsCounts.ready === replicas;
  });
  const taintedS = Math.trunc((taintedAtMs - crashedAtMs) / 1000);
  const replacedS = Math.trunc((world.engine.nowMs() - taintedAtMs) / 1000);
  print(
    `All ${replicas} Ready again off ${crashedNode}: tainted ${taintedS} s after the crash, ` +
      `replaced ${replacedS} s after the taint`,
  );
}

async function restartKubelet(demo: Demo): Promise<void> {
  const { observer, print, world } = demo;
  await sleepUntil(demo, Math.max(scheduleMs.restart, world.engine.nowMs() - startMs + 30_000));
  world.startKubelet(crashedNode);
  print(`The kubelet on ${crashedNode} starts again`);
  await observer.until(`${crashedNode} Ready, untainted and without old pods`, 180_000, () => {
    const node = nodeNamed(demo, crashedNode);
    const leftover = observer.pods.store.list().some((pod) => nodeOfPod(pod) === crashedNode);
    return (
      node !== undefined &&
      isNodeReady(node) &&
      nodeTaints(demo, crashedNode).length === 0 &&
      !leftover
    );
  });
  for (const topic of ['nodes', 'pods', 'endpoints', 'deployments'] as const) {
    observer.follow(topic, false);
  }
  print(`${crashedNode} recovered: Ready, no taints, its terminated pods cleaned up`);
}

function summarize(demo: Demo): void {
  const { print, world } = demo;
  const pods = activePods(demo);
  const ready = pods.filter(isPodReady).length;
  print(`Summary: ${ready}/${pods.length} pods Ready; per node: ${podsPerNode(pods, nodeNames)}`);
  const endpoints = endpointsText(demo.observer.endpointsCounts);
  print(`  container restarts: ${restartCount(pods)}; endpoints: ${endpoints}`);
  const events = world.store.list('/events/');
  const eventCount = events.ok ? events.value.items.length : 0;
  print(
    `  store revision ${world.store.revision} (API writes); ${eventCount} Events; ` +
      `${world.engine.eventCount} engine events`,
  );
}

async function script(demo: Demo): Promise<void> {
  demo.world.start();
  demo.observer.start();
  await createWorkload(demo);
  await awaitAvailable(demo);
  await rollingUpdate(demo);
  await crashAndEvict(demo);
  await restartKubelet(demo);
  summarize(demo);
  demo.observer.stop();
  await demo.world.stop();
}

export async function runClusterDemo(options: ClusterDemoOptions): Promise<ClusterDemoResult> {
  const world = await createClusterWorld({
    seed: options.seed,
    startMs,
    drain: options.drain,
    nodes,
    runtime: { images: { 'nginx:1.27': nginxScript, 'nginx:1.28': nginxScript } },
  });
  const lines: string[] = [];
  const print = (text: string) => lines.push(`${stamp(world.engine.nowMs() - startMs)}  ${text}`);
  const { client, clock, rng } = world.newClient('demo-observer');
  const observer = new ClusterObserver({ client, clock, rng, namespace, app, print });
  const { client: user, clock: userClock } = world.userClient('alice');
  const outcome: { done: boolean; error?: unknown } = { done: false };
  world.engine.schedule({
    atMs: startMs,
    phase: 'timer',
    endpoint: 'demo',
    run: async () => {
      await script({ world, observer, user, clock: userClock, print }).catch((error: unknown) => {
        outcome.error = error;
      });
      outcome.done = true;
    },
  });
  const durationMsMax = options.durationMsMax ?? demoDurationMsMax;
  const endMs = startMs + durationMsMax;
  while (!outcome.done && world.engine.nowMs() < endMs) {
    await world.engine.runUntil(Math.min(world.engine.nowMs() + runSliceMs, endMs));
  }
  if (outcome.error !== undefined) throw outcome.error;
  if (!outcome.done) {
    const seconds = Math.trunc(durationMsMax / 1000);
    throw new Error(`The cluster demo did not finish within ${seconds} s (virtual)`);
  }
  return { lines, digest: sha256Hex(lines.join('\n')) };
}
