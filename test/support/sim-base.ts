// The pieces every simulated test world starts from: the virtual epoch, an engine draining at
// the host's macrotask boundary, and an empty versioned store.
import { MemoryBackend } from '../../src/control/store/memory-backend.js';
import type { VersionedStore } from '../../src/control/store/types.js';
import { createVersionedStore } from '../../src/control/store/versioned-store.js';
import { Engine } from '../../src/sim/engine/engine.js';

/** Captured before any run installs the determinism guard. */
const hostSetImmediate = setImmediate;

export const epochMs = Date.UTC(2026, 0, 1);

export function newTestEngine(): Engine {
  return new Engine({
    startMs: epochMs,
    drain: () => new Promise<void>((resolve) => hostSetImmediate(() => resolve())),
    eventCountMax: 1_000_000,
    drainRoundsMax: 10_000,
  });
}

export function newTestStore(watchHistoryCountMax = 10_000): Promise<VersionedStore> {
  return createVersionedStore({ backend: new MemoryBackend(), watchHistoryCountMax });
}
