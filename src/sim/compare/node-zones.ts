// Which pool a node of a run came from (`<pool>-<index>`), hence its zone and pod capacity.
import { zoneLabel } from '../cluster-world.js';
import { poolNodeSpec } from '../run/scenario-world.js';
import type { Scenario } from '../scenario/scenario-model.js';

export interface NodeFacts {
  zone: string | null;
  podCapacity: number | null;
}

/**
 * The zone and pods capacity that the scenario gives node `name`: the pool with the longest
 * name such that `name` is `<pool>-<index>`. Nodes of no pool get nulls.
 */
export function nodeFactsOf(scenario: Scenario, name: string): NodeFacts {
  let best: NodeFacts | undefined;
  let bestLength = -1;
  for (const pool of scenario.spec.nodePools) {
    const prefix = `${pool.name}-`;
    const rest = name.slice(prefix.length);
    if (!name.startsWith(prefix) || !/^(0|[1-9]\d*)$/.test(rest)) continue;
    if (pool.name.length <= bestLength) continue;
    const spec = poolNodeSpec(pool, Number(rest));
    const zone = spec.zone ?? spec.labels?.[zoneLabel] ?? null;
    const pods = pool.capacity['pods'];
    const podCapacity = pods !== undefined && /^\d+$/.test(pods) ? Number(pods) : null;
    best = { zone, podCapacity };
    bestLength = pool.name.length;
  }
  return best ?? { zone: null, podCapacity: null };
}
