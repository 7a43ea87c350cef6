// The API pod status the kubelet reports (upstream generateAPIPodStatus plus the status
// manager's updateStatusInternal and mergePodStatus), and the patch that writes it. Pure.
//
// - phase: computePodPhase; a terminal phase of the previous status or of the API object
//   sticks; the reason/message of an unchanged phase are kept; while containers may still run,
//   a new terminal phase is held back (the previous one is reported).
// - conditions: the API object's conditions the kubelet does not own, then the kubelet's own in
//   upstream order; lastTransitionTime moves only when a condition's status flips; lastProbeTime
//   is null.
// - IPs: the node IP for host-network pods; else the newest ready sandbox's IP, else the previous
//   one (upstream's PLEG cache keeps the IP of exited pods); hostIP/hostIPs: the node IP;
//   startTime: set once.

import { arrayAt, isObject, objectAt, stringAt } from '../api/schema/json.js';
import { formatTime } from '../api/values/time.js';
import type { JsonObject, JsonValue } from '../store/types.js';
import type { ContainerStatusOptions, ProbeView, StartFailure } from './container-statuses.js';
import { applyProbes, containerStatuses } from './container-statuses.js';
import type { ConditionCore } from './pod-conditions.js';
import { kubeletConditions, kubeletConditionTypes } from './pod-conditions.js';
import type { PodPhase } from './pod-phase.js';
import { computePodPhase } from './pod-phase.js';
import {
  isHostNetwork,
  isTerminalPhase,
  podContainers,
  podInitContainers,
  readinessGateTypes,
  restartPolicyOf,
} from './pod-view.js';
import type { PodRuntimeState } from './runtime-view.js';
import { podIpOf, runningContainers } from './runtime-view.js';

export interface PodStatusInput {
  /** The pod as the API server last showed it. */
  pod: JsonObject;
  /** The status the kubelet generated last (or the API object's status before the first). */
  previous: JsonObject;
  state: PodRuntimeState;
  failures: ReadonlyMap<string, StartFailure>;
  probes: ProbeView;
  /** The pod is being torn down: no container will restart. */
  podIsTerminal: boolean;
  hostIp: string;
  runtimeName: string;
  nowMs: number;
}

type MutableStatus = { [key: string]: JsonValue };

function phaseAndReason(input: PodStatusInput, statuses: readonly JsonValue[]) {
  const { pod, previous } = input;
  const spec = {
    initContainerNames: podInitContainers(pod).map((c) => c.name),
    containerNames: podContainers(pod).map((c) => c.name),
    restartPolicy: restartPolicyOf(pod),
  };
  const apiStatus = objectAt(pod, 'status') ?? {};
  const oldPhase = stringAt(previous, 'phase') ?? '';
  const apiPhase = stringAt(apiStatus, 'phase') ?? '';
  let phase: string = computePodPhase(spec, statuses, input.podIsTerminal);
  if (!isTerminalPhase(phase)) {
    if (isTerminalPhase(oldPhase)) phase = oldPhase;
    else if (isTerminalPhase(apiPhase)) phase = apiPhase;
  }
  let reason = '';
  let message = '';
  if (phase === oldPhase) {
    reason = stringAt(previous, 'reason') || stringAt(apiStatus, 'reason') || '';
    message = stringAt(previous, 'message') || stringAt(apiStatus, 'message') || '';
  }
  if (isTerminalPhase(apiPhase)) phase = apiPhase;
  if (
    isTerminalPhase(phase) &&
    !isTerminalPhase(apiPhase) &&
    runningContainers(input.state).length > 0
  ) {
    phase = apiPhase === '' ? 'Pending' : apiPhase;
    reason = stringAt(apiStatus, 'reason') ?? '';
    message = stringAt(apiStatus, 'message') ?? '';
  }
  return { phase: phase as PodPhase, reason, message };
}

function withTransitionTimes(
  conditions: readonly ConditionCore[],
  previous: readonly JsonValue[],
  nowText: string,
): JsonObject[] {
  return conditions.map((condition) => {
    const old = previous.find((c) => isObject(c) && c.type === condition.type);
    const kept = old !== undefined && stringAt(old, 'status') === condition.status;
    const transition = kept ? (stringAt(old, 'lastTransitionTime') ?? nowText) : nowText;
    const out: MutableStatus = { type: condition.type, status: condition.status };
    out.lastProbeTime = null;
    out.lastTransitionTime = transition;
    if (condition.reason !== undefined) out.reason = condition.reason;
    if (condition.message !== undefined) out.message = condition.message;
    return out;
  });
}

function statusesOf(input: PodStatusInput) {
  const { pod, state, failures, runtimeName, previous } = input;
  const inits = podInitContainers(pod);
  const apps = podContainers(pod);
  const base: Omit<ContainerStatusOptions, 'previous' | 'containers' | 'isInit'> = {
    pod,
    state,
    failures,
    runtimeName,
    hasInitContainers: inits.length > 0,
  };
  const app = containerStatuses({
    ...base,
    previous: arrayAt(previous, 'containerStatuses'),
    containers: apps,
    isInit: false,
  });
  const init = containerStatuses({
    ...base,
    previous: arrayAt(previous, 'initContainerStatuses'),
    containers: inits,
    isInit: true,
  });
  applyProbes(app, apps, false, input.probes);
  applyProbes(init, inits, true, input.probes);
  return { app, init };
}

/** The status the kubelet reports for the pod (see the file comment). */
export function generatePodStatus(input: PodStatusInput): JsonObject {
  const { pod, previous } = input;
  const apiStatus = objectAt(pod, 'status') ?? {};
  const { app, init } = statusesOf(input);
  const { phase, reason, message } = phaseAndReason(input, [...app, ...init]);
  const foreign = arrayAt(apiStatus, 'conditions').filter(
    (c) => !kubeletConditionTypes.includes(stringAt(c, 'type') ?? ''),
  );
  const sandbox = input.state.sandboxes[0];
  const cores = kubeletConditions({
    initNames: podInitContainers(pod).map((c) => c.name),
    containerNames: podContainers(pod).map((c) => c.name),
    readinessGates: readinessGateTypes(pod),
    statuses: [...init, ...app],
    phase,
    sandboxReady: sandbox !== undefined && sandbox.state === 'ready',
    foreign,
  });
  const nowText = formatTime(input.nowMs);
  const previousConditions = arrayAt(previous, 'conditions');
  const status: MutableStatus = {
    phase,
    conditions: [...foreign, ...withTransitionTimes(cores, previousConditions, nowText)],
    hostIP: input.hostIp,
    hostIPs: [{ ip: input.hostIp }],
    startTime: stringAt(previous, 'startTime') ?? stringAt(apiStatus, 'startTime') ?? nowText,
    containerStatuses: app,
  };
  const qos = stringAt(apiStatus, 'qosClass');
  if (qos !== undefined) status.qosClass = qos;
  if (init.length > 0) status.initContainerStatuses = init;
  if (reason !== '') status.reason = reason;
  if (message !== '') status.message = message;
  const hostNetworkIp = isHostNetwork(pod) ? input.hostIp : '';
  const podIp = hostNetworkIp || podIpOf(input.state) || stringAt(previous, 'podIP') || '';
  if (podIp !== '') {
    status.podIP = podIp;
    status.podIPs = [{ ip: podIp }];
  }
  return status;
}

/** The status of a pod the kubelet refused (upstream rejectPod): Failed with the reason. */
export function rejectedPodStatus(
  pod: JsonObject,
  reason: string,
  message: string,
  nowMs: number,
): JsonObject {
  const apiStatus = objectAt(pod, 'status') ?? {};
  const status: MutableStatus = {
    phase: 'Failed',
    reason,
    message: `Pod was rejected: ${message}`,
    startTime: stringAt(apiStatus, 'startTime') ?? formatTime(nowMs),
  };
  const qos = stringAt(apiStatus, 'qosClass');
  if (qos !== undefined) status.qosClass = qos;
  const conditions = arrayAt(apiStatus, 'conditions');
  if (conditions.length > 0) status.conditions = conditions;
  return status;
}

/** Fields of the pod status the kubelet writes; a patch sets or clears each of them. */
const ownedFields = [
  'phase',
  'reason',
  'message',
  'hostIP',
  'hostIPs',
  'podIP',
  'podIPs',
  'startTime',
  'containerStatuses',
  'initContainerStatuses',
] as const;

/**
 * The strategic merge patch of pods/<name>/status that turns `current` into `next`: every owned
 * field set (or null to remove it), all conditions with their order (stale keys nulled), the pod
 * IPs with their order (stale ones deleted), and the UID so the patch cannot land on a newer pod
 * of the same name.
 */
export function podStatusPatch(uid: string, current: JsonObject, next: JsonObject): JsonObject {
  const status: MutableStatus = {};
  for (const field of ownedFields) {
    const value = next[field];
    if (value !== undefined) status[field] = value;
    else if (current[field] !== undefined) status[field] = null;
  }
  const conditions = arrayAt(next, 'conditions');
  if (conditions.length > 0) {
    status['$setElementOrder/conditions'] = conditions.map((c) => ({
      type: stringAt(c, 'type') ?? '',
    }));
    const before = arrayAt(current, 'conditions');
    status.conditions = conditions.map((c) => withRemovedKeys(c, before));
  }
  const ips = arrayAt(next, 'podIPs');
  if (ips.length > 0) {
    const kept = new Set(ips.map((ip) => stringAt(ip, 'ip')));
    const gone = arrayAt(current, 'podIPs').filter((ip) => !kept.has(stringAt(ip, 'ip')));
    status['$setElementOrder/podIPs'] = ips.map((ip) => ({ ip: stringAt(ip, 'ip') ?? '' }));
    status.podIPs = [
      ...ips,
      ...gone.map((ip) => ({ ip: stringAt(ip, 'ip') ?? '', $patch: 'delete' })),
    ];
  }
  return { metadata: { uid }, status };
}

/** The condition with `null` for every key its current version has and it lacks (a removal). */
function withRemovedKeys(condition: JsonValue, current: readonly JsonValue[]): JsonValue {
  if (!isObject(condition)) return condition;
  const old = current.find((c) => isObject(c) && c.type === condition.type);
  if (!isObject(old)) return condition;
  const out: MutableStatus = { ...condition };
  for (const key of Object.keys(old)) if (out[key] === undefined) out[key] = null;
  return out;
}

/** The part of a status the kubelet is responsible for (to notice someone else changed it). */
export function kubeletOwnedView(status: JsonObject): JsonObject {
  const view: MutableStatus = {};
  for (const field of ownedFields) {
    const value = status[field];
    if (value !== undefined) view[field] = value;
  }
  view.conditions = arrayAt(status, 'conditions').filter((c) =>
    kubeletConditionTypes.includes(stringAt(c, 'type') ?? ''),
  );
  return view;
}
