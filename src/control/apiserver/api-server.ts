// The API server: a transport-agnostic RequestHandler over the versioned store.
//
// Callers: a Transport (sim or HTTP) hands every request to handle(). It never throws and never
// answers 5xx for bad input: every failure is a Kubernetes `Status`.
import type { ResourceType } from '../api/registry.js';
import { findResource } from '../api/registry.js';
import type { Clock } from '../ports/clock.js';
import type { Rng } from '../ports/rng.js';
import type { HandlerResult, RequestHandler, TransportRequest } from '../ports/transport.js';
import type { VersionedStore } from '../store/types.js';
import type { AdmissionPlugin } from './admission.js';
import { defaultAdmissionChain } from './admission-plugins.js';
import { bootstrapSystemObjects } from './bootstrap.js';
import { defaultEventTtlMs, startEventTtl, type EventTtlHandle } from './event-ttl.js';
import { handleNamespaceFinalize } from './namespace-deletion.js';
import { handleBinding } from './binding.js';
import type { ApiServerLimits, ServerContext } from './context.js';
import { handleCreate } from './create.js';
import { handleDelete } from './delete.js';
import { handleDeleteCollection } from './delete-collection.js';
import { handleDiscovery } from './discovery.js';
import { dryRunContext, dryRunRequested } from './dry-run.js';
import { handleEviction } from './eviction.js';
import { defaultBodyLimits } from './json-body.js';
import { handleGet, handleList } from './read.js';
import { errorResult, JsonCache } from './responses.js';
import type { Route } from './routing.js';
import { parseRoute } from './routing.js';
import type { ApiError } from './status.js';
import { internalError, methodNotAllowed, resourceNotFound } from './status.js';
import { handleGetScale, handleUpdateScale } from './scale.js';
import { handleUpdate } from './update.js';
import { handlePatch } from './patch.js';
import { OpenApiDocuments } from './openapi/documents.js';
import { handleOpenApiV3 } from './openapi/handler.js';
import type { KubeletStreamConnector } from './pod-streams.js';
import { handlePodStream } from './pod-streams.js';
import { handleWatch, isWatchRequest } from './watch.js';

export interface ApiServerOptions {
  store: VersionedStore;
  clock: Clock;
  /** The API server's stream; it forks `names`, `uids` and `watch` from it. */
  rng: Rng;
  /**
   * Admission plugins; default: NamespaceLifecycle, Priority, DefaultTolerationSeconds,
   * defaulting and validation (defaultAdmissionChain).
   */
  admission?: readonly AdmissionPlugin[];
  /** Events are forgotten this long after their last write (--event-ttl). Default 1 h; 0: never. */
  eventTtlMs?: number;
  limits?: Partial<ApiServerLimits>;
  /** Address advertised by /api (host:port); default `127.0.0.1:6443`. */
  serverAddress?: string;
  /** Default 60 s. */
  bookmarkIntervalMs?: number;
  /** Default 1800 s, as upstream's --min-request-timeout. */
  watchTimeoutMinMs?: number;
  /** Reaches kubelets for pods/log and pods/exec (real mode); without it those answer 404. */
  kubeletStreams?: KubeletStreamConnector;
  /** Sees every dispatched request's result (the simulator's invariant checks); default none. */
  observer?: ApiResultObserver;
}

/**
 * Called with each request and its result as handle() returns it, synchronously (no extra
 * microtask); returns that result or an equivalent one (e.g. a stream whose writes it also
 * reads). Must not throw.
 */
export type ApiResultObserver = (request: TransportRequest, result: HandlerResult) => HandlerResult;

export const defaultApiServerLimits: ApiServerLimits = {
  ...defaultBodyLimits,
  listLimitMax: 0,
  watchCountMax: 100_000,
};

export class ApiServer implements RequestHandler {
  readonly #ctx: ServerContext;
  #serverAddress: string;
  readonly #kubeletStreams: KubeletStreamConnector | undefined;
  readonly #openApi = new OpenApiDocuments();
  readonly #eventTtl: EventTtlHandle | undefined;
  readonly #observer: ApiResultObserver | undefined;

  constructor(options: ApiServerOptions) {
    this.#ctx = {
      store: options.store,
      clock: options.clock,
      namesRng: options.rng.fork('names'),
      uidsRng: options.rng.fork('uids'),
      watchRng: options.rng.fork('watch'),
      admission: options.admission ?? defaultAdmissionChain({ store: options.store }),
      limits: { ...defaultApiServerLimits, ...options.limits },
      json: new JsonCache(),
      openWatchCount: 0,
      bookmarkIntervalMs: options.bookmarkIntervalMs ?? 60_000,
      watchTimeoutMinMs: options.watchTimeoutMinMs ?? 1_800_000,
    };
    this.#serverAddress = options.serverAddress ?? '127.0.0.1:6443';
    this.#kubeletStreams = options.kubeletStreams;
    this.#observer = options.observer;
    const ttlMs = options.eventTtlMs ?? defaultEventTtlMs;
    this.#eventTtl =
      ttlMs > 0 ? startEventTtl({ store: options.store, clock: options.clock, ttlMs }) : undefined;
  }

  /** Sets the address /api advertises, once the listening port is known. */
  advertise(serverAddress: string): void {
    this.#serverAddress = serverAddress;
  }

  /** Stops the server's own timers (event expiry). Open watch streams end with their clients. */
  stop(): void {
    this.#eventTtl?.stop();
  }

  /** Watch streams open now. */
  get openWatchCount(): number {
    return this.#ctx.openWatchCount;
  }

  async handle(request: TransportRequest): Promise<HandlerResult> {
    try {
      const result = await this.#dispatch(request);
      return this.#observer === undefined ? result : this.#observer(request, result);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      return errorResult(internalError(message));
    }
  }

  async #dispatch(request: TransportRequest): Promise<HandlerResult> {
    const openApi = handleOpenApiV3(this.#openApi, request);
    if (openApi !== undefined) return openApi;
    const route = parseRoute(
      request.path,
      (group, version, plural) => findResource(group, version, plural)?.namespaced,
    );
    if (route.kind === 'discovery') {
      if (request.method !== 'GET') return errorResult(methodNotAllowed());
      return handleDiscovery(route.path, this.#serverAddress);
    }
    if (route.kind === 'unknown') return errorResult(resourceNotFound());
    const type = findResource(route.group, route.version, route.plural);
    if (type === undefined || (!type.namespaced && route.namespace !== ''))
      return errorResult(resourceNotFound());
    const unsupported = unsupportedBodyType(request);
    if (unsupported !== undefined) return errorResult(unsupported);
    let ctx = this.#ctx;
    if (request.method === 'POST' || request.method === 'PUT' || request.method === 'PATCH') {
      const dry = dryRunRequested([request.query.dryRun]);
      if (!dry.ok) return errorResult(dry.error);
      if (dry.dryRun) ctx = dryRunContext(this.#ctx);
    }
    if (route.subresource !== '') return this.#subresource(ctx, type, route, request);
    if (route.name === '') return this.#collection(ctx, type, route.namespace, request);
    return this.#object(ctx, type, route, request);
  }

  async #collection(
    ctx: ServerContext,
    type: ResourceType,
    namespace: string,
    request: TransportRequest,
  ): Promise<HandlerResult> {
    switch (request.method) {
      case 'GET':
        return isWatchRequest(request.query)
          ? handleWatch(ctx, type, namespace, request)
          : handleList(ctx, type, namespace, request);
      case 'POST':
        return handleCreate(ctx, type, namespace, request);
      case 'DELETE':
        if (type.group === '' && type.plural === 'namespaces')
          return errorResult(methodNotAllowed());
        return handleDeleteCollection(ctx, type, namespace, request);
      default:
        return errorResult(methodNotAllowed());
    }
  }

  async #object(
    ctx: ServerContext,
    type: ResourceType,
    route: Extract<Route, { kind: 'resource' }>,
    request: TransportRequest,
  ): Promise<HandlerResult> {
    if (type.namespaced && route.namespace === '') return errorResult(resourceNotFound());
    const target = { namespace: route.namespace, name: route.name, subresource: '' };
    switch (request.method) {
      case 'GET':
        return handleGet(ctx, type, target, request);
      case 'PUT':
        return handleUpdate(ctx, type, target, request);
      case 'PATCH':
        return handlePatch(ctx, type, target, request);
      case 'DELETE':
        return handleDelete(ctx, type, target, request);
      default:
        return errorResult(methodNotAllowed());
    }
  }

  async #subresource(
    ctx: ServerContext,
    type: ResourceType,
    route: Extract<Route, { kind: 'resource' }>,
    request: TransportRequest,
  ): Promise<HandlerResult> {
    const sub = route.subresource;
    if (route.name === '' || !(type.subresources as readonly string[]).includes(sub))
      return errorResult(resourceNotFound());
    if (type.namespaced && route.namespace === '') return errorResult(resourceNotFound());
    const target = { namespace: route.namespace, name: route.name, subresource: sub };
    if (sub === 'status') {
      if (request.method === 'GET') return handleGet(ctx, type, target, request);
      if (request.method === 'PUT') return handleUpdate(ctx, type, target, request);
      if (request.method === 'PATCH') return handlePatch(ctx, type, target, request);
      return errorResult(methodNotAllowed());
    }
    if (sub === 'scale') {
      if (request.method === 'GET') return handleGetScale(ctx, type, target);
      if (request.method === 'PUT') return handleUpdateScale(ctx, type, target, request);
      if (request.method === 'PATCH') return handlePatch(ctx, type, target, request);
      return errorResult(methodNotAllowed());
    }
    if (sub === 'eviction') {
      if (request.method === 'POST') return handleEviction(ctx, type, target, request);
      return errorResult(methodNotAllowed());
    }
    if (sub === 'finalize') {
      if (request.method === 'PUT') return handleNamespaceFinalize(ctx, target, request);
      return errorResult(methodNotAllowed());
    }
    if (sub === 'log' || sub === 'exec') {
      const subresource: 'log' | 'exec' = sub;
      const streamTarget = { namespace: target.namespace, name: target.name, subresource };
      return handlePodStream(ctx, type, streamTarget, request, this.#kubeletStreams);
    }
    if (sub === 'binding') {
      if (request.method === 'POST') return handleBinding(ctx, type, target, request);
      return errorResult(methodNotAllowed());
    }
    return errorResult(resourceNotFound());
  }
}

/**
 * Builds an API server and makes sure the system objects exist (namespaces default,
 * kube-system, kube-public, kube-node-lease and the system PriorityClasses), as kube-apiserver
 * does at start. Safe over a store that already holds them (a restarted server).
 */
export async function createApiServer(options: ApiServerOptions): Promise<ApiServer> {
  const server = new ApiServer(options);
  await bootstrapSystemObjects({ handler: server });
  return server;
}

/**
 * POST and PUT bodies must be JSON (PATCH bodies are checked by patch type). Upstream also takes
 * YAML and protobuf; miniku answers those with 415 as upstream does for unknown types.
 */
function unsupportedBodyType(request: TransportRequest): ApiError | undefined {
  if (request.method !== 'POST' && request.method !== 'PUT') return undefined;
  const raw = request.headers['content-type'];
  if (raw === undefined || raw === '') return undefined;
  const media = (raw.split(';')[0] ?? '').trim().toLowerCase();
  if (media === 'application/json' || media === '*/*') return undefined;
  return {
    code: 415,
    reason: 'UnsupportedMediaType',
    message: `the body of the request was in an unknown format - accepted media types include: application/json`,
  };
}
