// The pod conditions the kubelet owns (upstream pkg/kubelet/status/generate.go), generated from
// container statuses and the phase; transition times are set by pod-status.ts. Pure.

import { isObject, objectAt, stringAt } from '../api/schema/json.js';
import type { JsonObject, JsonValue } from '../store/types.js';
import type { PodPhase } from './pod-phase.js';

export interface ConditionCore {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  reason?: string;
  message?: string;
}

/** Condition types the kubelet writes; any other condition on the pod is kept as it is. */
export const kubeletConditionTypes: readonly string[] = [
  'PodReadyToStartContainers',
  'Initialized',
  'Ready',
  'ContainersReady',
  'PodScheduled',
];

/** Go's `%s` of a string slice: `[a b]`. */
function goList(names: readonly string[]): string {
  return `[${names.join(' ')}]`;
}

function statusByName(statuses: readonly JsonValue[], name: string): JsonObject | undefined {
  return statuses.find((s): s is JsonObject => isObject(s) && stringAt(s, 'name') === name);
}

function stateOf(status: JsonObject): JsonObject | undefined {
  return objectAt(status, 'state');
}

function terminalCondition(type: string, phase: PodPhase): ConditionCore {
  return { type, status: 'False', reason: phase === 'Failed' ? 'PodFailed' : 'PodCompleted' };
}

export function containersReadyCondition(
  containerNames: readonly string[],
  statuses: readonly JsonValue[],
  phase: PodPhase,
): ConditionCore {
  const unknown: string[] = [];
  const unready: string[] = [];
  for (const name of containerNames) {
    const status = statusByName(statuses, name);
    if (status === undefined) unknown.push(name);
    else if (status.ready !== true) unready.push(name);
  }
  if (phase === 'Succeeded' && unknown.length === 0)
    return terminalCondition('ContainersReady', phase);
  if (phase === 'Failed') return terminalCondition('ContainersReady', phase);
  const messages: string[] = [];
  if (unknown.length > 0) messages.push(`containers with unknown status: ${goList(unknown)}`);
  if (unready.length > 0) messages.push(`containers with unready status: ${goList(unready)}`);
  if (messages.length === 0) return { type: 'ContainersReady', status: 'True' };
  const message = messages.join(', ');
  return { type: 'ContainersReady', status: 'False', reason: 'ContainersNotReady', message };
}

export function readyCondition(
  containersReady: ConditionCore,
  readinessGates: readonly string[],
  conditions: readonly JsonValue[],
): ConditionCore {
  if (containersReady.status !== 'True') return { ...containersReady, type: 'Ready' };
  const messages: string[] = [];
  for (const gate of readinessGates) {
    const found = conditions.find((c) => isObject(c) && stringAt(c, 'type') === gate);
    if (found === undefined) {
      messages.push(`corresponding condition of pod readiness gate "${gate}" does not exist.`);
    } else if (stringAt(found, 'status') !== 'True') {
      const status = stringAt(found, 'status') ?? '';
      messages.push(`the status of pod readiness gate "${gate}" is not "True", but ${status}`);
    }
  }
  if (messages.length === 0) return { type: 'Ready', status: 'True' };
  const message = messages.join(', ');
  return { type: 'Ready', status: 'False', reason: 'ReadinessGatesNotReady', message };
}

function anyAppContainerStarted(containerNames: readonly string[], statuses: readonly JsonValue[]) {
  return containerNames.some((name) => {
    const state = stateOf(statusByName(statuses, name) ?? {});
    return isObject(state?.running) || isObject(state?.terminated);
  });
}

export function initializedCondition(
  initNames: readonly string[],
  containerNames: readonly string[],
  statuses: readonly JsonValue[],
  phase: PodPhase,
): ConditionCore {
  const unknown: string[] = [];
  const incomplete: string[] = [];
  for (const name of initNames) {
    const status = statusByName(statuses, name);
    if (status === undefined) {
      unknown.push(name);
      continue;
    }
    const ended = objectAt(stateOf(status), 'terminated');
    if (ended === undefined || ended.exitCode !== 0) incomplete.push(name);
  }
  if (phase === 'Succeeded' && unknown.length === 0) {
    return { type: 'Initialized', status: 'True', reason: 'PodCompleted' };
  }
  if (anyAppContainerStarted(containerNames, statuses))
    return { type: 'Initialized', status: 'True' };
  const messages: string[] = [];
  if (unknown.length > 0) messages.push(`containers with unknown status: ${goList(unknown)}`);
  if (incomplete.length > 0)
    messages.push(`containers with incomplete status: ${goList(incomplete)}`);
  if (messages.length === 0) return { type: 'Initialized', status: 'True' };
  const message = messages.join(', ');
  return { type: 'Initialized', status: 'False', reason: 'ContainersNotInitialized', message };
}

/** True once the sandbox exists with its network; False while it is (re-)created. */
export function readyToStartContainersCondition(sandboxReady: boolean): ConditionCore {
  return { type: 'PodReadyToStartContainers', status: sandboxReady ? 'True' : 'False' };
}

export interface KubeletConditionsInput {
  initNames: readonly string[];
  containerNames: readonly string[];
  readinessGates: readonly string[];
  /** Init and app container statuses together. */
  statuses: readonly JsonValue[];
  phase: PodPhase;
  sandboxReady: boolean;
  /** Conditions the kubelet does not own (readiness gates are looked up there). */
  foreign: readonly JsonValue[];
}

/** The kubelet's conditions in upstream's order. */
export function kubeletConditions(input: KubeletConditionsInput): ConditionCore[] {
  const { statuses, phase } = input;
  const containersReady = containersReadyCondition(input.containerNames, statuses, phase);
  return [
    readyToStartContainersCondition(input.sandboxReady),
    initializedCondition(input.initNames, input.containerNames, statuses, phase),
    readyCondition(containersReady, input.readinessGates, input.foreign),
    containersReady,
    { type: 'PodScheduled', status: 'True' },
  ];
}
