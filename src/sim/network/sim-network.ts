// The simulated network of one world: links between named endpoints, with latency, loss,
// partitions and holds, delivering messages as engine events.
//
// Every message a SimTransport carries (a request, a response, each piece of a stream) is handed
// to `Link.send`, which consults the rules (link-rules.ts) for its link and then:
// - clear link (no rule applies, zero latency) and nothing of the same stream in flight:
//   delivers at once, inside send (the in-process fast path: no engine event, no draw);
// - partitioned: drops it (and tells the sender from an engine event, for streams);
// - held: queues it until release() (at most heldMessageCountMax messages; overflow drops the
//   message and fails the run: a reported failure, not a silent loss);
// - lost (a loss rule; the link's loss Rng draws per message): drops it, like a partition;
// - otherwise: schedules a `delivery`-phase engine event at now + a latency sample from the
//   link's latency Rng. The event's endpoint is `<from>-><to>`, so deliveries at one instant are
//   ordered by link and, within a link, by send order (DESIGN.md's event order).
// A message in flight when a partition starts is dropped when its delivery event runs.
// Messages of one stream direction (a StreamOrder) are never reordered: each is delivered no
// earlier than the one sent before it, and messages due at the same instant share one event.
// Released messages re-enter the network as if sent at release time (rules apply again), always
// through engine events, never inside release() itself.

import type { TimerHandle } from '../../control/ports/clock.js';
import type { Rng } from '../../control/ports/rng.js';
import { assert } from '../../control/util/assert.js';
import type { EventScheduler } from '../engine/virtual-clock.js';
import { assertEndpointName } from './endpoint-pattern.js';
import type { LatencySpec } from './latency.js';
import { sampleLatencyMs } from './latency.js';
import { Link } from './link.js';
import type {
  Batch,
  DropReason,
  LinkRouter,
  NetworkMessage,
  SendOutcome,
  StreamOrder,
} from './link.js';
import type { LinkPolicy, LinkSelector } from './link-rules.js';
import { LinkRules, perMillion } from './link-rules.js';

export { Link, StreamOrder } from './link.js';
export type { DropReason, NetworkMessage, SendOutcome } from './link.js';
export type { LinkSelector } from './link-rules.js';

export interface SimNetworkOptions {
  /** The engine (or anything with its nowMs and schedule). */
  scheduler: EventScheduler;
  /** Parent of the per-link streams `latency/<from>/<to>` and `loss/<from>/<to>`. */
  rng: Rng;
  /** Latency of links that no setLatency rule selects. Default 0 ms. */
  defaultLatency?: LatencySpec;
  /** A client's wait for a response before its request fails; see defaultRequestTimeoutMs. */
  requestTimeoutMs?: number;
  /** Most messages waiting in holds at once. Default 100,000. */
  heldMessageCountMax?: number;
  /** Most rules in force at once. Default 10,000. */
  ruleCountMax?: number;
}

/**
 * client-go sets no timeout on most clients; a request on a dead HTTP/2 connection fails when
 * the connection health check closes it: 30 s without a frame (ReadIdleTimeout), then a ping
 * unanswered for 15 s (PingTimeout). 45 s is that worst case.
 */
export const defaultRequestTimeoutMs = 45_000;

interface HeldMessage {
  readonly link: Link;
  readonly message: NetworkMessage;
  readonly order: StreamOrder | undefined;
  readonly holdId: string;
}

/** An open stream, as the network sees it: partitions between its ends break it. */
export interface StreamEntry {
  readonly up: Link;
  readonly down: Link;
  /** Closes both ends; the client sees a broken connection. */
  break(reason: DropReason): void;
}

export interface NetworkStats {
  /** Messages handed to their receiver. */
  delivered: number;
  /** Messages dropped by loss rules. */
  lost: number;
  /** Messages dropped by partitions, at send time or in flight. */
  partitioned: number;
  /** Messages dropped because the hold queue was full. */
  overflowed: number;
  /** Messages waiting in holds now. */
  held: number;
  /** Streams broken by partitions or dropped messages. */
  streamsBroken: number;
}

export class SimNetwork implements LinkRouter {
  readonly requestTimeoutMs: number;
  private readonly scheduler: EventScheduler;
  private readonly rng: Rng;
  private readonly rules: LinkRules;
  private readonly heldMessageCountMax: number;
  private readonly links = new Map<string, Link>();
  private held: HeldMessage[] = [];
  private readonly streams = new Map<number, StreamEntry>();
  private nextStreamId = 1;
  private failureValue: Error | undefined;
  private readonly counts = { delivered: 0, lost: 0, partitioned: 0, overflowed: 0, broken: 0 };

  constructor(options: SimNetworkOptions) {
    this.scheduler = options.scheduler;
    this.rng = options.rng;
    this.rules = new LinkRules({
      defaultLatency: options.defaultLatency ?? 0,
      ruleCountMax: options.ruleCountMax ?? 10_000,
    });
    this.requestTimeoutMs = options.requestTimeoutMs ?? defaultRequestTimeoutMs;
    assertPositiveInteger(this.requestTimeoutMs, 'requestTimeoutMs');
    this.heldMessageCountMax = options.heldMessageCountMax ?? 100_000;
    assertPositiveInteger(this.heldMessageCountMax, 'heldMessageCountMax');
  }

  // ---- Faults: the rules. ----

  /** Drops every message between the selected endpoints and breaks their open streams. */
  partition(selector: LinkSelector): string {
    const id = this.rules.addPartition(selector);
    this.breakCutStreams();
    return id;
  }

  /** Removes one partition, or every partition when `id` is absent. */
  heal(id?: string): void {
    this.removeRules(id === undefined ? this.rules.ids('partition') : [id], 'partition');
  }

  /** Sets the latency of the selected links (replacing a rule with the same selector). */
  setLatency(selector: LinkSelector & { latency: LatencySpec }): string {
    return this.rules.setLatency(selector, selector.latency);
  }

  /** Loses each message on the selected links with probability perMillion / 1,000,000. */
  setLoss(selector: LinkSelector & { perMillion: number }): string {
    return this.rules.setLoss(selector, selector.perMillion);
  }

  /** Queues the selected links' messages until release (streams stay open meanwhile). */
  hold(selector: LinkSelector): string {
    return this.rules.addHold(selector);
  }

  /** Ends one hold, or every hold; its messages go on in the order they were sent. */
  release(id?: string): void {
    const ids = id === undefined ? this.rules.ids('hold') : [id];
    this.removeRules(ids, 'hold');
    const released = new Set(ids);
    const releasing = this.held.filter((entry) => released.has(entry.holdId));
    if (releasing.length === 0) return;
    this.held = this.held.filter((entry) => !released.has(entry.holdId));
    for (const entry of releasing) if (entry.order !== undefined) entry.order.inFlight -= 1;
    for (const entry of releasing) this.route(entry.link, entry.message, entry.order, false);
  }

  /** Removes any rule by id: heals a partition, releases a hold, unsets latency or loss. */
  removeRule(id: string): void {
    const kind = this.rules.kindOf(id);
    assert(kind !== undefined, `No network rule "${id}" is in force`);
    if (kind === 'hold') this.release(id);
    else this.removeRules([id], kind);
  }

  // ---- Queries. ----

  /** True when messages from `from` to `to` are dropped by a partition. */
  isCut(from: string, to: string): boolean {
    return this.link(from, to).policy().partitionId !== undefined;
  }

  stats(): NetworkStats {
    const { delivered, lost, partitioned, overflowed, broken } = this.counts;
    const held = this.held.length;
    return { delivered, lost, partitioned, overflowed, held, streamsBroken: broken };
  }

  /** The first bound the network hit (the run also failed with it), if any. */
  get failure(): Error | undefined {
    return this.failureValue;
  }

  // ---- For transports. ----

  /** The link from `from` to `to` (endpoint names, no patterns). */
  link(from: string, to: string): Link {
    const key = `${from} ${to}`;
    let link = this.links.get(key);
    if (link === undefined) {
      assertEndpointName(from);
      assertEndpointName(to);
      link = new Link(this, from, to);
      this.links.set(key, link);
    }
    return link;
  }

  nowMs(): number {
    return this.scheduler.nowMs();
  }

  /** A `timer`-phase event of `endpoint` at `atMs` (not before now). */
  setTimerAt(endpoint: string, atMs: number, fn: () => void): TimerHandle {
    const at = Math.max(atMs, this.scheduler.nowMs());
    return this.scheduler.schedule({ atMs: at, phase: 'timer', endpoint, run: fn });
  }

  /** Registers a stream so that partitions break it; returns its unregister function. */
  registerStream(entry: StreamEntry): () => void {
    const id = this.nextStreamId++;
    this.streams.set(id, entry);
    return () => void this.streams.delete(id);
  }

  /** A message was delivered on the fast path (for stats). */
  countInline(): void {
    this.counts.delivered += 1;
  }

  /** A stream was broken by a dropped message or a partition (for stats). */
  noteStreamBroken(): void {
    this.counts.broken += 1;
  }

  // ---- Internals shared with Link. ----

  get rulesVersion(): number {
    return this.rules.version;
  }

  policyOf(from: string, to: string): LinkPolicy {
    return this.rules.policy(from, to);
  }

  linkRng(kind: 'latency' | 'loss', from: string, to: string): Rng {
    return this.rng.fork(kind).fork(rngSegment(from)).fork(rngSegment(to));
  }

  route(
    link: Link,
    message: NetworkMessage,
    order: StreamOrder | undefined,
    inline: boolean,
  ): SendOutcome {
    const policy = link.policy();
    if (inline && policy.clear && (order === undefined || order.inFlight === 0)) {
      this.counts.delivered += 1;
      message.deliver();
      return 'delivered';
    }
    if (policy.partitionId !== undefined) return this.drop(link, message, 'partitioned');
    if (policy.holdId !== undefined) return this.hold1(link, message, order, policy.holdId);
    if (this.isLost(link, policy.lossPerMillion)) return this.drop(link, message, 'lost');
    this.schedule(link, message, order, sampleLatencyMs(policy.latency, link.latencyRng()));
    return 'scheduled';
  }

  private isLost(link: Link, lossPerMillion: number): boolean {
    if (lossPerMillion === 0) return false;
    if (lossPerMillion === perMillion) return true;
    return link.lossRng().chance(lossPerMillion, perMillion);
  }

  private drop(link: Link, message: NetworkMessage, reason: DropReason): SendOutcome {
    this.countDrop(reason);
    const dropped = message.dropped?.bind(message);
    if (dropped !== undefined) {
      const atMs = this.scheduler.nowMs();
      const endpoint = link.eventEndpoint;
      this.scheduler.schedule({ atMs, phase: 'delivery', endpoint, run: () => dropped(reason) });
    }
    return 'dropped';
  }

  private countDrop(reason: DropReason): void {
    if (reason === 'lost') this.counts.lost += 1;
    else if (reason === 'partitioned') this.counts.partitioned += 1;
    else this.counts.overflowed += 1;
  }

  private hold1(
    link: Link,
    message: NetworkMessage,
    order: StreamOrder | undefined,
    holdId: string,
  ): SendOutcome {
    if (this.held.length >= this.heldMessageCountMax) {
      this.reportFailure(
        new Error(
          `Network hold queue is full: heldMessageCountMax (${this.heldMessageCountMax}) ` +
            `messages are held; a message from ${link.from} to ${link.to} was dropped`,
        ),
      );
      return this.drop(link, message, 'overflow');
    }
    if (order !== undefined) order.inFlight += 1;
    this.held.push({ link, message, order, holdId });
    return 'held';
  }

  private schedule(
    link: Link,
    message: NetworkMessage,
    order: StreamOrder | undefined,
    latencyMs: number,
  ): void {
    let atMs = this.scheduler.nowMs() + latencyMs;
    if (order === undefined) return this.scheduleBatch(link, atMs, [message], undefined);
    if (atMs < order.lastAtMs) atMs = order.lastAtMs;
    order.lastAtMs = atMs;
    order.inFlight += 1;
    const batch = order.batch;
    if (batch !== undefined && !batch.ran && batch.atMs === atMs) {
      batch.items.push(message);
      return;
    }
    this.scheduleBatch(link, atMs, [message], order);
  }

  private scheduleBatch(
    link: Link,
    atMs: number,
    items: NetworkMessage[],
    order: StreamOrder | undefined,
  ): void {
    const batch: Batch = { atMs, items, ran: false };
    if (order !== undefined) order.batch = batch;
    const run = () => this.deliverBatch(link, batch, order);
    this.scheduler.schedule({ atMs, phase: 'delivery', endpoint: link.eventEndpoint, run });
  }

  private deliverBatch(link: Link, batch: Batch, order: StreamOrder | undefined): void {
    batch.ran = true;
    if (order !== undefined && order.batch === batch) order.batch = undefined;
    for (const message of batch.items) {
      if (order !== undefined) order.inFlight -= 1;
      if (link.policy().partitionId !== undefined) {
        this.countDrop('partitioned');
        message.dropped?.('partitioned');
        continue;
      }
      this.counts.delivered += 1;
      message.deliver();
    }
  }

  private removeRules(ids: readonly string[], kind: 'partition' | 'hold' | 'latency' | 'loss') {
    for (const id of ids) {
      const found = this.rules.kindOf(id);
      assert(found === kind, `No ${kind} "${id}" is in force`);
    }
    this.rules.remove(ids);
  }

  /** Breaks every registered stream whose link is now cut in either direction. */
  private breakCutStreams(): void {
    const cut = [...this.streams.values()].filter(
      (entry) =>
        entry.up.policy().partitionId !== undefined ||
        entry.down.policy().partitionId !== undefined,
    );
    for (const entry of cut) entry.break('partitioned');
  }

  /** Records the first failure and fails the engine run with it (a fault-phase event throws). */
  private reportFailure(error: Error): void {
    this.failureValue ??= error;
    const atMs = this.scheduler.nowMs();
    this.scheduler.schedule({
      atMs,
      phase: 'fault',
      endpoint: 'network',
      run: () => {
        throw error;
      },
    });
  }
}

/** Endpoint names contain `/`, which Rng stream names may not: `node/a` becomes `node:a`. */
function rngSegment(endpoint: string): string {
  return endpoint.split('/').join(':');
}

function assertPositiveInteger(value: number, what: string): void {
  assert(Number.isSafeInteger(value) && value > 0, `${what} must be a positive integer`);
}
