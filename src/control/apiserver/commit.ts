// The last step of every write: admission, canonical form, freeze, store, durable sync.
import type { ResourceType } from '../api/registry.js';
import { canonicalizeObject } from '../api/index.js';
import { deepFreeze } from '../api/values/canonical-json.js';
import type { JsonObject, StoreError, StoredObject } from '../store/types.js';
import type { AdmissionAttributes } from './admission.js';
import { runAdmission } from './admission.js';
import type { ServerContext } from './context.js';
import { refOf } from './context.js';
import type { Draft } from './json-body.js';
import type { ApiError } from './status.js';
import {
  alreadyExists,
  conflict,
  notFound,
  optimisticLockMessage,
  tooOldResourceVersion,
} from './status.js';

export type WriteResult = { ok: true; object: StoredObject } | { ok: false; error: ApiError };

/** Maps a store error to the API error upstream answers with. */
export function storeErrorToApi(type: ResourceType, name: string, error: StoreError): ApiError {
  switch (error.code) {
    case 'NotFound':
      return notFound(refOf(type), name);
    case 'AlreadyExists':
      return alreadyExists(refOf(type), name);
    case 'Conflict':
      return conflict(refOf(type), name, optimisticLockMessage);
    case 'Expired':
      return tooOldResourceVersion(error.requestedRevision ?? 0, error.oldestRevision ?? 0);
    default: {
      const never: never = error.code;
      throw new Error(`unknown store error ${String(never)}`);
    }
  }
}

/** Runs admission on the draft and returns the frozen, canonical object to store. */
export function admitDraft(
  ctx: ServerContext,
  attributes: AdmissionAttributes,
): { ok: true; object: StoredObject } | { ok: false; error: ApiError } {
  const error = runAdmission(ctx.admission, attributes);
  if (error !== undefined) return { ok: false, error };
  const draft = attributes.object as Draft;
  const canonical = canonicalizeObject(attributes.type, draft as unknown as JsonObject);
  return { ok: true, object: deepFreeze(canonical) as StoredObject };
}

/** Awaits durability of everything written so far, then returns the result unchanged. */
export async function durable(ctx: ServerContext, result: WriteResult): Promise<WriteResult> {
  if (result.ok) await ctx.store.sync();
  return result;
}
