// A simulated cluster for node lifecycle tests: the namespace world (API server with the full
// admission chain, system namespaces, sim transport), a node lifecycle controller on its own
// client and clock, and fake kubelets that register nodes and renew their Leases.
import { coreResources } from '../../src/control/client/resource-client.js';
import type { KubeClient } from '../../src/control/client/client.js';
import type { KubeObject } from '../../src/control/client/types.js';
import { NodeLifecycleController } from '../../src/control/controllers/node-lifecycle/node-lifecycle-controller.js';
import type { NodeLifecycleControllerOptions } from '../../src/control/controllers/node-lifecycle/node-lifecycle-options.js';
import type { VirtualClock } from '../../src/sim/engine/engine.js';
import {
  createNamespaceWorld,
  epochMs,
  type NamespaceWorld,
} from '../namespaces/namespace-world.js';
import { FakeKubelet, type FakeKubeletOptions } from './fake-kubelet.js';

export { epochMs };

export type ControllerKnobs = Omit<NodeLifecycleControllerOptions, 'client' | 'clock' | 'rng'>;

export interface LifecycleWorld {
  world: NamespaceWorld;
  controller: NodeLifecycleController;
  /** Controller log lines, prefixed with the virtual second they were written at. */
  log: string[];
  /** A user client and its clock, for the test script. */
  user: { client: KubeClient; clock: VirtualClock };
  kubelet(
    name: string,
    options?: Omit<FakeKubeletOptions, 'engine' | 'transport' | 'name'>,
  ): FakeKubelet;
  /** Runs `script` as an engine event, then the engine for `untilMs` of virtual time. */
  run<T>(script: () => Promise<T>, untilMs: number): Promise<T>;
  /** Seconds since the epoch on the user clock. */
  seconds(): number;
}

export async function createLifecycleWorld(
  knobs: ControllerKnobs = {},
  options: { seed?: number } = {},
): Promise<LifecycleWorld> {
  const world = await createNamespaceWorld({ seed: options.seed ?? 1 });
  const { client, clock } = world.newClient('node-controller');
  const log: string[] = [];
  const controller = new NodeLifecycleController({
    client,
    clock,
    rng: world.rng.fork('node-lifecycle'),
    log: (line) => log.push(`${(clock.nowMs() - epochMs) / 1000}s ${line}`),
    ...knobs,
  });
  const user = world.newClient('user');
  return {
    world,
    controller,
    log,
    user,
    kubelet: (name, kubeletOptions = {}) =>
      new FakeKubelet({
        engine: world.engine,
        transport: world.transport,
        name,
        ...kubeletOptions,
      }),
    run: (script, untilMs) => world.run(script, untilMs),
    seconds: () => (user.clock.nowMs() - epochMs) / 1000,
  };
}

export async function getNode(client: KubeClient, name: string): Promise<KubeObject> {
  return client.get(coreResources.nodes, '', name);
}

export function readyOf(
  node: KubeObject,
): { status: string; reason?: string; message?: string } | undefined {
  const conditions = (
    node.status as { conditions?: { type: string; status: string }[] } | undefined
  )?.conditions;
  return conditions?.find((c) => c.type === 'Ready');
}

export function conditionStatuses(node: KubeObject): Record<string, string> {
  const conditions =
    (node.status as { conditions?: { type: string; status: string }[] } | undefined)?.conditions ??
    [];
  return Object.fromEntries(conditions.map((c) => [c.type, c.status]));
}

/** `key:effect` of every taint on the node, sorted. */
export function taintNames(node: KubeObject): string[] {
  const taints =
    (node.spec as { taints?: { key: string; effect: string }[] } | undefined)?.taints ?? [];
  return taints.map((t) => `${t.key}:${t.effect}`).sort();
}

export async function podOrGone(
  client: KubeClient,
  namespace: string,
  name: string,
): Promise<KubeObject | undefined> {
  try {
    return await client.get(coreResources.pods, namespace, name);
  } catch {
    return undefined;
  }
}

export function podReady(pod: KubeObject): string | undefined {
  const conditions = (pod.status as { conditions?: { type: string; status: string }[] } | undefined)
    ?.conditions;
  return conditions?.find((c) => c.type === 'Ready')?.status;
}

/** True once the pod is terminating or gone. */
export function evicted(pod: KubeObject | undefined): boolean {
  return pod === undefined || pod.metadata.deletionTimestamp !== undefined;
}

/** Polls `probe` every `stepMs` until it returns a value; resolves with it, or throws at `maxMs`. */
export async function waitFor<T>(
  clock: VirtualClock,
  probe: () => Promise<T | undefined>,
  options: { stepMs?: number; maxMs: number; what: string },
): Promise<T> {
  const stepMs = options.stepMs ?? 1_000;
  for (let waitedMs = 0; waitedMs <= options.maxMs; waitedMs += stepMs) {
    const value = await probe();
    if (value !== undefined) return value;
    await clock.sleep(stepMs);
  }
  throw new Error(`timed out after ${options.maxMs} ms waiting for ${options.what}`);
}
