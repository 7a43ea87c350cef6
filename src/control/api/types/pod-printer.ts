// `kubectl get pods` columns as the API server's printPod computes them (READY, STATUS, RESTARTS).

import type { JsonObject, JsonValue } from '../../store/types.js';
import { arrayAt, isObject, numberAt, objectAt, stringAt, valueAtPath } from '../schema/json.js';
import { parseTime } from '../values/time.js';
import { ageColumn, humanDuration, nameColumn, orNone, computedColumn } from './printing.js';
import type { PrinterColumn } from './resource.js';

interface PodView {
  reason: string;
  ready: number;
  total: number;
  restarts: number;
  lastRestartMs: number | undefined;
}

function stateOf(status: JsonValue): {
  waiting?: JsonObject;
  running?: JsonObject;
  terminated?: JsonObject;
} {
  const state = objectAt(status, 'state');
  const result: { waiting?: JsonObject; running?: JsonObject; terminated?: JsonObject } = {};
  const waiting = objectAt(state, 'waiting');
  const running = objectAt(state, 'running');
  const terminated = objectAt(state, 'terminated');
  if (waiting !== undefined) result.waiting = waiting;
  if (running !== undefined) result.running = running;
  if (terminated !== undefined) result.terminated = terminated;
  return result;
}

function terminatedReason(terminated: JsonObject, prefix: string): string {
  const reason = stringAt(terminated, 'reason') ?? '';
  if (reason !== '') return `${prefix}${reason}`;
  const signal = numberAt(terminated, 'signal') ?? 0;
  if (signal !== 0) return `${prefix}Signal:${signal}`;
  return `${prefix}ExitCode:${numberAt(terminated, 'exitCode') ?? 0}`;
}

function noteRestart(view: PodView, status: JsonValue): void {
  view.restarts += numberAt(status, 'restartCount') ?? 0;
  const finished = valueAtPath(status, ['lastState', 'terminated', 'finishedAt']);
  const ms = typeof finished === 'string' ? parseTime(finished) : undefined;
  if (ms !== undefined && (view.lastRestartMs === undefined || ms > view.lastRestartMs)) {
    view.lastRestartMs = ms;
  }
}

function restartableNames(spec: JsonObject | undefined): Set<string> {
  const names = new Set<string>();
  for (const container of arrayAt(spec, 'initContainers')) {
    if (stringAt(container, 'restartPolicy') === 'Always')
      names.add(stringAt(container, 'name') ?? '');
  }
  return names;
}

function initReason(status: JsonValue, index: number, count: number): string {
  const state = stateOf(status);
  if (state.terminated !== undefined) return terminatedReason(state.terminated, 'Init:');
  const waiting = state.waiting === undefined ? '' : (stringAt(state.waiting, 'reason') ?? '');
  if (waiting !== '' && waiting !== 'PodInitializing') return `Init:${waiting}`;
  return `Init:${index}/${count}`;
}

/**
 * Init containers, up to the first one still pending (whose state sets the reason); sidecar
 * restarts are kept apart in `sidecars`. Returns whether the pod is still initializing.
 */
function applyInitContainers(pod: JsonObject, view: PodView, sidecars: PodView): boolean {
  const spec = objectAt(pod, 'spec');
  const restartable = restartableNames(spec);
  view.total += restartable.size;
  const statuses = arrayAt(objectAt(pod, 'status'), 'initContainerStatuses');
  const count = arrayAt(spec, 'initContainers').length;
  for (const [i, status] of statuses.entries()) {
    const sidecar = restartable.has(stringAt(status, 'name') ?? '');
    noteRestart(view, status);
    if (sidecar) noteRestart(sidecars, status);
    const terminated = stateOf(status).terminated;
    if (terminated !== undefined && (numberAt(terminated, 'exitCode') ?? 0) === 0) continue;
    if (sidecar && isObject(status) && status.started === true) {
      if (status.ready === true) view.ready += 1;
      continue;
    }
    view.reason = initReason(status, i, count);
    return true;
  }
  return false;
}

function isInitialized(pod: JsonObject): boolean {
  return arrayAt(objectAt(pod, 'status'), 'conditions').some(
    (c) => stringAt(c, 'type') === 'Initialized' && stringAt(c, 'status') === 'True',
  );
}

function hasPodReady(pod: JsonObject): boolean {
  return arrayAt(objectAt(pod, 'status'), 'conditions').some(
    (c) => stringAt(c, 'type') === 'Ready' && stringAt(c, 'status') === 'True',
  );
}

function applyContainers(pod: JsonObject, view: PodView): void {
  const statuses = arrayAt(objectAt(pod, 'status'), 'containerStatuses');
  let hasRunning = false;
  for (let i = statuses.length - 1; i >= 0; i--) {
    const status = statuses[i] as JsonValue;
    noteRestart(view, status);
    const state = stateOf(status);
    const waitingReason =
      state.waiting === undefined ? '' : (stringAt(state.waiting, 'reason') ?? '');
    if (waitingReason !== '') view.reason = waitingReason;
    else if (state.terminated !== undefined) view.reason = terminatedReason(state.terminated, '');
    else if (state.running !== undefined && isObject(status) && status.ready === true) {
      hasRunning = true;
      view.ready += 1;
    }
  }
  if (view.reason === 'Completed' && hasRunning) {
    view.reason = hasPodReady(pod) ? 'Running' : 'NotReady';
  }
}

/** The READY, STATUS and RESTARTS computation of upstream printPod. */
export function podView(pod: JsonObject): PodView {
  const status = objectAt(pod, 'status');
  const view: PodView = {
    reason: (stringAt(status, 'reason') ?? '') || (stringAt(status, 'phase') ?? ''),
    ready: 0,
    total: arrayAt(objectAt(pod, 'spec'), 'containers').length,
    restarts: 0,
    lastRestartMs: undefined,
  };
  const gated = arrayAt(status, 'conditions').some(
    (c) => stringAt(c, 'type') === 'PodScheduled' && stringAt(c, 'reason') === 'SchedulingGated',
  );
  if (gated) view.reason = 'SchedulingGated';
  const sidecars: PodView = { ...view, restarts: 0, lastRestartMs: undefined };
  const initializing = applyInitContainers(pod, view, sidecars);
  if (!initializing || isInitialized(pod)) {
    view.restarts = sidecars.restarts;
    view.lastRestartMs = sidecars.lastRestartMs;
    applyContainers(pod, view);
  }
  const deleting = valueAtPath(pod, ['metadata', 'deletionTimestamp']) !== undefined;
  if (deleting && stringAt(status, 'reason') === 'NodeLost') view.reason = 'Unknown';
  else if (deleting && !['Succeeded', 'Failed'].includes(stringAt(status, 'phase') ?? '')) {
    view.reason = 'Terminating';
  }
  return view;
}

function restartsText(view: PodView, nowMs: number): string {
  if (view.restarts === 0 || view.lastRestartMs === undefined) return String(view.restarts);
  return `${view.restarts} (${humanDuration(nowMs - view.lastRestartMs)} ago)`;
}

function readinessGates(pod: JsonObject): string {
  const gates = arrayAt(objectAt(pod, 'spec'), 'readinessGates');
  if (gates.length === 0) return '<none>';
  const conditions = arrayAt(objectAt(pod, 'status'), 'conditions');
  const ready = gates.filter((gate) =>
    conditions.some(
      (c) =>
        stringAt(c, 'type') === stringAt(gate, 'conditionType') && stringAt(c, 'status') === 'True',
    ),
  ).length;
  return `${ready}/${gates.length}`;
}

export const podPrinterColumns: readonly PrinterColumn[] = [
  nameColumn(),
  computedColumn(
    'Ready',
    'The aggregate readiness state of this pod for accepting traffic.',
    0,
    (pod) => {
      const view = podView(pod);
      return `${view.ready}/${view.total}`;
    },
  ),
  computedColumn(
    'Status',
    'The aggregate status of the containers in this pod.',
    0,
    (pod) => podView(pod).reason,
  ),
  computedColumn('Restarts', 'Container restarts and when the last one happened.', 0, (pod, ctx) =>
    restartsText(podView(pod), ctx.nowMs),
  ),
  ageColumn(),
  computedColumn('IP', 'The IP address assigned to the pod.', 1, (pod) =>
    orNone(stringAt(arrayAt(objectAt(pod, 'status'), 'podIPs')[0], 'ip')),
  ),
  computedColumn('Node', 'The node the pod is assigned to.', 1, (pod) =>
    orNone(valueAtPath(pod, ['spec', 'nodeName'])),
  ),
  computedColumn('Nominated Node', 'The node the pod is nominated to by preemption.', 1, (pod) =>
    orNone(valueAtPath(pod, ['status', 'nominatedNodeName'])),
  ),
  computedColumn('Readiness Gates', 'The readiness gates of the pod.', 1, (pod) =>
    readinessGates(pod),
  ),
];
