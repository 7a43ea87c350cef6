// The versioned (MVCC-style) store: one global revision, optimistic concurrency on
// resourceVersion, prefix lists at the current or a recent revision, and synchronous watches.
//
// Every write commits revision + 1, stamps it on a new frozen object, appends the change to the
// StoreBackend, records it in the bounded history and delivers it to the watchers before it
// returns. Only `sync()` waits (for the backend to make the writes durable).
//
// Semantics worth knowing (see also watchers.ts):
// - expectedResourceVersion is compared literally: undefined means unconditional, '' conflicts.
// - A write made from inside a watch callback commits at once, but its delivery waits until the
//   change being delivered has reached every watcher; so each watcher sees revisions in order.
// - A callback that throws does not stop delivery to other watchers; the write (already
//   committed) rethrows the first such error once delivery is done.
// - list: atRevision at or above the current revision reads the current state; with a filter a
//   cut page has no remainingCount (upstream omits remainingItemCount for selectors).
import type { StoreBackend } from '../ports/store-backend.js';
import { assert } from '../util/assert.js';
import { Change, ChangeHistory } from './history.js';
import { SortedKeyIndex } from './key-index.js';
import {
  canonicalJson,
  deepFreezeJson,
  resourceVersionOf,
  stampResourceVersion,
} from './store-codec.js';
import { listAtRevision, listCurrent } from './store-list.js';
import type {
  ListOptions,
  ListResult,
  StoreError,
  StoreErrorCode,
  StoredObject,
  StoreResult,
  StoreWatch,
  VersionedStore,
  WatchCallback,
  WatchEventType,
  WatchOptions,
} from './types.js';
import { WatcherRegistry } from './watchers.js';

export interface VersionedStoreOptions {
  backend: StoreBackend;
  /** How many recent changes are kept for watches and lists at an older revision. */
  watchHistoryCountMax?: number;
  /** How many watches may be open at once; one more is a capacity error (thrown). */
  watcherCountMax?: number;
}

function failure<T>(code: StoreErrorCode, key: string): StoreResult<T> {
  return { ok: false, error: { code, key } };
}

function expired<T>(
  key: string,
  requestedRevision: number,
  oldestRevision: number,
): StoreResult<T> {
  const error: StoreError = { code: 'Expired', key, requestedRevision, oldestRevision };
  return { ok: false, error };
}

function assertRevisionArgument(revision: number, name: string): void {
  assert(Number.isSafeInteger(revision), `${name} must be an integer`);
  assert(revision >= 0, `${name} must not be negative`);
}

class MvccStore implements VersionedStore {
  private readonly backend: StoreBackend;
  private readonly objects = new Map<string, StoredObject>();
  private readonly index = new SortedKeyIndex();
  private readonly history: ChangeHistory;
  private readonly watchers: WatcherRegistry;
  private revisionValue: number;

  constructor(options: Required<VersionedStoreOptions> & { loadedRevision: number }) {
    this.backend = options.backend;
    this.history = new ChangeHistory({ capacity: options.watchHistoryCountMax });
    this.watchers = new WatcherRegistry({ watcherCountMax: options.watcherCountMax });
    this.revisionValue = options.loadedRevision;
  }

  get revision(): number {
    return this.revisionValue;
  }

  get oldestRevision(): number {
    const first = this.history.firstRevision;
    return first === undefined ? this.revisionValue : first - 1;
  }

  /** Installs the objects a backend snapshot holds (keys ascending). */
  restore(entries: readonly { key: string; object: StoredObject }[]): void {
    for (const { key, object } of entries) this.objects.set(key, object);
    this.index.loadSorted(entries.map((entry) => entry.key));
  }

  get(key: string): StoredObject | undefined {
    return this.objects.get(key);
  }

  create(key: string, object: StoredObject): StoreResult<StoredObject> {
    if (this.objects.has(key)) return failure('AlreadyExists', key);
    return { ok: true, value: this.commitPut(key, object, undefined) };
  }

  update(
    key: string,
    object: StoredObject,
    options: { expectedResourceVersion?: string } = {},
  ): StoreResult<StoredObject> {
    const previous = this.objects.get(key);
    if (previous === undefined) return failure('NotFound', key);
    const expected = options.expectedResourceVersion;
    if (expected !== undefined && expected !== resourceVersionOf(previous)) {
      return failure('Conflict', key);
    }
    return { ok: true, value: this.commitPut(key, object, previous) };
  }

  delete(
    key: string,
    options: { expectedResourceVersion?: string; expectedUid?: string } = {},
  ): StoreResult<StoredObject> {
    const previous = this.objects.get(key);
    if (previous === undefined) return failure('NotFound', key);
    const { expectedResourceVersion, expectedUid } = options;
    if (expectedResourceVersion !== undefined) {
      if (expectedResourceVersion !== resourceVersionOf(previous)) return failure('Conflict', key);
    }
    if (expectedUid !== undefined) {
      const metadata = previous.metadata as { readonly uid?: unknown };
      if (expectedUid !== metadata.uid) return failure('Conflict', key);
    }
    const revision = this.revisionValue + 1;
    const last = stampResourceVersion(previous, revision);
    this.objects.delete(key);
    this.index.remove(key);
    this.revisionValue = revision;
    this.backend.append({ op: 'delete', revision, key });
    this.publish('DELETED', key, last, previous);
    return { ok: true, value: last };
  }

  list(prefix: string, options: ListOptions = {}): StoreResult<ListResult> {
    const atRevision = options.atRevision ?? 0;
    assertRevisionArgument(atRevision, 'atRevision');
    const limit = options.limit ?? 0;
    assert(Number.isSafeInteger(limit) && limit >= 0, 'limit must be a non-negative integer');
    const state = {
      index: this.index,
      objects: this.objects,
      history: this.history,
      revision: this.revisionValue,
    };
    if (atRevision === 0 || atRevision >= this.revisionValue) {
      return { ok: true, value: listCurrent(state, prefix, options) };
    }
    const oldest = this.oldestRevision;
    if (atRevision < oldest) return expired(prefix, atRevision, oldest);
    return { ok: true, value: listAtRevision(state, prefix, { ...options, atRevision }) };
  }

  /**
   * Starts a watch. With fromRevision > 0, the history's changes after it are delivered
   * synchronously inside this call, before it returns (the callback cannot cancel through the
   * handle yet). A callback that throws during that replay cancels the watch; the error is
   * rethrown. One watch more than `watcherCountMax` throws an AssertionError (capacity).
   */
  watch(prefix: string, options: WatchOptions, callback: WatchCallback): StoreResult<StoreWatch> {
    const fromRevision = options.fromRevision;
    assertRevisionArgument(fromRevision, 'fromRevision');
    const oldest = this.oldestRevision;
    if (fromRevision > 0 && fromRevision < oldest) return expired(prefix, fromRevision, oldest);
    const afterRevision = fromRevision === 0 ? this.revisionValue : fromRevision;
    const filter = options.filter;
    const handle = this.watchers.add(prefix, { filter, afterRevision }, callback);
    if (afterRevision < this.revisionValue) {
      try {
        this.watchers.replay(handle.watcher, this.history, () => this.revisionValue);
      } catch (error) {
        handle.cancel();
        throw error;
      }
    }
    return { ok: true, value: { cancel: handle.cancel } };
  }

  sync(): Promise<void> {
    return this.backend.sync();
  }

  /** Commits a create (previous undefined) or an update; the caller checked preconditions. */
  private commitPut(key: string, object: StoredObject, previous: StoredObject | undefined) {
    const revision = this.revisionValue + 1;
    const stored = stampResourceVersion(object, revision);
    const value = canonicalJson(stored);
    this.objects.set(key, stored);
    if (previous === undefined) this.index.insert(key);
    this.revisionValue = revision;
    this.backend.append({ op: 'put', revision, key, value });
    this.publish(previous === undefined ? 'ADDED' : 'MODIFIED', key, stored, previous);
    return stored;
  }

  /** Records the change just committed at the current revision and delivers it to watchers. */
  private publish(
    type: WatchEventType,
    key: string,
    object: StoredObject,
    prevObject: StoredObject | undefined,
  ): void {
    const revision = this.revisionValue;
    const change = new Change(Object.freeze({ type, object, prevObject, revision, key }));
    this.history.push(change);
    this.watchers.publish(change);
  }
}

function byEntryKey(a: { key: string }, b: { key: string }): number {
  return a.key < b.key ? -1 : a.key > b.key ? 1 : 0;
}

function parseEntry(entry: { key: string; value: string; modRevision: number }) {
  const object = deepFreezeJson(JSON.parse(entry.value) as StoredObject);
  const resourceVersion = resourceVersionOf(object);
  assert(
    resourceVersion === String(entry.modRevision),
    `backend entry "${entry.key}" has resourceVersion ${resourceVersion}, modRevision ${entry.modRevision}`,
  );
  return { key: entry.key, object };
}

/**
 * Loads the backend's snapshot and returns a store resuming at its revision with its objects.
 * The history starts empty, so `oldestRevision` is the loaded revision.
 */
export async function createVersionedStore(
  options: VersionedStoreOptions,
): Promise<VersionedStore> {
  const watchHistoryCountMax = options.watchHistoryCountMax ?? 10_000;
  const watcherCountMax = options.watcherCountMax ?? 100_000;
  const snapshot = await options.backend.load();
  assertRevisionArgument(snapshot.revision, 'backend revision');
  // Sorted here rather than trusted: a byte-ordered backend (etcd) may differ from code units.
  const entries = snapshot.entries.map(parseEntry).sort(byEntryKey);
  for (const entry of snapshot.entries) {
    assert(
      entry.modRevision <= snapshot.revision,
      `backend entry "${entry.key}" is from the future`,
    );
  }
  const store = new MvccStore({
    backend: options.backend,
    watchHistoryCountMax,
    watcherCountMax,
    loadedRevision: snapshot.revision,
  });
  store.restore(entries);
  return store;
}
