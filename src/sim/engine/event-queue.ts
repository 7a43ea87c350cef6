// Binary min-heap of simulation events in the engine's total order (see engine.ts).

import { assert } from '../../control/util/assert.js';

/** Phases of one virtual instant, in the order they run: faults, then timers, then deliveries. */
export const eventPhases = ['fault', 'timer', 'delivery'] as const;
export type EventPhase = (typeof eventPhases)[number];

/** What a caller hands to the engine to schedule. */
export interface ScheduleInput {
  /** Virtual time of the event, integer ms since the epoch, not before the engine's now. */
  atMs: number;
  phase: EventPhase;
  /** The component that owns the event, e.g. `kubelet/worker-1`; orders ties by code units. */
  endpoint: string;
  /**
   * The event body. A returned promise is watched: its rejection fails the run. Must not throw;
   * a throw fails the run (programmer error).
   */
  run: () => unknown;
  /**
   * True when `run` cannot resume async code (it settles no promise and starts no async function),
   * so the engine may skip the macrotask drain after it. Default false.
   */
  sync?: boolean;
}

/** The four fields that order events. */
export interface EventKey {
  readonly atMs: number;
  readonly phaseRank: number;
  readonly endpoint: string;
  readonly seq: number;
}

export interface QueuedEvent extends EventKey {
  readonly phase: EventPhase;
  readonly run: () => unknown;
  readonly sync: boolean;
  /** The endpoint's rank record: comparing ranks equals comparing endpoint strings. */
  readonly endpointRecord: EndpointRecord;
  /** Position in the heap; -1 once popped or removed. */
  heapIndex: number;
}

interface EndpointRecord {
  readonly name: string;
  /** Integer whose order is the names' code-unit order among known endpoints. */
  rank: number;
  nextSeq: number;
}

const phaseRanks: Record<EventPhase, number> = { fault: 0, timer: 1, delivery: 2 };

/**
 * Total order on events: time, phase, endpoint (code-unit order), per-endpoint sequence. This is
 * the definition; the heap compares endpoint ranks instead of strings, which orders the same.
 */
export function compareEvents(a: EventKey, b: EventKey): number {
  if (a.atMs !== b.atMs) return a.atMs < b.atMs ? -1 : 1;
  if (a.phaseRank !== b.phaseRank) return a.phaseRank - b.phaseRank;
  if (a.endpoint !== b.endpoint) return a.endpoint < b.endpoint ? -1 : 1;
  return a.seq - b.seq;
}

/** compareEvents on queued events, with integer endpoint ranks in place of string comparison. */
function before(a: QueuedEvent, b: QueuedEvent): boolean {
  if (a.atMs !== b.atMs) return a.atMs < b.atMs;
  if (a.phaseRank !== b.phaseRank) return a.phaseRank < b.phaseRank;
  if (a.endpointRecord !== b.endpointRecord) return a.endpointRecord.rank < b.endpointRecord.rank;
  return a.seq < b.seq;
}

/** Spacing of endpoint ranks after a renumbering; new names take the midpoint of a gap. */
const rankGap = 1 << 20;

/**
 * Keeps every endpoint seen so far in code-unit order with an integer rank each. A new name takes
 * the midpoint between its neighbours' ranks; when no integer is left there, all ranks are
 * renumbered. Relative order never changes, so events already in the heap stay valid.
 */
class EndpointRanks {
  private readonly sorted: EndpointRecord[] = [];
  private readonly byName = new Map<string, EndpointRecord>();

  get(name: string): EndpointRecord {
    const known = this.byName.get(name);
    if (known !== undefined) return known;
    const index = this.insertionIndex(name);
    const lowRank = this.sorted[index - 1]?.rank ?? 0;
    const highRank = this.sorted[index]?.rank ?? lowRank + 2 * rankGap;
    const record: EndpointRecord = { name, rank: Math.floor((lowRank + highRank) / 2), nextSeq: 0 };
    this.sorted.splice(index, 0, record);
    this.byName.set(name, record);
    if (record.rank <= lowRank || record.rank >= highRank) this.renumber();
    return record;
  }

  private insertionIndex(name: string): number {
    let low = 0;
    let high = this.sorted.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if ((this.sorted[middle] as EndpointRecord).name < name) low = middle + 1;
      else high = middle;
    }
    return low;
  }

  private renumber(): void {
    for (const [index, record] of this.sorted.entries()) record.rank = (index + 1) * rankGap;
  }
}

export interface EventQueueOptions {
  /** Most events that may wait in the queue at once; pushing past it throws. */
  queuedCountMax: number;
}

export class EventQueue {
  private readonly heap: QueuedEvent[] = [];
  /** Rank and next sequence number per endpoint; grows with the number of endpoints only. */
  private readonly endpoints = new EndpointRanks();
  private readonly queuedCountMax: number;

  constructor(options: EventQueueOptions) {
    assert(Number.isSafeInteger(options.queuedCountMax), 'queuedCountMax must be an integer');
    assert(options.queuedCountMax > 0, 'queuedCountMax must be positive');
    this.queuedCountMax = options.queuedCountMax;
  }

  get size(): number {
    return this.heap.length;
  }

  push(input: ScheduleInput): QueuedEvent {
    if (this.heap.length >= this.queuedCountMax) {
      throw new Error(
        `Event queue is full: queuedCountMax (${this.queuedCountMax}) events are waiting`,
      );
    }
    const endpointRecord = this.endpoints.get(input.endpoint);
    const seq = endpointRecord.nextSeq;
    endpointRecord.nextSeq += 1;
    const event: QueuedEvent = {
      atMs: input.atMs,
      phase: input.phase,
      phaseRank: phaseRanks[input.phase],
      endpoint: input.endpoint,
      seq,
      run: input.run,
      sync: input.sync === true,
      endpointRecord,
      heapIndex: this.heap.length,
    };
    this.heap.push(event);
    this.siftUp(event.heapIndex);
    return event;
  }

  peek(): QueuedEvent | undefined {
    return this.heap[0];
  }

  pop(): QueuedEvent | undefined {
    const top = this.heap[0];
    if (top !== undefined) this.removeAt(0);
    return top;
  }

  /** Removes a queued event; false when it was already popped or removed. */
  remove(event: QueuedEvent): boolean {
    const index = event.heapIndex;
    if (index < 0 || this.heap[index] !== event) return false;
    this.removeAt(index);
    return true;
  }

  private removeAt(index: number): void {
    const removed = this.heap[index];
    const last = this.heap.pop();
    assert(removed !== undefined && last !== undefined, 'removeAt on an empty slot');
    removed.heapIndex = -1;
    if (last === removed) return;
    this.heap[index] = last;
    last.heapIndex = index;
    this.siftDown(index);
    this.siftUp(last.heapIndex);
  }

  private siftUp(start: number): void {
    const heap = this.heap;
    let index = start;
    const event = heap[index] as QueuedEvent;
    while (index > 0) {
      const parentIndex = (index - 1) >> 1;
      const parent = heap[parentIndex] as QueuedEvent;
      if (!before(event, parent)) break;
      heap[index] = parent;
      parent.heapIndex = index;
      index = parentIndex;
    }
    heap[index] = event;
    event.heapIndex = index;
  }

  private siftDown(start: number): void {
    const heap = this.heap;
    const length = heap.length;
    let index = start;
    const event = heap[index] as QueuedEvent;
    for (;;) {
      const left = 2 * index + 1;
      if (left >= length) break;
      const right = left + 1;
      let child = left;
      if (right < length && before(heap[right] as QueuedEvent, heap[left] as QueuedEvent)) {
        child = right;
      }
      const childEvent = heap[child] as QueuedEvent;
      if (!before(childEvent, event)) break;
      heap[index] = childEvent;
      childEvent.heapIndex = index;
      index = child;
    }
    heap[index] = event;
    event.heapIndex = index;
  }
}
