// DefaultPreemption's per-node dry run (upstream SelectVictimsOnNode) and the orders it uses:
// remove every lower-priority pod, check the pod fits, then reprieve victims greedily from the
// most important down, keeping each one whose return still lets the pod fit.
import { parseTime } from '../../api/values/time.js';
import { MutableNodeInfo } from '../framework/node-info.js';
import type { CycleState, NodeInfo, PodInfo, Status } from '../framework/types.js';
import { isSuccess, status, success } from '../framework/types.js';

export const reasonNoVictims = 'No preemption victims found for incoming pod';

/** Runs every Filter plugin (with nominated pods) on a what-if node; see PreemptionHandle. */
export type FilterNode = (state: CycleState, pod: PodInfo, node: NodeInfo) => Status;

/** util.GetPodStartTime: status.startTime, or now for pods that have not started. */
export function podStartTimeMs(pod: PodInfo, nowMs: number): number {
  const status_ = (pod.pod['status'] ?? {}) as { startTime?: unknown };
  const text = status_.startTime;
  return typeof text === 'string' ? (parseTime(text) ?? nowMs) : nowMs;
}

/**
 * util.MoreImportantPod as a comparator: higher priority first, then earlier start. Equal pods
 * compare 0, so a stable sort keeps the node's pod order (upstream's sort.Slice is unstable).
 */
export function compareImportance(nowMs: number): (a: PodInfo, b: PodInfo) => number {
  return (a, b) => {
    if (a.priority !== b.priority) return b.priority - a.priority;
    return podStartTimeMs(a, nowMs) - podStartTimeMs(b, nowMs);
  };
}

function mutableCopy(node: NodeInfo): MutableNodeInfo {
  const copy = new MutableNodeInfo({ node: node.node });
  for (const p of node.pods) copy.addPod(p);
  return copy;
}

export interface VictimSelection {
  /** Most important first. Empty unless status is Success. */
  victims: PodInfo[];
  status: Status;
}

/** The victims preempting on this node needs, or why the node cannot help. */
export function selectVictimsOnNode(
  pod: PodInfo,
  node: NodeInfo,
  options: { state: CycleState; filterNode: FilterNode; nowMs: number },
): VictimSelection {
  const potential = node.pods.filter((p) => p.priority < pod.priority);
  if (potential.length === 0) {
    return { victims: [], status: status('UnschedulableAndUnresolvable', reasonNoVictims) };
  }
  const copy = mutableCopy(node);
  for (const p of potential) copy.removePod(p.key);
  const fits = options.filterNode(options.state, pod, copy);
  if (!isSuccess(fits)) return { victims: [], status: fits };
  const victims: PodInfo[] = [];
  for (const p of [...potential].sort(compareImportance(options.nowMs))) {
    copy.addPod(p);
    if (!isSuccess(options.filterNode(options.state, pod, copy))) {
      copy.removePod(p.key);
      victims.push(p);
    }
  }
  return { victims, status: success };
}
