// The runtime's objects of one pod, as the kubelet reads them after every action: sandboxes and
// containers found by the pod-UID label (runtimeLabels), newest first. Pure helpers over that
// snapshot answer what upstream's kubecontainer.PodStatus answers (latest container by name,
// whether the sandbox must be re-created).

import type { ContainerStatus, PodSandbox } from '../ports/container-runtime.js';
import { runtimeLabels } from '../ports/container-runtime.js';

export interface PodRuntimeState {
  uid: string;
  /** Sandboxes of the pod, newest first. */
  sandboxes: readonly PodSandbox[];
  /** Containers of the pod, newest first. */
  containers: readonly ContainerStatus[];
}

export function containerNameOf(container: ContainerStatus): string {
  return container.config.labels[runtimeLabels.containerName] ?? container.config.name;
}

/** The restart count a container was created with (the attempt label, else config.attempt). */
export function attemptOf(container: ContainerStatus): number {
  const label = container.config.labels[runtimeLabels.attempt];
  const parsed = label === undefined ? Number.NaN : Number(label);
  return Number.isSafeInteger(parsed) && parsed >= 0 ? parsed : container.config.attempt;
}

export function podUidOfContainer(container: ContainerStatus): string {
  return container.config.labels[runtimeLabels.podUid] ?? '';
}

export function podUidOfSandbox(sandbox: PodSandbox): string {
  return sandbox.config.labels[runtimeLabels.podUid] ?? sandbox.config.uid;
}

/** Newest first: creation time, then attempt, then id (a total order). */
export function compareContainersNewestFirst(a: ContainerStatus, b: ContainerStatus): number {
  if (a.createdAtMs !== b.createdAtMs) return b.createdAtMs - a.createdAtMs;
  const attempts = attemptOf(b) - attemptOf(a);
  if (attempts !== 0) return attempts;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

export function compareSandboxesNewestFirst(a: PodSandbox, b: PodSandbox): number {
  if (a.createdAtMs !== b.createdAtMs) return b.createdAtMs - a.createdAtMs;
  if (a.config.attempt !== b.config.attempt) return b.config.attempt - a.config.attempt;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/** The snapshot of pod `uid` out of everything the runtime listed. */
export function podRuntimeState(
  uid: string,
  sandboxes: readonly PodSandbox[],
  containers: readonly ContainerStatus[],
): PodRuntimeState {
  return {
    uid,
    sandboxes: sandboxes
      .filter((s) => podUidOfSandbox(s) === uid)
      .sort(compareSandboxesNewestFirst),
    containers: containers
      .filter((c) => podUidOfContainer(c) === uid)
      .sort(compareContainersNewestFirst),
  };
}

/** The newest container named `name` (upstream FindContainerStatusByName). */
export function latestContainer(state: PodRuntimeState, name: string): ContainerStatus | undefined {
  return state.containers.find((c) => containerNameOf(c) === name);
}

export function runningContainers(state: PodRuntimeState): ContainerStatus[] {
  return state.containers.filter((c) => c.state === 'running');
}

/** The newest ready sandbox's IP, '' when there is none. */
export function podIpOf(state: PodRuntimeState): string {
  const latest = state.sandboxes[0];
  return latest !== undefined && latest.state === 'ready' ? latest.ip : '';
}

export interface SandboxChange {
  /** The pod needs a new sandbox (and so every container is killed first). */
  create: boolean;
  /** Attempt number of the sandbox to create, or of the current one. */
  attempt: number;
  /** The newest sandbox, '' when there is none. */
  sandboxId: string;
}

/** Upstream PodSandboxChanged: none, several ready, newest not ready, or no IP → re-create. */
export function sandboxChange(state: PodRuntimeState, hostNetwork: boolean): SandboxChange {
  const latest = state.sandboxes[0];
  if (latest === undefined) return { create: true, attempt: 0, sandboxId: '' };
  const readyCount = state.sandboxes.filter((s) => s.state === 'ready').length;
  const next = { create: true, attempt: latest.config.attempt + 1, sandboxId: latest.id };
  if (readyCount > 1) return next;
  if (latest.state !== 'ready') return next;
  if (!hostNetwork && latest.ip === '') return next;
  return { create: false, attempt: latest.config.attempt, sandboxId: latest.id };
}
