// NodeName filter: a pod with spec.nodeName fits only that node.
import { objectAt, stringAt } from '../framework/json-fields.js';
import { status, success } from '../framework/types.js';
import type { NodeInfo, PodInfo, Plugin, PluginFactory, Status } from '../framework/types.js';
import { filterEach } from '../framework/node-batch.js';

export const NAME = 'NodeName';
export const reasonNodeName = "node(s) didn't match the requested node name";

function filterNodeName(pod: PodInfo, node: NodeInfo): Status {
  const wanted = stringAt(objectAt(pod.pod, 'spec'), 'nodeName');
  if (!wanted || wanted === node.name) return success;
  return status('UnschedulableAndUnresolvable', reasonNodeName);
}

export const factory: PluginFactory = (): Plugin => ({
  name: NAME,
  filter: (_state, pod, node) => filterNodeName(pod, node),
  filterBatch: (_state, pod, batch, reject) => {
    if (!stringAt(objectAt(pod.pod, 'spec'), 'nodeName')) return batch.count;
    return filterEach(batch, (node) => filterNodeName(pod, node), reject);
  },
});
