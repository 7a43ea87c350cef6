// The skews of a cluster world's clocks, per owner (a node, the scheduler, the controller manager):
// every clock an owner's processes use, now and after restarts, reads engine time plus the
// owner's skew. A clock-skew fault makes the skew jump (an offset) or drift (a rate error).
//
// Drift is a step function in virtual time: every `clockDriftStepMs` of engine time, each
// drifting owner's skew is set to base + trunc(driftPpm × elapsed / 10^6), elapsed measured in
// engine ms since the drift began (so rounding never accumulates: 500 ppm gives 1 ms every 2 s).
// A drift changes what clocks read, never when timers fire: timers keep their engine due times,
// as a real timer keeps its monotonic deadline. Steps stop at `stop()` or after
// `clockDriftStepCountMax` steps (longer than any scenario), after which drifts hold still.
import type { Clock, TimerHandle } from '../control/ports/clock.js';
import { assert } from '../control/util/assert.js';
import type { VirtualClock } from './engine/engine.js';

/** How often (engine ms) a drifting skew is recomputed. */
export const clockDriftStepMs = 1_000;
/** Most drift steps of one world: 1,000,000 s ≈ 11.6 days of virtual time. */
export const clockDriftStepCountMax = 1_000_000;

/** A change of one owner's clock: a jump now, and/or a new rate error from now on. */
export interface ClockChange {
  /** Added to the skew now; negative: the clock steps back. Default 0. */
  offsetMs?: number;
  /** Rate error in parts per million from now on (0 ends a drift). Default: unchanged. */
  driftPpm?: number;
}

export interface ClockSkewsOptions {
  /** An unskewed engine clock: engine time, and the timer the drift steps run on. */
  clock: Clock;
  /** One line when drift steps hit their bound. Default: none. */
  log?: (line: string) => void;
}

interface Owner {
  /** The skew the owner's clocks read now (set by a change or a drift step). */
  skewMs: number;
  /** The skew at `sinceMs`, before any drift since then. */
  baseSkewMs: number;
  driftPpm: number;
  /** Engine time the current drift began. */
  sinceMs: number;
  /** The owner's live clocks, by engine endpoint (a restart's new clock replaces the old). */
  clocks: Map<string, VirtualClock>;
}

export class ClockSkews {
  private readonly clock: Clock;
  private readonly log: (line: string) => void;
  private readonly owners = new Map<string, Owner>();
  private timer: TimerHandle | undefined;
  private stepCount = 0;
  private stopped = false;

  constructor(options: ClockSkewsOptions) {
    this.clock = options.clock;
    this.log = options.log ?? (() => undefined);
  }

  /** Gives a new owner its initial skew (e.g. a node's configured skew). */
  declare(owner: string, skewMs: number): void {
    assert(!this.owners.has(owner), `clock owner ${owner} is declared twice`);
    assert(Number.isSafeInteger(skewMs), `skewMs must be an integer, got ${skewMs}`);
    this.owners.set(owner, {
      skewMs,
      baseSkewMs: skewMs,
      driftPpm: 0,
      sinceMs: this.clock.nowMs(),
      clocks: new Map(),
    });
  }

  /** The clock follows the owner's skew from now on (replacing one at the same endpoint). */
  track(owner: string, clock: VirtualClock): VirtualClock {
    const entry = this.entry(owner);
    clock.setSkewMs(entry.skewMs);
    entry.clocks.set(clock.endpoint, clock);
    return clock;
  }

  /** The clock at `endpoint` no longer follows the owner (its process ended). */
  untrack(owner: string, endpoint: string): void {
    this.owners.get(owner)?.clocks.delete(endpoint);
  }

  /** The owner is gone for good (a removed node). */
  forget(owner: string): void {
    this.owners.delete(owner);
  }

  /** The owner's skew now, ms: what its clocks read minus engine time. */
  skewMs(owner: string): number {
    return this.entry(owner).skewMs;
  }

  /** Carries out a clock-skew fault on the owner's clocks. */
  change(owner: string, change: ClockChange): void {
    const entry = this.entry(owner);
    const offsetMs = change.offsetMs ?? 0;
    assert(Number.isSafeInteger(offsetMs), `offsetMs must be an integer, got ${offsetMs}`);
    const driftPpm = change.driftPpm ?? entry.driftPpm;
    assert(Number.isSafeInteger(driftPpm), `driftPpm must be an integer, got ${driftPpm}`);
    entry.baseSkewMs = this.driftedSkewMs(entry) + offsetMs;
    entry.sinceMs = this.clock.nowMs();
    entry.driftPpm = driftPpm;
    this.apply(entry);
    this.armStep();
  }

  /** Ends the drift steps (the world stops); skews stay where they are. */
  stop(): void {
    this.stopped = true;
    this.timer?.cancel();
    this.timer = undefined;
  }

  private entry(owner: string): Owner {
    if (!this.owners.has(owner)) this.declare(owner, 0);
    return this.owners.get(owner) as Owner;
  }

  /** Where the drift has taken the skew by now (exact, not stepped). */
  private driftedSkewMs(entry: Owner): number {
    const elapsedMs = this.clock.nowMs() - entry.sinceMs;
    return entry.baseSkewMs + Math.trunc((entry.driftPpm * elapsedMs) / 1_000_000);
  }

  private apply(entry: Owner): void {
    entry.skewMs = this.driftedSkewMs(entry);
    for (const clock of entry.clocks.values()) clock.setSkewMs(entry.skewMs);
  }

  private drifting(): Owner[] {
    return [...this.owners.values()].filter((o) => o.driftPpm !== 0);
  }

  private armStep(): void {
    if (this.stopped || this.timer !== undefined || this.drifting().length === 0) return;
    if (this.stepCount >= clockDriftStepCountMax) return;
    this.timer = this.clock.setTimer(clockDriftStepMs, () => this.step());
  }

  private step(): void {
    this.timer = undefined;
    this.stepCount += 1;
    for (const entry of this.drifting()) this.apply(entry);
    if (this.stepCount >= clockDriftStepCountMax) {
      this.log(`clock drift stopped after ${clockDriftStepCountMax} steps (the bound)`);
      for (const entry of this.drifting()) {
        entry.baseSkewMs = entry.skewMs;
        entry.driftPpm = 0;
      }
      return;
    }
    this.armStep();
  }
}
