// Pure decisions of the taint eviction controller (pkg/controller/tainteviction, v1.32): which
// NoExecute taints a pod tolerates, for how long, and what happens to its scheduled deletion.
//
// For the NoExecute taints of the pod's node: a taint no toleration matches → delete now; all
// matched → delete after the smallest tolerationSeconds among the matching tolerations (≤ 0 → now),
// counted from when the controller first decided so; matched by tolerations without
// tolerationSeconds only → never (a scheduled deletion is cancelled). No taints → cancel.
// A deletion already scheduled earlier is kept, as upstream (a later toleration change does not
// move it).
import { toleratesTaint } from '../../scheduler/framework/taints.js';
import type { KubeObject } from '../../client/types.js';
import type { NodeTaint } from './node-taints.js';

/** core/v1 Toleration with tolerationSeconds (seconds; absent = forever). */
export interface PodToleration {
  key: string;
  operator: string;
  value: string;
  effect: string;
  tolerationSeconds?: number;
}

export const disruptionTargetReason = 'DeletionByTaintManager';
export const disruptionTargetMessage = 'Taint manager: deleting due to NoExecute taint';

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function text(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

/** pod.spec.tolerations, skipping malformed entries. */
export function tolerationsOfPod(pod: KubeObject): PodToleration[] {
  const spec = isRecord(pod.spec) ? pod.spec : {};
  const list = Array.isArray(spec.tolerations) ? (spec.tolerations as unknown[]) : [];
  const out: PodToleration[] = [];
  for (const item of list) {
    if (!isRecord(item)) continue;
    const toleration: PodToleration = {
      key: text(item.key),
      operator: text(item.operator),
      value: text(item.value),
      effect: text(item.effect),
    };
    if (typeof item.tolerationSeconds === 'number') {
      toleration.tolerationSeconds = item.tolerationSeconds;
    }
    out.push(toleration);
  }
  return out;
}

/** getNoExecuteTaints. */
export function noExecuteTaints(taints: readonly NodeTaint[]): NodeTaint[] {
  return taints.filter((t) => t.effect === 'NoExecute');
}

/**
 * GetMatchingTolerations: whether every taint is tolerated, and for each taint the first
 * toleration that tolerates it.
 */
export function matchingTolerations(
  taints: readonly NodeTaint[],
  tolerations: readonly PodToleration[],
): { allTolerated: boolean; used: PodToleration[] } {
  const used: PodToleration[] = [];
  for (const taint of taints) {
    const asTaint = { key: taint.key, value: taint.value ?? '', effect: taint.effect };
    const match = tolerations.find((t) => toleratesTaint(t, asTaint));
    if (match === undefined) return { allTolerated: false, used: [] };
    used.push(match);
  }
  return { allTolerated: true, used };
}

/**
 * getMinTolerationTime in ms: 0 for no tolerations or any tolerationSeconds ≤ 0, the smallest
 * tolerationSeconds otherwise, 'forever' when none of them has tolerationSeconds.
 */
export function minTolerationMs(used: readonly PodToleration[]): number | 'forever' {
  if (used.length === 0) return 0;
  let minSeconds: number | undefined;
  for (const toleration of used) {
    const seconds = toleration.tolerationSeconds;
    if (seconds === undefined) continue;
    if (seconds <= 0) return 0;
    if (minSeconds === undefined || seconds < minSeconds) minSeconds = seconds;
  }
  return minSeconds === undefined ? 'forever' : minSeconds * 1000;
}

export type EvictionDecision =
  /** Cancel any scheduled deletion (no taints, or tolerated forever). */
  | { kind: 'cancel' }
  /** Cancel any scheduled deletion and delete at once (a taint is not tolerated). */
  | { kind: 'evictNow' }
  /** Keep the deletion already scheduled. */
  | { kind: 'keep' }
  /** Schedule a deletion at fireAtMs (replacing the scheduled one when `replace`). */
  | { kind: 'schedule'; createdAtMs: number; fireAtMs: number; replace: boolean };

/** processPodOnNode for one pod; `scheduledCreatedAtMs` of a deletion already waiting, if any. */
export function planPodEviction(input: {
  taints: readonly NodeTaint[];
  tolerations: readonly PodToleration[];
  nowMs: number;
  scheduledCreatedAtMs?: number;
}): EvictionDecision {
  const { taints, tolerations, nowMs, scheduledCreatedAtMs } = input;
  if (taints.length === 0) return { kind: 'cancel' };
  const { allTolerated, used } = matchingTolerations(taints, tolerations);
  if (!allTolerated) return { kind: 'evictNow' };
  const minMs = minTolerationMs(used);
  if (minMs === 'forever') return { kind: 'cancel' };
  const triggerMs = nowMs + minMs;
  if (scheduledCreatedAtMs === undefined) {
    return { kind: 'schedule', createdAtMs: nowMs, fireAtMs: triggerMs, replace: false };
  }
  if (scheduledCreatedAtMs + minMs < triggerMs) return { kind: 'keep' };
  return {
    kind: 'schedule',
    createdAtMs: scheduledCreatedAtMs,
    fireAtMs: triggerMs,
    replace: true,
  };
}

/** Whether two NoExecute taint lists are equal (helper.Semantic.DeepEqual on the lists). */
export function sameTaints(a: readonly NodeTaint[], b: readonly NodeTaint[]): boolean {
  if (a.length !== b.length) return false;
  return a.every((t, i) => {
    const u = b[i] as NodeTaint;
    return (
      t.key === u.key &&
      t.effect === u.effect &&
      (t.value ?? '') === (u.value ?? '') &&
      t.timeAdded === u.timeAdded
    );
  });
}

/** Whether two toleration lists are equal (helper.Semantic.DeepEqual on the lists). */
export function sameTolerations(a: readonly PodToleration[], b: readonly PodToleration[]): boolean {
  if (a.length !== b.length) return false;
  return a.every((t, i) => {
    const u = b[i] as PodToleration;
    return (
      t.key === u.key &&
      t.operator === u.operator &&
      t.value === u.value &&
      t.effect === u.effect &&
      t.tolerationSeconds === u.tolerationSeconds
    );
  });
}
