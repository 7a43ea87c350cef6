// Shapes the client speaks: resource descriptors, loosely typed API objects, lists, Status, events.

/**
 * Which REST collection a call addresses. A registry ResourceType has these fields, so one can be
 * passed as is; `kind` is only used in messages.
 */
export interface ResourceDescriptor {
  /** '' for the core group (`/api/v1`). */
  readonly group: string;
  readonly version: string;
  /** Lower-case plural, e.g. `pods`, `deployments`. */
  readonly plural: string;
  readonly namespaced: boolean;
  readonly kind?: string;
}

export interface ObjectMeta {
  name?: string;
  generateName?: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  generation?: number;
  creationTimestamp?: string;
  deletionTimestamp?: string;
  deletionGracePeriodSeconds?: number;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  finalizers?: string[];
  ownerReferences?: Record<string, unknown>[];
  [field: string]: unknown;
}

/** Any Kubernetes object; typed API shapes are declared elsewhere and narrow this. */
export interface KubeObject {
  apiVersion?: string;
  kind?: string;
  metadata: ObjectMeta;
  [field: string]: unknown;
}

export interface ListMeta {
  resourceVersion: string;
  /** Set when the list was cut by `limit`: pass it back as `continue`. */
  continue?: string;
  remainingItemCount?: number;
}

export interface ObjectList<T extends KubeObject = KubeObject> {
  apiVersion: string;
  kind: string;
  metadata: ListMeta;
  items: T[];
}

export interface StatusCause {
  reason?: string;
  message?: string;
  field?: string;
}

export interface StatusDetails {
  name?: string;
  group?: string;
  kind?: string;
  uid?: string;
  causes?: StatusCause[];
  retryAfterSeconds?: number;
}

/** metav1.Status, the body of every API error and of some successes (bindings). */
export interface Status {
  kind: 'Status';
  apiVersion: string;
  metadata: Record<string, unknown>;
  status: 'Success' | 'Failure';
  message: string;
  reason: string;
  details?: StatusDetails;
  code: number;
}

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';

/**
 * One line of a watch stream. BOOKMARK carries an object with only `metadata.resourceVersion`;
 * ERROR carries a Status (e.g. 410 Expired: the caller must re-list).
 */
export type WatchEvent<T extends KubeObject = KubeObject> =
  | { type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK'; object: T }
  | { type: 'ERROR'; object: Status };
