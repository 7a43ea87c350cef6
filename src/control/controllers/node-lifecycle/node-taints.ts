// Pure taint decisions of the node lifecycle controller: its taint keys, the NoSchedule taints a
// node's conditions call for, and upstream's taint set edits (pkg/util/taints).
//
// Two taints "match" when key and effect are equal (Taint.MatchTaint); values and timeAdded are
// only compared by addOrUpdateTaints, which, like AddOrUpdateTaint, replaces a matching taint
// that differs in any field and appends a taint that matches none.
import type { KubeObject } from '../../client/types.js';

export const notReadyTaintKey = 'node.kubernetes.io/not-ready';
export const unreachableTaintKey = 'node.kubernetes.io/unreachable';
export const unschedulableTaintKey = 'node.kubernetes.io/unschedulable';
export const memoryPressureTaintKey = 'node.kubernetes.io/memory-pressure';
export const diskPressureTaintKey = 'node.kubernetes.io/disk-pressure';
export const pidPressureTaintKey = 'node.kubernetes.io/pid-pressure';
export const networkUnavailableTaintKey = 'node.kubernetes.io/network-unavailable';

export type TaintEffect = 'NoSchedule' | 'PreferNoSchedule' | 'NoExecute';

/** core/v1 Taint as stored on a node; `timeAdded` is metav1.Time text. */
export interface NodeTaint {
  key: string;
  value?: string;
  effect: TaintEffect;
  timeAdded?: string;
}

/** UnreachableTaintTemplate: the NoExecute taint of a node whose Ready condition is Unknown. */
export const unreachableNoExecute: NodeTaint = Object.freeze({
  key: unreachableTaintKey,
  effect: 'NoExecute',
});

/** NotReadyTaintTemplate: the NoExecute taint of a node whose Ready condition is False. */
export const notReadyNoExecute: NodeTaint = Object.freeze({
  key: notReadyTaintKey,
  effect: 'NoExecute',
});

/** nodeConditionToTaintKeyStatusMap: condition type → status → NoSchedule taint key. */
const conditionTaintKeys: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  Ready: { False: notReadyTaintKey, Unknown: unreachableTaintKey },
  MemoryPressure: { True: memoryPressureTaintKey },
  DiskPressure: { True: diskPressureTaintKey },
  NetworkUnavailable: { True: networkUnavailableTaintKey },
  PIDPressure: { True: pidPressureTaintKey },
};

/** taintKeyToNodeConditionMap's keys: the condition taints this controller owns. */
const conditionTaintKeySet: ReadonlySet<string> = new Set([
  notReadyTaintKey,
  unreachableTaintKey,
  networkUnavailableTaintKey,
  memoryPressureTaintKey,
  diskPressureTaintKey,
  pidPressureTaintKey,
]);

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isEffect(value: unknown): value is TaintEffect {
  return value === 'NoSchedule' || value === 'PreferNoSchedule' || value === 'NoExecute';
}

/** node.spec.taints, skipping malformed entries (the API server validates them). */
export function taintsOfNode(node: KubeObject): NodeTaint[] {
  const spec = isRecord(node.spec) ? node.spec : {};
  const list = Array.isArray(spec.taints) ? (spec.taints as unknown[]) : [];
  const taints: NodeTaint[] = [];
  for (const item of list) {
    if (!isRecord(item) || !isEffect(item.effect)) continue;
    const taint: NodeTaint = {
      key: typeof item.key === 'string' ? item.key : '',
      effect: item.effect,
    };
    if (typeof item.value === 'string' && item.value !== '') taint.value = item.value;
    if (typeof item.timeAdded === 'string') taint.timeAdded = item.timeAdded;
    taints.push(taint);
  }
  return taints;
}

/** Taint.MatchTaint: same key and effect. */
export function matchTaint(a: NodeTaint, b: NodeTaint): boolean {
  return a.key === b.key && a.effect === b.effect;
}

/** TaintExists: some taint of `taints` matches `taint`. */
export function taintExists(taints: readonly NodeTaint[], taint: NodeTaint): boolean {
  return taints.some((t) => matchTaint(t, taint));
}

function sameTaint(a: NodeTaint, b: NodeTaint): boolean {
  return matchTaint(a, b) && (a.value ?? '') === (b.value ?? '') && a.timeAdded === b.timeAdded;
}

/** The NoSchedule taint key that a condition of `type` with `status` calls for, if any. */
export function conditionTaintKey(type: string, status: string): string | undefined {
  return conditionTaintKeys[type]?.[status];
}

/**
 * doNoScheduleTaintingPass's wanted set: one NoSchedule taint per condition that calls for one
 * (in condition order), plus `node.kubernetes.io/unschedulable` for a cordoned node.
 */
export function desiredNoScheduleTaints(
  conditions: readonly { type: string; status: string }[],
  unschedulable: boolean,
): NodeTaint[] {
  const taints: NodeTaint[] = [];
  for (const condition of conditions) {
    const key = conditionTaintKey(condition.type, condition.status);
    if (key !== undefined) taints.push({ key, effect: 'NoSchedule' });
  }
  if (unschedulable) taints.push({ key: unschedulableTaintKey, effect: 'NoSchedule' });
  return taints;
}

/** The NoSchedule taints this controller owns among `taints` (condition and cordon taints). */
export function ownedNoScheduleTaints(taints: readonly NodeTaint[]): NodeTaint[] {
  return taints.filter(
    (t) =>
      t.effect === 'NoSchedule' &&
      (t.key === unschedulableTaintKey || conditionTaintKeySet.has(t.key)),
  );
}

/** TaintSetDiff: what to add to `existing` and remove from it to reach `desired` (by match). */
export function diffTaints(
  desired: readonly NodeTaint[],
  existing: readonly NodeTaint[],
): { add: NodeTaint[]; remove: NodeTaint[] } {
  const add = desired.filter((t) => !taintExists(existing, t));
  const remove = existing.filter((t) => !taintExists(desired, t));
  return { add, remove };
}

/** AddOrUpdateTaint for each of `toAdd` in turn: replace a differing match, append otherwise. */
export function addOrUpdateTaints(
  taints: readonly NodeTaint[],
  toAdd: readonly NodeTaint[],
): { taints: NodeTaint[]; changed: boolean } {
  let current = [...taints];
  let changed = false;
  for (const taint of toAdd) {
    const index = current.findIndex((t) => matchTaint(t, taint));
    if (index < 0) {
      current = [...current, taint];
      changed = true;
    } else if (!sameTaint(current[index] as NodeTaint, taint)) {
      current = current.map((t, i) => (i === index ? taint : t));
      changed = true;
    }
  }
  return { taints: current, changed };
}

/** DeleteTaint for each of `toRemove`: drops every taint matching it. */
export function removeTaints(
  taints: readonly NodeTaint[],
  toRemove: readonly NodeTaint[],
): { taints: NodeTaint[]; changed: boolean } {
  const kept = taints.filter((t) => !taintExists(toRemove, t));
  return { taints: kept, changed: kept.length !== taints.length };
}

/** The NoExecute taint for a Ready status (False → not-ready, Unknown → unreachable). */
export function noExecuteTaintFor(readyStatus: string): NodeTaint | undefined {
  if (readyStatus === 'False') return notReadyNoExecute;
  if (readyStatus === 'Unknown') return unreachableNoExecute;
  return undefined;
}

/** The other of the two NoExecute taints (they are kept mutually exclusive, like Ready). */
export function oppositeNoExecuteTaint(taint: NodeTaint): NodeTaint {
  return taint.key === notReadyTaintKey ? unreachableNoExecute : notReadyNoExecute;
}
