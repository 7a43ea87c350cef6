// dryRun=All: a request runs every step (decoding, admission, preconditions) against a store
// view whose writes are checked and answered but never committed.
import type { JsonObject, StoreResult, StoredObject, VersionedStore } from '../store/types.js';
import type { ServerContext } from './context.js';
import type { ApiError } from './status.js';
import { badRequest } from './status.js';

function withResourceVersion(
  object: StoredObject,
  resourceVersion: string | undefined,
): StoredObject {
  const metadata: Record<string, unknown> = { ...(object.metadata as JsonObject) };
  if (resourceVersion === undefined) delete metadata.resourceVersion;
  else metadata.resourceVersion = resourceVersion;
  return Object.freeze({ ...object, metadata: Object.freeze(metadata) }) as StoredObject;
}

function rvOf(object: StoredObject): string | undefined {
  const rv = (object.metadata as JsonObject).resourceVersion;
  return typeof rv === 'string' ? rv : undefined;
}

/** A view of `store` whose writes answer as the real ones would, without writing. */
export function dryRunStore(store: VersionedStore): VersionedStore {
  const missing = <T>(key: string): StoreResult<T> => ({
    ok: false,
    error: { code: 'NotFound', key },
  });
  const conflict = <T>(key: string): StoreResult<T> => ({
    ok: false,
    error: { code: 'Conflict', key },
  });
  return {
    get revision() {
      return store.revision;
    },
    get oldestRevision() {
      return store.oldestRevision;
    },
    get: (key) => store.get(key),
    list: (prefix, options) => store.list(prefix, options),
    watch: (prefix, options, callback) => store.watch(prefix, options, callback),
    sync: () => Promise.resolve(),
    create: (key, object) => {
      if (store.get(key) !== undefined) return { ok: false, error: { code: 'AlreadyExists', key } };
      return { ok: true, value: withResourceVersion(object, undefined) };
    },
    update: (key, object, options = {}) => {
      const current = store.get(key);
      if (current === undefined) return missing(key);
      const expected = options.expectedResourceVersion;
      if (expected !== undefined && expected !== rvOf(current)) return conflict(key);
      return { ok: true, value: withResourceVersion(object, rvOf(current)) };
    },
    delete: (key, options = {}) => {
      const current = store.get(key);
      if (current === undefined) return missing(key);
      const meta = current.metadata as JsonObject;
      if (
        options.expectedResourceVersion !== undefined &&
        options.expectedResourceVersion !== meta.resourceVersion
      ) {
        return conflict(key);
      }
      if (options.expectedUid !== undefined && options.expectedUid !== meta.uid)
        return conflict(key);
      return { ok: true, value: current };
    },
  };
}

/**
 * Reads `dryRun` from the query (and a DeleteOptions body's list): absent → false, `All` →
 * true, anything else → 400 as upstream.
 */
export function dryRunRequested(
  values: readonly unknown[],
): { ok: true; dryRun: boolean } | { ok: false; error: ApiError } {
  let dryRun = false;
  for (const value of values) {
    if (value === undefined || value === null || value === '') continue;
    const items = Array.isArray(value) ? value : [value];
    for (const item of items) {
      if (item !== 'All') {
        return {
          ok: false,
          error: badRequest(
            `dryRun: Unsupported value: "${String(item)}": supported values: "All"`,
          ),
        };
      }
      dryRun = true;
    }
  }
  return { ok: true, dryRun };
}

/** The context a dry-run request works in: the same server, a non-committing store. */
export function dryRunContext(ctx: ServerContext): ServerContext {
  return { ...ctx, store: dryRunStore(ctx.store) };
}
