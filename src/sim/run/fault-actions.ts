// Carrying out a scenario's faults in a cluster world.
import { findResourceByKind } from '../../control/api/registry.js';
import type { KubeClient } from '../../control/client/client.js';
import { isConflict } from '../../control/client/errors.js';
import type { KubeObject } from '../../control/client/types.js';
import type { JsonObject, JsonValue } from '../../control/store/types.js';
import { drawMs } from './distributions.js';
import type { LatencySpec } from '../network/latency.js';
import { coreResources } from '../../control/client/resource-client.js';
import { runtimeLabels } from '../../control/ports/container-runtime.js';
import { assertNever } from '../../control/util/assert.js';
import type { Distribution, Fault, FaultAction, PodTarget } from '../scenario/scenario-model.js';
import {
  addNodes,
  healHeartbeats,
  removeNode,
  restartApiServer,
  restartComponent,
  stopHeartbeats,
} from './cluster-faults.js';
import type { FaultContext, NetworkRule } from './fault-context.js';

export { poolIndexes } from './cluster-faults.js';
export type { FaultContext, HeartbeatStop, NetworkRule } from './fault-context.js';

/** A short label for the report, e.g. `crashNode worker-1`. */
export function faultLabel(fault: Fault): string {
  const a = fault.action;
  switch (a.kind) {
    case 'crashNode':
    case 'restartKubelet':
    case 'cordonNode':
    case 'drainNode':
    case 'stopHeartbeats':
      return `${a.kind} ${a.node}`;
    case 'restartComponent':
      return `${a.kind} ${a.component}`;
    case 'addNodes':
      return `${a.kind} ${a.pool} x${a.count}`;
    case 'removeNodes':
      return `${a.kind} ${a.nodes.join(',')}`;
    case 'killContainer':
    case 'oomContainer':
      return `${a.kind} ${a.pod.namespace}/${a.pod.name ?? a.pod.selector ?? ''}`;
    case 'skewClock':
      return `${a.kind} ${a.target.kind === 'node' ? `node/${a.target.node}` : a.target.component}`;
    default:
      return a.kind;
  }
}

/** Carries out one fault; long ones (a restart after a delay) continue in the background. */
export async function applyFault(fault: Fault, ctx: FaultContext): Promise<void> {
  const a = fault.action;
  switch (a.kind) {
    case 'crashNode': {
      await ctx.world.stopKubelet(a.node);
      ctx.world.nodes.get(a.node)?.runtime.crash({ keepImages: true });
      if (a.restartAfterMs !== undefined) {
        const delayMs = a.restartAfterMs;
        void ctx.sleep(delayMs).then(() => {
          const node = ctx.world.nodes.get(a.node);
          if (node === undefined || node.kubelet !== undefined) return;
          ctx.world.startKubelet(a.node);
          ctx.log(`node ${a.node} is back`);
        });
      }
      return;
    }
    case 'restartKubelet':
      await ctx.world.stopKubelet(a.node);
      ctx.world.startKubelet(a.node);
      return;
    case 'cordonNode':
      await setUnschedulable(ctx.client, a.node);
      return;
    case 'drainNode':
      await setUnschedulable(ctx.client, a.node);
      await evictAll(ctx, a.node);
      return;
    case 'killContainer':
      await killContainer(ctx, a, 'Error');
      return;
    case 'oomContainer':
      await killContainer(ctx, a, 'OOMKilled');
      return;
    case 'skewClock':
      skewClock(ctx, a);
      return;
    case 'partition':
    case 'delayLinks':
    case 'dropMessages':
      addNetworkRule(ctx, a);
      return;
    case 'heal':
      heal(ctx, a.from, a.to);
      healHeartbeats(ctx, a.from, a.to);
      return;
    case 'stopHeartbeats':
      stopHeartbeats(ctx, a.node, a.forMs);
      return;
    case 'restartComponent':
      await restartComponent(ctx, a.component, a.downForMs);
      return;
    case 'restartApiServer':
      restartApiServer(ctx, a.downForMs);
      return;
    case 'addNodes':
      addNodes(ctx, a.pool, a.count);
      return;
    case 'removeNodes':
      for (const node of a.nodes) await removeNode(ctx, node);
      return;
    case 'conflictingWrites':
      // The writers race in the background while the scenario goes on.
      void conflictingWrites(ctx, a);
      return;
    default:
      assertNever(a, 'unknown fault verb');
  }
}

async function setUnschedulable(client: KubeClient, node: string): Promise<void> {
  const body = { spec: { unschedulable: true } };
  await client.patch(
    coreResources.nodes,
    { namespace: '', name: node },
    { type: 'strategic', body },
  );
}

/** kubectl drain's evictions (no PodDisruptionBudgets in miniku; daemon sets do not exist). */
async function evictAll(ctx: FaultContext, node: string): Promise<void> {
  const list = await ctx.client.list(coreResources.pods, '', {
    fieldSelector: `spec.nodeName=${node}`,
  });
  for (const pod of list.items) {
    const namespace = pod.metadata.namespace ?? 'default';
    const name = pod.metadata.name ?? '';
    await ctx.client
      .evict(namespace, name)
      .catch((error: unknown) =>
        ctx.log(`eviction of ${namespace}/${name} failed: ${String(error)}`),
      );
  }
}

type ContainerFault = Extract<FaultAction, { kind: 'killContainer' | 'oomContainer' }>;

/**
 * The container's process dies of SIGKILL (exit 137) in its node's runtime, `OOMKilled` when the
 * kernel's OOM killer did it; the kubelet notices on its next relist and restarts it per
 * restartPolicy. Without a container name: the pod's first container.
 */
async function killContainer(
  ctx: FaultContext,
  a: ContainerFault,
  reason: 'Error' | 'OOMKilled',
): Promise<void> {
  const target = a.pod;
  const what = `${target.namespace}/${target.name ?? target.selector ?? ''}`;
  const pod = await findPod(ctx.client, target);
  if (pod === undefined) {
    ctx.log(`${a.kind}: no pod matches ${what}`);
    return;
  }
  const spec = (pod.spec ?? {}) as { nodeName?: string; containers?: { name?: string }[] };
  const runtime = ctx.world.nodes.get(spec.nodeName ?? '')?.runtime;
  if (runtime === undefined) {
    ctx.log(`${a.kind}: pod ${what} runs on no node of the world`);
    return;
  }
  const container = a.container ?? spec.containers?.[0]?.name ?? '';
  const labels = {
    [runtimeLabels.podUid]: pod.metadata.uid ?? '',
    [runtimeLabels.containerName]: container,
  };
  const victim = (await runtime.listContainers({ state: 'running', labels }))[0];
  if (victim === undefined) {
    ctx.log(`${a.kind}: container ${container} of pod ${what} is not running`);
    return;
  }
  runtime.killProcess(victim.id, reason);
}

type SkewClock = Extract<FaultAction, { kind: 'skewClock' }>;

/** Moves the clock of a node (its kubelet and runtime) or of a control-plane component. */
function skewClock(ctx: FaultContext, a: SkewClock): void {
  const change = {
    ...(a.offsetMs === undefined ? {} : { offsetMs: a.offsetMs }),
    ...(a.driftPpm === undefined ? {} : { driftPpm: a.driftPpm }),
  };
  if (a.target.kind === 'node') {
    if (!ctx.world.nodes.has(a.target.node)) {
      ctx.log(`skewClock: no node ${a.target.node}`);
      return;
    }
    ctx.world.skewClock({ kind: 'node', node: a.target.node }, change);
    return;
  }
  ctx.world.skewClock({ kind: 'component', component: a.target.component }, change);
}

async function findPod(client: KubeClient, target: PodTarget) {
  if (target.name !== undefined) {
    return client.get(coreResources.pods, target.namespace, target.name).catch(() => undefined);
  }
  const list = await client.list(coreResources.pods, target.namespace, {
    labelSelector: target.selector ?? '',
  });
  return [...list.items].sort((a, b) =>
    (a.metadata.name ?? '') < (b.metadata.name ?? '') ? -1 : 1,
  )[0];
}

type ConflictingWrites = Extract<FaultAction, { kind: 'conflictingWrites' }>;

/** Most tries of one write that keeps meeting 409 Conflict. */
const conflictRetryCountMax = 20;

/**
 * N clients each do `writes` read-modify-writes of one field (GET, set, PUT with the read
 * resourceVersion), retrying on 409 Conflict as client-go's RetryOnConflict does, with a drawn
 * pause between writes.
 */
async function conflictingWrites(ctx: FaultContext, a: ConflictingWrites): Promise<void> {
  const type = findResourceByKind(a.object.apiVersion, a.object.kind);
  if (type === undefined) return;
  const resource = {
    group: type.group,
    version: type.version,
    plural: type.plural,
    namespaced: type.namespaced,
  };
  const namespace = type.namespaced ? (a.object.namespace ?? 'default') : '';
  const writers = Array.from({ length: a.clients }, (_, c) => {
    const { client, clock } = ctx.world.userClient(`writer-${c}`);
    const rng = ctx.rng.fork(`writer-${c}`);
    return (async () => {
      let conflicts = 0;
      for (let w = 0; w < a.writes; w++) {
        const value = a.values[(c * a.writes + w) % a.values.length] as JsonValue;
        for (let attempt = 0; attempt < conflictRetryCountMax; attempt++) {
          const current = await client
            .get(resource, namespace, a.object.name)
            .catch(() => undefined);
          if (current === undefined) return;
          const next = withValueAt(current as unknown as JsonObject, a.fieldPath, value);
          try {
            await client.update(resource, namespace, next as unknown as KubeObject);
            break;
          } catch (error) {
            if (!isConflict(error) || !a.retryOnConflict) break;
            conflicts += 1;
          }
        }
        await clock.sleep(drawMs(a.interval, rng));
      }
      ctx.log(`writer-${c} met ${conflicts} conflict(s)`);
    })();
  });
  await Promise.all(writers);
}

/** A copy of `object` with `value` at `path` (objects created along the way). */
function withValueAt(
  object: JsonObject,
  path: readonly (string | number)[],
  value: JsonValue,
): JsonObject {
  const copy = structuredClone(object) as Record<string, unknown>;
  let current: Record<string, unknown> | unknown[] = copy;
  path.forEach((segment, i) => {
    const last = i === path.length - 1;
    const container = current as Record<string | number, unknown>;
    if (last) {
      container[segment] = value;
      return;
    }
    const child = container[segment];
    if (child === null || typeof child !== 'object')
      container[segment] = typeof path[i + 1] === 'number' ? [] : {};
    current = container[segment] as Record<string, unknown>;
  });
  return copy as JsonObject;
}

type LinkFault = Extract<FaultAction, { kind: 'partition' | 'delayLinks' | 'dropMessages' }>;

/** The network's latency spec for a scenario Distribution (both in ms). */
export function latencySpecOf(d: Distribution): LatencySpec {
  switch (d.kind) {
    case 'constant':
      return d.valueMs;
    case 'uniform':
      return { uniform: [d.minMs, d.maxMs] };
    case 'exponential':
      return { exponential: d.meanMs };
    case 'normal':
      return { normal: { mean: d.meanMs, stddev: d.stddevMs } };
  }
}

function addNetworkRule(ctx: FaultContext, a: LinkFault): void {
  const network = ctx.world.network;
  const selector = { from: [...a.from], to: [...a.to], oneWay: a.oneWay };
  const id =
    a.kind === 'partition'
      ? network.partition(selector)
      : a.kind === 'delayLinks'
        ? network.setLatency({ ...selector, latency: latencySpecOf(a.latency) })
        : network.setLoss({ ...selector, perMillion: Math.round(a.rate * 1_000_000) });
  const rule = { id, from: a.from, to: a.to };
  ctx.networkRules.push(rule);
  if (a.forMs !== undefined) {
    void ctx.sleep(a.forMs).then(() => removeRule(ctx, rule));
  }
}

function removeRule(ctx: FaultContext, rule: NetworkRule): void {
  const index = ctx.networkRules.indexOf(rule);
  if (index < 0) return;
  ctx.networkRules.splice(index, 1);
  ctx.world.network.removeRule(rule.id);
}

/** Without endpoints: every network fault ends; with them: the rules given exactly those. */
function heal(ctx: FaultContext, from?: readonly string[], to?: readonly string[]): void {
  const same = (a: readonly string[], b: readonly string[] | undefined) =>
    b === undefined || (a.length === b.length && a.every((x, i) => x === b[i]));
  for (const rule of [...ctx.networkRules]) {
    if (same(rule.from, from) && same(rule.to, to)) removeRule(ctx, rule);
  }
}
