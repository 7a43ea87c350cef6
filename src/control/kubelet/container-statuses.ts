// Container statuses of the API pod status, from the runtime snapshot, the previous status and
// the last start failures (upstream convertToAPIContainerStatuses plus the prober's
// UpdatePodStatus for ready/started). Pure.
//
// Per container: the default is `waiting` ContainerCreating (PodInitializing when the pod has
// init containers), keeping restartCount and lastState of the previous status (a previous
// terminated status is kept whole). The newest runtime container gives state, restartCount
// (its attempt), imageID and containerID; the one before gives lastState. A container that
// disappeared while running counts as terminated ContainerStatusUnknown. A container that will
// be restarted and whose last start failed shows `waiting` with that failure's reason.

import { compareGoStrings } from '../api/values/go-format.js';
import { formatTime } from '../api/values/time.js';
import { isObject, numberAt, objectAt } from '../api/schema/json.js';
import type { ContainerStatus } from '../ports/container-runtime.js';
import type { JsonObject, JsonValue } from '../store/types.js';
import { shouldContainerBeRestarted } from './pod-actions.js';
import type { ContainerView } from './pod-view.js';
import { isDeleting } from './pod-view.js';
import type { PodRuntimeState } from './runtime-view.js';
import { attemptOf, containerNameOf, latestContainer } from './runtime-view.js';

/** The last failed start of a container (upstream reasonCache entry). */
export interface StartFailure {
  /** Waiting reason, e.g. ErrImagePull, CrashLoopBackOff, CreateContainerError. */
  reason: string;
  message: string;
}

export interface ContainerStatusOptions {
  pod: JsonObject;
  state: PodRuntimeState;
  /** Statuses of the same list (init or app) from the previous pod status. */
  previous: readonly JsonValue[];
  containers: readonly ContainerView[];
  hasInitContainers: boolean;
  isInit: boolean;
  failures: ReadonlyMap<string, StartFailure>;
  /** Scheme of container ids, e.g. `sim` → `sim://<id>`. */
  runtimeName: string;
}

type MutableStatus = { [key: string]: JsonValue };

export const statusUnknownReason = 'ContainerStatusUnknown';
const vanishedMessage =
  'The container could not be located when the pod was deleted.  The container used to be Running';
const unknownMessage = 'The container could not be located when the pod was terminated';

function timeOrNull(ms: number): string | null {
  return ms === 0 ? null : formatTime(ms);
}

function terminated(container: ContainerStatus, containerId: string): JsonObject {
  const state: MutableStatus = {
    exitCode: container.exitCode,
    reason: container.reason,
    startedAt: timeOrNull(container.startedAtMs),
    finishedAt: timeOrNull(container.finishedAtMs),
    containerID: containerId,
  };
  if (container.message !== '') state.message = container.message;
  return { terminated: state };
}

function convert(container: ContainerStatus, old: JsonObject | undefined, scheme: string) {
  const containerId = `${scheme}://${container.id}`;
  const status: MutableStatus = {
    name: containerNameOf(container),
    state: { waiting: {} },
    lastState: {},
    ready: false,
    restartCount: attemptOf(container),
    image: container.config.image,
    imageID: container.imageRef,
    containerID: containerId,
    started: false,
  };
  if (container.state === 'running') {
    status.state = { running: { startedAt: formatTime(container.startedAtMs) } };
  } else if (container.state === 'exited') {
    status.state = terminated(container, containerId);
  } else if (container.state === 'unknown' && isObject(objectAt(old, 'state')?.running)) {
    const state = { reason: statusUnknownReason, message: unknownMessage, exitCode: 137 };
    status.state = { terminated: state };
    status.restartCount = (numberAt(old, 'restartCount') ?? 0) + 1;
  }
  return status;
}

function defaultStatus(
  container: ContainerView,
  waitingReason: string,
  old: JsonObject | undefined,
) {
  if (old !== undefined && isObject(objectAt(old, 'state')?.terminated)) return { ...old };
  const status: MutableStatus = {
    name: container.name,
    state: { waiting: { reason: waitingReason } },
    lastState: {},
    ready: false,
    restartCount: 0,
    image: container.image,
    imageID: '',
    started: false,
  };
  if (old !== undefined) {
    status.restartCount = numberAt(old, 'restartCount') ?? 0;
    status.lastState = objectAt(old, 'lastState') ?? {};
  }
  return status;
}

/** A container that vanished from the runtime while it was running counts as terminated. */
function markVanished(
  status: MutableStatus,
  old: JsonObject,
  waitingReason: string,
  pod: JsonObject,
) {
  if (!isObject(objectAt(old, 'state')?.running)) return;
  const waiting = objectAt(objectAt(status, 'state'), 'waiting');
  if (waiting === undefined || waiting.reason !== waitingReason) return;
  if (isObject(objectAt(status, 'lastState')?.terminated)) return;
  const lost = { reason: statusUnknownReason, message: vanishedMessage, exitCode: 137 };
  status.lastState = { terminated: lost };
  if (!isDeleting(pod)) status.restartCount = ((status.restartCount as number) ?? 0) + 1;
}

function applyRuntime(
  statuses: Map<string, MutableStatus>,
  options: ContainerStatusOptions,
  olds: Map<string, JsonObject>,
) {
  const seen = new Map<string, number>();
  for (const container of options.state.containers) {
    const name = containerNameOf(container);
    const count = seen.get(name) ?? 0;
    if (!statuses.has(name) || count >= 2) continue;
    const status = convert(container, olds.get(name), options.runtimeName);
    if (count === 0) statuses.set(name, status);
    else (statuses.get(name) as MutableStatus).lastState = status.state as JsonValue;
    seen.set(name, count + 1);
  }
}

function applyFailures(statuses: Map<string, MutableStatus>, options: ContainerStatusOptions) {
  const { pod, state, isInit } = options;
  for (const container of options.containers) {
    if (isInit) {
      const latest = latestContainer(state, container.name);
      if (latest?.state === 'exited' && latest.exitCode === 0) continue;
    }
    if (!shouldContainerBeRestarted(container.name, pod, state)) continue;
    const failure = options.failures.get(container.name);
    if (failure === undefined) continue;
    const status = statuses.get(container.name) as MutableStatus;
    const current = objectAt(status, 'state');
    if (isObject(current?.terminated)) status.lastState = current;
    const waiting: MutableStatus = { reason: failure.reason };
    if (failure.message !== '') waiting.message = failure.message;
    status.state = { waiting };
  }
}

/** The statuses of `options.containers` (see the file comment), without ready/started. */
export function containerStatuses(options: ContainerStatusOptions): MutableStatus[] {
  const waitingReason = options.hasInitContainers ? 'PodInitializing' : 'ContainerCreating';
  const olds = new Map<string, JsonObject>();
  for (const old of options.previous) if (isObject(old)) olds.set(String(old.name), old);
  const statuses = new Map<string, MutableStatus>();
  for (const container of options.containers) {
    statuses.set(container.name, defaultStatus(container, waitingReason, olds.get(container.name)));
  }
  for (const container of options.containers) {
    const old = olds.get(container.name);
    if (old === undefined || latestContainer(options.state, container.name) !== undefined) continue;
    markVanished(statuses.get(container.name) as MutableStatus, old, waitingReason, options.pod);
  }
  applyRuntime(statuses, options, olds);
  applyFailures(statuses, options);
  const ordered = options.containers.map((c) => statuses.get(c.name) as MutableStatus);
  if (!options.isInit) ordered.sort((a, b) => compareGoStrings(String(a.name), String(b.name)));
  return ordered;
}

/** What the prober knows about one container (only asked for running containers with probes). */
export interface ProbeView {
  isStarted(containerName: string): boolean;
  isReady(containerName: string): boolean;
}

function isRunning(status: JsonObject): boolean {
  return isObject(objectAt(status, 'state')?.running);
}

/**
 * Sets `started` and `ready` as upstream's prober UpdatePodStatus: app containers are started
 * once running (and their startup probe, if any, succeeded) and ready once started, running and
 * (if they have a readiness probe) probed ready; init containers are ready once they exited 0.
 */
export function applyProbes(
  statuses: MutableStatus[],
  containers: readonly ContainerView[],
  isInit: boolean,
  probes: ProbeView,
): void {
  const byName = new Map(containers.map((c) => [c.name, c]));
  for (const status of statuses) {
    const name = String(status.name);
    const container = byName.get(name);
    const running = isRunning(status);
    const hasStartup = container !== undefined && isObject(container.spec.startupProbe);
    const started = running && (isInit || !hasStartup || probes.isStarted(name));
    status.started = started;
    if (isInit) {
      const exit = numberAt(objectAt(objectAt(status, 'state'), 'terminated'), 'exitCode');
      status.ready = exit === 0;
      continue;
    }
    const hasReadiness = container !== undefined && isObject(container.spec.readinessProbe);
    status.ready = started && running && (!hasReadiness || probes.isReady(name));
  }
}
