// The kubelet (upstream pkg/kubelet, v1.32 behaviour): registers its Node, renews its Lease,
// reports node status, and runs the pods bound to its node through a ContainerRuntime.
//
// Shape: an Informer on pods with fieldSelector spec.nodeName=<node> feeds per-pod records keyed
// by UID. New pods are admitted in batches, oldest first (admission.ts); each record has one
// serial worker (PodSyncer) woken by pod updates, runtime changes (RuntimeRelister, every
// plegRelistPeriodMs), probe verdicts, back-off timers and a periodic resync. Housekeeping (every
// housekeepingPeriodMs, once the informer synced) removes runtime objects of pods it does not
// know: after a restart the new kubelet adopts what still runs for its pods (found by the
// runtime labels) and cleans up the rest. stop() behaves like a crash: containers keep running,
// every flow ends at its next await; whenStopped() resolves when they all have (a runtime call
// in flight, such as a graceful stop, is awaited first).

import { Informer } from '../client/informer.js';
import { coreResources } from '../client/resource-client.js';
import type { KubeObject } from '../client/types.js';
import { EventRecorder } from '../events/event-recorder.js';
import type { TimerHandle } from '../ports/clock.js';
import type { JsonObject } from '../store/types.js';
import { assert } from '../util/assert.js';
import type { AdmissionNode } from './admission.js';
import { admitPod, resourceAmounts } from './admission.js';
import { ContainerStarter } from './container-starter.js';
import type { ProbeChange } from './container-prober.js';
import { ImagePuller } from './image-puller.js';
import { KubeletEvents } from './kubelet-events.js';
import { KubeletLifecycle, errorText } from './lifecycle.js';
import { NodeLeaseRenewer } from './node-lease.js';
import type { NodeIdentity } from './node-status.js';
import { labelsOf, nodeLabels } from './node-status.js';
import { NodeStatusReporter } from './node-status-reporter.js';
import { PodKiller } from './pod-killer.js';
import type { PodRecord } from './pod-record.js';
import { newPodRecord } from './pod-record.js';
import { PodStatusWriter } from './pod-status-writer.js';
import { PodSyncer } from './pod-syncer.js';
import { PodWorkers } from './pod-workers.js';
import {
  apiPhase,
  creationAtMs,
  isDeleting,
  isTerminalPhase,
  podName,
  podNamespace,
  podUid,
} from './pod-view.js';
import { ProberManager } from './prober/prober-manager.js';
import type { RuntimeSnapshot } from './runtime-relister.js';
import { RuntimeRelister } from './runtime-relister.js';
import { podRuntimeState, podUidOfContainer, podUidOfSandbox } from './runtime-view.js';
import { kubeletDefaults, nodeIdentity, type KubeletOptions } from './kubelet-config.js';

export type { KubeletOptions } from './kubelet-config.js';

export class Kubelet {
  readonly nodeName: string;
  readonly #options: KubeletOptions;
  readonly #settings: ReturnType<typeof kubeletDefaults>;
  readonly #identity: NodeIdentity;
  readonly #life = new KubeletLifecycle();
  readonly #log: (message: string) => void;
  readonly #events: KubeletEvents;
  readonly #prober: ProberManager;
  readonly #workers: PodWorkers;
  readonly #killer: PodKiller;
  readonly #reporter: NodeStatusReporter;
  readonly #lease: NodeLeaseRenewer;
  readonly #relister: RuntimeRelister;
  readonly #informer: Informer;
  readonly #records = new Map<string, PodRecord>();
  readonly #pending = new Map<string, JsonObject>();
  readonly #orphansInCleanup = new Set<string>();
  #dispatchTimer: TimerHandle | undefined;
  #resyncTimer: TimerHandle | undefined;
  #nextHousekeepingAtMs = 0;
  #started = false;

  constructor(options: KubeletOptions) {
    assert(options.nodeName !== '', 'a kubelet needs a node name');
    this.nodeName = options.nodeName;
    this.#options = options;
    this.#settings = kubeletDefaults(options);
    const { client, clock, rng, runtime } = options;
    this.#log = options.log ?? (() => undefined);
    this.#identity = nodeIdentity(options, this.#settings, rng.fork('identity'));
    const recorder = new EventRecorder({
      client: options.eventClient ?? client,
      clock,
      rng: rng.fork('events'),
      component: 'kubelet',
      host: options.nodeName,
    });
    const life = this.#life;
    this.#events = new KubeletEvents({ recorder, nodeName: options.nodeName });
    this.#prober = new ProberManager({
      runtime,
      clock,
      rng: rng.fork('prober'),
      onChange: (change) => this.#onProbeChange(change),
      recordEvent: (pod, type, reason, message) => this.#events.pod(pod, type, reason, message),
    });
    const events = this.#events;
    const images = new ImagePuller({ clock, runtime, life, events });
    const starter = new ContainerStarter({ clock, runtime, life, events, images });
    this.#killer = new PodKiller({ runtime, life, events, prober: this.#prober });
    const syncer = new PodSyncer({
      clock,
      runtime,
      life,
      events,
      prober: this.#prober,
      starter,
      images,
      killer: this.#killer,
      writer: new PodStatusWriter({ client, life }),
      hostIp: this.#identity.nodeIp,
      runtimeName: this.#settings.runtimeName,
      syncErrorRetryMs: this.#settings.syncErrorRetryMs,
      onForget: (record) => this.#forget(record),
    });
    this.#workers = new PodWorkers({
      clock,
      life,
      sync: (record) => syncer.sync(record),
      syncErrorRetryMs: this.#settings.syncErrorRetryMs,
      log: this.#log,
    });
    this.#reporter = this.#newReporter();
    this.#lease = this.#newLease();
    this.#relister = new RuntimeRelister({
      clock,
      runtime,
      life,
      periodMs: this.#settings.plegRelistPeriodMs,
      onChanged: (uids) => this.#onRuntimeChanged(uids),
      onSnapshot: (snapshot) => this.#housekeeping(snapshot),
      log: this.#log,
    });
    this.#informer = new Informer({
      client,
      resource: coreResources.pods,
      clock,
      rng: rng.fork('pod-informer'),
      fieldSelector: `spec.nodeName=${options.nodeName}`,
    });
  }

  #newReporter(): NodeStatusReporter {
    const { client, clock, rng, runtime } = this.#options;
    return new NodeStatusReporter({
      client,
      clock,
      rng: rng.fork('node-status'),
      life: this.#life,
      runtime,
      identity: this.#identity,
      events: this.#events,
      log: this.#log,
      updateFrequencyMs: this.#settings.nodeStatusUpdateFrequencyMs,
      reportFrequencyMs: this.#settings.nodeStatusReportFrequencyMs,
    });
  }

  #newLease(): NodeLeaseRenewer {
    const { client, clock, rng, nodeName } = this.#options;
    return new NodeLeaseRenewer({
      client,
      clock,
      rng: rng.fork('lease'),
      life: this.#life,
      nodeName,
      leaseDurationSeconds: this.#settings.nodeLeaseDurationSeconds,
      renewIntervalMs: this.#settings.leaseRenewIntervalMs,
      nodeUid: () => this.#nodeUid(),
      log: this.#log,
    });
  }

  /** The Node as last read or written (undefined before registration). */
  get node(): JsonObject | undefined {
    return this.#reporter.node;
  }

  /** Successful node status reports and lease renewals (diagnostics and tests). */
  get heartbeats(): { statusReports: number; leaseRenewals: number } {
    return { statusReports: this.#reporter.reportCount, leaseRenewals: this.#lease.renewCount };
  }

  /**
   * Simulator only (the `stopHeartbeats` fault): Lease renewals and periodic node status
   * updates are lost until `resumeHeartbeats`; pods, probes and pod status writes go on.
   */
  pauseHeartbeats(): void {
    this.#reporter.setPaused(true);
    this.#lease.setPaused(true);
  }

  resumeHeartbeats(): void {
    this.#reporter.setPaused(false);
    this.#lease.setPaused(false);
  }

  /** UIDs of the pods the kubelet currently tracks, sorted. */
  get podUids(): string[] {
    return [...this.#records.keys()].sort();
  }

  start(): void {
    assert(!this.#started, `kubelet ${this.nodeName} started twice`);
    this.#started = true;
    this.#events.node('Normal', 'Starting', 'Starting kubelet.');
    this.#informer.addEventHandler({
      onAdd: (pod) => this.#observe(pod),
      onUpdate: (old, pod) => {
        if (old.metadata.uid !== pod.metadata.uid) this.#observeRemoved(old);
        this.#observe(pod);
      },
      onDelete: (pod) => this.#observeRemoved(pod),
    });
    this.#informer.start();
    this.#life.spawn(
      async () => {
        await this.#reporter.registerAndRun();
        this.#lease.start();
      },
      (error) => this.#log(`node registration stopped: ${errorText(error)}`),
    );
    this.#relister.start();
    this.#scheduleResync();
  }

  /** Stops like a crash: nothing is torn down; see the file comment. */
  stop(): void {
    this.#life.stop();
    this.#informer.stop();
    this.#reporter.stop();
    this.#lease.stop();
    this.#relister.stop();
    this.#dispatchTimer?.cancel();
    this.#resyncTimer?.cancel();
    for (const record of this.#records.values()) this.#workers.cancel(record);
    this.#prober.stop();
    this.#events.recorder.stop();
  }

  whenStopped(): Promise<void> {
    return this.#life.whenStopped();
  }

  #nodeUid(): string | undefined {
    const meta = this.#reporter.node?.metadata as { uid?: unknown } | undefined;
    return typeof meta?.uid === 'string' ? meta.uid : undefined;
  }

  // ---- pods from the API ----

  #observe(object: KubeObject): void {
    const pod = object as unknown as JsonObject;
    const record = this.#records.get(podUid(pod));
    if (record === undefined) {
      this.#pending.set(podUid(pod), pod);
      this.#scheduleDispatch();
      return;
    }
    if (versionOf(pod) >= versionOf(record.pod)) record.pod = pod;
    this.#kick(record);
  }

  #observeRemoved(object: KubeObject): void {
    const pod = object as unknown as JsonObject;
    const uid = podUid(pod);
    this.#pending.delete(uid);
    const record = this.#records.get(uid);
    if (record === undefined) return;
    record.removed = true;
    if (versionOf(pod) >= versionOf(record.pod)) record.pod = pod;
    this.#kick(record);
  }

  #scheduleDispatch(): void {
    if (this.#dispatchTimer !== undefined || this.#life.stopped) return;
    this.#dispatchTimer = this.#options.clock.setTimer(0, () => {
      this.#dispatchTimer = undefined;
      this.#dispatch();
    });
  }

  /** HandlePodAdditions: admits the new pods oldest first, then starts their workers. */
  #dispatch(): void {
    const pods = [...this.#pending.values()].sort(comparePodsByAge);
    this.#pending.clear();
    for (const pod of pods) {
      const record = newPodRecord(podUid(pod), pod);
      if (isTerminalPhase(apiPhase(pod))) record.terminal = true;
      else if (!isDeleting(pod)) this.#admit(record);
      this.#records.set(record.uid, record);
      this.#kick(record);
    }
  }

  #admit(record: PodRecord): void {
    const others = [...this.#records.values()]
      .filter((r) => !r.removed && r.rejection === undefined && !r.terminal)
      .filter((r) => !isTerminalPhase(apiPhase(r.pod)))
      .map((r) => r.pod);
    const result = admitPod(record.pod, this.#admissionNode(), others);
    if (result.admit) return;
    record.rejection = { reason: result.reason, message: result.message };
    this.#events.pod(record.pod, 'Warning', result.reason, result.message);
  }

  #admissionNode(): AdmissionNode {
    const node = this.#reporter.node;
    const spec = node?.spec as { taints?: unknown } | undefined;
    return {
      name: this.nodeName,
      labels: node === undefined ? nodeLabels(this.#identity) : labelsOf(node),
      allocatable: resourceAmounts(this.#identity.allocatable),
      taints: Array.isArray(spec?.taints) ? (spec.taints as JsonObject[]) : this.#identity.taints,
    };
  }

  // ---- workers ----

  #kick(record: PodRecord): void {
    this.#workers.kick(record);
  }

  #forget(record: PodRecord): void {
    this.#workers.cancel(record);
    this.#records.delete(record.uid);
    this.#prober.removePod(record.uid);
  }

  #scheduleResync(): void {
    const periodMs = this.#settings.podResyncPeriodMs;
    if (periodMs === 0 || this.#life.stopped) return;
    this.#resyncTimer = this.#options.clock.setTimer(periodMs, () => {
      for (const uid of this.podUids) {
        const record = this.#records.get(uid);
        if (record !== undefined) this.#kick(record);
      }
      this.#scheduleResync();
    });
  }

  #onProbeChange(change: ProbeChange): void {
    const record = this.#records.get(change.podUid);
    if (record === undefined) return;
    const id = record.probed.get(change.containerName);
    if (id !== undefined && change.kind !== 'readiness') {
      if (change.result === 'failure') record.probeFailures.set(id, change.kind);
      else record.probeFailures.delete(id);
    }
    this.#kick(record);
  }

  // ---- runtime ----

  #onRuntimeChanged(uids: readonly string[]): void {
    for (const uid of uids) {
      const record = this.#records.get(uid);
      if (record !== undefined) this.#kick(record);
    }
  }

  /** Removes the runtime objects of pods nobody asked for (see the file comment). */
  #housekeeping(snapshot: RuntimeSnapshot): void {
    const nowMs = this.#options.clock.nowMs();
    if (!this.#informer.hasSynced() || nowMs < this.#nextHousekeepingAtMs) return;
    this.#nextHousekeepingAtMs = nowMs + this.#settings.housekeepingPeriodMs;
    const uids = new Set<string>();
    for (const sandbox of snapshot.sandboxes) uids.add(podUidOfSandbox(sandbox));
    for (const container of snapshot.containers) uids.add(podUidOfContainer(container));
    for (const uid of [...uids].sort()) {
      if (this.#records.has(uid) || this.#pending.has(uid) || this.#orphansInCleanup.has(uid)) {
        continue;
      }
      this.#orphansInCleanup.add(uid);
      const state = podRuntimeState(uid, snapshot.sandboxes, snapshot.containers);
      this.#log(`removing the runtime objects of unknown pod ${uid}`);
      this.#life.spawn(
        async () => {
          try {
            await this.#killer.removeOrphan(state);
          } finally {
            this.#orphansInCleanup.delete(uid);
          }
        },
        (error) => this.#log(`cleaning up pod ${uid} failed: ${errorText(error)}`),
      );
    }
  }
}

function versionOf(pod: JsonObject): number {
  const meta = pod.metadata as { resourceVersion?: unknown } | undefined;
  const value = Number(meta?.resourceVersion);
  return Number.isSafeInteger(value) ? value : 0;
}

/** Oldest first (upstream sorts additions by creation time), then namespace/name, then UID. */
function comparePodsByAge(a: JsonObject, b: JsonObject): number {
  const age = creationAtMs(a) - creationAtMs(b);
  if (age !== 0) return age;
  const keyA = `${podNamespace(a)}/${podName(a)}/${podUid(a)}`;
  const keyB = `${podNamespace(b)}/${podName(b)}/${podUid(b)}`;
  return keyA < keyB ? -1 : keyA > keyB ? 1 : 0;
}
