// Helpers for whole-cluster tests: a cluster world over the test engine's host drain, objects,
// and a way to run a script inside the engine until a virtual deadline.
import type { KubeClient } from '../../src/control/client/client.js';
import { coreResources } from '../../src/control/client/resource-client.js';
import type { KubeObject } from '../../src/control/client/types.js';
import type { ContainerStatus } from '../../src/control/ports/container-runtime.js';
import type { ClusterNodeSpec, ClusterWorld } from '../../src/sim/cluster-world.js';
import { createClusterWorld } from '../../src/sim/cluster-world.js';
import { runScript } from '../../src/sim/engine/run-script.js';
import type { VirtualClock } from '../../src/sim/engine/engine.js';
import { epochMs } from '../support/sim-base.js';

/** Captured before any run installs the determinism guard. */
const hostSetImmediate = setImmediate;

export const replicaSets = coreResources.replicaSets;
export const deployments = coreResources.deployments;

export async function newCluster(
  nodes: readonly ClusterNodeSpec[],
  options: { seed?: number; log?: string[] } = {},
): Promise<ClusterWorld> {
  const lines = options.log;
  return createClusterWorld({
    seed: options.seed ?? 1,
    startMs: epochMs,
    drain: () => new Promise<void>((resolve) => hostSetImmediate(() => resolve())),
    eventCountMax: 5_000_000,
    drainRoundsMax: 100_000,
    nodes,
    ...(lines === undefined ? {} : { log: (line: string) => lines.push(line) }),
  });
}

/** Runs `script` as an engine event, then the engine until `untilMs` after now. */
export async function runIn<T>(
  world: ClusterWorld,
  untilMs: number,
  script: () => Promise<T>,
): Promise<T> {
  return runScript(world.engine, { endpoint: 'test', forMs: untilMs }, script);
}

/** Polls every `stepMs` of virtual time until `check` returns a value; fails after `limitMs`. */
export async function waitFor<T>(
  clock: VirtualClock,
  what: string,
  check: () => Promise<T | undefined>,
  limitMs: number,
  stepMs = 1_000,
): Promise<T> {
  const startMs = clock.nowMs();
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (clock.nowMs() - startMs >= limitMs) throw new Error(`timed out waiting for ${what}`);
    await clock.sleep(stepMs);
  }
}

export function replicaSet(name: string, replicas: number): KubeObject {
  const labels = { app: name };
  return {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: { name, namespace: 'default' },
    spec: {
      replicas,
      selector: { matchLabels: labels },
      template: {
        metadata: { labels },
        spec: {
          containers: [
            {
              name: 'web',
              image: 'nginx:1.27',
              resources: { requests: { cpu: '100m', memory: '64Mi' } },
            },
          ],
        },
      },
    },
  };
}

export async function podsOf(client: KubeClient, app: string): Promise<KubeObject[]> {
  const list = await client.list(coreResources.pods, 'default', { labelSelector: `app=${app}` });
  return list.items;
}

export function isReady(pod: KubeObject): boolean {
  const status = (pod.status ?? {}) as { conditions?: { type: string; status: string }[] };
  return (status.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True');
}

export function nodeNameOf(pod: KubeObject): string {
  const spec = (pod.spec ?? {}) as { nodeName?: string };
  return spec.nodeName ?? '';
}

/** Running containers of every node's runtime, by node name. */
export async function runningContainers(
  world: ClusterWorld,
): Promise<Map<string, ContainerStatus[]>> {
  const out = new Map<string, ContainerStatus[]>();
  for (const [name, node] of world.nodes) {
    out.set(name, await node.runtime.listContainers({ state: 'running' }));
  }
  return out;
}
