// StoreBackend kept in memory: the latest value of every live key. The same instance handed to a
// new versioned store (a simulated API server restart) yields the state it held.
import type {
  BackendEntry,
  BackendSnapshot,
  BackendWrite,
  StoreBackend,
} from '../ports/store-backend.js';
import { assert, assertNever } from '../util/assert.js';

function byKey(a: BackendEntry, b: BackendEntry): number {
  return a.key < b.key ? -1 : a.key > b.key ? 1 : 0;
}

export class MemoryBackend implements StoreBackend {
  private readonly entries = new Map<string, BackendEntry>();
  private revision = 0;

  /** Nothing to configure; the options object is kept for the shape every component shares. */
  constructor(_options: Record<string, never> = {}) {}

  load(): Promise<BackendSnapshot> {
    const entries = [...this.entries.values()].sort(byKey);
    return Promise.resolve({ revision: this.revision, entries });
  }

  append(write: BackendWrite): void {
    assert(write.revision === this.revision + 1, 'backend writes must have consecutive revisions');
    this.revision = write.revision;
    switch (write.op) {
      case 'put': {
        const entry = { key: write.key, value: write.value, modRevision: write.revision };
        this.entries.set(write.key, Object.freeze(entry));
        return;
      }
      case 'delete':
        assert(this.entries.delete(write.key), `backend delete of missing key "${write.key}"`);
        return;
      default:
        assertNever(write);
    }
  }

  /** Memory is as durable as this world gets: everything appended is already there. */
  sync(): Promise<void> {
    return Promise.resolve();
  }

  /** Keeps the content, so a later load (a restart) sees it. */
  close(): Promise<void> {
    return Promise.resolve();
  }
}
