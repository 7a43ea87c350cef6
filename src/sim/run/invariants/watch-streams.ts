// watch-delivery-order for the API server's watch streams: each stream delivers every change it
// matches once, in revision order, with no gap (per-line checks in watch-stream.ts).
//
// wrap() takes a watch request's stream result (from the API server observer) and returns one
// whose writer reports each line here first. When the stream opens it is registered with its
// key prefix and selectors (the API server's own parsing: parseRoute, selectorFilter,
// parseResourceVersion), and the history it replays is queued from the recent commits. Then
// onCommit, called by the checker's store watch before the API server's watchers see the change,
// queues the change on every stream that matches it. Cost per commit: the streams on the key's
// prefixes, except pod watches selecting `spec.nodeName=<node>` (one per kubelet), which are
// indexed by node so a pod change reaches only its node's stream. Per line: one string
// comparison with the expected line (the committed object's JSON is built once per commit).
import { findResource } from '../../../control/api/registry.js';
import type { ResourceType } from '../../../control/api/registry.js';
import { collectionPrefix } from '../../../control/apiserver/context.js';
import { parseResourceVersion } from '../../../control/apiserver/read.js';
import { parseRoute } from '../../../control/apiserver/routing.js';
import { selectorFilter } from '../../../control/apiserver/selectors.js';
import { isWatchRequest } from '../../../control/apiserver/watch.js';
import type {
  HandlerResult,
  ServerStreamWriter,
  TransportRequest,
} from '../../../control/ports/transport.js';
import type {
  ObjectFilter,
  StoredObject,
  StoreWatchEvent,
  WatchEventType,
} from '../../../control/store/types.js';
import { nodeNameOf } from './object-fields.js';
import type { StoreCommits } from './store-commits.js';
import type { ReportViolation } from './violation-log.js';
import { WatchStream } from './watch-stream.js';
import type { ExpectedChange } from './watch-stream.js';

type StreamResult = Extract<HandlerResult, { kind: 'stream' }>;

interface StreamPlan {
  prefix: string;
  filter: ObjectFilter | undefined;
  /** undefined: the initial state first (no resourceVersion). */
  fromRevision: number | undefined;
  /** Set for pod watches selecting exactly `spec.nodeName=<node>`. */
  nodeName: string | undefined;
}

interface Registered {
  stream: WatchStream;
  plan: StreamPlan;
  /** Changes after this revision are queued live by onCommit. */
  afterRevision: number;
}

interface PrefixStreams {
  all: Set<Registered>;
  byNodeName: Map<string, Set<Registered>>;
}

export interface WatchStreamsOptions {
  report: ReportViolation;
  commits: StoreCommits;
  /** The store's current revision. */
  revision: () => number;
  /** Most streams tracked at once; later ones go unchecked. Default 100,000. */
  streamCountMax?: number;
  /** Runs a check so that an error in it never reaches the API server. */
  protect: (check: () => void) => void;
}

export class WatchStreams {
  private readonly report: ReportViolation;
  private readonly commits: StoreCommits;
  private readonly revision: () => number;
  private readonly streamCountMax: number;
  private readonly protect: (check: () => void) => void;
  private readonly prefixes = new Map<string, PrefixStreams>();
  private readonly open = new Set<Registered>();
  private deliveries = 0;
  private untracked = 0;
  /** The JSON of the last object a line was expected for, and its lines by type. */
  private textCache: { object: StoredObject; text: string; lines: Map<string, string> } | undefined;

  constructor(options: WatchStreamsOptions) {
    this.report = options.report;
    this.commits = options.commits;
    this.revision = options.revision;
    this.streamCountMax = options.streamCountMax ?? 100_000;
    this.protect = options.protect;
  }

  get linesChecked(): number {
    return this.deliveries;
  }

  get streamsUntracked(): number {
    return this.untracked;
  }

  get openCount(): number {
    return this.open.size;
  }

  /** The result, with its writes checked when it is a watch of a known resource. */
  wrap(request: TransportRequest, result: HandlerResult): HandlerResult {
    if (result.kind !== 'stream' || request.method !== 'GET') return result;
    if (!isWatchRequest(request.query)) return result;
    const plan = planOf(request);
    if (plan === undefined) return result;
    const label = labelOf(request);
    return { ...result, open: (writer) => this.openStream(result, writer, plan, label) };
  }

  /** A commit, before any API server watch delivers it. */
  onCommit(event: StoreWatchEvent): void {
    for (const [prefix, streams] of this.prefixes) {
      if (!event.key.startsWith(prefix)) continue;
      for (const registered of streams.all) this.offer(registered, event);
      if (streams.byNodeName.size === 0) continue;
      const now = nodeNameOf(event.object);
      const before = event.prevObject === undefined ? now : nodeNameOf(event.prevObject);
      for (const registered of streams.byNodeName.get(now) ?? []) this.offer(registered, event);
      if (before === now) continue;
      for (const registered of streams.byNodeName.get(before) ?? []) this.offer(registered, event);
    }
  }

  /** Every stream's undelivered changes are overdue now (no delivery is in progress). */
  flushAll(): void {
    for (const registered of this.open) registered.stream.flushOverdue(this.report);
  }

  /** Forgets every stream: their later lines go unchecked. */
  stop(): void {
    this.open.clear();
    this.prefixes.clear();
    this.textCache = undefined;
  }

  private offer(registered: Registered, event: StoreWatchEvent): void {
    if (event.revision <= registered.afterRevision) return;
    const type = watchTypeFor(event, registered.plan.filter);
    if (type === undefined) return;
    const stream = registered.stream;
    stream.flushOverdue(this.report);
    stream.expect({ revision: event.revision, type, object: event.object }, this.report);
  }

  private openStream(
    result: StreamResult,
    writer: ServerStreamWriter,
    plan: StreamPlan,
    label: string,
  ): () => void {
    let tracked: Registered | undefined;
    this.protect(() => {
      tracked = this.startStream(plan, label);
    });
    const registered = tracked;
    if (registered === undefined) return result.open(writer);
    const checked: ServerStreamWriter = {
      write: (chunk) => {
        if (this.open.has(registered)) this.protect(() => this.onChunk(registered, chunk));
        writer.write(chunk);
      },
      end: () => {
        this.protect(() => this.unregister(registered));
        writer.end();
      },
    };
    let stop: () => void;
    try {
      stop = result.open(checked);
    } catch (error) {
      this.protect(() => this.unregister(registered));
      throw error;
    } finally {
      registered.stream.snapshot = false;
      registered.stream.opening = false;
    }
    return () => {
      this.protect(() => this.unregister(registered));
      stop();
    };
  }

  /** Registers a stream opening now, with the history it replays queued; undefined past the cap. */
  private startStream(plan: StreamPlan, label: string): Registered | undefined {
    if (this.open.size >= this.streamCountMax) {
      this.untracked += 1;
      return undefined;
    }
    const stream = new WatchStream({ label });
    const revision = this.revision();
    const from = plan.fromRevision;
    const registered: Registered = {
      stream,
      plan,
      afterRevision: from === undefined ? revision : Math.max(from, revision),
    };
    if (from === undefined) stream.snapshot = true;
    else if (from < revision) this.queueReplay(registered, from, revision);
    stream.lastRevision = from ?? revision;
    this.register(registered);
    return registered;
  }

  /** Queues the history a stream from `from` replays, as far as the recent commits reach. */
  private queueReplay(registered: Registered, from: number, revision: number): void {
    const covered = this.commits.coveredAfterRevision;
    const start = Math.max(from, covered);
    if (start > from) registered.stream.unverifiedThrough = start;
    for (let r = start + 1; r <= revision; r++) {
      const event = this.commits.at(r);
      if (event === undefined || !event.key.startsWith(registered.plan.prefix)) continue;
      if (!matchesNode(registered.plan, event)) continue;
      const type = watchTypeFor(event, registered.plan.filter);
      if (type === undefined) continue;
      registered.stream.expect({ revision: r, type, object: event.object }, this.report);
    }
  }

  private onChunk(registered: Registered, chunk: string): void {
    let start = 0;
    for (let end = chunk.indexOf('\n'); end >= 0; end = chunk.indexOf('\n', start)) {
      const line = start === 0 && end === chunk.length - 1 ? chunk : chunk.slice(start, end + 1);
      start = end + 1;
      this.deliveries += 1;
      const state = registered.stream.onLine(line, (c) => this.lineOf(c), this.report);
      if (state === 'ended') {
        this.unregister(registered);
        return;
      }
    }
  }

  private lineOf(change: ExpectedChange): string {
    let cache = this.textCache;
    if (cache === undefined || cache.object !== change.object) {
      cache = { object: change.object, text: JSON.stringify(change.object), lines: new Map() };
      this.textCache = cache;
    }
    let line = cache.lines.get(change.type);
    if (line === undefined) {
      line = `{"type":"${change.type}","object":${cache.text}}\n`;
      cache.lines.set(change.type, line);
    }
    return line;
  }

  private register(registered: Registered): void {
    this.open.add(registered);
    const { prefix, nodeName } = registered.plan;
    let streams = this.prefixes.get(prefix);
    if (streams === undefined) {
      streams = { all: new Set(), byNodeName: new Map() };
      this.prefixes.set(prefix, streams);
    }
    if (nodeName === undefined) {
      streams.all.add(registered);
      return;
    }
    let set = streams.byNodeName.get(nodeName);
    if (set === undefined) {
      set = new Set();
      streams.byNodeName.set(nodeName, set);
    }
    set.add(registered);
  }

  private unregister(registered: Registered): void {
    if (!this.open.delete(registered)) return;
    const { prefix, nodeName } = registered.plan;
    const streams = this.prefixes.get(prefix);
    if (streams === undefined) return;
    if (nodeName === undefined) streams.all.delete(registered);
    else {
      const set = streams.byNodeName.get(nodeName);
      set?.delete(registered);
      if (set?.size === 0) streams.byNodeName.delete(nodeName);
    }
    if (streams.all.size === 0 && streams.byNodeName.size === 0) this.prefixes.delete(prefix);
  }
}

/** What a watch with `filter` receives for a change, as the store decides (upstream rules). */
export function watchTypeFor(
  event: StoreWatchEvent,
  filter: ObjectFilter | undefined,
): WatchEventType | undefined {
  if (filter === undefined) return event.type;
  if (event.prevObject === undefined) return filter(event.object) ? event.type : undefined;
  if (event.type === 'DELETED') return filter(event.prevObject) ? 'DELETED' : undefined;
  const passesNow = filter(event.object);
  const passedBefore = filter(event.prevObject);
  if (passesNow) return passedBefore ? 'MODIFIED' : 'ADDED';
  return passedBefore ? 'DELETED' : undefined;
}

function matchesNode(plan: StreamPlan, event: StoreWatchEvent): boolean {
  if (plan.nodeName === undefined) return true;
  if (nodeNameOf(event.object) === plan.nodeName) return true;
  return event.prevObject !== undefined && nodeNameOf(event.prevObject) === plan.nodeName;
}

/** How the API server will serve the watch, or undefined when it will refuse it. */
function planOf(request: TransportRequest): StreamPlan | undefined {
  const route = parseRoute(
    request.path,
    (group, version, plural) => findResource(group, version, plural)?.namespaced,
  );
  if (route.kind !== 'resource' || route.name !== '' || route.subresource !== '') return undefined;
  const type = findResource(route.group, route.version, route.plural);
  if (type === undefined) return undefined;
  const selected = selectorFilter(type, request.query);
  const rv = parseResourceVersion(request.query.resourceVersion);
  if (!selected.ok || !rv.ok) return undefined;
  return {
    prefix: collectionPrefix(type, route.namespace),
    filter: selected.filter,
    fromRevision: rv.revision,
    nodeName: nodeNameSelected(type, request.query),
  };
}

/** The node of a pod watch whose only selector is `spec.nodeName=<node>` (a kubelet's). */
function nodeNameSelected(type: ResourceType, query: Record<string, string>): string | undefined {
  if (type.group !== '' || type.plural !== 'pods') return undefined;
  if ((query.labelSelector ?? '').trim() !== '') return undefined;
  const match = /^spec\.nodeName==?([^,=!\s]+)$/.exec(query.fieldSelector ?? '');
  return match?.[1];
}

function labelOf(request: TransportRequest): string {
  const agent = request.headers['user-agent'] ?? 'a client';
  const query = Object.keys(request.query)
    .sort()
    .filter((k) => k !== 'watch')
    .map((k) => `${k}=${request.query[k] ?? ''}`)
    .join('&');
  return `the watch of ${agent} on ${request.path}${query === '' ? '' : `?${query}`}`;
}
