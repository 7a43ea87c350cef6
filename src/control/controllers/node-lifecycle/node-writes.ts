// The API writes of the node lifecycle controller, as upstream's helpers make them: taint edits
// (AddOrUpdateTaintOnNode, RemoveTaintOffNode, SwapNodeControllerTaint), node status writes and
// MarkPodsNotReady. Decisions come from the pure files; this file only talks to the API.
//
// Taint edits re-read the node, edit its taints and send a strategic merge patch that carries
// the read resourceVersion (PatchNodeTaints), so a concurrent writer makes it fail with 409;
// a 409 is retried with a fresh read up to 5 times, 100-200 ms apart (UpdateTaintBackoff).
import { formatTime } from '../../api/values/time.js';
import { coreResources } from '../../client/resource-client.js';
import type { KubeClient } from '../../client/client.js';
import { isConflict, isNotFound } from '../../client/errors.js';
import type { KubeObject } from '../../client/types.js';
import type { EventRecorder } from '../../events/event-recorder.js';
import { objectReference } from '../../events/event-types.js';
import type { Clock } from '../../ports/clock.js';
import type { Rng } from '../../ports/rng.js';
import type { NodeCondition } from './node-health.js';
import type { NodeTaint } from './node-taints.js';
import { addOrUpdateTaints, removeTaints, taintExists, taintsOfNode } from './node-taints.js';
import { podStatusNotReady } from './pod-conditions.js';

/** UpdateTaintBackoff: tries of a taint edit that meets 409 Conflict. */
export const taintUpdateTryCountMax = 5;
/** UpdateTaintBackoff's Duration; each wait adds up to 100 % jitter. */
export const taintUpdateRetryMs = 100;

export interface NodeWritesOptions {
  client: KubeClient;
  clock: Clock;
  /** Jitter of the conflict retries. */
  rng: Rng;
  log?: (message: string) => void;
  /** Writes NodeNotReady pod events; none when absent. */
  recorder?: EventRecorder;
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function taintsValue(taints: readonly NodeTaint[]): Record<string, unknown>[] | null {
  if (taints.length === 0) return null;
  return taints.map((t) => {
    const out: Record<string, unknown> = { key: t.key, effect: t.effect };
    if (t.value !== undefined) out.value = t.value;
    if (t.timeAdded !== undefined) out.timeAdded = t.timeAdded;
    return out;
  });
}

export class NodeWrites {
  readonly #options: NodeWritesOptions;

  constructor(options: NodeWritesOptions) {
    this.#options = options;
  }

  /** SwapNodeControllerTaint: adds `add` (stamped timeAdded = now), then removes `remove`. */
  async swapTaints(
    node: KubeObject,
    add: readonly NodeTaint[],
    remove: readonly NodeTaint[],
  ): Promise<boolean> {
    const name = node.metadata.name as string;
    const timeAdded = formatTime(this.#options.clock.nowMs());
    const stamped = add.map((t) => ({ ...t, timeAdded }));
    try {
      await this.addOrUpdateTaints(name, stamped);
    } catch (error) {
      this.#options.log?.(`unable to taint unresponsive node ${name}: ${errorText(error)}`);
      return false;
    }
    try {
      await this.removeTaints(name, node, remove);
    } catch (error) {
      this.#options.log?.(`unable to remove unneeded taint from node ${name}: ${errorText(error)}`);
      return false;
    }
    return true;
  }

  /** AddOrUpdateTaintOnNode: no request when nothing would change. */
  async addOrUpdateTaints(name: string, taints: readonly NodeTaint[]): Promise<void> {
    if (taints.length === 0) return;
    await this.#editTaints(name, (current) => addOrUpdateTaints(current, taints));
  }

  /**
   * RemoveTaintOffNode: when `cached` (the informer's copy) has none of `taints`, nothing is
   * sent; otherwise the taints are removed from a fresh read of the node.
   */
  async removeTaints(
    name: string,
    cached: KubeObject | undefined,
    taints: readonly NodeTaint[],
  ): Promise<void> {
    if (taints.length === 0) return;
    if (cached !== undefined) {
      const present = taintsOfNode(cached);
      if (!taints.some((t) => taintExists(present, t))) return;
    }
    await this.#editTaints(name, (current) => removeTaints(current, taints));
  }

  /** UpdateStatus with `conditions`; rejects on any failure (409 included). */
  updateConditions(node: KubeObject, conditions: readonly NodeCondition[]): Promise<KubeObject> {
    const status = { ...((node.status as Record<string, unknown> | undefined) ?? {}), conditions };
    return this.#options.client.updateStatus(coreResources.nodes, '', { ...node, status });
  }

  /**
   * MarkPodsNotReady: Ready=False on every pod of `pods` bound to `nodeName` whose Ready
   * condition is not False yet, with a Warning NodeNotReady event. Pods already gone are
   * skipped; other failures are collected and rejected together at the end.
   */
  async markPodsNotReady(pods: readonly KubeObject[], nodeName: string): Promise<void> {
    const failures: string[] = [];
    for (const pod of pods) {
      const spec = pod.spec as { nodeName?: string } | undefined;
      if (spec?.nodeName !== nodeName) continue;
      const status = podStatusNotReady(pod, formatTime(this.#options.clock.nowMs()));
      if (status === undefined) continue;
      try {
        await this.#options.client.updateStatus(coreResources.pods, pod.metadata.namespace ?? '', {
          ...pod,
          status,
        });
      } catch (error) {
        if (isNotFound(error)) continue;
        failures.push(`${pod.metadata.namespace}/${pod.metadata.name}: ${errorText(error)}`);
      }
      const reference = objectReference(pod, { resource: coreResources.pods });
      this.#options.recorder?.event(reference, 'Warning', 'NodeNotReady', 'Node is not ready');
    }
    if (failures.length > 0)
      throw new Error(`failed to mark pods not ready: ${failures.join('; ')}`);
  }

  /** Reads the node, edits its taints, patches them with the read resourceVersion; 409 → again. */
  async #editTaints(
    name: string,
    edit: (taints: NodeTaint[]) => { taints: NodeTaint[]; changed: boolean },
  ): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      const node = await this.#options.client.get(coreResources.nodes, '', name);
      const result = edit(taintsOfNode(node));
      if (!result.changed) return;
      try {
        await this.#patchTaints(node, result.taints);
        return;
      } catch (error) {
        if (!isConflict(error) || attempt >= taintUpdateTryCountMax) throw error;
      }
      const jitterMs = Math.floor(this.#options.rng.float() * taintUpdateRetryMs);
      await this.#options.clock.sleep(taintUpdateRetryMs + jitterMs);
    }
  }

  #patchTaints(node: KubeObject, taints: readonly NodeTaint[]): Promise<KubeObject> {
    const body = {
      metadata: { resourceVersion: node.metadata.resourceVersion },
      spec: { taints: taintsValue(taints) },
    };
    const target = { namespace: '', name: node.metadata.name as string };
    return this.#options.client.patch(coreResources.nodes, target, { type: 'strategic', body });
  }
}
