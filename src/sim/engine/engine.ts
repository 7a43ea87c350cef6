// Deterministic discrete-event engine: virtual time, one total event order, bounded runs.
//
// Ordering rules
// --------------
// 1. Events pop in ascending (atMs, phase, endpoint, seq):
//    - atMs: integer virtual ms since the epoch;
//    - phase: `fault` < `timer` < `delivery` (eventPhases), so a fault due at an instant acts
//      before the timers and deliveries of that instant;
//    - endpoint: the owning component's name in plain UTF-16 code-unit order (`<`, never locale);
//    - seq: a per-endpoint counter that increments with every event scheduled for that endpoint,
//      so one component scheduling more events never reorders another component's events.
//    The order is total: two events never compare equal.
// 2. Virtual time is the popped event's atMs while it runs. It never moves backwards; scheduling
//    before now is a programmer error. An event may schedule at now: it runs at this instant,
//    in its place in the order (after everything already run, since runs are sequential).
// 3. Async continuations: unless an event is marked `sync`, after it runs the engine awaits the
//    injected `drain` (a macrotask boundary), so every promise continuation it started runs, to
//    completion or to the point where it waits on a future event, before the next event runs and
//    before time advances. Continuations may schedule events at the same instant; those run next,
//    in order, each followed by its own drain. `sync` events skip the drain: use it only for
//    bodies that settle no promise (watch delivery, queue adds, timer renewals).
// 4. Bounds: more than `drainRoundsMax` drains within one virtual instant (e.g. a zero-delay
//    loop) or more than `eventCountMax` events over the engine's life fail the run with an Error;
//    so does a full queue. Nothing hangs silently.
// 5. Failures: an event that throws, a rejected promise returned by an event, or a banned host
//    call (see guard.ts) rejects the run; the engine then refuses further runs.
// 6. While a run is open the determinism guard is installed (guard.ts), and removed afterwards,
//    also when the run fails. The drain is called through the guard's passThrough.

import type { TimerHandle } from '../../control/ports/clock.js';
import { assert } from '../../control/util/assert.js';
import { EventQueue, type QueuedEvent, type ScheduleInput } from './event-queue.js';
import { openGuard, type GuardSession } from './guard.js';
import { VirtualClock } from './virtual-clock.js';

export { eventPhases, compareEvents } from './event-queue.js';
export type { EventPhase, ScheduleInput } from './event-queue.js';
export { VirtualClock } from './virtual-clock.js';

export interface EngineOptions {
  /** Virtual epoch: integer ms since the Unix epoch, from the scenario (never the host). */
  startMs: number;
  /**
   * Resolves after a macrotask boundary, e.g. `() => new Promise((r) => hostSetImmediate(r))`
   * built by the composition root. src/sim never touches host timers itself.
   */
  drain: () => Promise<void>;
  /** Most events the engine may run over its life. */
  eventCountMax: number;
  /** Most drains within one virtual instant. */
  drainRoundsMax: number;
  /** Most events waiting in the queue at once. Default 10,000,000. */
  queuedEventCountMax?: number;
}

export interface EngineClockOptions {
  /** Offset of this component's clock from engine time, integer ms. Default 0. */
  skewMs?: number;
}

const queuedEventCountMaxDefault = 10_000_000;

export class Engine {
  private readonly queue: EventQueue;
  private readonly drain: () => Promise<void>;
  private readonly eventCountMax: number;
  private readonly drainRoundsMax: number;
  private now: number;
  private eventCountValue = 0;
  private running = false;
  private failure: unknown = undefined;
  private failed = false;

  constructor(options: EngineOptions) {
    assert(Number.isSafeInteger(options.startMs), 'startMs must be an integer');
    assert(Number.isSafeInteger(options.eventCountMax), 'eventCountMax must be an integer');
    assert(options.eventCountMax > 0, 'eventCountMax must be positive');
    assert(Number.isSafeInteger(options.drainRoundsMax), 'drainRoundsMax must be an integer');
    assert(options.drainRoundsMax > 0, 'drainRoundsMax must be positive');
    this.now = options.startMs;
    this.drain = options.drain;
    this.eventCountMax = options.eventCountMax;
    this.drainRoundsMax = options.drainRoundsMax;
    this.queue = new EventQueue({
      queuedCountMax: options.queuedEventCountMax ?? queuedEventCountMaxDefault,
    });
  }

  /** Engine virtual time in ms (no skew). */
  nowMs(): number {
    return this.now;
  }

  /** Events run so far. */
  get eventCount(): number {
    return this.eventCountValue;
  }

  /** Events waiting in the queue. */
  get queuedCount(): number {
    return this.queue.size;
  }

  /** Schedules an event; the handle's cancel() removes it if it has not run yet. */
  schedule(input: ScheduleInput): TimerHandle {
    // Checked before building the messages: this runs once per event.
    if (!Number.isSafeInteger(input.atMs) || input.atMs < this.now) {
      assert(Number.isSafeInteger(input.atMs), `atMs must be an integer, got ${input.atMs}`);
      assert(false, `cannot schedule at ${input.atMs}, before now (${this.now})`);
    }
    const event = this.queue.push(input);
    return { cancel: () => void this.queue.remove(event) };
  }

  /** A Clock for one component: nowMs is engine time + skew, timers are `timer`-phase events. */
  clock(endpoint: string, options: EngineClockOptions = {}): VirtualClock {
    return new VirtualClock({ scheduler: this, endpoint, skewMs: options.skewMs ?? 0 });
  }

  /** Runs every event due at or before `endMs`, then sets now to `endMs`. */
  async runUntil(endMs: number): Promise<void> {
    assert(Number.isSafeInteger(endMs), `endMs must be an integer, got ${endMs}`);
    assert(endMs >= this.now, `cannot run until ${endMs}, before now (${this.now})`);
    await this.run(endMs);
    this.now = endMs;
  }

  /** Runs until the queue is empty (bounded by eventCountMax); now stays at the last event. */
  async runUntilQuiet(): Promise<void> {
    await this.run(Number.POSITIVE_INFINITY);
  }

  private async run(endMs: number): Promise<void> {
    assert(!this.running, 'Engine run started while another run of the same engine is open');
    if (this.failed)
      throw new Error('Engine already failed; create a new one', { cause: this.failure });
    this.running = true;
    const session = openGuard();
    try {
      await this.loop(endMs, session);
    } catch (error) {
      this.failed = true;
      this.failure = error;
      throw error;
    } finally {
      session.close();
      this.running = false;
    }
  }

  private async loop(endMs: number, session: GuardSession): Promise<void> {
    let instantMs = Number.NaN;
    let drainRounds = 0;
    this.throwIfFailed(session);
    for (;;) {
      const event = this.queue.peek();
      if (event === undefined || event.atMs > endMs) break;
      this.queue.pop();
      if (event.atMs !== instantMs) {
        instantMs = event.atMs;
        drainRounds = 0;
        this.now = instantMs;
      }
      this.runEvent(event, session);
      if (event.sync) continue;
      drainRounds += 1;
      if (drainRounds > this.drainRoundsMax) throw this.drainBoundError();
      await session.passThrough(() => this.drain());
      this.throwIfFailed(session);
    }
    this.throwIfFailed(session);
  }

  private runEvent(event: QueuedEvent, session: GuardSession): void {
    this.eventCountValue += 1;
    if (this.eventCountValue > this.eventCountMax) {
      throw new Error(
        `Simulation exceeded eventCountMax (${this.eventCountMax} events) ` +
          `at virtual time ${this.now} ms`,
      );
    }
    const result = event.run();
    if (isThenable(result)) result.then(undefined, (error: unknown) => this.recordFailure(error));
    this.throwIfFailed(session);
  }

  private recordFailure(error: unknown): void {
    if (this.failure === undefined) this.failure = error;
  }

  private throwIfFailed(session: GuardSession): void {
    if (session.violation !== undefined) throw session.violation;
    if (this.failure !== undefined) throw this.failure;
  }

  private drainBoundError(): Error {
    return new Error(
      `Simulation exceeded drainRoundsMax (${this.drainRoundsMax} drains) within virtual ` +
        `instant ${this.now} ms: time is not advancing (a zero-delay loop?)`,
    );
  }
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { then?: unknown }).then === 'function'
  );
}
