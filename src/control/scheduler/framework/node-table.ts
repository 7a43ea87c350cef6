// NodeTable: the snapshot's per-node numbers as dense columns, indexed by position in
// Snapshot.nodes, so batch filters and scores walk typed arrays instead of object graphs.
//
// Callers: the cache snapshot writes a row whenever it replaces a node and rebuilds the table
// when nodes come or go; plugins' filterBatch/scoreBatch read it. A row is a copy of what the
// NodeInfo at that position says, nothing more: per-node plugin code and batch code agree.
import type { JsonObject } from '../../store/types.js';
import { objectAt } from './json-fields.js';
import { taintsOf } from './taints.js';
import type { NodeInfo } from './types.js';

/** Bits of NodeTable.flags. */
export const nodeFlag = {
  /** spec.unschedulable is true. */
  unschedulable: 1,
  /** Has a NoSchedule or NoExecute taint. */
  hardTaints: 2,
  /** Has a PreferNoSchedule taint. */
  softTaints: 4,
  /** node.status.images lists at least one image. */
  images: 8,
  /** Allocatable or requested has extended or hugepages resources. */
  scalars: 16,
} as const;

/** The flags a node object implies (all but `scalars`, which depends on its pods too). */
export function nodeObjectFlags(node: JsonObject): number {
  let flags = objectAt(node, 'spec')?.['unschedulable'] === true ? nodeFlag.unschedulable : 0;
  for (const taint of taintsOf(node)) {
    if (taint.effect === 'NoSchedule' || taint.effect === 'NoExecute') flags |= nodeFlag.hardTaints;
    else if (taint.effect === 'PreferNoSchedule') flags |= nodeFlag.softTaints;
  }
  return flags;
}

const initialCapacity = 64;

export class NodeTable {
  allocMilliCpu = new Float64Array(initialCapacity);
  allocMemory = new Float64Array(initialCapacity);
  allocEphemeralStorage = new Float64Array(initialCapacity);
  allocPods = new Float64Array(initialCapacity);
  reqMilliCpu = new Float64Array(initialCapacity);
  reqMemory = new Float64Array(initialCapacity);
  reqEphemeralStorage = new Float64Array(initialCapacity);
  podCount = new Float64Array(initialCapacity);
  nonZeroMilliCpu = new Float64Array(initialCapacity);
  nonZeroMemory = new Float64Array(initialCapacity);
  flags = new Uint8Array(initialCapacity);
  /** Node names by row. */
  readonly names: string[] = [];
  /** Rows in use (the snapshot's node count). */
  length = 0;
  /** nodeObjectFlags per node object (node objects are immutable). */
  readonly #objectFlags = new WeakMap<object, number>();

  /** Makes room for `length` rows; existing rows are kept. */
  resize(length: number): void {
    if (length > this.flags.length) {
      let capacity = this.flags.length;
      while (capacity < length) capacity *= 2;
      this.allocMilliCpu = grown(this.allocMilliCpu, capacity);
      this.allocMemory = grown(this.allocMemory, capacity);
      this.allocEphemeralStorage = grown(this.allocEphemeralStorage, capacity);
      this.allocPods = grown(this.allocPods, capacity);
      this.reqMilliCpu = grown(this.reqMilliCpu, capacity);
      this.reqMemory = grown(this.reqMemory, capacity);
      this.reqEphemeralStorage = grown(this.reqEphemeralStorage, capacity);
      this.podCount = grown(this.podCount, capacity);
      this.nonZeroMilliCpu = grown(this.nonZeroMilliCpu, capacity);
      this.nonZeroMemory = grown(this.nonZeroMemory, capacity);
      const flags = new Uint8Array(capacity);
      flags.set(this.flags);
      this.flags = flags;
    }
    this.names.length = length;
    this.length = length;
  }

  /** Writes row i from the node info at position i. */
  set(i: number, info: NodeInfo): void {
    const alloc = info.allocatable;
    const req = info.requested;
    this.allocMilliCpu[i] = alloc.milliCpu;
    this.allocMemory[i] = alloc.memory;
    this.allocEphemeralStorage[i] = alloc.ephemeralStorage;
    this.allocPods[i] = alloc.allowedPodNumber;
    this.reqMilliCpu[i] = req.milliCpu;
    this.reqMemory[i] = req.memory;
    this.reqEphemeralStorage[i] = req.ephemeralStorage;
    this.podCount[i] = info.pods.length;
    this.nonZeroMilliCpu[i] = info.nonZeroRequested.milliCpu;
    this.nonZeroMemory[i] = info.nonZeroRequested.memory;
    let flags = this.#flagsOf(info.node);
    if (info.imageSizes.size > 0) flags |= nodeFlag.images;
    if (alloc.scalar.size > 0 || req.scalar.size > 0) flags |= nodeFlag.scalars;
    this.flags[i] = flags;
    this.names[i] = info.name;
  }

  #flagsOf(node: JsonObject): number {
    let flags = this.#objectFlags.get(node);
    if (flags === undefined) {
      flags = nodeObjectFlags(node);
      this.#objectFlags.set(node, flags);
    }
    return flags;
  }
}

function grown(column: Float64Array, capacity: number): Float64Array<ArrayBuffer> {
  const next = new Float64Array(capacity);
  next.set(column);
  return next;
}
