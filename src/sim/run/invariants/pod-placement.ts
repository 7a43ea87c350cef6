// pod-on-two-nodes: a pod runs on one node at most, and is bound to one node for life.
//
// From the store: a pod's spec.nodeName, once set, never changes, and one uid never names two
// live pods. From the nodes' SimRuntimes: no pod uid has running containers on two nodes at once,
// nor runs on a node other than the one it is bound to while its pod object exists. Work per
// store commit and per container start or stop is O(1).
import { namespacedNameOf, nodeNameOf, uidOf } from './object-fields.js';
import type { StoredObject } from '../../../control/store/types.js';
import type { ReportViolation } from './violation-log.js';

interface BoundPod {
  key: string;
  /** '' while unbound. */
  node: string;
}

export class PodPlacement {
  private readonly report: ReportViolation;
  /** Live pods by uid. */
  private readonly pods = new Map<string, BoundPod>();
  /** Running containers by pod uid, then node. */
  private readonly running = new Map<string, Map<string, number>>();
  private containerChangeCount = 0;

  constructor(options: { report: ReportViolation }) {
    this.report = options.report;
  }

  get containerChangesChecked(): number {
    return this.containerChangeCount;
  }

  /** A pod's commit: `pod` is its new state (undefined: deleted), `previous` its old one. */
  onPod(pod: StoredObject | undefined, previous: StoredObject | undefined, cause: string): void {
    const subject = pod ?? previous;
    if (subject === undefined) return;
    const uid = uidOf(subject);
    const key = namespacedNameOf(subject);
    const before = previous === undefined ? '' : nodeNameOf(previous);
    const after = pod === undefined ? '' : nodeNameOf(pod);
    if (before !== '' && after !== '' && before !== after) {
      this.report(
        'pod-on-two-nodes',
        `pod ${key} (uid ${uid}) moved from ${before} to ${after} at ${cause}`,
      );
    }
    if (pod === undefined) {
      if (this.pods.get(uid)?.key === key) this.pods.delete(uid);
      return;
    }
    const other = this.pods.get(uid);
    if (other !== undefined && other.key !== key) {
      this.report('pod-on-two-nodes', `pods ${other.key} and ${key} share uid ${uid} (${cause})`);
    }
    this.pods.set(uid, { key, node: after });
  }

  /** A container of `node`'s runtime started (running) or stopped running. */
  onContainer(node: string, podUid: string, running: boolean): void {
    this.containerChangeCount += 1;
    if (podUid === '') return;
    let byNode = this.running.get(podUid);
    if (!running) {
      const count = (byNode?.get(node) ?? 0) - 1;
      if (byNode === undefined || count < 0) return;
      if (count > 0) byNode.set(node, count);
      else byNode.delete(node);
      if (byNode.size === 0) this.running.delete(podUid);
      return;
    }
    if (byNode === undefined) {
      byNode = new Map();
      this.running.set(podUid, byNode);
    }
    this.checkStart(node, podUid, byNode);
    byNode.set(node, (byNode.get(node) ?? 0) + 1);
  }

  private checkStart(node: string, podUid: string, byNode: Map<string, number>): void {
    const pod = this.pods.get(podUid);
    const name = pod === undefined ? `uid ${podUid}` : `${pod.key} (uid ${podUid})`;
    for (const [other, count] of byNode) {
      if (other !== node && count > 0) {
        this.report(
          'pod-on-two-nodes',
          `pod ${name} started a container on ${node} while running on ${other}`,
        );
      }
    }
    if (pod !== undefined && pod.node !== '' && pod.node !== node) {
      this.report(
        'pod-on-two-nodes',
        `pod ${name} started a container on ${node} but is bound to ${pod.node}`,
      );
    }
  }
}
