// One sync of one pod (upstream SyncPod / SyncTerminatingPod / SyncTerminatedPod, run by the pod
// workers): read the pod's runtime objects, act, read them again, report the status.
//
// - refused by admission: write the Failed status once;
// - gone from the API: kill what runs, remove every container and sandbox, forget the pod;
// - being deleted: kill everything with the pod's grace period, report the terminal status,
//   then confirm the deletion (DELETE, grace 0, UID precondition);
// - terminal phase: make sure nothing runs, keep reporting;
// - otherwise computePodActions and carry them out (kills, sandbox, next init container, app
//   containers), register running containers with the prober, report the status.
// Returns when to sync again regardless of events (back-off ends, error retries), 0 for never.

import type { Clock } from '../ports/clock.js';
import type { ContainerRuntime } from '../ports/container-runtime.js';
import { RuntimeError, runtimeLabels } from '../ports/container-runtime.js';
import type { JsonObject } from '../store/types.js';
import type { ContainerProber } from './container-prober.js';
import type { ContainerStarter, StartResult } from './container-starter.js';
import type { ImagePuller } from './image-puller.js';
import type { KubeletEvents } from './kubelet-events.js';
import type { KubeletLifecycle } from './lifecycle.js';
import { errorText } from './lifecycle.js';
import type { PodActions } from './pod-actions.js';
import { computePodActions } from './pod-actions.js';
import type { PodKiller } from './pod-killer.js';
import type { PodRecord } from './pod-record.js';
import { generatePodStatus, rejectedPodStatus } from './pod-status.js';
import type { PodStatusWriter } from './pod-status-writer.js';
import { statusNeedsWrite } from './pod-status-writer.js';
import type { ContainerView } from './pod-view.js';
import {
  apiPhase,
  isDeleting,
  isHostNetwork,
  isTerminalPhase,
  podContainers,
  podInitContainers,
} from './pod-view.js';
import { sandboxConfig } from './runtime-configs.js';
import type { PodRuntimeState } from './runtime-view.js';
import { latestContainer, podIpOf, podRuntimeState, runningContainers } from './runtime-view.js';

export interface PodSyncerOptions {
  clock: Clock;
  runtime: ContainerRuntime;
  life: KubeletLifecycle;
  events: KubeletEvents;
  prober: ContainerProber;
  starter: ContainerStarter;
  images: ImagePuller;
  killer: PodKiller;
  writer: PodStatusWriter;
  hostIp: string;
  runtimeName: string;
  /** Retry delay after a failure without its own back-off, ms (upstream backOffPeriod 10 s). */
  syncErrorRetryMs: number;
  /** Called once a removed pod's runtime objects are gone. */
  onForget: (record: PodRecord) => void;
}

export class PodSyncer {
  private readonly options: PodSyncerOptions;

  constructor(options: PodSyncerOptions) {
    this.options = options;
  }

  async sync(record: PodRecord): Promise<number> {
    if (record.removed) return this.syncRemoved(record);
    if (record.rejection !== undefined) return this.syncRejected(record);
    if (isDeleting(record.pod)) return this.syncTerminating(record);
    if (record.terminal || isTerminalPhase(apiPhase(record.pod))) return this.syncTerminal(record);
    return this.syncRunning(record);
  }

  async readState(uid: string): Promise<PodRuntimeState> {
    const { runtime, life } = this.options;
    const labels = { [runtimeLabels.podUid]: uid };
    const sandboxes = await life.guard(runtime.listPodSandboxes({ labels }));
    const containers = await life.guard(runtime.listContainers({ labels }));
    return podRuntimeState(uid, sandboxes, containers);
  }

  private async syncRunning(record: PodRecord): Promise<number> {
    let state = await this.readState(record.uid);
    this.updateProber(record, state);
    await this.report(record, this.generate(record, state, false));
    const actions = computePodActions(record.pod, state, record.probeFailures);
    const retryAfterMs = await this.execute(record, actions, state);
    state = await this.readState(record.uid);
    this.updateProber(record, state);
    const status = this.generate(record, state, false);
    await this.report(record, status);
    const finished = isTerminalPhase(String(status.phase)) && runningContainers(state).length === 0;
    if (finished) this.finish(record);
    return finished ? 0 : retryAfterMs;
  }

  private async syncTerminal(record: PodRecord): Promise<number> {
    let state = await this.readState(record.uid);
    this.finish(record);
    if (runningContainers(state).length > 0 || state.sandboxes.some((s) => s.state === 'ready')) {
      await this.options.killer.killPod(record, state);
      state = await this.readState(record.uid);
    }
    await this.report(record, this.generate(record, state, true));
    return 0;
  }

  private async syncTerminating(record: PodRecord): Promise<number> {
    let state = await this.readState(record.uid);
    this.finish(record);
    if (runningContainers(state).length > 0 || state.sandboxes.some((s) => s.state === 'ready')) {
      await this.options.killer.killPod(record, state);
      state = await this.readState(record.uid);
    }
    let status = this.generate(record, state, true);
    if (!isTerminalPhase(String(status.phase))) status = { ...status, phase: 'Failed' };
    const stored = await this.report(record, status);
    const latest = stored ?? record.pod;
    if (!record.deletionConfirmed && isTerminalPhase(apiPhase(latest))) {
      record.deletionConfirmed = await this.options.writer.confirmDeletion(latest);
    }
    return 0;
  }

  private async syncRemoved(record: PodRecord): Promise<number> {
    const state = await this.readState(record.uid);
    this.finish(record);
    await this.options.killer.killPod(record, state);
    await this.options.killer.removeAll(await this.readState(record.uid));
    this.options.starter.forgetPod(record.uid);
    this.options.images.forgetPod(record.uid);
    this.options.onForget(record);
    return 0;
  }

  private async syncRejected(record: PodRecord): Promise<number> {
    record.terminal = true;
    if (record.written !== undefined) return 0;
    const { reason, message } = record.rejection as { reason: string; message: string };
    const status = rejectedPodStatus(record.pod, reason, message, this.options.clock.nowMs());
    record.lastStatus = status;
    await this.report(record, status);
    return 0;
  }

  /** The pod will not run again: stop probing it. */
  private finish(record: PodRecord): void {
    record.terminal = true;
    this.options.prober.removePod(record.uid);
    record.probed.clear();
    record.probeFailures.clear();
  }

  /** SyncPod steps 2–6; resolves with the retry delay (0: none). */
  private async execute(record: PodRecord, actions: PodActions, before: PodRuntimeState) {
    const { killer, events } = this.options;
    const pod = record.pod;
    if (actions.createSandbox && actions.sandboxId !== '') {
      const message = 'Pod sandbox changed, it will be killed and re-created.';
      events.pod(pod, 'Normal', 'SandboxChanged', message);
    }
    let state = before;
    if (actions.killPod) {
      await killer.killPod(record, state);
      if (actions.createSandbox) await killer.pruneInitContainers(record, state, false);
    } else {
      for (const kill of actions.containersToKill) await killer.killContainer(record, kill);
    }
    if (actions.killPod || actions.containersToKill.length > 0) {
      state = await this.readState(record.uid);
    }
    if (!actions.createSandbox && actions.killPod) return 0;
    await killer.pruneInitContainers(record, state, true);
    let sandboxId = actions.sandboxId;
    if (actions.createSandbox) {
      const created = await this.createSandbox(record, actions.sandboxAttempt);
      if (created === undefined) return this.options.syncErrorRetryMs;
      sandboxId = created;
      state = await this.readState(record.uid);
    }
    return this.startContainers(record, actions, state, sandboxId);
  }

  private async createSandbox(record: PodRecord, attempt: number): Promise<string | undefined> {
    const { runtime, life, events } = this.options;
    try {
      return await life.guard(runtime.runPodSandbox(sandboxConfig(record.pod, attempt)));
    } catch (error) {
      life.check();
      if (!(error instanceof RuntimeError)) throw error;
      const message = `Failed to create pod sandbox: ${errorText(error)}`;
      events.pod(record.pod, 'Warning', 'FailedCreatePodSandBox', message);
      return undefined;
    }
  }

  private async startContainers(
    record: PodRecord,
    actions: PodActions,
    state: PodRuntimeState,
    sandboxId: string,
  ): Promise<number> {
    const hostIp = this.options.hostIp;
    const env = { podIp: isHostNetwork(record.pod) ? hostIp : podIpOf(state), hostIp };
    const find = (list: ContainerView[], name: string) => list.find((c) => c.name === name);
    let retryAfterMs = 0;
    const start = async (container: ContainerView | undefined): Promise<boolean> => {
      if (container === undefined) return true;
      const target = { pod: record.pod, container, state, sandboxId, env };
      const result = await this.options.starter.start(target);
      retryAfterMs = this.earliest(retryAfterMs, result);
      if (result.failure === undefined) record.failures.delete(container.name);
      else record.failures.set(container.name, result.failure);
      return result.failure === undefined;
    };
    if (actions.nextInitContainer !== undefined) {
      await start(find(podInitContainers(record.pod), actions.nextInitContainer));
      return retryAfterMs;
    }
    const apps = podContainers(record.pod);
    for (const name of actions.containersToStart) await start(find(apps, name));
    return retryAfterMs;
  }

  private earliest(current: number, result: StartResult): number {
    if (result.failure === undefined) return current;
    const delay = result.retryAfterMs > 0 ? result.retryAfterMs : this.options.syncErrorRetryMs;
    return current === 0 ? delay : Math.min(current, delay);
  }

  /** Registers newly running containers with the prober and drops the ones that stopped. */
  private updateProber(record: PodRecord, state: PodRuntimeState): void {
    const { prober } = this.options;
    const podIp = podIpOf(state);
    for (const container of podContainers(record.pod)) {
      const latest = latestContainer(state, container.name);
      const registered = record.probed.get(container.name);
      if (latest !== undefined && latest.state === 'running') {
        if (registered === latest.id) continue;
        if (registered !== undefined) prober.removeContainer(record.uid, container.name);
        prober.addContainer(record.pod, {
          name: container.name,
          containerId: latest.id,
          sandboxId: latest.sandboxId,
          podIp,
          startedAtMs: latest.startedAtMs,
        });
        record.probed.set(container.name, latest.id);
      } else if (registered !== undefined) {
        prober.removeContainer(record.uid, container.name);
        record.probed.delete(container.name);
        record.probeFailures.delete(registered);
      }
    }
  }

  private generate(record: PodRecord, state: PodRuntimeState, podIsTerminal: boolean): JsonObject {
    const { prober, clock } = this.options;
    const previous = record.lastStatus ?? ((record.pod.status ?? {}) as JsonObject);
    const status = generatePodStatus({
      pod: record.pod,
      previous,
      state,
      failures: record.failures,
      probes: {
        isReady: (name) => prober.isReady(record.uid, name),
        isStarted: (name) => prober.isStarted(record.uid, name),
      },
      podIsTerminal,
      hostIp: this.options.hostIp,
      runtimeName: this.options.runtimeName,
      nowMs: clock.nowMs(),
    });
    return status;
  }

  /** Writes the status when needed; resolves with the stored pod when written. */
  private async report(record: PodRecord, status: JsonObject): Promise<JsonObject | undefined> {
    record.lastStatus = status;
    if (!statusNeedsWrite(record.pod, status, record.written)) return undefined;
    const result = await this.options.writer.write(record.pod, status);
    if (result === undefined) return undefined;
    record.written = result.written;
    if (result.written.resourceVersion > versionOf(record.pod)) record.pod = result.pod;
    return result.pod;
  }
}

function versionOf(pod: JsonObject): number {
  const meta = pod.metadata as { resourceVersion?: unknown } | undefined;
  const value = Number(meta?.resourceVersion);
  return Number.isSafeInteger(value) ? value : 0;
}
