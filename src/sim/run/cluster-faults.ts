// The control-plane and node faults: component and API server restarts, lost heartbeats, nodes
// added to a pool or removed for good.
import { coreResources } from '../../control/client/resource-client.js';
import type { RestartableComponent } from '../cluster-world.js';
import type { Scenario } from '../scenario/scenario-model.js';
import type { FaultContext, HeartbeatStop, PoolIndexes } from './fault-context.js';
import { poolNodeSpec } from './scenario-world.js';

export function stopHeartbeats(ctx: FaultContext, node: string, forMs?: number): void {
  if (!ctx.world.nodes.has(node)) {
    ctx.log(`stopHeartbeats: no node ${node}`);
    return;
  }
  const stop = { node };
  ctx.heartbeatStops.push(stop);
  ctx.world.setHeartbeatsPaused(node, true);
  if (forMs !== undefined) void ctx.sleep(forMs).then(() => endHeartbeatStop(ctx, stop));
}

function endHeartbeatStop(ctx: FaultContext, stop: HeartbeatStop): void {
  const index = ctx.heartbeatStops.indexOf(stop);
  if (index < 0) return;
  ctx.heartbeatStops.splice(index, 1);
  const stillStopped = ctx.heartbeatStops.some((s) => s.node === stop.node);
  if (!stillStopped && ctx.world.nodes.has(stop.node)) {
    ctx.world.setHeartbeatsPaused(stop.node, false);
  }
}

/** Heals the stops whose link `node/<name>` – `apiserver` runs between `from` and `to`. */
export function healHeartbeats(
  ctx: FaultContext,
  from?: readonly string[],
  to?: readonly string[],
) {
  const covers = (side: readonly string[] | undefined, endpoint: string) =>
    side === undefined || side.includes(endpoint) || side.includes('*');
  for (const stop of [...ctx.heartbeatStops]) {
    const node = `node/${stop.node}`;
    const forward = covers(from, node) && covers(to, 'apiserver');
    const backward = covers(from, 'apiserver') && covers(to, node);
    if (forward || backward) endHeartbeatStop(ctx, stop);
  }
}

/**
 * The component stops (its loops end), and after `downForMs` new instances start with empty
 * caches and relist; overlapping restarts start it once.
 */
export async function restartComponent(
  ctx: FaultContext,
  component: RestartableComponent,
  downForMs: number,
): Promise<void> {
  await ctx.world.stopComponent(component);
  void ctx.sleep(downForMs).then(() => {
    if (ctx.world.componentRunning(component)) return;
    ctx.world.startComponent(component);
    ctx.log(`${component} is back`);
  });
}

/**
 * The API server goes away: a partition of `apiserver` from the cluster's components and the
 * writers (`scheduler`, `controller-manager`, `node/*`, `client/writer-*`) breaks their watches
 * and fails their requests; a new instance over the same store serves from then on, and they
 * reach it after `downForMs`. The scenario's own observers (`client/kubectl`, `client/report`)
 * are not cut, so expectations are still checked.
 */
export function restartApiServer(ctx: FaultContext, downForMs: number): void {
  const network = ctx.world.network;
  const to = ['scheduler', 'controller-manager', 'node/*', 'client/writer-*'];
  const id = network.partition({ from: ['apiserver'], to });
  ctx.world.replaceApiServer();
  void ctx.sleep(downForMs).then(() => {
    network.removeRule(id);
    ctx.log('apiserver is back');
  });
}

export function addNodes(ctx: FaultContext, poolName: string, count: number): void {
  const entry = ctx.pools.get(poolName);
  if (entry === undefined) {
    ctx.log(`addNodes: no pool ${poolName}`);
    return;
  }
  for (let i = 0; i < count; i++) {
    ctx.world.addNode(poolNodeSpec(entry.pool, entry.nextIndex++));
  }
}

/** The machine is gone for good: kubelet and runtime stop, then its Node object is deleted. */
export async function removeNode(ctx: FaultContext, node: string): Promise<void> {
  if (!ctx.world.nodes.has(node)) {
    ctx.log(`removeNodes: no node ${node}`);
    return;
  }
  await ctx.world.removeNode(node);
  const stops = ctx.heartbeatStops.filter((s) => s.node === node);
  for (const stop of stops) ctx.heartbeatStops.splice(ctx.heartbeatStops.indexOf(stop), 1);
  await ctx.client
    .delete(coreResources.nodes, '', node)
    .catch((error: unknown) => ctx.log(`deleting node ${node} failed: ${String(error)}`));
}

/** The pools of a scenario, each with the index its first added node gets. */
export function poolIndexes(scenario: Scenario): PoolIndexes {
  return new Map(
    scenario.spec.nodePools.map((pool) => [pool.name, { pool, nextIndex: pool.count }]),
  );
}
