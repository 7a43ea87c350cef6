// NodePorts filter: the pod's host ports must be free on the node.
import { skip, status, success } from '../framework/types.js';
import type {
  CycleState,
  HostPort,
  NodeInfo,
  PodInfo,
  Plugin,
  PluginFactory,
  PreFilterResult,
  Status,
} from '../framework/types.js';

export const NAME = 'NodePorts';
export const reasonPortsConflict = "node(s) didn't have free ports for the requested pod ports";
const preFilterKey = `PreFilter${NAME}`;
const bindAll = '0.0.0.0';

/** HostPortInfo.CheckConflict: same protocol and port, and equal IPs or either is 0.0.0.0. */
export function portConflicts(wanted: HostPort, used: readonly HostPort[]): boolean {
  if (wanted.port <= 0) return false;
  for (const u of used) {
    if (u.port !== wanted.port || u.protocol !== wanted.protocol) continue;
    if (wanted.ip === bindAll || u.ip === bindAll || u.ip === wanted.ip) return true;
  }
  return false;
}

export function fitsPorts(wanted: readonly HostPort[], node: NodeInfo): boolean {
  for (const port of wanted) if (portConflicts(port, node.usedPorts)) return false;
  return true;
}

export const factory: PluginFactory = (): Plugin => ({
  name: NAME,
  preFilter(state: CycleState, pod: PodInfo): { result?: PreFilterResult; status: Status } {
    if (pod.hostPorts.length === 0) return { status: skip };
    state.write(preFilterKey, pod.hostPorts);
    return { status: success };
  },
  filter(state: CycleState, pod: PodInfo, node: NodeInfo): Status {
    const wanted = state.read<readonly HostPort[]>(preFilterKey) ?? pod.hostPorts;
    if (fitsPorts(wanted, node)) return success;
    return status('Unschedulable', reasonPortsConflict);
  },
});
