// NodeName filter: a pod with spec.nodeName fits only that node.
import { objectAt, stringAt } from '../framework/json-fields.js';
import { status, success } from '../framework/types.js';
import type { Plugin, PluginFactory } from '../framework/types.js';

export const NAME = 'NodeName';
export const reasonNodeName = "node(s) didn't match the requested node name";

export const factory: PluginFactory = (): Plugin => ({
  name: NAME,
  filter: (_state, pod, node) => {
    const wanted = stringAt(objectAt(pod.pod, 'spec'), 'nodeName');
    if (!wanted || wanted === node.name) return success;
    return status('UnschedulableAndUnresolvable', reasonNodeName);
  },
});
