// Test helpers for the versioned store: small frozen objects and a store over a memory backend.
import { MemoryBackend } from '../memory-backend.js';
import type { JsonObject, JsonValue, StoredObject, VersionedStore } from '../types.js';
import { createVersionedStore } from '../versioned-store.js';

export function frozen<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const child of Object.values(value)) frozen(child);
    Object.freeze(value);
  }
  return value;
}

/** A frozen pod-like object; `data` lands in `spec` so tests can tell versions apart. */
export function podObject(
  name: string,
  options: { labels?: Record<string, string>; data?: JsonValue; uid?: string } = {},
): StoredObject {
  return frozen({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace: 'default',
      uid: options.uid ?? `uid-${name}`,
      labels: options.labels ?? {},
    },
    spec: { data: options.data ?? null },
  });
}

export function resourceVersion(object: StoredObject): string {
  return (object.metadata as JsonObject).resourceVersion as string;
}

export function labelsOf(object: StoredObject): JsonObject {
  return (object.metadata as JsonObject).labels as JsonObject;
}

export async function newStore(
  options: {
    backend?: MemoryBackend;
    watchHistoryCountMax?: number;
    watcherCountMax?: number;
  } = {},
): Promise<{ store: VersionedStore; backend: MemoryBackend }> {
  const backend = options.backend ?? new MemoryBackend();
  const store = await createVersionedStore({ ...options, backend });
  return { store, backend };
}

/** Unwraps a store result that the test expects to succeed. */
export function ok<T>(result: { ok: true; value: T } | { ok: false; error: { code: string } }): T {
  if (!result.ok) throw new Error(`expected success, got ${result.error.code}`);
  return result.value;
}
