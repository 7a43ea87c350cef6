// The typed Kubernetes API client: REST verbs over a Transport, rate-limited like client-go.
//
// Components (controllers, scheduler, kubelet) never touch the store: they call these methods,
// which speak the Kubernetes REST API through the injected Transport. Every request, watches
// included, first takes a token from the client's bucket (`qps`/`burst`; qps ≤ 0: unlimited).
// Results are freshly parsed values the caller owns. Failures reject: a non-2xx answer with an
// ApiStatusError (see errors.ts for isNotFound, isConflict, ...), an undelivered request with a
// ClientTransportError, an unparseable 2xx body with a ResponseDecodeError.

import type { Clock } from '../ports/clock.js';
import type { Transport } from '../ports/transport.js';
import {
  ClientTransportError,
  ResponseDecodeError,
  isGoneOrExpired,
  statusErrorFromResponse,
} from './errors.js';
import { collectionPath, objectPath, queryOf } from './paths.js';
import { TokenBucket } from './token-bucket.js';
import type { KubeObject, ObjectList, ResourceDescriptor, Status } from './types.js';
import { WatchSink, type WatchHandle, type WatchHandler } from './watch-stream.js';

export interface KubeClientOptions {
  transport: Transport;
  /** Used for rate-limit waits. */
  clock: Clock;
  /** Requests per second; ≤ 0 (default) means unlimited, the sim default. */
  qps?: number;
  /** Bucket size when qps > 0. Default 0 (must then be set to ≥ 1). */
  burst?: number;
  /** The `user-agent` header, e.g. `kube-scheduler/v1.32.0`. Default `miniku`. */
  userAgent?: string;
}

export interface ListOptions {
  labelSelector?: string;
  fieldSelector?: string;
  /** Page size; 0/absent: everything. */
  limit?: number;
  /** The token from a previous page's metadata.continue. */
  continue?: string;
  /** '' (absent): most recent; '0': any. */
  resourceVersion?: string;
  resourceVersionMatch?: 'Exact' | 'NotOlderThan';
}

export interface ListAllOptions {
  labelSelector?: string;
  fieldSelector?: string;
  resourceVersion?: string;
  /** Default 500, as client-go's pager and reflector. */
  pageSize?: number;
}

export interface WriteOptions {
  /** Server default when absent: Warn. */
  fieldValidation?: 'Strict' | 'Warn' | 'Ignore';
}

export interface DeleteOptions {
  /** Absent: the object's own default (pods: terminationGracePeriodSeconds). */
  gracePeriodSeconds?: number;
  preconditions?: { uid?: string; resourceVersion?: string };
  propagationPolicy?: 'Background' | 'Foreground' | 'Orphan';
}

export interface DeleteCollectionOptions extends DeleteOptions {
  labelSelector?: string;
  fieldSelector?: string;
}

export interface WatchOptions {
  /** Deliver changes after this version; absent or '0': current state as ADDED first. */
  resourceVersion?: string;
  labelSelector?: string;
  fieldSelector?: string;
  /** The server ends the stream after this long; absent: the server's default. */
  timeoutSeconds?: number;
  allowWatchBookmarks?: boolean;
}

/** The pods resource, for the binding subresource. */
const podsResource: ResourceDescriptor = Object.freeze({
  group: '',
  version: 'v1',
  plural: 'pods',
  namespaced: true,
});

/** Most pages listAll reads before giving up (a bound, not an expected size). */
export const listPageCountMax = 100_000;

interface Call {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  path: string;
  query?: Record<string, string>;
  body?: unknown;
  /** Content type of the body; default application/json. */
  contentType?: string;
}

/** The patch types the API server accepts, by their content types. */
export type PatchType = 'json' | 'merge' | 'strategic' | 'apply';

const patchContentTypes: Record<PatchType, string> = {
  json: 'application/json-patch+json',
  merge: 'application/merge-patch+json',
  strategic: 'application/strategic-merge-patch+json',
  apply: 'application/apply-patch+yaml',
};

export interface PatchOptions extends WriteOptions {
  /** '' for the object itself, or `status` / `scale`. */
  subresource?: string;
  /** Required by upstream for apply patches. */
  fieldManager?: string;
}

export class KubeClient {
  readonly userAgent: string;
  private readonly transport: Transport;
  private readonly clock: Clock;
  private readonly limiter: TokenBucket;

  constructor(options: KubeClientOptions) {
    this.transport = options.transport;
    this.clock = options.clock;
    this.userAgent = options.userAgent ?? 'miniku';
    this.limiter = new TokenBucket({
      clock: options.clock,
      qps: options.qps ?? 0,
      burst: options.burst ?? 0,
    });
  }

  async get<T extends KubeObject = KubeObject>(
    resource: ResourceDescriptor,
    namespace: string,
    name: string,
  ): Promise<T> {
    return (await this.call({ method: 'GET', path: objectPath(resource, namespace, name) })) as T;
  }

  /** One page (or everything when no limit). `namespace` '' lists every namespace. */
  async list<T extends KubeObject = KubeObject>(
    resource: ResourceDescriptor,
    namespace: string,
    options: ListOptions = {},
  ): Promise<ObjectList<T>> {
    const query = queryOf({ ...options });
    const list = await this.call({
      method: 'GET',
      path: collectionPath(resource, namespace),
      query,
    });
    return asList<T>(list);
  }

  /**
   * Every page, concatenated, as client-go's pager: the result carries the first page's
   * resourceVersion (all pages are read at that revision). When a continue token expires
   * mid-way it falls back to one unpaginated list, as the pager's FullListIfExpired does.
   */
  async listAll<T extends KubeObject = KubeObject>(
    resource: ResourceDescriptor,
    namespace: string,
    options: ListAllOptions = {},
  ): Promise<ObjectList<T>> {
    const { pageSize = 500, ...filters } = options;
    const first = await this.list<T>(resource, namespace, { ...filters, limit: pageSize });
    const items = first.items;
    let token = first.metadata.continue;
    for (let pages = 1; token !== undefined && token !== ''; pages++) {
      if (pages >= listPageCountMax) {
        throw new Error(`Listing ${resource.plural} exceeded ${listPageCountMax} pages`);
      }
      const pageOptions: ListOptions = {
        ...filters,
        resourceVersion: '',
        limit: pageSize,
        continue: token,
      };
      let page: ObjectList<T>;
      try {
        page = await this.list<T>(resource, namespace, pageOptions);
      } catch (error) {
        if (isGoneOrExpired(error)) return this.list<T>(resource, namespace, filters);
        throw error;
      }
      for (const item of page.items) items.push(item);
      token = page.metadata.continue;
    }
    return { ...first, metadata: { resourceVersion: first.metadata.resourceVersion }, items };
  }

  /** POST to the collection; `generateName` is resolved by the server. */
  create<T extends KubeObject = KubeObject>(
    resource: ResourceDescriptor,
    namespace: string,
    object: T,
    options: WriteOptions = {},
  ): Promise<T> {
    // Not async: the call's own promise is returned (one wrapper and one tick fewer per write,
    // which the event recorder's writer pays per event); a bad path still rejects.
    try {
      const path = collectionPath(resource, namespace);
      const query = queryOf({ fieldValidation: options.fieldValidation });
      return this.call({ method: 'POST', path, query, body: object }) as Promise<T>;
    } catch (error) {
      return Promise.reject(error as Error);
    }
  }

  /** PUT; a stale `metadata.resourceVersion` rejects with 409 Conflict (isConflict). */
  async update<T extends KubeObject = KubeObject>(
    resource: ResourceDescriptor,
    namespace: string,
    object: T,
    options: WriteOptions = {},
  ): Promise<T> {
    return this.put(resource, namespace, object, '', options);
  }

  /** PUT to the status subresource: only status changes (plus metadata the server allows). */
  async updateStatus<T extends KubeObject = KubeObject>(
    resource: ResourceDescriptor,
    namespace: string,
    object: T,
    options: WriteOptions = {},
  ): Promise<T> {
    return this.put(resource, namespace, object, 'status', options);
  }

  /** DELETE; resolves with the deleted (or now terminating) object, or a success Status. */
  async delete<T extends KubeObject = KubeObject>(
    resource: ResourceDescriptor,
    namespace: string,
    name: string,
    options: DeleteOptions = {},
  ): Promise<T | Status> {
    const path = objectPath(resource, namespace, name);
    const body = deleteOptionsBody(options);
    return (await this.call({ method: 'DELETE', path, body })) as T | Status;
  }

  /** DELETE on the collection: every selected object, with the same rules as delete(). */
  async deleteCollection<T extends KubeObject = KubeObject>(
    resource: ResourceDescriptor,
    namespace: string,
    options: DeleteCollectionOptions = {},
  ): Promise<ObjectList<T>> {
    const { labelSelector, fieldSelector, ...deleteOptions } = options;
    const path = collectionPath(resource, namespace);
    const query = queryOf({ labelSelector, fieldSelector });
    const body = deleteOptionsBody(deleteOptions);
    return asList<T>(await this.call({ method: 'DELETE', path, query, body }));
  }

  /** POST pods/<name>/binding: assigns the pod to a node (the scheduler's DefaultBinder). */
  bind(
    namespace: string,
    podName: string,
    nodeName: string,
    options: { uid?: string } = {},
  ): Promise<Status> {
    const metadata: Record<string, string> = { name: podName, namespace };
    if (options.uid !== undefined) metadata.uid = options.uid;
    const body = {
      apiVersion: 'v1',
      kind: 'Binding',
      metadata,
      target: { apiVersion: 'v1', kind: 'Node', name: nodeName },
    };
    // Not async (as create): the call's promise is returned; a bad path still rejects.
    try {
      const path = objectPath(podsResource, namespace, podName, 'binding');
      return this.call({ method: 'POST', path, body }) as Promise<Status>;
    } catch (error) {
      return Promise.reject(error as Error);
    }
  }

  /** POST pods/<name>/eviction (policy/v1 Eviction): a graceful delete that honours budgets. */
  async evict(namespace: string, podName: string): Promise<Status> {
    const body = {
      apiVersion: 'policy/v1',
      kind: 'Eviction',
      metadata: { name: podName, namespace },
    };
    const path = objectPath(podsResource, namespace, podName, 'eviction');
    return (await this.call({ method: 'POST', path, body })) as Status;
  }

  /** PATCH with one of the four patch types; resolves with the patched object. */
  async patch<T extends KubeObject = KubeObject>(
    resource: ResourceDescriptor,
    target: { namespace: string; name: string },
    patch: { type: PatchType; body: unknown },
    options: PatchOptions = {},
  ): Promise<T> {
    const path = objectPath(resource, target.namespace, target.name, options.subresource ?? '');
    const query = queryOf({
      fieldValidation: options.fieldValidation,
      fieldManager: options.fieldManager,
    });
    const contentType = patchContentTypes[patch.type];
    return (await this.call({ method: 'PATCH', path, query, body: patch.body, contentType })) as T;
  }

  /** PUT namespaces/<name>/finalize: replaces spec.finalizers (the namespace controller's call). */
  async finalizeNamespace<T extends KubeObject = KubeObject>(namespace: T): Promise<T> {
    const resource = { group: '', version: 'v1', plural: 'namespaces', namespaced: false };
    const path = objectPath(resource, '', namespace.metadata.name ?? '', 'finalize');
    return (await this.call({ method: 'PUT', path, body: namespace })) as T;
  }

  /**
   * Opens a watch. Events reach `handler` synchronously as lines arrive; the stream opens once
   * the rate limiter allows (at once when unlimited).
   */
  watch<T extends KubeObject = KubeObject>(
    resource: ResourceDescriptor,
    namespace: string,
    options: WatchOptions,
    handler: WatchHandler<T>,
  ): WatchHandle {
    const path = collectionPath(resource, namespace);
    const query = queryOf({
      watch: '1',
      resourceVersion: options.resourceVersion,
      labelSelector: options.labelSelector,
      fieldSelector: options.fieldSelector,
      timeoutSeconds: options.timeoutSeconds,
      allowWatchBookmarks: options.allowWatchBookmarks === true ? 'true' : undefined,
    });
    const sink = new WatchSink<T>({ handler, description: `watch of ${path}` });
    const open = (): void => {
      const request = { method: 'GET', path, query, headers: this.headers(false), body: '' };
      const stream = this.transport.stream(request, sink);
      sink.attach(() => stream.close());
    };
    const delayMs = this.limiter.reserve();
    if (delayMs === 0) {
      open();
      return { stop: () => sink.stop() };
    }
    const timer = this.clock.setTimer(delayMs, open);
    return {
      stop: () => {
        timer.cancel();
        sink.stop();
      },
    };
  }

  private async put<T extends KubeObject>(
    resource: ResourceDescriptor,
    namespace: string,
    object: T,
    subresource: string,
    options: WriteOptions,
  ): Promise<T> {
    const name = object.metadata.name ?? '';
    const path = objectPath(resource, namespace, name, subresource);
    const query = queryOf({ fieldValidation: options.fieldValidation });
    return (await this.call({ method: 'PUT', path, query, body: object })) as T;
  }

  private headers(withBody: boolean, contentType = 'application/json'): Record<string, string> {
    const headers: Record<string, string> = {
      accept: 'application/json',
      'user-agent': this.userAgent,
    };
    if (withBody) headers['content-type'] = contentType;
    return headers;
  }

  /** One rate-limited request; resolves with the parsed 2xx body. */
  private async call(call: Call): Promise<unknown> {
    const delayMs = this.limiter.reserve();
    if (delayMs > 0) await this.clock.sleep(delayMs);
    const withBody = call.body !== undefined;
    const request = {
      method: call.method,
      path: call.path,
      query: call.query ?? {},
      headers: this.headers(withBody, call.contentType),
      body: withBody ? JSON.stringify(call.body) : '',
    };
    let response;
    try {
      response = await this.transport.request(request);
    } catch (error) {
      const detail = error instanceof Error ? error.message : String(error);
      throw new ClientTransportError(`${call.method} ${call.path} failed: ${detail}`, {
        cause: error,
      });
    }
    if (response.status < 200 || response.status > 299) {
      throw statusErrorFromResponse(response.status, response.body);
    }
    return parseBody(response.body, `${call.method} ${call.path}`);
  }
}

function parseBody(body: string, what: string): unknown {
  try {
    const value: unknown = JSON.parse(body);
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) return value;
  } catch {
    // reported below
  }
  const excerpt = body.length > 200 ? `${body.slice(0, 200)}…` : body;
  throw new ResponseDecodeError(`${what}: the response is not a JSON object: ${excerpt}`);
}

function asList<T extends KubeObject>(value: unknown): ObjectList<T> {
  const list = value as Partial<ObjectList<T>>;
  if (!Array.isArray(list.items) || typeof list.metadata !== 'object' || list.metadata === null) {
    throw new ResponseDecodeError('the response is not a list (items and metadata expected)');
  }
  return list as ObjectList<T>;
}

/** meta/v1 DeleteOptions as a body; undefined (no body) when nothing is set. */
function deleteOptionsBody(options: DeleteOptions): Record<string, unknown> | undefined {
  const { gracePeriodSeconds, preconditions, propagationPolicy } = options;
  if (
    gracePeriodSeconds === undefined &&
    preconditions === undefined &&
    propagationPolicy === undefined
  ) {
    return undefined;
  }
  const body: Record<string, unknown> = { kind: 'DeleteOptions', apiVersion: 'v1' };
  if (gracePeriodSeconds !== undefined) body.gracePeriodSeconds = gracePeriodSeconds;
  if (preconditions !== undefined) body.preconditions = preconditions;
  if (propagationPolicy !== undefined) body.propagationPolicy = propagationPolicy;
  return body;
}
