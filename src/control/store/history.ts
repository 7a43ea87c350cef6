// One committed change of the versioned store and the bounded ring of recent changes kept for
// watches and reads at an older revision.
import { assert } from '../util/assert.js';
import type { StoreWatchEvent } from './types.js';

/**
 * A committed write. `event` is what an unfiltered watcher receives; the watch events for a
 * filtered watcher that sees the object enter or leave its filter are built once, on demand, and
 * shared by every such watcher. Events are frozen because they are shared.
 */
export class Change {
  readonly revision: number;
  readonly key: string;
  private enteredEvent: StoreWatchEvent | undefined;
  private leftEvent: StoreWatchEvent | undefined;

  /** `event` must be frozen. */
  constructor(readonly event: StoreWatchEvent) {
    this.revision = event.revision;
    this.key = event.key;
  }

  /** An update seen by a watcher whose filter rejects the old state and accepts the new one. */
  entered(): StoreWatchEvent {
    this.enteredEvent ??= Object.freeze({ ...this.event, type: 'ADDED', prevObject: undefined });
    return this.enteredEvent;
  }

  /** An update seen by a watcher whose filter accepts the old state and rejects the new one. */
  left(): StoreWatchEvent {
    this.leftEvent ??= Object.freeze({ ...this.event, type: 'DELETED' });
    return this.leftEvent;
  }
}

/** The last `capacity` changes; their revisions are consecutive, so lookup is by arithmetic. */
export class ChangeHistory {
  private readonly ring: (Change | undefined)[];
  private readonly capacity: number;
  private start = 0;
  private count = 0;

  constructor(options: { capacity: number }) {
    assert(Number.isInteger(options.capacity), 'history capacity must be an integer');
    assert(options.capacity >= 0, 'history capacity must not be negative');
    this.capacity = options.capacity;
    this.ring = new Array<Change | undefined>(options.capacity).fill(undefined);
  }

  get length(): number {
    return this.count;
  }

  /** Revision of the oldest change kept, or undefined when empty. */
  get firstRevision(): number | undefined {
    return this.count === 0 ? undefined : this.ring[this.start]!.revision;
  }

  push(change: Change): void {
    if (this.capacity === 0) return;
    if (this.count > 0) {
      const newest = this.ring[(this.start + this.count - 1) % this.capacity]!;
      assert(change.revision === newest.revision + 1, 'history revisions must be consecutive');
    }
    if (this.count < this.capacity) {
      this.ring[(this.start + this.count) % this.capacity] = change;
      this.count += 1;
      return;
    }
    this.ring[this.start] = change;
    this.start = (this.start + 1) % this.capacity;
  }

  /** The change that committed `revision`; it must be in the window. */
  at(revision: number): Change {
    const first = this.firstRevision;
    assert(first !== undefined, `revision ${revision} is not in the (empty) history`);
    const offset = revision - first;
    assert(offset >= 0 && offset < this.count, `revision ${revision} is not in the history`);
    return this.ring[(this.start + offset) % this.capacity]!;
  }
}
