// The event recorder components use to report what happened to objects (client-go tools/record,
// v0.32): builds core/v1 Events, then correlates and writes them in order, off the caller's path.
//
// event() never blocks and never throws for operating reasons: it stamps the event and queues it
// (a full queue drops it, as upstream's broadcaster does). One writer takes events off the queue
// in order; each goes through the correlator (aggregation, counting, spam filter) and is written
// through the sink, retried while the server cannot be reached: up to `writeAttemptsMax`
// attempts, the first wait a random fraction of `retryIntervalMs` (so clients do not retry in
// step), then `retryIntervalMs` apart, on the Clock. An answer from the server, even an error,
// ends the event. Every outcome is counted in stats().

import type { KubeClient } from '../client/client.js';
import { ApiStatusError } from '../client/errors.js';
import type { Clock, TimerHandle } from '../ports/clock.js';
import type { Rng } from '../ports/rng.js';
import { formatTime } from '../api/values/time.js';
import { assert } from '../util/assert.js';
import type { CorrelateResult, CorrelatorLimits } from './event-correlator.js';
import { EventCorrelator } from './event-correlator.js';
import { EventNamer } from './event-namer.js';
import type { EventSink } from './event-sink.js';
import { ClientEventSink, writeEvent } from './event-sink.js';
import type { CoreEvent, EventObjectReference, EventPatch, EventType } from './event-types.js';
import { compactReference } from './event-types.js';

export interface EventRecorderLimits extends CorrelatorLimits {
  /** Events waiting to be written; more are dropped. Default 1000 (maxQueuedEvents). */
  queueLengthMax: number;
  /** Attempts per event while the server is unreachable. Default 12 (maxTriesPerEvent). */
  writeAttemptsMax: number;
  /** Wait between attempts. Default 10 s (defaultSleepDuration). */
  retryIntervalMs: number;
}

export interface EventRecorderOptions {
  /** Writes events through a ClientEventSink; required unless `sink` is given. */
  client?: KubeClient;
  /** Stamps events and times the retries. */
  clock: Clock;
  /** The component's stream; the recorder forks `event-names` and `event-retries` from it. */
  rng: Rng;
  /** source.component and reportingComponent, e.g. `default-scheduler`, `kubelet`. */
  component: string;
  /** source.host and reportingInstance, e.g. the kubelet's node name. Default ''. */
  host?: string;
  /** Tunables; defaults are upstream's. */
  options?: Partial<EventRecorderLimits>;
  /** Where events go; default a ClientEventSink over `client`. */
  sink?: EventSink;
}

export interface EventRecorderStats {
  /** Events queued by event(). */
  queued: number;
  /** Not queued: the type was neither Normal nor Warning. */
  droppedInvalidType: number;
  /** Not queued: the queue was full. */
  droppedQueueFull: number;
  /** Dropped by the spam filter. */
  droppedSpam: number;
  /** Written as new events. */
  created: number;
  /** Written as repeats of earlier events (count > 1): updated, or re-created when gone. */
  updated: number;
  /** Refused by the server (any API error): not retried. */
  rejected: number;
  /** Attempts that did not reach the server. */
  failedAttempts: number;
  /** Given up after writeAttemptsMax attempts. */
  droppedRetriesExhausted: number;
}

export const defaultEventRecorderLimits: Omit<EventRecorderLimits, keyof CorrelatorLimits> = {
  queueLengthMax: 1000,
  writeAttemptsMax: 12,
  retryIntervalMs: 10_000,
};

type Outcome = 'created' | 'updated' | 'rejected' | 'failed';

/** An answer from the server (an API Status) ends the event; anything else is retried. */
function outcomeOfError(error: unknown): Outcome {
  return error instanceof ApiStatusError ? 'rejected' : 'failed';
}

function hasKeys(record: Readonly<Record<string, string>>): boolean {
  for (const _key in record) return true;
  return false;
}

export class EventRecorder {
  readonly component: string;
  readonly host: string;
  private readonly clock: Clock;
  private readonly sink: EventSink;
  private readonly namer: EventNamer;
  private readonly retryRng: Rng;
  private readonly correlator: EventCorrelator;
  private readonly limits: Omit<EventRecorderLimits, keyof CorrelatorLimits>;
  private readonly queue: CoreEvent[] = [];
  private readonly counters: EventRecorderStats = {
    queued: 0,
    droppedInvalidType: 0,
    droppedQueueFull: 0,
    droppedSpam: 0,
    created: 0,
    updated: 0,
    rejected: 0,
    failedAttempts: 0,
    droppedRetriesExhausted: 0,
  };
  private writing = false;
  private stopped = false;
  private retryTimer: { handle: TimerHandle; resume: (go: boolean) => void } | undefined;
  private idleWaiters: (() => void)[] = [];
  private lastTime = { second: Number.NaN, text: '' };

  constructor(options: EventRecorderOptions) {
    assert(options.component !== '', 'an event recorder needs a component name');
    this.component = options.component;
    this.host = options.host ?? '';
    this.clock = options.clock;
    const client = options.client;
    assert(options.sink !== undefined || client !== undefined, 'an event recorder needs a client');
    this.sink = options.sink ?? new ClientEventSink({ client: client as KubeClient });
    this.namer = new EventNamer({ rng: options.rng.fork('event-names') });
    this.retryRng = options.rng.fork('event-retries');
    const tunables = options.options ?? {};
    this.limits = { ...defaultEventRecorderLimits, ...tunables };
    assert(this.limits.writeAttemptsMax >= 1, 'writeAttemptsMax must be at least 1');
    assert(this.limits.retryIntervalMs >= 1, 'retryIntervalMs must be at least 1 ms');
    this.correlator = new EventCorrelator({
      clock: options.clock,
      eventName: (name, nowMs) => this.namer.next(name, nowMs),
      limits: tunables,
    });
  }

  /**
   * Records that `reason` happened to `involvedObject` (a reference; see objectReference()).
   * Returns at once; the write happens later, in order with this recorder's other events.
   */
  event(
    involvedObject: EventObjectReference,
    type: EventType,
    reason: string,
    message: string,
  ): void {
    this.annotatedEvent(involvedObject, {}, { type, reason, message });
  }

  /**
   * As event(), with annotations on the Event object (client-go's AnnotatedEventf). Annotations
   * are not part of the repeat key: a repeat keeps the first occurrence's annotations.
   */
  annotatedEvent(
    involvedObject: EventObjectReference,
    annotations: Readonly<Record<string, string>>,
    what: { type: EventType; reason: string; message: string },
  ): void {
    const { type, reason, message } = what;
    if (this.stopped) return;
    if (type !== 'Normal' && type !== 'Warning') {
      this.counters.droppedInvalidType++;
      return;
    }
    if (this.queue.length >= this.limits.queueLengthMax) {
      this.counters.droppedQueueFull++;
      return;
    }
    const event = this.makeEvent(compactReference(involvedObject), type, reason, message);
    if (hasKeys(annotations)) event.metadata.annotations = { ...annotations };
    this.queue.push(event);
    this.counters.queued++;
    this.startWriting();
  }

  /** A snapshot of the counters. */
  stats(): EventRecorderStats {
    return { ...this.counters };
  }

  /** Resolves once every queued event has been written, dropped or given up. */
  whenIdle(): Promise<void> {
    if (!this.writing && this.queue.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Drops queued events and stops retrying; a write already sent still completes. */
  stop(): void {
    this.stopped = true;
    this.queue.length = 0;
    const timer = this.retryTimer;
    this.retryTimer = undefined;
    timer?.handle.cancel();
    timer?.resume(false);
  }

  /** recorder.makeEvent + generateEvent: a first occurrence, named after the object and now. */
  private makeEvent(
    involvedObject: EventObjectReference,
    type: EventType,
    reason: string,
    message: string,
  ): CoreEvent {
    const nowMs = this.clock.nowMs();
    const now = this.timeText(nowMs);
    const namespace = involvedObject.namespace ?? 'default';
    const source =
      this.host === ''
        ? { component: this.component }
        : { component: this.component, host: this.host };
    return {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name: this.namer.next(involvedObject.name ?? '', nowMs), namespace },
      involvedObject,
      reason,
      message,
      source,
      firstTimestamp: now,
      lastTimestamp: now,
      count: 1,
      type,
      reportingComponent: this.component,
      reportingInstance: this.host,
    };
  }

  /** formatTime(nowMs), reused while the clock stays within one second (most events). */
  private timeText(nowMs: number): string {
    const second = Math.floor(nowMs / 1000);
    const reuse = second === this.lastTime.second && Number.isSafeInteger(nowMs);
    if (!reuse) this.lastTime = { second, text: formatTime(nowMs) };
    return this.lastTime.text;
  }

  private startWriting(): void {
    if (this.writing) return;
    this.writing = true;
    void this.drain();
  }

  /**
   * The writer: takes events off the queue in order and records each (recordToSink). The
   * first attempt is awaited here directly, so a written event costs the writer as few promise
   * hops as possible (it must keep up with a fast producer, or the queue fills and drops).
   */
  private async drain(): Promise<void> {
    try {
      for (let next = this.queue.shift(); next !== undefined; next = this.queue.shift()) {
        const result = this.correlator.correlate(next);
        if (result.skip) {
          this.counters.droppedSpam++;
          continue;
        }
        const outcome = await this.attempt(result.event, result.patch, result.eventKey);
        if (outcome !== 'failed') this.counters[outcome]++;
        else await this.retryWrite(result);
      }
    } finally {
      this.writing = false;
      const waiters = this.idleWaiters;
      this.idleWaiters = [];
      for (const resolve of waiters) resolve();
    }
  }

  /**
   * recordToSink's retries after a first attempt that did not reach the server: more attempts
   * while the server cannot be reached, up to writeAttemptsMax in all.
   */
  private async retryWrite(result: Extract<CorrelateResult, { skip: false }>): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      this.counters.failedAttempts++;
      if (attempt >= this.limits.writeAttemptsMax) {
        this.counters.droppedRetriesExhausted++;
        return;
      }
      if (!(await this.waitToRetry(attempt))) return;
      const outcome = await this.attempt(result.event, result.patch, result.eventKey);
      if (outcome !== 'failed') {
        this.counters[outcome]++;
        return;
      }
    }
  }

  /** One write; resolves with its outcome (never rejects). One promise: no async wrapper. */
  private attempt(
    event: CoreEvent,
    patch: EventPatch | undefined,
    key: string | undefined,
  ): Promise<Outcome> {
    return writeEvent(this.sink, event, patch).then((stored) => {
      try {
        this.correlator.updateState(stored, { event, key });
      } catch (error) {
        return outcomeOfError(error);
      }
      return event.count > 1 ? 'updated' : 'created';
    }, outcomeOfError);
  }

  /** Waits before the next attempt; false when the recorder was stopped meanwhile. */
  private waitToRetry(failedAttempts: number): Promise<boolean> {
    if (this.stopped) return Promise.resolve(false);
    const intervalMs = this.limits.retryIntervalMs;
    const delayMs = failedAttempts === 1 ? this.retryRng.intBelow(intervalMs) : intervalMs;
    return new Promise((resolve) => {
      const resume = (go: boolean) => {
        this.retryTimer = undefined;
        resolve(go);
      };
      const handle = this.clock.setTimer(delayMs, () => resume(true));
      this.retryTimer = { handle, resume };
    });
  }
}
