// What one pod sync must do, decided from the pod spec and the runtime snapshot alone
// (upstream kuberuntime computePodActions, for pods without restartable init containers).
//
// - The sandbox is re-created when missing, not ready, doubled or without IP; then every
//   container is killed first and start begins again at the first init container. A pod whose
//   restartPolicy forbids restarts and that already ran, or whose containers all completed
//   under OnFailure, gets no new sandbox: it is finished.
// - Init containers run one at a time in spec order; a failed one is restarted unless the policy
//   is Never, in which case the pod is killed (it failed).
// - App containers that are not running are started when shouldContainerBeRestarted allows;
//   running ones are killed (and restarted unless Never) when their image changed or their
//   liveness/startup probe failed. When nothing runs and nothing will start, the pod is killed.

import type { ContainerStatus } from '../ports/container-runtime.js';
import type { JsonObject } from '../store/types.js';
import type { ContainerView } from './pod-view.js';
import {
  isDeleting,
  isHostNetwork,
  podContainers,
  podInitContainers,
  restartPolicyOf,
} from './pod-view.js';
import type { PodRuntimeState } from './runtime-view.js';
import { latestContainer, sandboxChange } from './runtime-view.js';

export type KillReason = 'liveness' | 'startup' | 'changed' | 'unknown';

export interface ContainerToKill {
  containerId: string;
  name: string;
  /** Event message of the Killing event; '' means `Stopping container <name>`. */
  message: string;
  reason: KillReason;
}

export interface PodActions {
  /** Stop every container and the sandbox. */
  killPod: boolean;
  createSandbox: boolean;
  /** The newest sandbox ('' when none); the one to start containers in unless re-created. */
  sandboxId: string;
  /** Attempt of the sandbox to create (or of the current one). */
  sandboxAttempt: number;
  /** Name of the init container to start next. */
  nextInitContainer: string | undefined;
  /** App containers to start, in spec order. */
  containersToStart: string[];
  containersToKill: ContainerToKill[];
}

/** A probe verdict that asks for a restart, keyed by container id. */
export type ProbeFailures = ReadonlyMap<string, 'liveness' | 'startup'>;

/** Upstream ShouldContainerBeRestarted. */
export function shouldContainerBeRestarted(
  name: string,
  pod: JsonObject,
  state: PodRuntimeState,
): boolean {
  if (isDeleting(pod)) return false;
  const status = latestContainer(state, name);
  if (status === undefined) return true;
  if (status.state === 'running') return false;
  if (status.state === 'unknown' || status.state === 'created') return true;
  const policy = restartPolicyOf(pod);
  if (policy === 'Never') return false;
  if (policy === 'OnFailure' && status.exitCode === 0) return false;
  return true;
}

export function containerSucceeded(name: string, state: PodRuntimeState): boolean {
  const status = latestContainer(state, name);
  return status !== undefined && status.state === 'exited' && status.exitCode === 0;
}

export function isInitContainerFailed(status: ContainerStatus): boolean {
  if (status.state === 'exited' && status.exitCode !== 0) return true;
  return status.state === 'unknown';
}

export interface InitProgress {
  /** The newest status of the failed init container, when one failed. */
  failed: ContainerStatus | undefined;
  next: ContainerView | undefined;
  done: boolean;
}

/** Upstream findNextInitContainerToRun. */
export function findNextInitContainerToRun(pod: JsonObject, state: PodRuntimeState): InitProgress {
  const inits = podInitContainers(pod);
  if (inits.length === 0) return { failed: undefined, next: undefined, done: true };
  for (const container of podContainers(pod)) {
    if (latestContainer(state, container.name)?.state === 'running') {
      return { failed: undefined, next: undefined, done: true };
    }
  }
  for (let i = inits.length - 1; i >= 0; i--) {
    const init = inits[i] as ContainerView;
    const status = latestContainer(state, init.name);
    if (status !== undefined && isInitContainerFailed(status)) {
      return { failed: status, next: init, done: false };
    }
  }
  for (let i = inits.length - 1; i >= 0; i--) {
    const status = latestContainer(state, (inits[i] as ContainerView).name);
    if (status === undefined) continue;
    if (status.state === 'running') return { failed: undefined, next: undefined, done: false };
    if (status.state === 'exited') {
      if (i === inits.length - 1) return { failed: undefined, next: undefined, done: true };
      return { failed: undefined, next: inits[i + 1], done: false };
    }
  }
  return { failed: undefined, next: inits[0], done: false };
}

function noActions(change: ReturnType<typeof sandboxChange>): PodActions {
  return {
    killPod: change.create,
    createSandbox: change.create,
    sandboxId: change.sandboxId,
    sandboxAttempt: change.attempt,
    nextInitContainer: undefined,
    containersToStart: [],
    containersToKill: [],
  };
}

/** The actions when the sandbox must be (re-)created. */
function sandboxActions(pod: JsonObject, state: PodRuntimeState, actions: PodActions): PodActions {
  const policy = restartPolicyOf(pod);
  if (policy === 'Never' && actions.sandboxAttempt !== 0 && state.containers.length > 0) {
    return { ...actions, createSandbox: false };
  }
  const toStart = podContainers(pod)
    .filter((c) => !(policy === 'OnFailure' && containerSucceeded(c.name, state)))
    .map((c) => c.name);
  if (toStart.length === 0 && findNextInitContainerToRun(pod, state).done) {
    return { ...actions, createSandbox: false };
  }
  const inits = podInitContainers(pod);
  if (inits.length > 0) return { ...actions, nextInitContainer: inits[0]?.name };
  return { ...actions, containersToStart: toStart };
}

/** Why a running container must go, or undefined to keep it. */
function killVerdict(
  container: ContainerView,
  status: ContainerStatus,
  probeFailures: ProbeFailures,
): { reason: KillReason; message: string } | undefined {
  if (status.config.image !== container.image) {
    return { reason: 'changed', message: `Container ${container.name} definition changed` };
  }
  const probe = probeFailures.get(status.id);
  if (probe === 'liveness') {
    return { reason: 'liveness', message: `Container ${container.name} failed liveness probe` };
  }
  if (probe === 'startup') {
    return { reason: 'startup', message: `Container ${container.name} failed startup probe` };
  }
  return undefined;
}

function initActions(pod: JsonObject, state: PodRuntimeState, actions: PodActions): PodActions {
  const progress = findNextInitContainerToRun(pod, state);
  if (progress.next === undefined) return actions;
  const failed = progress.failed;
  if (failed !== undefined && restartPolicyOf(pod) === 'Never')
    return { ...actions, killPod: true };
  const kills: ContainerToKill[] = [];
  if (failed !== undefined && failed.state === 'unknown') {
    const message = `Init container is in "unknown" state, try killing it before restart`;
    kills.push({ containerId: failed.id, name: progress.next.name, message, reason: 'unknown' });
  }
  return { ...actions, nextInitContainer: progress.next.name, containersToKill: kills };
}

/** Upstream computePodActions (see the file comment). */
export function computePodActions(
  pod: JsonObject,
  state: PodRuntimeState,
  probeFailures: ProbeFailures = new Map(),
): PodActions {
  const change = sandboxChange(state, isHostNetwork(pod));
  const actions = noActions(change);
  if (change.create) return sandboxActions(pod, state, actions);
  if (!findNextInitContainerToRun(pod, state).done) return initActions(pod, state, actions);
  const restartOnFailure = restartPolicyOf(pod) !== 'Never';
  let keepCount = 0;
  for (const container of podContainers(pod)) {
    const status = latestContainer(state, container.name);
    if (status === undefined || status.state !== 'running') {
      if (!shouldContainerBeRestarted(container.name, pod, state)) continue;
      actions.containersToStart.push(container.name);
      if (status?.state === 'unknown') {
        const message = `Container is in "unknown" state, try killing it before restart`;
        actions.containersToKill.push({
          containerId: status.id,
          name: container.name,
          message,
          reason: 'unknown',
        });
      }
      continue;
    }
    const verdict = killVerdict(container, status, probeFailures);
    if (verdict === undefined) {
      keepCount++;
      continue;
    }
    const restart = restartOnFailure || verdict.reason === 'changed';
    const message = restart ? `${verdict.message}, will be restarted` : verdict.message;
    if (restart) actions.containersToStart.push(container.name);
    actions.containersToKill.push({
      ...verdict,
      message,
      containerId: status.id,
      name: container.name,
    });
  }
  if (keepCount === 0 && actions.containersToStart.length === 0) actions.killPod = true;
  return actions;
}
