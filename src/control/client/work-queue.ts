// A rate-limited delaying work queue of keys with client-go workqueue semantics, on a Clock.
//
// Contract (as client-go's `workqueue.Type`, `DelayingInterface`, `RateLimitingInterface`):
// - A key is queued at most once: adding a key that is already waiting is a no-op.
// - A key handed out by get() is "processing" until done(key). Adding it meanwhile marks it dirty;
//   done() then puts it back at the tail, so one key is never processed by two workers at once.
// - get() resolves in FIFO order, both for keys and for concurrent callers waiting on an empty
//   queue. A key that is already queued is handed out synchronously (the promise is resolved).
// - addAfter(key, delayMs) adds the key when the delay has passed (a Clock timer); a key waiting
//   twice keeps the earlier time. addRateLimited(key) delays by the rate limiter's verdict.
// - shutDown(): later adds are ignored, waiting timers are cancelled, keys already queued are
//   still handed out, and every get() that would wait resolves with `{ shutDown: true }`.
// - Bounds: at most `queueLengthMax` distinct keys may be queued (including dirty keys being
//   processed) and at most as many may wait on timers; an add past that drops the key and
//   reports a QueueFullError to `onQueueFull` (hitting the bound is a reported failure).
// add/done/addAfter are synchronous and cheap: event handlers call them on the watch hot path.

import type { Clock, TimerHandle } from '../ports/clock.js';
import { assert } from '../util/assert.js';
import type { RateLimiter } from './rate-limiters.js';
import { defaultControllerRateLimiter } from './rate-limiters.js';

export type QueueGetResult<K> = { shutDown: false; key: K } | { shutDown: true };

export class QueueFullError extends Error {
  override readonly name = 'QueueFullError';
}

export interface WorkQueueOptions<K> {
  clock: Clock;
  /** Used in error messages, e.g. `replicaset`. */
  name: string;
  /** Default: defaultControllerRateLimiter on the same clock. */
  rateLimiter?: RateLimiter<K>;
  /** Most keys queued at once, and most keys waiting on timers. Default 1,000,000. */
  queueLengthMax?: number;
  /** Told about each dropped add. Default: the error is kept in `lastQueueFullError`. */
  onQueueFull?: (error: QueueFullError) => void;
}

const shutDownResult: QueueGetResult<never> = Object.freeze({ shutDown: true });

interface Waiter<K> {
  resolve(result: QueueGetResult<K>): void;
}

export class WorkQueue<K> {
  readonly name: string;
  private readonly clock: Clock;
  private readonly rateLimiter: RateLimiter<K>;
  private readonly queueLengthMax: number;
  private readonly onQueueFull: (error: QueueFullError) => void;
  /** Ready keys in FIFO order; `head` indexes the next one (amortised O(1) shift). */
  private queue: K[] = [];
  private head = 0;
  /** Keys that need processing: queued, or re-added while processing. */
  private readonly dirty = new Set<K>();
  private readonly processing = new Set<K>();
  private readonly waiting = new Map<K, { readyAtMs: number; timer: TimerHandle }>();
  private readonly getters: Waiter<K>[] = [];
  private shuttingDown = false;
  private droppedCountValue = 0;
  lastQueueFullError: QueueFullError | undefined;

  constructor(options: WorkQueueOptions<K>) {
    this.name = options.name;
    this.clock = options.clock;
    this.rateLimiter =
      options.rateLimiter ?? defaultControllerRateLimiter<K>({ clock: this.clock });
    this.queueLengthMax = options.queueLengthMax ?? 1_000_000;
    assert(Number.isSafeInteger(this.queueLengthMax), 'queueLengthMax must be an integer');
    assert(this.queueLengthMax > 0, 'queueLengthMax must be positive');
    this.onQueueFull = options.onQueueFull ?? ((error) => void (this.lastQueueFullError = error));
  }

  /** Keys ready to be handed out (client-go's Len). */
  get length(): number {
    return this.queue.length - this.head;
  }

  /** Keys waiting on addAfter timers. */
  get waitingCount(): number {
    return this.waiting.size;
  }

  get processingCount(): number {
    return this.processing.size;
  }

  /** Adds dropped because the queue was full. */
  get droppedCount(): number {
    return this.droppedCountValue;
  }

  get isShuttingDown(): boolean {
    return this.shuttingDown;
  }

  add(key: K): void {
    if (this.shuttingDown || this.dirty.has(key)) return;
    if (this.dirty.size >= this.queueLengthMax) {
      this.reportFull(key, `${this.queueLengthMax} keys are queued`);
      return;
    }
    this.dirty.add(key);
    if (this.processing.has(key)) return;
    this.enqueueReady(key);
  }

  /**
   * Resolves with the next key, marking it processing until done(key); waits when the queue is
   * empty. Resolves `{ shutDown: true }` once the queue is shut down and empty.
   */
  get(): Promise<QueueGetResult<K>> {
    const key = this.takeReady();
    if (key !== undefined) return Promise.resolve({ shutDown: false, key: key.value });
    if (this.shuttingDown) return Promise.resolve(shutDownResult);
    return new Promise((resolve) => this.getters.push({ resolve }));
  }

  /** Ends processing of `key`; re-queues it when it was added meanwhile. */
  done(key: K): void {
    assert(this.processing.has(key), `work queue ${this.name}: done(${String(key)}) without get`);
    this.processing.delete(key);
    if (this.dirty.has(key)) this.enqueueReady(key);
  }

  /** Adds `key` after `delayMs` (integer ≥ 0); a key already waiting keeps its earlier time. */
  addAfter(key: K, delayMs: number): void {
    assert(Number.isSafeInteger(delayMs), `delayMs must be an integer, got ${delayMs}`);
    if (this.shuttingDown) return;
    if (delayMs <= 0) {
      this.add(key);
      return;
    }
    const readyAtMs = this.clock.nowMs() + delayMs;
    const existing = this.waiting.get(key);
    if (existing !== undefined) {
      if (existing.readyAtMs <= readyAtMs) return;
      existing.timer.cancel();
    } else if (this.waiting.size >= this.queueLengthMax) {
      this.reportFull(key, `${this.queueLengthMax} keys are waiting on timers`);
      return;
    }
    const timer = this.clock.setTimer(delayMs, () => {
      this.waiting.delete(key);
      this.add(key);
    });
    this.waiting.set(key, { readyAtMs, timer });
  }

  /** Adds `key` after the rate limiter's delay for it (which counts one more requeue). */
  addRateLimited(key: K): void {
    this.addAfter(key, this.rateLimiter.whenMs(key));
  }

  /** Clears the key's failure history; call after it was processed successfully. */
  forget(key: K): void {
    this.rateLimiter.forget(key);
  }

  numRequeues(key: K): number {
    return this.rateLimiter.numRequeues(key);
  }

  /** Stops accepting keys; pending and future get() calls on an empty queue see shutDown. */
  shutDown(): void {
    if (this.shuttingDown) return;
    this.shuttingDown = true;
    for (const entry of this.waiting.values()) entry.timer.cancel();
    this.waiting.clear();
    const getters = this.getters.splice(0);
    for (const getter of getters) getter.resolve(shutDownResult);
  }

  /** Hands `key` to the oldest waiting get(), or appends it to the ready queue. */
  private enqueueReady(key: K): void {
    const getter = this.getters.shift();
    if (getter === undefined) {
      this.queue.push(key);
      return;
    }
    this.startProcessing(key);
    getter.resolve({ shutDown: false, key });
  }

  private takeReady(): { value: K } | undefined {
    if (this.head >= this.queue.length) return undefined;
    const key = this.queue[this.head] as K;
    this.head += 1;
    if (this.head === this.queue.length) {
      this.queue = [];
      this.head = 0;
    } else if (this.head > 1024 && this.head * 2 > this.queue.length) {
      this.queue = this.queue.slice(this.head);
      this.head = 0;
    }
    this.startProcessing(key);
    return { value: key };
  }

  private startProcessing(key: K): void {
    this.processing.add(key);
    this.dirty.delete(key);
  }

  private reportFull(key: K, why: string): void {
    this.droppedCountValue += 1;
    this.onQueueFull(
      new QueueFullError(`Work queue "${this.name}" is full: dropped key "${String(key)}": ${why}`),
    );
  }
}
