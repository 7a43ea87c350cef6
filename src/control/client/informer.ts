// Informer: list+watch of one resource into a local cache, with event handlers (client-go's
// reflector + shared index informer, reduced to one consumer loop).
//
// Lifecycle
// - start(): list every page (limit 500, as the reflector), replace the cache, mark synced, then
//   watch from the list's resourceVersion with bookmarks and a server timeout of
//   [watchTimeoutSecondsMin, 2 × watchTimeoutSecondsMin) seconds (jittered, as the reflector).
// - Watch events update the cache and call handlers synchronously, in stream order. The last
//   seen resourceVersion (objects and BOOKMARKs) is where the next watch starts.
// - A normal end of the stream re-watches at once from that version, unless the watch lasted
//   under 1 s without an event (then it backs off first, like the reflector's "very short watch").
//   A broken stream, a rejected watch start or a non-410 ERROR event re-watch after a backoff.
// - 410 (an ERROR event with code 410, or a rejected watch/list page with reason Expired or
//   Gone) re-lists after a backoff; a failed list is retried after a backoff.
// - Backoff: 800 ms doubling to 30 s, jittered up to +100 % by the injected Rng, reset after
//   2 min without failures (backoff.ts). Timers come from the injected Clock.
// Re-list (client-go's Replace), for the listed objects in key order: a new key → onAdd; a key
// whose resourceVersion changed → onUpdate(old, new); an unchanged object → no call (unlike
// client-go, which also sends same-version updates on re-list). Then every cached key missing
// from the list → onDelete(lastKnown, finalStateUnknown = true), in key order: the object is
// gone, but its final state and the moment it left were not observed (client-go's
// DeletedFinalStateUnknown tombstone, flattened into a flag).
// Resync: every resyncPeriodMs (0 = off) after the first sync, onUpdate(obj, obj) for every
// cached object in key order. Handlers receive deep-frozen objects shared with the cache; they
// must not mutate them, must not throw, and should only enqueue keys (hot path).

import type { Clock, TimerHandle } from '../ports/clock.js';
import type { Rng } from '../ports/rng.js';
import { assert, assertNever } from '../util/assert.js';
import { ExponentialBackoff } from './backoff.js';
import type { CacheReader, IndexFunction } from './cache.js';
import { deepFreeze, ObjectCache, objectKeyOf } from './cache.js';
import type { KubeClient } from './client.js';
import { isGoneOrExpired } from './errors.js';
import type { KubeObject, ObjectList, ResourceDescriptor, Status, WatchEvent } from './types.js';
import type { WatchEnd, WatchHandle } from './watch-stream.js';

export interface InformerEventHandler<T extends KubeObject> {
  onAdd?(object: T): void;
  onUpdate?(oldObject: T, newObject: T): void;
  /** `finalStateUnknown`: the object vanished between two lists; `object` is its last state. */
  onDelete?(object: T, finalStateUnknown: boolean): void;
}

export interface HandlerRegistration {
  remove(): void;
}

export interface InformerOptions<T extends KubeObject> {
  client: KubeClient;
  resource: ResourceDescriptor;
  clock: Clock;
  /** Jitter for backoffs and watch timeouts; forks `backoff` and `watch-timeout`. */
  rng: Rng;
  /** '' (default): every namespace (or a cluster-scoped resource). */
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
  /** 0 (default): no resync. */
  resyncPeriodMs?: number;
  indexers?: Record<string, IndexFunction<T>>;
  /** List page size. Default 500. */
  pageSize?: number;
  /** Default 300 (client-go's minWatchTimeout, 5 min). */
  watchTimeoutSecondsMin?: number;
  backoff?: { initialMs?: number; maxMs?: number; resetAfterMs?: number };
}

/** A watch shorter than this with no event counts as failed (client-go's "very short watch"). */
const shortWatchMs = 1_000;

export class Informer<T extends KubeObject = KubeObject> {
  readonly resource: ResourceDescriptor;
  private readonly options: InformerOptions<T>;
  private readonly cache: ObjectCache<T>;
  private readonly backoff: ExponentialBackoff;
  private readonly timeoutRng: Rng;
  private readonly handlers: InformerEventHandler<T>[] = [];
  private state: 'idle' | 'listing' | 'watching' | 'backingOff' | 'stopped' = 'idle';
  /** Bumped on stop and on every list/watch start; late callbacks of older ones are ignored. */
  private epoch = 0;
  private synced = false;
  private lastResourceVersion = '';
  private watchHandle: WatchHandle | undefined;
  private retryTimer: TimerHandle | undefined;
  private resyncTimer: TimerHandle | undefined;
  private listCountValue = 0;
  private watchCountValue = 0;
  /** The last list or watch failure, for diagnostics. */
  lastError: Error | undefined;

  constructor(options: InformerOptions<T>) {
    this.options = options;
    this.resource = options.resource;
    this.cache = new ObjectCache<T>({ indexers: options.indexers ?? {} });
    this.backoff = new ExponentialBackoff({
      clock: options.clock,
      rng: options.rng.fork('backoff'),
      ...options.backoff,
    });
    this.timeoutRng = options.rng.fork('watch-timeout');
    const resync = options.resyncPeriodMs ?? 0;
    assert(Number.isSafeInteger(resync) && resync >= 0, 'resyncPeriodMs must be an integer ≥ 0');
  }

  /** The local cache: read it, never mutate what it returns. */
  get store(): CacheReader<T> {
    return this.cache;
  }

  /** What the informer is doing now (diagnostics). */
  get phase(): 'idle' | 'listing' | 'watching' | 'backingOff' | 'stopped' {
    return this.state;
  }

  /** True once the first list has been stored. */
  hasSynced(): boolean {
    return this.synced;
  }

  /** The version the next watch starts from (the last list, event or bookmark seen). */
  get lastSyncResourceVersion(): string {
    return this.lastResourceVersion;
  }

  /** Lists started (the first one and every re-list). */
  get listCount(): number {
    return this.listCountValue;
  }

  /** Watches started. */
  get watchCount(): number {
    return this.watchCountValue;
  }

  /**
   * Registers handlers. On an informer that already holds objects, onAdd is called at once for
   * each of them in key order, as client-go does for a late handler.
   */
  addEventHandler(handler: InformerEventHandler<T>): HandlerRegistration {
    this.handlers.push(handler);
    if (handler.onAdd !== undefined) for (const object of this.cache.list()) handler.onAdd(object);
    return {
      remove: () => {
        const index = this.handlers.indexOf(handler);
        if (index >= 0) this.handlers.splice(index, 1);
      },
    };
  }

  start(): void {
    assert(this.state === 'idle', `informer for ${this.resource.plural} started twice`);
    this.list();
  }

  /** Stops watching, retries and resyncs; the cache keeps its last contents. Idempotent. */
  stop(): void {
    this.state = 'stopped';
    this.epoch += 1;
    this.watchHandle?.stop();
    this.watchHandle = undefined;
    this.retryTimer?.cancel();
    this.resyncTimer?.cancel();
  }

  private list(): void {
    this.state = 'listing';
    const epoch = ++this.epoch;
    this.listCountValue += 1;
    const { client, resource, namespace = '', labelSelector, fieldSelector } = this.options;
    const pageSize = this.options.pageSize ?? 500;
    const listing = client.listAll<T>(resource, namespace, {
      labelSelector,
      fieldSelector,
      pageSize,
    });
    listing.then(
      (list) => {
        if (epoch === this.epoch) this.listed(list);
      },
      (error: unknown) => {
        if (epoch !== this.epoch) return;
        this.lastError = error instanceof Error ? error : new Error(String(error));
        this.retryAfterBackoff('list');
      },
    );
  }

  private listed(list: ObjectList<T>): void {
    this.replace(list.items);
    this.lastResourceVersion = list.metadata.resourceVersion;
    if (!this.synced) {
      this.synced = true;
      this.armResync();
    }
    this.watch();
  }

  private watch(): void {
    this.state = 'watching';
    const epoch = ++this.epoch;
    this.watchCountValue += 1;
    const startedAtMs = this.options.clock.nowMs();
    let eventCount = 0;
    const min = this.options.watchTimeoutSecondsMin ?? 300;
    const { client, resource, namespace = '', labelSelector, fieldSelector } = this.options;
    const watchOptions = {
      resourceVersion: this.lastResourceVersion,
      allowWatchBookmarks: true,
      timeoutSeconds: min + this.timeoutRng.intBelow(Math.max(1, min)),
      labelSelector,
      fieldSelector,
    };
    this.watchHandle = client.watch<T>(resource, namespace, watchOptions, {
      onEvent: (event) => {
        if (epoch !== this.epoch) return;
        eventCount += 1;
        this.onWatchEvent(event);
      },
      onEnd: (end) => {
        if (epoch !== this.epoch) return;
        this.watchHandle = undefined;
        const short = eventCount === 0 && this.options.clock.nowMs() - startedAtMs < shortWatchMs;
        this.onWatchEnd(end, short);
      },
    });
  }

  private onWatchEvent(event: WatchEvent<T>): void {
    switch (event.type) {
      case 'ADDED':
      case 'MODIFIED':
        this.upsert(deepFreeze(event.object));
        return this.observe(event.object);
      case 'DELETED':
        this.remove(deepFreeze(event.object));
        return this.observe(event.object);
      case 'BOOKMARK':
        return this.observe(event.object);
      case 'ERROR':
        return this.onWatchError(event.object);
      default:
        return assertNever(event, 'unknown watch event');
    }
  }

  private observe(object: KubeObject): void {
    const version = object.metadata.resourceVersion;
    if (typeof version === 'string' && version !== '') this.lastResourceVersion = version;
  }

  private onWatchError(status: Status): void {
    this.watchHandle?.stop();
    this.watchHandle = undefined;
    this.lastError = new Error(`watch of ${this.resource.plural} failed: ${status.message}`);
    const expired = status.code === 410 || status.reason === 'Expired' || status.reason === 'Gone';
    this.retryAfterBackoff(expired ? 'list' : 'watch');
  }

  private onWatchEnd(end: WatchEnd, short: boolean): void {
    switch (end.kind) {
      case 'closed':
        if (short) return this.retryAfterBackoff('watch');
        return this.watch();
      case 'broken':
        this.lastError = end.error;
        return this.retryAfterBackoff('watch');
      case 'rejected':
        this.lastError = end.error;
        return this.retryAfterBackoff(isGoneOrExpired(end.error) ? 'list' : 'watch');
      default:
        return assertNever(end, 'unknown watch end');
    }
  }

  private retryAfterBackoff(next: 'list' | 'watch'): void {
    this.state = 'backingOff';
    const epoch = ++this.epoch;
    this.retryTimer = this.options.clock.setTimer(this.backoff.nextDelayMs(), () => {
      if (epoch !== this.epoch) return;
      if (next === 'list') this.list();
      else this.watch();
    });
  }

  private upsert(object: T): void {
    const old = this.cache.set(objectKeyOf(object), object);
    for (const handler of this.handlers) {
      if (old === undefined) handler.onAdd?.(object);
      else handler.onUpdate?.(old, object);
    }
  }

  private remove(object: T): void {
    const old = this.cache.delete(objectKeyOf(object));
    if (old === undefined) return;
    for (const handler of this.handlers) handler.onDelete?.(object, false);
  }

  /** client-go's Replace, diffed: see the file comment. */
  private replace(items: readonly T[]): void {
    const listed = new Set<string>();
    const sorted = items.map((item) => ({ key: objectKeyOf(item), item }));
    sorted.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    for (const { key, item } of sorted) {
      listed.add(key);
      const old = this.cache.get(key);
      if (old !== undefined && old.metadata.resourceVersion === item.metadata.resourceVersion) {
        continue;
      }
      this.upsert(deepFreeze(item));
    }
    const vanished = this.cache.keys().filter((key) => !listed.has(key));
    for (const key of vanished) {
      const old = this.cache.delete(key) as T;
      for (const handler of this.handlers) handler.onDelete?.(old, true);
    }
  }

  private armResync(): void {
    const periodMs = this.options.resyncPeriodMs ?? 0;
    if (periodMs === 0) return;
    const tick = (): void => {
      if (this.state === 'stopped') return;
      for (const object of this.cache.list()) {
        for (const handler of this.handlers) handler.onUpdate?.(object, object);
      }
      this.resyncTimer = this.options.clock.setTimer(periodMs, tick);
    };
    this.resyncTimer = this.options.clock.setTimer(periodMs, tick);
  }
}
