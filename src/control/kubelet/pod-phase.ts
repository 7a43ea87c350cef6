// The pod phase computed from container statuses (upstream kubelet_pods.go getPhase, for pods
// without restartable init containers). Pure; see reference §7.1 for the table.

import { isObject, numberAt, objectAt, stringAt } from '../api/schema/json.js';
import type { JsonObject, JsonValue } from '../store/types.js';
import type { RestartPolicy } from './pod-view.js';

export type PodPhase = 'Pending' | 'Running' | 'Succeeded' | 'Failed';

export interface PhaseSpec {
  initContainerNames: readonly string[];
  containerNames: readonly string[];
  restartPolicy: RestartPolicy;
}

type Kind = 'missing' | 'running' | 'terminated' | 'waitingAfterExit' | 'waiting' | 'unknown';

interface Observed {
  kind: Kind;
  /** Exit code of the current termination, or of the last one when waiting after an exit. */
  exitCode: number;
}

function observe(status: JsonObject | undefined): Observed {
  if (status === undefined) return { kind: 'missing', exitCode: 0 };
  const state = objectAt(status, 'state');
  if (isObject(state?.running)) return { kind: 'running', exitCode: 0 };
  const ended = objectAt(state, 'terminated');
  if (ended !== undefined)
    return { kind: 'terminated', exitCode: numberAt(ended, 'exitCode') ?? 0 };
  if (isObject(state?.waiting)) {
    const last = objectAt(objectAt(status, 'lastState'), 'terminated');
    if (last === undefined) return { kind: 'waiting', exitCode: 0 };
    return { kind: 'waitingAfterExit', exitCode: numberAt(last, 'exitCode') ?? 0 };
  }
  return { kind: 'unknown', exitCode: 0 };
}

function byName(statuses: readonly JsonValue[]): Map<string, JsonObject> {
  const map = new Map<string, JsonObject>();
  for (const status of statuses) {
    if (!isObject(status)) continue;
    const name = stringAt(status, 'name');
    if (name !== undefined && !map.has(name)) map.set(name, status);
  }
  return map;
}

interface Counts {
  pendingInit: number;
  failedInit: number;
  unknown: number;
  running: number;
  waiting: number;
  stopped: number;
  succeeded: number;
}

function count(spec: PhaseSpec, statuses: readonly JsonValue[]): Counts {
  const found = byName(statuses);
  const counts: Counts = {
    pendingInit: 0,
    failedInit: 0,
    unknown: 0,
    running: 0,
    waiting: 0,
    stopped: 0,
    succeeded: 0,
  };
  for (const name of spec.initContainerNames) {
    const { kind, exitCode } = observe(found.get(name));
    if (kind === 'terminated' || kind === 'waitingAfterExit') {
      if (exitCode !== 0) counts.failedInit++;
    } else counts.pendingInit++;
  }
  for (const name of spec.containerNames) {
    const { kind, exitCode } = observe(found.get(name));
    if (kind === 'missing' || kind === 'unknown') counts.unknown++;
    else if (kind === 'running') counts.running++;
    else if (kind === 'waiting') counts.waiting++;
    else {
      counts.stopped++;
      if (kind === 'terminated' && exitCode === 0) counts.succeeded++;
    }
  }
  return counts;
}

/**
 * The phase of a pod with these container statuses (init and app statuses together);
 * `podIsTerminal` when the pod is being torn down, so no container will restart.
 */
export function computePodPhase(
  spec: PhaseSpec,
  statuses: readonly JsonValue[],
  podIsTerminal: boolean,
): PodPhase {
  const c = count(spec, statuses);
  if (c.failedInit > 0 && spec.restartPolicy === 'Never') return 'Failed';
  if (c.pendingInit > 0 || c.waiting > 0) return 'Pending';
  if (c.running > 0 && c.unknown === 0) return 'Running';
  if (c.running === 0 && c.stopped > 0 && c.unknown === 0) {
    if (podIsTerminal) return c.stopped === c.succeeded ? 'Succeeded' : 'Failed';
    if (spec.restartPolicy === 'Always') return 'Running';
    if (c.stopped === c.succeeded) return 'Succeeded';
    if (spec.restartPolicy === 'Never') return 'Failed';
    return 'Running';
  }
  return 'Pending';
}
