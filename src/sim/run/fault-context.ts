// What a fault carries out with: the cluster world, the scenario's client and the faults still
// in place (for `heal`), shared by the fault actions.
import type { KubeClient } from '../../control/client/client.js';
import type { Rng } from '../../control/ports/rng.js';
import type { ClusterWorld } from '../cluster-world.js';
import type { NodePool } from '../scenario/scenario-model.js';

/** A rule a network fault added: its id and the selector it was given. */
export interface NetworkRule {
  id: string;
  from: readonly string[];
  to: readonly string[];
}

/** A `stopHeartbeats` in place: the link it stands for is `node/<name>` → `apiserver`. */
export interface HeartbeatStop {
  node: string;
}

/** Per pool: its settings and the index the next node `addNodes` adds gets. */
export type PoolIndexes = Map<string, { pool: NodePool; nextIndex: number }>;

export interface FaultContext {
  world: ClusterWorld;
  /** Network rules the scenario's faults put in place, for `heal`. */
  networkRules: NetworkRule[];
  /** Heartbeat stops in place, for `heal`. */
  heartbeatStops: HeartbeatStop[];
  /** The scenario's pools and the index their next added node gets. */
  pools: PoolIndexes;
  /** This fault's stream. */
  rng: Rng;
  /** The scenario's client (`client/kubectl`). */
  client: KubeClient;
  sleep: (ms: number) => Promise<void>;
  log: (text: string) => void;
}
