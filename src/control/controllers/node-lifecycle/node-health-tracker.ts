// The node lifecycle controller's memory of node health: one NodeHealthRecord per node, updated
// once per monitor pass from the node and its Lease (tryUpdateNodeHealth with upstream's
// retries), writing the Unknown conditions of stale nodes through the API.
import { formatTime, parseTime } from '../../api/values/time.js';
import type { KubeClient } from '../../client/client.js';
import type { Informer } from '../../client/informer.js';
import { coreResources } from '../../client/resource-client.js';
import type { KubeObject } from '../../client/types.js';
import type { Clock } from '../../ports/clock.js';
import { nodeLeaseNamespace } from './informers.js';
import type { HealthVerdict, NodeHealthRecord, NodeObservation } from './node-health.js';
import { judgeNodeHealth, nodeConditionsOf, recordAfterStatusWrite } from './node-health.js';
import type { NodeWrites } from './node-writes.js';
import type { StopSignal } from './stop-signal.js';

export interface NodeHealthTrackerOptions {
  client: KubeClient;
  clock: Clock;
  leases: Informer;
  writes: NodeWrites;
  signal: StopSignal;
  monitorGracePeriodMs: number;
  startupGracePeriodMs: number;
  /** Tries per pass (NodeHealthUpdateRetry). */
  updateTryCountMax: number;
  /** Wait between tries. */
  retryMs: number;
  log?: (message: string) => void;
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export class NodeHealthTracker {
  readonly #options: NodeHealthTrackerOptions;
  readonly #records = new Map<string, NodeHealthRecord>();

  constructor(options: NodeHealthTrackerOptions) {
    this.#options = options;
  }

  get(name: string): NodeHealthRecord | undefined {
    return this.#records.get(name);
  }

  /** Forgets a node that left the cluster. */
  delete(name: string): void {
    this.#records.delete(name);
  }

  /** Leaving master disruption mode: every node gets a fresh grace period from now. */
  resetProbeTimestamps(nowMs: number): void {
    for (const [name, record] of this.#records) {
      this.#records.set(name, {
        ...record,
        probeTimestampMs: nowMs,
        readyTransitionTimestampMs: nowMs,
      });
    }
  }

  /**
   * One pass's health update of `cached`; after a failure the node is read afresh and tried
   * again, up to updateTryCountMax times. Undefined: skipped this pass (logged).
   */
  async update(
    cached: KubeObject,
  ): Promise<{ node: KubeObject; verdict: HealthVerdict } | undefined> {
    const { log, updateTryCountMax } = this.#options;
    const name = cached.metadata.name as string;
    let node = cached;
    for (let attempt = 1; ; attempt++) {
      try {
        return { node, verdict: await this.#tryUpdate(node) };
      } catch (error) {
        if (attempt >= updateTryCountMax) {
          log?.(`update health of node ${name} failed, skipping: ${errorText(error)}`);
          return undefined;
        }
      }
      try {
        node = await this.#options.client.get(coreResources.nodes, '', name);
      } catch (error) {
        log?.(`failed getting node ${name} to retry its health update: ${errorText(error)}`);
        return undefined;
      }
      if (!(await this.#options.signal.sleep(this.#options.retryMs))) return undefined;
    }
  }

  async #tryUpdate(node: KubeObject): Promise<HealthVerdict> {
    const name = node.metadata.name as string;
    const { clock, writes } = this.#options;
    const nowMs = clock.nowMs();
    const observation = this.#observe(node, nowMs);
    const verdict = judgeNodeHealth(this.#records.get(name), observation, {
      nowMs,
      nowText: formatTime(nowMs),
      monitorGracePeriodMs: this.#options.monitorGracePeriodMs,
      startupGracePeriodMs: this.#options.startupGracePeriodMs,
    });
    this.#records.set(name, verdict.record);
    const next = verdict.nextConditions;
    if (next === undefined) return verdict;
    const silentMs = nowMs - verdict.record.probeTimestampMs;
    this.#options.log?.(`node ${name} hasn't been updated for ${silentMs} ms: marking it Unknown`);
    await writes.updateConditions(node, next);
    const record = recordAfterStatusWrite(verdict, {
      written: next,
      lease: observation.lease,
      nowMs: clock.nowMs(),
    });
    this.#records.set(name, record);
    return verdict;
  }

  #observe(node: KubeObject, nowMs: number): NodeObservation {
    const name = node.metadata.name as string;
    const creationTimestamp = node.metadata.creationTimestamp ?? '';
    const lease = this.#options.leases.store.get(`${nodeLeaseNamespace}/${name}`);
    const spec = (lease?.spec ?? {}) as { renewTime?: unknown };
    const renewMs = typeof spec.renewTime === 'string' ? parseTime(spec.renewTime) : undefined;
    return {
      creationTimestamp,
      creationMs: parseTime(creationTimestamp) ?? nowMs,
      conditions: nodeConditionsOf(node),
      lease: lease === undefined ? undefined : { renewMs },
    };
  }
}
