// node-overcommit: the requests of a node's admitted, non-terminal pods never exceed its
// allocatable cpu, memory and pod count.
//
// Requests are the scheduler's (podResourceRequests: max(init), Σ containers, overhead) and
// allocatable is status.allocatable, else status.capacity (nodeAllocatable). A pod counts from
// the moment it is bound (spec.nodeName set) until it is terminal or deleted, terminating or
// not, as the scheduler counts it, with one exception: a pod created already bound (no
// scheduler, e.g. a manifest with spec.nodeName) counts once its kubelet admitted it
// (status.startTime set and not Failed), since the kubelet's admission is what keeps those off a
// full node. Work per commit is O(the pod's containers); a violation is reported when a node
// goes over, once until it is back within allocatable.
import { isTerminal } from '../../../control/scheduler/cluster-events.js';
import {
  nodeAllocatable,
  podResourceRequests,
} from '../../../control/scheduler/framework/resources.js';
import type { StoredObject } from '../../../control/store/types.js';
import { hasStartTime, nodeNameOf } from './object-fields.js';
import type { ReportViolation } from './violation-log.js';

interface PodUse {
  node: string;
  /** It was bound by a binding (seen unbound first), not created bound. */
  viaBinding: boolean;
  counted: boolean;
  milliCpu: number;
  memory: number;
}

interface Amounts {
  milliCpu: number;
  memory: number;
  pods: number;
}

interface NodeUse {
  allocatable: Amounts | undefined;
  used: Amounts;
  over: boolean;
}

export class NodeCapacity {
  private readonly report: ReportViolation;
  private readonly pods = new Map<string, PodUse>();
  private readonly nodes = new Map<string, NodeUse>();

  constructor(options: { report: ReportViolation }) {
    this.report = options.report;
  }

  /** A pod's new state (undefined: deleted); `cause` names the change in messages. */
  onPod(key: string, pod: StoredObject | undefined, change: string): void {
    const cause = `${change} (pod ${key})`;
    const old = this.pods.get(key);
    if (old?.counted === true) this.addUse(old.node, old, -1);
    if (pod === undefined) {
      this.pods.delete(key);
      if (old !== undefined) this.check(old.node, cause);
      return;
    }
    const use = podUse(pod, old);
    this.pods.set(key, use);
    if (use.counted) this.addUse(use.node, use, 1);
    if (old !== undefined && old.node !== use.node) this.check(old.node, cause);
    if (use.node !== '') this.check(use.node, cause);
  }

  /** A node's new state (undefined: deleted). */
  onNode(node: StoredObject | undefined, name: string, cause: string): void {
    const use = this.nodeUse(name);
    use.allocatable = node === undefined ? undefined : allocatableOf(node);
    this.check(name, cause);
  }

  /** Checks every node (after loading a state wholesale). */
  checkAll(cause: string): void {
    for (const name of this.nodes.keys()) this.check(name, cause);
  }

  private nodeUse(name: string): NodeUse {
    let use = this.nodes.get(name);
    if (use === undefined) {
      use = { allocatable: undefined, used: { milliCpu: 0, memory: 0, pods: 0 }, over: false };
      this.nodes.set(name, use);
    }
    return use;
  }

  private addUse(node: string, pod: PodUse, sign: 1 | -1): void {
    const used = this.nodeUse(node).used;
    used.milliCpu += sign * pod.milliCpu;
    used.memory += sign * pod.memory;
    used.pods += sign;
  }

  private check(name: string, cause: string): void {
    const use = this.nodes.get(name);
    if (use === undefined) return;
    const excess = use.allocatable === undefined ? [] : excessOf(use.used, use.allocatable);
    const over = excess.length > 0;
    if (over && !use.over) {
      this.report(
        'node-overcommit',
        `node ${name} is over-committed after ${cause}: ${excess.join('; ')} ` +
          `(${use.used.pods} pods counted)`,
      );
    }
    use.over = over;
    if (use.allocatable === undefined && use.used.pods === 0) this.nodes.delete(name);
  }
}

function podUse(pod: StoredObject, old: PodUse | undefined): PodUse {
  const node = nodeNameOf(pod);
  const viaBinding = old !== undefined && (old.viaBinding || (old.node === '' && node !== ''));
  const counted = node !== '' && !isTerminal(pod) && (viaBinding || hasStartTime(pod));
  if (!counted) return { node, viaBinding, counted, milliCpu: 0, memory: 0 };
  const { requests } = podResourceRequests(pod);
  return { node, viaBinding, counted, milliCpu: requests.milliCpu, memory: requests.memory };
}

function allocatableOf(node: StoredObject): Amounts | undefined {
  const status = node['status'] as { allocatable?: unknown; capacity?: unknown } | undefined;
  if (status?.allocatable === undefined && status?.capacity === undefined) return undefined;
  const r = nodeAllocatable(node);
  return { milliCpu: r.milliCpu, memory: r.memory, pods: r.allowedPodNumber };
}

function excessOf(used: Amounts, allocatable: Amounts): string[] {
  const out: string[] = [];
  if (used.milliCpu > allocatable.milliCpu) {
    out.push(`cpu ${used.milliCpu}m requested of ${allocatable.milliCpu}m allocatable`);
  }
  if (used.memory > allocatable.memory) {
    out.push(`memory ${used.memory} requested of ${allocatable.memory} allocatable`);
  }
  if (used.pods > allocatable.pods) out.push(`${used.pods} pods of ${allocatable.pods} allowed`);
  return out;
}
