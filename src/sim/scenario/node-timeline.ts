// Which nodes exist when: pools at t=0, then addNodes and removeNodes faults in time order. Checks
// every node a fault names against the moment it acts, and resolves `removeNodes {pool, count}`
// to node names (the highest-numbered nodes present).
import { formatGoDurationMs } from '../../control/kubelet/go-duration.js';
import { poolNodeCountMax, poolNodeName } from './format-nodes.js';
import { quote, renderPath } from './scenario-errors.js';
import type { ObjectPath } from './scenario-errors.js';
import type { Fault, FaultAction, ScenarioSpec } from './scenario-model.js';

/** Most nodes a scenario may ever have, over all pools and additions. */
export const scenarioNodeCountMax = 10_000;

export interface CheckContext {
  report(path: ObjectPath, message: string): void;
  pathOf(value: object): ObjectPath;
}

interface NodeRecord {
  pool: string;
  index: number;
  addedAtMs: number;
  addedBy?: string;
  removedAtMs?: number;
  removedBy?: string;
}

export interface NodeTimeline {
  /** Every node that ever exists, by name. */
  nodes: ReadonlyMap<string, NodeRecord>;
  /** `unknown node "x" (nodes are …)` when `name` never exists. */
  unknownMessage(name: string): string | undefined;
}

/** `5m`, `1h30m`, `90ms`: Go's duration text without trailing zero units. */
export function shortDuration(ms: number): string {
  return formatGoDurationMs(ms)
    .replace(/(\d)m0s$/, '$1m')
    .replace(/(\d)h0m$/, '$1h');
}

class Timeline implements NodeTimeline {
  readonly nodes = new Map<string, NodeRecord>();
  readonly nextIndex = new Map<string, number>();

  readonly context: CheckContext;

  constructor(options: { context: CheckContext }) {
    this.context = options.context;
  }

  add(pool: string, count: number, atMs: number, by?: string): void {
    const start = this.nextIndex.get(pool) ?? 0;
    for (let index = start; index < start + count; index++) {
      const record: NodeRecord = {
        pool,
        index,
        addedAtMs: atMs,
        ...(by === undefined ? {} : { addedBy: by }),
      };
      this.nodes.set(poolNodeName(pool, index), record);
    }
    this.nextIndex.set(pool, start + count);
  }

  unknownMessage(name: string): string | undefined {
    if (this.nodes.has(name)) return undefined;
    const ranges = [...this.nextIndex]
      .filter(([, next]) => next > 0)
      .map(([pool, next]) => {
        const first = poolNodeName(pool, 0);
        return next === 1 ? first : `${first}..${poolNodeName(pool, next - 1)}`;
      });
    const known = ranges.length === 0 ? 'no nodes are declared' : `nodes are ${ranges.join(', ')}`;
    return `unknown node ${quote(name)} (${known})`;
  }

  /** Reports when `name` does not exist at `atMs`; true when it does. */
  check(name: string, atMs: number, path: ObjectPath): boolean {
    const record = this.nodes.get(name);
    if (record === undefined) {
      this.context.report(path, this.unknownMessage(name) ?? `unknown node ${quote(name)}`);
      return false;
    }
    if (record.addedAtMs > atMs) {
      const by = record.addedBy === undefined ? '' : ` (by ${record.addedBy})`;
      this.context.report(
        path,
        `node ${quote(name)} is only added at ${shortDuration(record.addedAtMs)}${by}`,
      );
      return false;
    }
    if (record.removedAtMs !== undefined && record.removedAtMs <= atMs) {
      const by = record.removedBy === undefined ? '' : ` (by ${record.removedBy})`;
      this.context.report(
        path,
        `node ${quote(name)} was removed at ${shortDuration(record.removedAtMs)}${by}`,
      );
      return false;
    }
    return true;
  }

  present(pool: string, atMs: number): string[] {
    return [...this.nodes]
      .filter(
        ([, r]) => r.pool === pool && r.addedAtMs <= atMs && (r.removedAtMs ?? Infinity) > atMs,
      )
      .sort(([, a], [, b]) => b.index - a.index)
      .map(([name]) => name);
  }
}

function nodeEndpoints(
  action: FaultAction,
): { list: 'from' | 'to'; index: number; node: string }[] {
  if (!('from' in action)) return [];
  const found: { list: 'from' | 'to'; index: number; node: string }[] = [];
  for (const list of ['from', 'to'] as const) {
    (action[list] ?? []).forEach((endpoint, index) => {
      if (endpoint.startsWith('node/')) found.push({ list, index, node: endpoint.slice(5) });
    });
  }
  return found;
}

function checkNodeRefs(timeline: Timeline, fault: Fault, path: ObjectPath): void {
  const { action, atMs } = fault;
  if ('node' in action) timeline.check(action.node, atMs, [...path, 'node']);
  if (action.kind === 'skewClock' && action.target.kind === 'node') {
    timeline.check(action.target.node, atMs, [...path, 'node']);
  }
  for (const { list, index, node } of nodeEndpoints(action)) {
    timeline.check(node, atMs, [...path, list, index]);
  }
}

function addNodes(timeline: Timeline, fault: Fault, path: ObjectPath, where: string): void {
  const { action, atMs } = fault;
  if (action.kind !== 'addNodes') return;
  if (!timeline.nextIndex.has(action.pool)) {
    timeline.context.report([...path, 'pool'], unknownPool(timeline, action.pool));
    return;
  }
  timeline.add(action.pool, action.count, atMs, where);
}

function removeNodes(timeline: Timeline, fault: Fault, path: ObjectPath, where: string): void {
  const { action, atMs } = fault;
  if (action.kind !== 'removeNodes') return;
  if (action.pool !== undefined) {
    if (!timeline.nextIndex.has(action.pool)) {
      timeline.context.report([...path, 'pool'], unknownPool(timeline, action.pool));
      return;
    }
    const present = timeline.present(action.pool, atMs);
    const count = action.count ?? 0;
    if (count > present.length) {
      const when = shortDuration(atMs);
      const message = `pool ${quote(action.pool)} has only ${present.length} nodes at ${when}`;
      timeline.context.report([...path, 'count'], message);
      return;
    }
    action.nodes = present.slice(0, count);
  } else if (!action.nodes.every((node, i) => timeline.check(node, atMs, [...path, 'nodes', i]))) {
    return;
  }
  for (const node of action.nodes) {
    const record = timeline.nodes.get(node);
    if (record !== undefined) Object.assign(record, { removedAtMs: atMs, removedBy: where });
  }
}

function unknownPool(timeline: Timeline, pool: string): string {
  const pools = [...timeline.nextIndex.keys()];
  const known = pools.length === 0 ? 'no pools are declared' : `pools are ${pools.join(', ')}`;
  return `unknown node pool ${quote(pool)} (${known})`;
}

/** Builds the timeline, reporting every node reference that does not exist when it acts. */
export function buildNodeTimeline(spec: ScenarioSpec, context: CheckContext): NodeTimeline {
  const timeline = new Timeline({ context });
  for (const pool of spec.nodePools) timeline.add(pool.name, pool.count, 0);
  const ordered = spec.faults
    .map((fault, order) => ({ fault, order }))
    .sort((a, b) => a.fault.atMs - b.fault.atMs || a.order - b.order);
  // Additions first, so a node named before it is added gets "only added at"; then references
  // and removals in time order, so a removal is seen by everything after it.
  for (const { fault } of ordered) {
    addNodes(timeline, fault, context.pathOf(fault.action), renderPath(context.pathOf(fault)));
  }
  for (const { fault } of ordered) {
    const actionPath = context.pathOf(fault.action);
    checkNodeRefs(timeline, fault, actionPath);
    removeNodes(timeline, fault, actionPath, renderPath(context.pathOf(fault)));
  }
  for (const [pool, next] of timeline.nextIndex) {
    if (next > poolNodeCountMax) {
      const path = context.pathOf(spec.nodePools.find((p) => p.name === pool) ?? spec);
      context.report(
        path,
        `pool ${quote(pool)} grows to ${next} nodes (at most ${poolNodeCountMax})`,
      );
    }
  }
  if (timeline.nodes.size > scenarioNodeCountMax) {
    context.report(['spec', 'nodePools'], `more than ${scenarioNodeCountMax} nodes in all`);
  }
  return timeline;
}
