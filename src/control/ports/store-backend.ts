// StoreBackend port: durable bytes beneath the versioned store.
//
// The versioned store keeps the authoritative state in memory and writes every committed change
// through to its backend; on start it loads what the backend holds. Memory (survives a simulated
// API server restart), a write-ahead log and etcd implement it.

export interface BackendEntry {
  /** Store key, e.g. `/pods/default/web-1`. */
  key: string;
  /** Canonical JSON of the object. */
  value: string;
  /** Revision that last wrote this key. */
  modRevision: number;
}

export interface BackendSnapshot {
  /** Highest committed revision (0 when empty). */
  revision: number;
  /** Live keys in ascending key order. */
  entries: BackendEntry[];
}

/** One committed change; revisions arrive strictly increasing by 1. */
export type BackendWrite =
  | { op: 'put'; revision: number; key: string; value: string }
  | { op: 'delete'; revision: number; key: string };

export interface StoreBackend {
  /** Loads the durable state. Called once before the first append. */
  load(): Promise<BackendSnapshot>;
  /** Appends a committed change; synchronous and buffered. */
  append(write: BackendWrite): void;
  /** Resolves when every append so far is durable. The API server awaits it before answering. */
  sync(): Promise<void>;
  /** Flushes and releases resources. */
  close(): Promise<void>;
}
