// Stops and removes a pod's containers and sandboxes (upstream killContainer / KillPod and the
// removal the garbage collector does). Each kill records Normal Killing (`Stopping container
// <c>` unless a reason message is given) and stops the container with its grace period: the
// pod's deletionGracePeriodSeconds when deleting, else the probe's terminationGracePeriodSeconds
// for a liveness/startup kill, else spec.terminationGracePeriodSeconds; never below 2 s.

import { numberAt, objectAt } from '../api/schema/json.js';
import type { ContainerRuntime } from '../ports/container-runtime.js';
import { RuntimeError } from '../ports/container-runtime.js';
import type { JsonObject } from '../store/types.js';
import type { ContainerProber } from './container-prober.js';
import type { KubeletEvents } from './kubelet-events.js';
import type { KubeletLifecycle } from './lifecycle.js';
import type { ContainerToKill, KillReason } from './pod-actions.js';
import type { PodRecord } from './pod-record.js';
import { podContainers, podInitContainers } from './pod-view.js';
import type { PodRuntimeState } from './runtime-view.js';
import { containerNameOf, runningContainers } from './runtime-view.js';

/** Upstream minimumGracePeriodInSeconds. */
export const minimumGraceSeconds = 2;

/** Upstream setTerminationGracePeriod (before the 2 s minimum). */
export function killGraceSeconds(pod: JsonObject, containerName: string, reason: KillReason) {
  const deletion = numberAt(objectAt(pod, 'metadata'), 'deletionGracePeriodSeconds');
  if (deletion !== undefined) return deletion;
  const podGrace = numberAt(objectAt(pod, 'spec'), 'terminationGracePeriodSeconds');
  if (podGrace === undefined) return minimumGraceSeconds;
  const spec = [...podContainers(pod), ...podInitContainers(pod)].find(
    (c) => c.name === containerName,
  )?.spec;
  const probeField =
    reason === 'liveness' ? 'livenessProbe' : reason === 'startup' ? 'startupProbe' : '';
  const probeGrace =
    probeField === ''
      ? undefined
      : numberAt(objectAt(spec, probeField), 'terminationGracePeriodSeconds');
  return probeGrace ?? podGrace;
}

export interface PodKillerOptions {
  runtime: ContainerRuntime;
  life: KubeletLifecycle;
  events: KubeletEvents;
  prober: ContainerProber;
}

export class PodKiller {
  private readonly options: PodKillerOptions;

  constructor(options: PodKillerOptions) {
    this.options = options;
  }

  async killContainer(record: PodRecord, kill: ContainerToKill, graceOverrideSeconds?: number) {
    const { runtime, life, events, prober } = this.options;
    const pod = record.pod;
    const grace = graceOverrideSeconds ?? killGraceSeconds(pod, kill.name, kill.reason);
    const message = kill.message === '' ? `Stopping container ${kill.name}` : kill.message;
    events.container(pod, kill.name, 'Normal', 'Killing', message);
    const timeoutMs = Math.max(grace, minimumGraceSeconds) * 1000;
    try {
      await life.guard(runtime.stopContainer(kill.containerId, timeoutMs));
    } catch (error) {
      life.check();
      if (!(error instanceof RuntimeError && error.reason === 'NotFound')) throw error;
    }
    record.probeFailures.delete(kill.containerId);
    if (record.probed.get(kill.name) === kill.containerId) {
      prober.removeContainer(record.uid, kill.name);
      record.probed.delete(kill.name);
    }
  }

  /** Kills every running container at once, then stops every ready sandbox. */
  async killPod(record: PodRecord, state: PodRuntimeState, graceOverrideSeconds?: number) {
    const { runtime, life } = this.options;
    const kills = runningContainers(state).map((container) => {
      const kill = {
        containerId: container.id,
        name: containerNameOf(container),
        message: '',
        reason: 'unknown' as const,
      };
      return this.killContainer(record, kill, graceOverrideSeconds);
    });
    await Promise.all(kills);
    for (const sandbox of state.sandboxes) {
      if (sandbox.state === 'ready') await life.guard(runtime.stopPodSandbox(sandbox.id));
    }
  }

  /** Removes every container and sandbox of the pod (they must be stopped already). */
  async removeAll(state: PodRuntimeState): Promise<void> {
    const { runtime, life } = this.options;
    for (const container of state.containers)
      await life.guard(runtime.removeContainer(container.id));
    for (const sandbox of state.sandboxes) await life.guard(runtime.removePodSandbox(sandbox.id));
  }

  /** Removes init containers: all of them, or all but the newest per name. */
  async pruneInitContainers(record: PodRecord, state: PodRuntimeState, keepNewest: boolean) {
    const { runtime, life } = this.options;
    for (const init of podInitContainers(record.pod)) {
      const stopped = state.containers.filter(
        (c) => containerNameOf(c) === init.name && c.state !== 'running',
      );
      for (const container of keepNewest ? stopped.slice(1) : stopped) {
        await life.guard(runtime.removeContainer(container.id));
      }
    }
  }

  /**
   * Tears down the objects of a pod the kubelet no longer knows (upstream HandlePodCleanups):
   * running containers get a 1 s grace period (so the 2 s minimum), then everything is removed.
   */
  async removeOrphan(state: PodRuntimeState): Promise<void> {
    const { runtime, life } = this.options;
    const stops = runningContainers(state).map((container) =>
      life.guard(runtime.stopContainer(container.id, minimumGraceSeconds * 1000)),
    );
    await Promise.all(stops);
    for (const sandbox of state.sandboxes) {
      if (sandbox.state === 'ready') await life.guard(runtime.stopPodSandbox(sandbox.id));
    }
    await this.removeAll(state);
  }
}
