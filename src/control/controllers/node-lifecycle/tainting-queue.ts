// The per-zone rate-limited queue of nodes waiting for a NoExecute taint (upstream's
// RateLimitedTimedQueue over a UniqueQueue, pkg/controller/nodelifecycle/scheduler).
//
// Contract, as upstream:
// - add(name) queues a node unless it is already known to the queue: queued, or processed
//   successfully and not removed since (so a tainted node is not queued again until remove()).
// - remove(name) forgets the node entirely (dequeued and addable again); true if it was known.
// - tryProcess(action) walks the queue in processAt order (ties: insertion order). Each
//   step first takes a token from the zone's limiter (burst 1) and stops when there is none, or
//   when the head is not due yet. `action` resolves { done: true } (node leaves the queue but
//   stays known) or { done: false, retryAfterMs } (head again at now + retryAfterMs + 1 ms).
// - setQps(qps) swaps the limiter when the rate changes: qps ≤ 0 never admits; otherwise a
//   fresh token bucket with burst 1, drained at once if the old one had no token left.
// Bounded by the number of nodes: one entry per node name.
import type { Clock } from '../../ports/clock.js';
import { TokenBucket } from '../../client/token-bucket.js';
import { assert } from '../../util/assert.js';

/** Upstream's EvictionRateLimiterBurst. */
export const taintingBurst = 1;

export interface TaintingItem {
  readonly name: string;
  /** Node uid when it was queued (diagnostics, as upstream's TimedValue.UID). */
  readonly uid: string;
  readonly addedAtMs: number;
  processAtMs: number;
  /** Insertion sequence: breaks processAt ties deterministically. */
  readonly seq: number;
}

export type TaintingOutcome = { done: true } | { done: false; retryAfterMs: number };

export class TaintingQueue {
  readonly #clock: Clock;
  readonly #items: TaintingItem[] = [];
  readonly #known = new Set<string>();
  #qps: number;
  #bucket: TokenBucket | undefined;
  #seq = 0;

  constructor(options: { clock: Clock; qps: number }) {
    this.#clock = options.clock;
    assert(Number.isFinite(options.qps) && options.qps >= 0, 'qps must be a finite number ≥ 0');
    this.#qps = options.qps;
    this.#bucket = this.#newBucket(options.qps);
  }

  get qps(): number {
    return this.#qps;
  }

  /** Nodes waiting to be processed. */
  get length(): number {
    return this.#items.length;
  }

  /** Names waiting, in processing order (diagnostics and tests). */
  waitingNames(): string[] {
    return this.#sorted().map((item) => item.name);
  }

  add(name: string, uid: string, nowMs: number): boolean {
    if (this.#known.has(name)) return false;
    this.#known.add(name);
    const seq = this.#seq++;
    this.#items.push({ name, uid, addedAtMs: nowMs, processAtMs: nowMs, seq });
    return true;
  }

  remove(name: string): boolean {
    if (!this.#known.has(name)) return false;
    this.#known.delete(name);
    const index = this.#items.findIndex((item) => item.name === name);
    if (index >= 0) this.#items.splice(index, 1);
    return true;
  }

  setQps(qps: number): void {
    assert(Number.isFinite(qps) && qps >= 0, 'qps must be a finite number ≥ 0');
    if (qps === this.#qps) return;
    const oldHadToken = this.#bucket !== undefined && this.#bucket.tryAccept();
    const bucket = this.#newBucket(qps);
    if (bucket !== undefined && !oldHadToken) bucket.tryAccept();
    this.#qps = qps;
    this.#bucket = bucket;
  }

  /** Try: processes due heads while the limiter admits them (see the file comment). */
  async tryProcess(action: (item: TaintingItem) => Promise<TaintingOutcome>): Promise<void> {
    for (let head = this.#head(); head !== undefined; head = this.#head()) {
      if (this.#bucket === undefined || !this.#bucket.tryAccept()) return;
      const nowMs = this.#clock.nowMs();
      if (nowMs < head.processAtMs) return;
      const outcome = await action(head);
      if (!this.#items.includes(head)) continue;
      if (outcome.done) {
        this.#items.splice(this.#items.indexOf(head), 1);
      } else {
        head.processAtMs = nowMs + outcome.retryAfterMs + 1;
      }
    }
  }

  #newBucket(qps: number): TokenBucket | undefined {
    if (qps <= 0) return undefined;
    return new TokenBucket({ clock: this.#clock, qps, burst: taintingBurst });
  }

  #head(): TaintingItem | undefined {
    let best: TaintingItem | undefined;
    for (const item of this.#items) {
      if (best === undefined || before(item, best)) best = item;
    }
    return best;
  }

  #sorted(): TaintingItem[] {
    return [...this.#items].sort((a, b) => (before(a, b) ? -1 : before(b, a) ? 1 : 0));
  }
}

function before(a: TaintingItem, b: TaintingItem): boolean {
  return a.processAtMs < b.processAtMs || (a.processAtMs === b.processAtMs && a.seq < b.seq);
}
