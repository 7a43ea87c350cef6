// Renews the node's Lease in kube-node-lease (component-helpers lease controller as the kubelet
// runs it): every renew interval (+ up to 4 % jitter, measured after the previous sync) it
// updates renewTime (MicroTime, from the kubelet's clock). A missing lease is created with
// holderIdentity = node name, leaseDurationSeconds and an ownerReference to the Node. An update
// is tried up to 5 times (a 409 re-reads the lease first); ensuring the lease retries after
// 200 ms doubling to 7 s, at most `ensureAttemptsMax` times per sync.

import { formatMicroTime } from '../api/values/time.js';
import type { KubeClient } from '../client/client.js';
import { isConflict, isNotFound } from '../client/errors.js';
import { coreResources } from '../client/resource-client.js';
import type { KubeObject } from '../client/types.js';
import type { Clock, TimerHandle } from '../ports/clock.js';
import type { Rng } from '../ports/rng.js';
import type { KubeletLifecycle } from './lifecycle.js';
import { errorText } from './lifecycle.js';

export const nodeLeaseNamespace = 'kube-node-lease';
const updateTriesMax = 5;
const ensureBackoffMaxMs = 7_000;
const jitterFactor = 0.04;

export interface NodeLeaseOptions {
  client: KubeClient;
  clock: Clock;
  rng: Rng;
  life: KubeletLifecycle;
  nodeName: string;
  leaseDurationSeconds: number;
  renewIntervalMs: number;
  /** The Node's uid for the ownerReference (known after registration). */
  nodeUid: () => string | undefined;
  log: (message: string) => void;
  /** Ensure tries per sync. Default 20. */
  ensureAttemptsMax?: number;
}

export class NodeLeaseRenewer {
  private readonly options: NodeLeaseOptions;
  private latest: KubeObject | undefined;
  private timer: TimerHandle | undefined;
  private renewCountValue = 0;
  private paused = false;

  constructor(options: NodeLeaseOptions) {
    this.options = options;
  }

  /** Successful renewals (creations included). */
  get renewCount(): number {
    return this.renewCountValue;
  }

  start(): void {
    this.schedule(0);
  }

  stop(): void {
    this.timer?.cancel();
  }

  /**
   * While paused, each renewal falls due as usual but is lost (never sent), as when the
   * simulator's `stopHeartbeats` fault cuts them; unpaused, the next one goes through.
   */
  setPaused(paused: boolean): void {
    this.paused = paused;
  }

  private schedule(delayMs: number): void {
    const { life, clock } = this.options;
    if (life.stopped) return;
    this.timer = clock.setTimer(delayMs, () => {
      life.spawn(
        async () => {
          if (!this.paused) await this.sync();
          this.schedule(this.nextDelayMs());
        },
        (error) => {
          this.options.log(`failed to renew lease ${this.options.nodeName}: ${errorText(error)}`);
          this.schedule(this.nextDelayMs());
        },
      );
    });
  }

  private nextDelayMs(): number {
    const interval = this.options.renewIntervalMs;
    return interval + Math.trunc(this.options.rng.float() * jitterFactor * interval);
  }

  private async sync(): Promise<void> {
    if (this.latest !== undefined && (await this.retryUpdate(this.latest))) return;
    const ensured = await this.ensureWithBackoff();
    if (ensured === undefined) return;
    this.latest = ensured.lease;
    if (ensured.created) this.renewCountValue++;
    else await this.retryUpdate(ensured.lease);
  }

  private newLease(base: KubeObject | undefined): KubeObject {
    const { nodeName, leaseDurationSeconds } = this.options;
    const renewTime = formatMicroTime(this.options.clock.nowMs());
    if (base !== undefined) {
      return { ...base, spec: { ...(base.spec as object), renewTime } };
    }
    const metadata: KubeObject['metadata'] = { name: nodeName, namespace: nodeLeaseNamespace };
    const uid = this.options.nodeUid();
    if (uid !== undefined) {
      metadata.ownerReferences = [{ apiVersion: 'v1', kind: 'Node', name: nodeName, uid }];
    }
    const spec = { holderIdentity: nodeName, leaseDurationSeconds, renewTime };
    return { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata, spec };
  }

  /** Up to 5 updates; true once one succeeded. */
  private async retryUpdate(base: KubeObject): Promise<boolean> {
    const { client, life } = this.options;
    let current = base;
    for (let attempt = 0; attempt < updateTriesMax; attempt++) {
      try {
        const lease = this.newLease(current);
        this.latest = await life.guard(
          client.update(coreResources.leases, nodeLeaseNamespace, lease),
        );
        this.renewCountValue++;
        return true;
      } catch (error) {
        life.check();
        if (!isConflict(error)) {
          this.options.log(`failed to update lease: ${errorText(error)}`);
          continue;
        }
        const ensured = await this.ensureWithBackoff();
        if (ensured === undefined) return false;
        current = ensured.lease;
      }
    }
    this.latest = undefined;
    return false;
  }

  private async ensureWithBackoff(): Promise<{ lease: KubeObject; created: boolean } | undefined> {
    const { clock, life } = this.options;
    let sleepMs = 100;
    const attemptsMax = this.options.ensureAttemptsMax ?? 20;
    for (let attempt = 0; attempt < attemptsMax; attempt++) {
      try {
        return await this.ensure();
      } catch (error) {
        life.check();
        this.options.log(`failed to ensure lease exists: ${errorText(error)}`);
      }
      sleepMs = Math.min(2 * sleepMs, ensureBackoffMaxMs);
      await life.guard(clock.sleep(sleepMs));
    }
    return undefined;
  }

  private async ensure(): Promise<{ lease: KubeObject; created: boolean }> {
    const { client, life, nodeName } = this.options;
    try {
      const lease = await life.guard(
        client.get(coreResources.leases, nodeLeaseNamespace, nodeName),
      );
      return { lease, created: false };
    } catch (error) {
      life.check();
      if (!isNotFound(error)) throw error;
    }
    const lease = this.newLease(undefined);
    const created = await life.guard(
      client.create(coreResources.leases, nodeLeaseNamespace, lease),
    );
    return { lease: created, created: true };
  }
}
