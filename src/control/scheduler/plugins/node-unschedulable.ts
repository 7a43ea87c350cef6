// NodeUnschedulable filter: spec.unschedulable nodes reject pods that do not tolerate the taint.
import { objectAt } from '../framework/json-fields.js';
import { filterByFlag } from '../framework/node-batch.js';
import { nodeFlag } from '../framework/node-table.js';
import { taintToleratedBy, tolerationsOf } from '../framework/taints.js';
import type { Taint } from '../framework/taints.js';
import { status, success } from '../framework/types.js';
import type { NodeInfo, PodInfo, Plugin, PluginFactory, Status } from '../framework/types.js';

export const NAME = 'NodeUnschedulable';
export const reasonUnschedulable = 'node(s) were unschedulable';

const unschedulableTaint: Taint = {
  key: 'node.kubernetes.io/unschedulable',
  value: '',
  effect: 'NoSchedule',
};

export function filterUnschedulable(pod: PodInfo, node: NodeInfo): Status {
  if (objectAt(node.node, 'spec')?.['unschedulable'] !== true) return success;
  if (taintToleratedBy(unschedulableTaint, tolerationsOf(pod.pod))) return success;
  return status('UnschedulableAndUnresolvable', reasonUnschedulable);
}

export const factory: PluginFactory = (): Plugin => ({
  name: NAME,
  filter: (_state, pod, node) => filterUnschedulable(pod, node),
  filterBatch: (_state, pod, batch, reject) =>
    filterByFlag(batch, nodeFlag.unschedulable, (node) => filterUnschedulable(pod, node), reject),
});
