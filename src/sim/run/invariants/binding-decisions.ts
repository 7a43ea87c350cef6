// binding-passed-filters: the scheduler binds a pod only to a node that passed its filters in the
// snapshot of the cycle that chose it.
//
// The scheduler hands each cycle's Decision (Scheduler.onDecision) as the cycle ends: the chosen
// node must not be among the nodes the cycle's filters rejected. The choice is remembered until
// the pod's binding commits: the node a pod is bound to (spec.nodeName going from unset to set)
// must be one the scheduler chose for it. A binding with no decision seen (a user's binding, or a
// scheduler that ran before the checker) is counted as unverified. Pods created already bound
// never pass the scheduler and are not bindings.
import type { Decision } from '../../../control/scheduler/explain.js';
import type { StoredObject } from '../../../control/store/types.js';
import type { ReportViolation } from './violation-log.js';
import { namespacedNameOf, nodeNameOf } from './object-fields.js';

/** How many different nodes are remembered per pod (cycles whose binding is still in flight). */
const choicesPerPodMax = 4;

export interface BindingDecisionsOptions {
  report: ReportViolation;
  /** Pods with a choice not yet bound, at most; the oldest are forgotten. Default 100,000. */
  pendingPodCountMax?: number;
}

export class BindingDecisions {
  private readonly report: ReportViolation;
  private readonly pendingPodCountMax: number;
  /** Nodes chosen per pod (`namespace/name`) whose binding has not committed yet. */
  private readonly choices = new Map<string, string[]>();
  private decisionCount = 0;
  private verified = 0;
  private unverified = 0;

  constructor(options: BindingDecisionsOptions) {
    this.report = options.report;
    this.pendingPodCountMax = options.pendingPodCountMax ?? 100_000;
  }

  get decisionsChecked(): number {
    return this.decisionCount;
  }

  get bindingsVerified(): number {
    return this.verified;
  }

  get bindingsUnverified(): number {
    return this.unverified;
  }

  onDecision(decision: Decision): void {
    this.decisionCount += 1;
    const chosen = decision.chosen;
    if (chosen === undefined) return;
    for (const outcome of decision.filtered) {
      if (outcome.node !== chosen) continue;
      this.report(
        'binding-passed-filters',
        `the scheduler chose ${chosen} for pod ${decision.pod} although filter ` +
          `${outcome.plugin || '(PreFilter)'} rejected it in the same cycle: ` +
          `${outcome.reasons.join(', ')}`,
      );
    }
    this.remember(decision.pod, chosen);
  }

  /** A pod's commit: `pod` is its new state (undefined: deleted), `previous` its old one. */
  onPod(pod: StoredObject | undefined, previous: StoredObject | undefined, cause: string): void {
    if (pod === undefined) {
      if (previous !== undefined) this.choices.delete(namespacedNameOf(previous));
      return;
    }
    if (previous === undefined || nodeNameOf(previous) !== '') return;
    const node = nodeNameOf(pod);
    if (node === '') return;
    const key = namespacedNameOf(pod);
    const chosen = this.choices.get(key);
    this.choices.delete(key);
    if (chosen === undefined) {
      this.unverified += 1;
    } else if (chosen.includes(node)) {
      this.verified += 1;
    } else {
      this.report(
        'binding-passed-filters',
        `pod ${key} was bound to ${node} at ${cause}, but the scheduler chose ` +
          `${chosen.join(', ')} for it`,
      );
    }
  }

  private remember(pod: string, node: string): void {
    const nodes = this.choices.get(pod);
    if (nodes === undefined) {
      if (this.choices.size >= this.pendingPodCountMax) {
        const oldest = this.choices.keys().next();
        if (oldest.done !== true) this.choices.delete(oldest.value);
      }
      this.choices.set(pod, [node]);
      return;
    }
    if (nodes.includes(node)) return;
    nodes.push(node);
    if (nodes.length > choicesPerPodMax) nodes.shift();
  }
}
