// PodTopologySpread's node inclusion policies: the pod's nodeSelector/required node affinity
// (nodeAffinityPolicy Honor) and its tolerations of NoSchedule/NoExecute taints (nodeTaintsPolicy).
import type { JsonObject } from '../../store/types.js';
import { requiredNodeAffinityMatches, requiredNodeAffinityOf } from '../framework/node-selector.js';
import type { RequiredNodeAffinity } from '../framework/node-selector.js';
import { taintToleratedBy, taintsOf, tolerationsOf } from '../framework/taints.js';
import type { Toleration } from '../framework/taints.js';
import type { NodeInfo } from '../framework/types.js';

/** What the policies need from the incoming pod, parsed once per cycle. */
export interface InclusionInputs {
  affinity: RequiredNodeAffinity;
  tolerations: readonly Toleration[];
}

export function inclusionInputsOf(pod: JsonObject): InclusionInputs {
  return { affinity: requiredNodeAffinityOf(pod), tolerations: tolerationsOf(pod) };
}

/** nodeaffinity.GetRequiredNodeAffinity(pod).Match(node). */
export function podMatchesNodeAffinity(inputs: InclusionInputs, node: NodeInfo): boolean {
  return requiredNodeAffinityMatches(inputs.affinity, node.labels, node.name);
}

/** Every NoSchedule/NoExecute taint of the node is tolerated by the pod. */
export function podToleratesNodeTaints(inputs: InclusionInputs, node: NodeInfo): boolean {
  return taintsOf(node.node)
    .filter((t) => t.effect === 'NoSchedule' || t.effect === 'NoExecute')
    .every((taint) => taintToleratedBy(taint, inputs.tolerations));
}
