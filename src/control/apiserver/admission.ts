// The admission chain: plugins that mutate, then plugins that validate, every write.
//
// Order (as upstream): every plugin's `admit` runs in list order, then every plugin's
// `validate`. The first error stops the chain and becomes the answer.
import type { ResourceType } from '../api/registry.js';
import type { JsonObject } from '../store/types.js';
import type { Draft } from './json-body.js';
import type { ApiError } from './status.js';

export type AdmissionOperation = 'CREATE' | 'UPDATE' | 'DELETE';

export interface AdmissionAttributes {
  operation: AdmissionOperation;
  type: ResourceType;
  /** '' for the main resource, else `status`, `binding`, ... */
  subresource: string;
  namespace: string;
  name: string;
  /** The object being written; mutating plugins change it in place. Undefined for DELETE. */
  object: Draft | undefined;
  /** The stored object before this write (UPDATE, DELETE). */
  oldObject: JsonObject | undefined;
  /** The API server's clock reading for this request. */
  nowMs: number;
}

/**
 * One admission plugin. `admit` may change `attributes.object`; `validate` must not change
 * anything. Returning an ApiError rejects the request with it.
 */
export interface AdmissionPlugin {
  readonly name: string;
  admit?(attributes: AdmissionAttributes): ApiError | undefined;
  validate?(attributes: AdmissionAttributes): ApiError | undefined;
}

export function runAdmission(
  plugins: readonly AdmissionPlugin[],
  attributes: AdmissionAttributes,
): ApiError | undefined {
  for (const plugin of plugins) {
    const error = plugin.admit?.(attributes);
    if (error !== undefined) return error;
  }
  for (const plugin of plugins) {
    const error = plugin.validate?.(attributes);
    if (error !== undefined) return error;
  }
  return undefined;
}
