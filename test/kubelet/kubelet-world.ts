// A simulated world for kubelet tests: the full API server (namespace world), a SimRuntime for
// one node, and helpers to start kubelet incarnations on it, create pods bound to the node
// (spec.nodeName set at creation; no scheduler) and watch them in virtual time.

import type { KubeClient } from '../../src/control/client/client.js';
import { isNotFound } from '../../src/control/client/errors.js';
import { coreResources } from '../../src/control/client/resource-client.js';
import type { KubeObject } from '../../src/control/client/types.js';
import type { KubeletOptions } from '../../src/control/kubelet/kubelet.js';
import { Kubelet } from '../../src/control/kubelet/kubelet.js';
import type { VirtualClock } from '../../src/sim/engine/engine.js';
import type { SimImageScript, SimRuntimeBehavior } from '../../src/sim/sim-runtime.js';
import { SimRuntime } from '../../src/sim/sim-runtime.js';
import {
  createNamespaceWorld,
  epochMs,
  type NamespaceWorld,
} from '../namespaces/namespace-world.js';

export { epochMs };

export const nodeName = 'worker-1';

export interface KubeletWorld extends NamespaceWorld {
  runtime: SimRuntime;
  user: KubeClient;
  userClock: VirtualClock;
  /** Starts kubelet incarnation `n` (1 first) on the shared runtime. */
  startKubelet(incarnation?: number, extra?: Partial<KubeletOptions>): Kubelet;
  /** Virtual ms since the epoch. */
  elapsedMs(): number;
  log: string[];
}

export interface KubeletWorldOptions {
  seed?: number;
  images?: Record<string, SimImageScript>;
  behavior?: Partial<SimRuntimeBehavior>;
  kubelet?: Partial<KubeletOptions>;
}

export async function createKubeletWorld(options: KubeletWorldOptions = {}): Promise<KubeletWorld> {
  const world = await createNamespaceWorld({ seed: options.seed ?? 7 });
  const runtime = new SimRuntime({
    clock: world.engine.clock(`node/${nodeName}`),
    rng: world.rng.fork('runtime').fork(nodeName),
    nodeName,
    behavior: {
      imagePullMs: 2_000,
      containerStartMs: 500,
      ...options.behavior,
      images: { ...(options.behavior?.images ?? {}), ...(options.images ?? {}) },
    },
    podIpPrefix: '10.244.1',
  });
  const { client: user, clock: userClock } = world.newClient('user');
  const log: string[] = [];
  const startKubelet = (incarnation = 1, extra: Partial<KubeletOptions> = {}): Kubelet => {
    const { client, clock } = world.newClient(`kubelet-${nodeName}-${incarnation}`);
    const kubelet = new Kubelet({
      client,
      clock,
      rng: world.rng.fork('kubelet').fork(`${nodeName}#${incarnation}`),
      runtime,
      nodeName,
      capacity: { cpu: '4', memory: '8Gi', pods: '110', 'ephemeral-storage': '100Gi' },
      nodeIp: '192.168.0.11',
      podIpPrefix: '10.244.1',
      log: (line) => log.push(`${clock.nowMs() - epochMs} ${line}`),
      ...options.kubelet,
      ...extra,
    });
    kubelet.start();
    return kubelet;
  };
  const elapsedMs = () => world.engine.nowMs() - epochMs;
  return { ...world, runtime, user, userClock, startKubelet, elapsedMs, log };
}

/** A pod bound to the node, with one container `app` of `image` unless `spec` says otherwise. */
export function boundPod(
  name: string,
  spec: Record<string, unknown> = {},
  metadata: Record<string, unknown> = {},
): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default', ...metadata },
    spec: { nodeName, containers: [{ name: 'app', image: 'nginx:1.27' }], ...spec },
  };
}

export async function createPod(client: KubeClient, pod: KubeObject): Promise<KubeObject> {
  return client.create(coreResources.pods, 'default', pod);
}

export async function getPod(client: KubeClient, name: string): Promise<KubeObject | undefined> {
  try {
    return await client.get(coreResources.pods, 'default', name);
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
}

/** Polls every `stepMs` of virtual time until `check` returns a value; fails after `limitMs`. */
export async function waitFor<T>(
  clock: VirtualClock,
  what: string,
  check: () => Promise<T | undefined>,
  limitMs = 120_000,
  stepMs = 100,
): Promise<T> {
  const startMs = clock.nowMs();
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (clock.nowMs() - startMs >= limitMs) throw new Error(`timed out waiting for ${what}`);
    await clock.sleep(stepMs);
  }
}

export type Status = Record<string, any>;

export function statusOf(pod: KubeObject | undefined): Status {
  return ((pod?.status ?? {}) as Status) ?? {};
}

export function containerStatus(pod: KubeObject | undefined, name = 'app'): Status | undefined {
  const statuses = (statusOf(pod).containerStatuses ?? []) as Status[];
  return statuses.find((s) => s.name === name);
}

export function condition(pod: KubeObject | undefined, type: string): Status | undefined {
  const conditions = (statusOf(pod).conditions ?? []) as Status[];
  return conditions.find((c) => c.type === type);
}

export async function eventsOf(client: KubeClient, name: string): Promise<Status[]> {
  const list = await client.list(coreResources.events, 'default');
  return (list.items as Status[])
    .filter((e) => e.involvedObject?.name === name)
    .sort((a, b) => (a.metadata.name < b.metadata.name ? -1 : 1));
}

export interface ObservedPod {
  atMs: number;
  type: string;
  pod: KubeObject;
}

/** Records every watch event of pod `name` (virtual ms since the epoch); stop() ends it. */
export function observePod(world: KubeletWorld, name: string) {
  const seen: ObservedPod[] = [];
  const handle = world.user.watch(
    coreResources.pods,
    'default',
    { fieldSelector: `metadata.name=${name}`, resourceVersion: '0' },
    {
      onEvent: (event) => {
        if (event.type === 'ERROR' || event.type === 'BOOKMARK') return;
        seen.push({ atMs: world.elapsedMs(), type: event.type, pod: event.object });
      },
      onEnd: () => undefined,
    },
  );
  return { seen, stop: () => handle.stop() };
}

/** The waiting reasons / state kinds container `container` went through, without repeats. */
export function stateHistory(seen: readonly ObservedPod[], container = 'app'): string[] {
  const history: string[] = [];
  for (const { pod } of seen) {
    const status = containerStatus(pod, container);
    if (status === undefined) continue;
    const state = status.state as Status;
    const label =
      state.waiting !== undefined
        ? `waiting:${state.waiting.reason ?? ''}`
        : state.running !== undefined
          ? 'running'
          : `terminated:${state.terminated?.reason ?? ''}`;
    if (history[history.length - 1] !== label) history.push(label);
  }
  return history;
}
