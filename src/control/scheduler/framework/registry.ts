// The in-tree plugin registry: plugin name → factory, as upstream's NewInTreeRegistry.
//
// Profiles name plugins; the framework runtime looks each name up here. SchedulingGates is a
// marker without extension points: the scheduling queue holds gated pods back (PreEnqueue)
// when a profile enables it.
import * as defaultBinder from '../plugins/default-binder.js';
import * as defaultPreemption from '../plugins/default-preemption.js';
import * as imageLocality from '../plugins/image-locality.js';
import * as interPodAffinity from '../plugins/inter-pod-affinity.js';
import * as nodeAffinity from '../plugins/node-affinity.js';
import * as nodeName from '../plugins/node-name.js';
import * as nodePorts from '../plugins/node-ports.js';
import * as balancedAllocation from '../plugins/balanced-allocation.js';
import * as nodeResourcesFit from '../plugins/node-resources-fit.js';
import * as nodeUnschedulable from '../plugins/node-unschedulable.js';
import * as podTopologySpread from '../plugins/pod-topology-spread.js';
import * as prioritySort from '../plugins/priority-sort.js';
import * as taintToleration from '../plugins/taint-toleration.js';
import type { PluginFactory } from './types.js';

export type PluginRegistry = ReadonlyMap<string, PluginFactory>;

export const schedulingGatesName = 'SchedulingGates';

/** A plugin module: its NAME and its factory. */
interface PluginModule {
  NAME: string;
  factory: PluginFactory;
}

/** Every in-tree plugin miniku has. */
export function inTreeRegistry(): PluginRegistry {
  const modules: PluginModule[] = [
    prioritySort,
    nodeUnschedulable,
    nodeName,
    taintToleration,
    nodeAffinity,
    nodePorts,
    nodeResourcesFit,
    podTopologySpread,
    interPodAffinity,
    defaultPreemption,
    balancedAllocation,
    imageLocality,
    defaultBinder,
  ];
  const registry = new Map<string, PluginFactory>(modules.map((m) => [m.NAME, m.factory]));
  registry.set(schedulingGatesName, () => ({ name: schedulingGatesName }));
  return registry;
}
