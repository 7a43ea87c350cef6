// The versioned store's contract, as the API server (its only caller) sees it.
//
// One global revision counts every committed write. Each stored object carries the revision that
// last wrote it as `metadata.resourceVersion` (a decimal string). Objects are JSON-safe, deep-frozen
// and shared: the store never copies them on read, and callers never mutate them.

export type JsonPrimitive = string | number | boolean | null;
export type JsonValue = JsonPrimitive | readonly JsonValue[] | JsonObject;
export interface JsonObject {
  readonly [key: string]: JsonValue;
}

/** A Kubernetes-shaped object as stored (metadata is always an object). */
export type StoredObject = JsonObject;

export type StoreErrorCode = 'NotFound' | 'AlreadyExists' | 'Conflict' | 'Expired';

export interface StoreError {
  code: StoreErrorCode;
  key: string;
  /** For Expired: the requested revision and the oldest one still available. */
  requestedRevision?: number;
  oldestRevision?: number;
}

export type StoreResult<T> = { ok: true; value: T } | { ok: false; error: StoreError };

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED';

export interface StoreWatchEvent {
  type: WatchEventType;
  /** For DELETED: the last state, with resourceVersion set to the deleting revision. */
  object: StoredObject;
  /** State before this change; undefined for ADDED. */
  prevObject: StoredObject | undefined;
  revision: number;
  key: string;
}

/** Decides whether a watcher or a list sees an object. Must be pure and must not throw. */
export type ObjectFilter = (object: StoredObject) => boolean;

export interface ListOptions {
  /** Read the state as of this revision (0 or absent: current). Too old → Expired. */
  atRevision?: number;
  /** Only keys strictly greater than this (for continuation). */
  afterKey?: string;
  /** Page size; 0 or absent: everything. Counted after filtering. */
  limit?: number;
  filter?: ObjectFilter;
}

export interface ListResult {
  items: StoredObject[];
  /** The revision the list was read at. */
  revision: number;
  /** Set when `limit` cut the list: the last key returned, to pass as afterKey. */
  lastKey?: string;
  /** When cut: how many more matching objects remain (upstream's remainingItemCount). */
  remainingCount?: number;
}

export interface WatchOptions {
  /**
   * Deliver every change with revision > fromRevision. 0 means "from now" (the caller lists
   * first). A revision older than the bounded history → Expired.
   */
  fromRevision: number;
  filter?: ObjectFilter;
}

export interface StoreWatch {
  /** Stops delivery; idempotent. */
  cancel(): void;
}

/**
 * A watch event is delivered synchronously from inside the write that caused it, in revision
 * order, exactly once per watcher. A watcher's filter is applied to the new object and the
 * previous object like upstream: object enters the filter → ADDED, leaves → DELETED.
 */
export type WatchCallback = (event: StoreWatchEvent) => void;

export interface VersionedStore {
  /** The latest committed revision (0 for an empty store). */
  readonly revision: number;
  get(key: string): StoredObject | undefined;
  /** Fails with AlreadyExists. The stored object's resourceVersion is set by the store. */
  create(key: string, object: StoredObject): StoreResult<StoredObject>;
  /**
   * Replaces an existing object. When `expectedResourceVersion` is given and differs from the
   * stored one → Conflict. Missing key → NotFound.
   */
  update(
    key: string,
    object: StoredObject,
    options?: { expectedResourceVersion?: string },
  ): StoreResult<StoredObject>;
  /** Removes the key; returns the last state with the deleting revision as resourceVersion. */
  delete(
    key: string,
    options?: { expectedResourceVersion?: string; expectedUid?: string },
  ): StoreResult<StoredObject>;
  /** Objects whose key starts with `prefix`, in ascending key order. */
  list(prefix: string, options?: ListOptions): StoreResult<ListResult>;
  watch(prefix: string, options: WatchOptions, callback: WatchCallback): StoreResult<StoreWatch>;
  /** Oldest revision a watch or list can still start from. */
  readonly oldestRevision: number;
  /** Resolves when every write so far is durable in the backend. */
  sync(): Promise<void>;
}
