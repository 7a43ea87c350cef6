// WATCH: a stream of newline-delimited JSON events from the store, with initial state, bookmarks,
// timeouts and the in-stream 410 Expired that tells a client to re-list.
import type { ResourceType } from '../api/registry.js';
import type { TimerHandle } from '../ports/clock.js';
import type { HandlerResult, ServerStreamWriter, TransportRequest } from '../ports/transport.js';
import type { JsonObject, ObjectFilter, StoreWatchEvent } from '../store/types.js';
import type { ServerContext } from './context.js';
import { collectionPrefix } from './context.js';
import { parseResourceVersion } from './read.js';
import { errorResult } from './responses.js';
import { selectorFilter } from './selectors.js';
import { badRequest, statusObject, tooOldResourceVersion } from './status.js';
import type { OutputPlan } from './tables/transform.js';
import { prepareOutput, WatchRenderer } from './tables/transform.js';

export function isWatchRequest(query: Record<string, string>): boolean {
  const w = query.watch;
  return w === '1' || w === 'true';
}

interface WatchPlan {
  prefix: string;
  /** undefined: send the current state as ADDED events first, then changes. */
  fromRevision: number | undefined;
  filter: ObjectFilter | undefined;
  timeoutMs: number;
  bookmarks: boolean;
  /** What each event's object is sent as (the object, a one-row Table, metadata only). */
  output: OutputPlan;
}

function watchTimeoutMs(ctx: ServerContext, text: string | undefined): number | undefined {
  if (text === undefined || text === '') {
    return ctx.watchTimeoutMinMs + ctx.watchRng.intBelow(Math.max(1, ctx.watchTimeoutMinMs));
  }
  if (!/^\d{1,9}$/.test(text)) return undefined;
  return Number(text) * 1000;
}

export function handleWatch(
  ctx: ServerContext,
  type: ResourceType,
  namespace: string,
  request: TransportRequest,
): HandlerResult {
  const output = prepareOutput(request.headers, request.query);
  if (!output.ok) return errorResult(output.error);
  const selected = selectorFilter(type, request.query);
  if (!selected.ok) return errorResult(selected.error);
  const rv = parseResourceVersion(request.query.resourceVersion);
  if (!rv.ok) return errorResult(rv.error);
  const timeoutMs = watchTimeoutMs(ctx, request.query.timeoutSeconds);
  if (timeoutMs === undefined)
    return errorResult(badRequest('timeoutSeconds must be a non-negative integer'));
  if (ctx.openWatchCount >= ctx.limits.watchCountMax) {
    return errorResult({
      code: 429,
      reason: 'TooManyRequests',
      message: 'too many open watches, please try again later',
    });
  }
  const plan: WatchPlan = {
    prefix: collectionPrefix(type, namespace),
    fromRevision: rv.revision,
    filter: selected.filter,
    timeoutMs,
    bookmarks:
      request.query.allowWatchBookmarks === 'true' || request.query.allowWatchBookmarks === '1',
    output: output.plan,
  };
  return {
    kind: 'stream',
    status: 200,
    headers: { 'content-type': 'application/json' },
    open: (writer) => openWatch(ctx, type, plan, writer),
  };
}

/** One event line; the renderer turns the object into a Table row when the client asked. */
function eventLine(
  ctx: ServerContext,
  renderer: WatchRenderer,
  type: StoreWatchEvent['type'] | 'BOOKMARK',
  object: JsonObject,
): string {
  const rendered = renderer.transforms ? renderer.render(object, ctx.clock.nowMs()) : undefined;
  const text = rendered === undefined ? ctx.json.text(object) : JSON.stringify(rendered);
  return `{"type":"${type}","object":${text}}\n`;
}

/** Starts delivery; returns the function that stops it (client gone or server closing). */
function openWatch(
  ctx: ServerContext,
  type: ResourceType,
  plan: WatchPlan,
  writer: ServerStreamWriter,
): () => void {
  let closed = false;
  const timers: TimerHandle[] = [];
  let cancelWatch = (): void => {};
  const stop = (): void => {
    if (closed) return;
    closed = true;
    ctx.openWatchCount--;
    cancelWatch();
    for (const t of timers) t.cancel();
  };
  ctx.openWatchCount++;
  const renderer = new WatchRenderer({ type, plan: plan.output });
  let from = plan.fromRevision;
  if (from === undefined) {
    const listed = ctx.store.list(plan.prefix, { filter: plan.filter });
    if (!listed.ok) throw new Error(`listing the current state failed: ${listed.error.code}`);
    for (const object of listed.value.items) {
      writer.write(eventLine(ctx, renderer, 'ADDED', object));
    }
    from = listed.value.revision;
  }
  const started = ctx.store.watch(
    plan.prefix,
    { fromRevision: from, filter: plan.filter },
    (event) => {
      if (!closed) writer.write(eventLine(ctx, renderer, event.type, event.object));
    },
  );
  if (!started.ok) {
    const status = statusObject(
      tooOldResourceVersion(from, started.error.oldestRevision ?? ctx.store.oldestRevision),
    );
    writer.write(`{"type":"ERROR","object":${JSON.stringify(status)}}\n`);
    stop();
    writer.end();
    return stop;
  }
  cancelWatch = () => started.value.cancel();
  timers.push(
    ctx.clock.setTimer(plan.timeoutMs, () => {
      stop();
      writer.end();
    }),
  );
  if (plan.bookmarks) {
    const tick = (): void => {
      if (closed) return;
      writer.write(eventLine(ctx, renderer, 'BOOKMARK', bookmarkObject(ctx, type)));
      timers[1] = ctx.clock.setTimer(ctx.bookmarkIntervalMs, tick);
    };
    timers[1] = ctx.clock.setTimer(ctx.bookmarkIntervalMs, tick);
  }
  return stop;
}

/** A BOOKMARK carries only the revision every earlier event has been delivered up to. */
function bookmarkObject(ctx: ServerContext, type: ResourceType): JsonObject {
  const metadata = { resourceVersion: String(ctx.store.revision) };
  return { kind: type.kind, apiVersion: type.apiVersion, metadata };
}
