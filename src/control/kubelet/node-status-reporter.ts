// Registers the kubelet's Node and keeps its status current (upstream registerWithAPIServer
// and syncNodeStatus).
//
// Registration creates the Node (initialNode); when it already exists the kubelet adopts it,
// re-adding the standard labels if they drifted, then reports its status at once. Failures are
// retried after 100 ms doubling to 7 s. Every update period (+ up to 4 % jitter) it GETs the
// Node, computes the next status and PATCHes nodes/<name>/status (strategic merge) only if
// something besides heartbeat times changed or the report period has passed since the last
// report; up to 5 tries per period (nodeStatusUpdateRetry).

import { jsonEqual, objectAt } from '../api/schema/json.js';
import type { KubeClient } from '../client/client.js';
import { isAlreadyExists } from '../client/errors.js';
import { coreResources } from '../client/resource-client.js';
import type { KubeObject } from '../client/types.js';
import type { Clock, TimerHandle } from '../ports/clock.js';
import type { ContainerRuntime, ImageInfo } from '../ports/container-runtime.js';
import type { Rng } from '../ports/rng.js';
import type { JsonObject } from '../store/types.js';
import type { KubeletEvents } from './kubelet-events.js';
import type { KubeletLifecycle } from './lifecycle.js';
import { errorText } from './lifecycle.js';
import type { NodeIdentity } from './node-status.js';
import { initialNode, nextNodeStatus, nodeLabels, nodeStatusChanged } from './node-status.js';

const updateTriesMax = 5;
const registerBackoffMaxMs = 7_000;
const jitterFactor = 0.04;

export interface NodeStatusReporterOptions {
  client: KubeClient;
  clock: Clock;
  rng: Rng;
  life: KubeletLifecycle;
  runtime: ContainerRuntime;
  identity: NodeIdentity;
  events: KubeletEvents;
  log: (message: string) => void;
  updateFrequencyMs: number;
  reportFrequencyMs: number;
}

export class NodeStatusReporter {
  private readonly options: NodeStatusReporterOptions;
  private nodeValue: JsonObject | undefined;
  private lastReportAtMs = Number.NEGATIVE_INFINITY;
  private timer: TimerHandle | undefined;
  private reportCountValue = 0;
  private paused = false;

  constructor(options: NodeStatusReporterOptions) {
    this.options = options;
  }

  /** The Node as last read or written, undefined before registration. */
  get node(): JsonObject | undefined {
    return this.nodeValue;
  }

  /** Status reports written (PATCHes that succeeded). */
  get reportCount(): number {
    return this.reportCountValue;
  }

  /** Registers (retrying until it works or the kubelet stops), then reports periodically. */
  async registerAndRun(): Promise<void> {
    const { clock, life } = this.options;
    let delayMs = 100;
    for (let attempt = 1; ; attempt++) {
      try {
        await this.register();
        break;
      } catch (error) {
        life.check();
        this.options.log(`unable to register node (attempt ${attempt}): ${errorText(error)}`);
      }
      await life.guard(clock.sleep(delayMs));
      delayMs = Math.min(delayMs * 2, registerBackoffMaxMs);
    }
    if (!this.paused) await this.update();
    this.schedule();
  }

  stop(): void {
    this.timer?.cancel();
  }

  /** While paused, periodic status updates fall due but are lost (registration still runs). */
  setPaused(paused: boolean): void {
    this.paused = paused;
  }

  private async images(): Promise<ImageInfo[]> {
    return this.options.life.guard(this.options.runtime.listImages());
  }

  private async register(): Promise<void> {
    const { client, clock, life, identity } = this.options;
    const { node, events } = initialNode(identity, await this.images(), clock.nowMs());
    try {
      const created = await life.guard(client.create(coreResources.nodes, '', node as KubeObject));
      this.nodeValue = created as unknown as JsonObject;
      for (const event of events) this.options.events.nodeStatus(event);
      this.lastReportAtMs = clock.nowMs();
      this.reportCountValue++;
      return;
    } catch (error) {
      life.check();
      if (!isAlreadyExists(error)) throw error;
    }
    const existing = await life.guard(client.get(coreResources.nodes, '', identity.nodeName));
    this.nodeValue = await this.reconcileLabels(existing);
  }

  /** Upstream updateDefaultLabels: the standard labels are re-added or corrected. */
  private async reconcileLabels(existing: KubeObject): Promise<JsonObject> {
    const { client, life, identity } = this.options;
    const wanted = nodeLabels(identity);
    const labels = existing.metadata.labels ?? {};
    const drift: Record<string, string> = {};
    for (const [key, value] of Object.entries(wanted))
      if (labels[key] !== value) drift[key] = value;
    if (jsonEqual(drift, {})) return existing as unknown as JsonObject;
    const target = { namespace: '', name: identity.nodeName };
    const patch = { type: 'strategic' as const, body: { metadata: { labels: drift } } };
    return (await life.guard(
      client.patch(coreResources.nodes, target, patch),
    )) as unknown as JsonObject;
  }

  private schedule(): void {
    const { clock, life, rng } = this.options;
    if (life.stopped) return;
    const period = this.options.updateFrequencyMs;
    const delayMs = period + Math.trunc(rng.float() * jitterFactor * period);
    this.timer = clock.setTimer(delayMs, () =>
      life.spawn(
        async () => {
          if (!this.paused) await this.update();
          this.schedule();
        },
        (error) => {
          this.options.log(`error updating node status: ${errorText(error)}`);
          this.schedule();
        },
      ),
    );
  }

  /** One syncNodeStatus: up to 5 tries. */
  async update(): Promise<void> {
    for (let attempt = 1; attempt <= updateTriesMax; attempt++) {
      try {
        await this.tryUpdate();
        return;
      } catch (error) {
        this.options.life.check();
        this.options.log(`error updating node status, will retry: ${errorText(error)}`);
      }
    }
    this.options.log('update node status exceeds retry count');
  }

  private async tryUpdate(): Promise<void> {
    const { client, clock, life, identity } = this.options;
    const current = (await life.guard(
      client.get(coreResources.nodes, '', identity.nodeName),
    )) as unknown as JsonObject;
    this.nodeValue = current;
    const nowMs = clock.nowMs();
    const before = objectAt(current, 'status');
    const { status, events } = nextNodeStatus(before, identity, await this.images(), nowMs);
    const due = nowMs - this.lastReportAtMs >= this.options.reportFrequencyMs;
    if (!due && !nodeStatusChanged(before, status)) return;
    const target = { namespace: '', name: identity.nodeName };
    const patch = { type: 'strategic' as const, body: { status } };
    const options = { subresource: 'status' };
    const written = await life.guard(client.patch(coreResources.nodes, target, patch, options));
    this.nodeValue = written as unknown as JsonObject;
    this.lastReportAtMs = nowMs;
    this.reportCountValue++;
    for (const event of events) this.options.events.nodeStatus(event);
  }
}
