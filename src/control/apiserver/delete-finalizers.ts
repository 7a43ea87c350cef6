// Which garbage-collection finalizers a DELETE leaves on an object (upstream generic registry's
// deletionFinalizersForGarbageCollection, shouldOrphanDependents, shouldDeleteDependents).
//
// An explicit policy in the DeleteOptions wins: Orphan → `orphan`, Foreground →
// `foregroundDeletion`, Background → neither (any of the two already present is removed).
// Without one, a GC finalizer already on the object keeps deciding (the first of the two in list
// order), else the resource's default policy applies. Every resource miniku serves defaults to
// deleting dependents in the background (apps/v1 ReplicaSet and Deployment: DeleteDependents;
// the others have no policy of their own), so the default adds no finalizer.

export const orphanFinalizer = 'orphan';
export const foregroundFinalizer = 'foregroundDeletion';

export type PropagationPolicy = 'Background' | 'Foreground' | 'Orphan';

/** The first GC finalizer in list order, if any. */
function firstGcFinalizer(finalizers: readonly string[]): string | undefined {
  return finalizers.find((f) => f === orphanFinalizer || f === foregroundFinalizer);
}

/**
 * The finalizers after a DELETE asking for `policy` (undefined: the request named none).
 * Returns `existing` itself when the set does not change, so callers can tell a no-op.
 */
export function finalizersAfterDelete(
  existing: readonly string[],
  policy: PropagationPolicy | undefined,
): readonly string[] {
  const first = firstGcFinalizer(existing);
  const orphan = policy === undefined ? first === orphanFinalizer : policy === 'Orphan';
  const foreground = policy === undefined ? first === foregroundFinalizer : policy === 'Foreground';
  const next = existing.filter((f) => f !== orphanFinalizer && f !== foregroundFinalizer);
  if (orphan) next.push(orphanFinalizer);
  if (foreground) next.push(foregroundFinalizer);
  const before = new Set(existing);
  const after = new Set(next);
  const same = before.size === after.size && [...after].every((f) => before.has(f));
  return same ? existing : next;
}
