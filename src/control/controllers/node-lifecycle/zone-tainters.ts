// The node lifecycle controller's zones: each zone's state and its rate-limited queue of nodes
// waiting for a NoExecute taint, and the pass that drains those queues (doNoExecuteTaintingPass).
//
// The pass runs `taintingPassPeriodMs` (100 ms, upstream's NodeEvictionPeriod) after the end of
// the previous one, but only while some zone has nodes waiting and a rate above 0; anything that
// may make work (a node queued, a rate raised) re-arms it. So an idle cluster costs no timers.
import { compareGoStrings } from '../../api/values/go-format.js';
import type { Clock, TimerHandle } from '../../ports/clock.js';
import type { TaintingItem, TaintingOutcome } from './tainting-queue.js';
import { TaintingQueue } from './tainting-queue.js';
import type { ZoneState } from './zone-state.js';

export interface ZoneTaintersOptions {
  clock: Clock;
  /** The rate a new zone's queue starts with (evictionLimiterQps). */
  initialQps: number;
  taintingPassPeriodMs: number;
  /** Taints one node; see TaintingQueue.tryProcess. */
  taint: (item: TaintingItem) => Promise<TaintingOutcome>;
  log?: (message: string) => void;
}

export class ZoneTainters {
  readonly #options: ZoneTaintersOptions;
  readonly #queues = new Map<string, TaintingQueue>();
  #states = new Map<string, ZoneState>();
  #timer: TimerHandle | undefined;
  #pass: Promise<void> | undefined;
  #stopped = false;

  constructor(options: ZoneTaintersOptions) {
    this.#options = options;
  }

  /** A copy of the zone states, in zone key order. */
  get states(): Map<string, ZoneState> {
    return new Map(this.#states);
  }

  hasState(zone: string): boolean {
    return this.#states.has(zone);
  }

  /** addPodEvictorForNewZone: an unseen zone starts Initial with a fresh queue. */
  ensureZone(zone: string): void {
    if (this.#states.has(zone)) return;
    this.#states.set(zone, 'Initial');
    const queue = new TaintingQueue({ clock: this.#options.clock, qps: this.#options.initialQps });
    this.#queues.set(zone, queue);
    this.#options.log?.(`initializing eviction metric for zone ${JSON.stringify(zone)}`);
  }

  /** Replaces the zone states (planDisruption's nextStates). */
  setStates(states: ReadonlyMap<string, ZoneState>): void {
    this.#states = new Map(states);
  }

  setQps(zone: string, qps: number): void {
    this.#queues.get(zone)?.setQps(qps);
    this.#arm();
  }

  /** Queues node `name` of `zone`; false when the queue already knows it. */
  add(zone: string, name: string, uid: string): boolean {
    const queue = this.#queues.get(zone);
    if (queue === undefined) return false;
    const added = queue.add(name, uid, this.#options.clock.nowMs());
    this.#arm();
    return added;
  }

  /** Forgets node `name` in `zone`'s queue; true when it was known. */
  remove(zone: string, name: string): boolean {
    return this.#queues.get(zone)?.remove(name) ?? false;
  }

  /** Node names waiting in `zone`'s queue (diagnostics and tests). */
  waitingIn(zone: string): string[] {
    return this.#queues.get(zone)?.waitingNames() ?? [];
  }

  qpsOf(zone: string): number | undefined {
    return this.#queues.get(zone)?.qps;
  }

  stop(): void {
    this.#stopped = true;
    this.#timer?.cancel();
    this.#timer = undefined;
  }

  /** Resolves once a running pass has ended. */
  async whenIdle(): Promise<void> {
    await this.#pass;
  }

  #needsPass(): boolean {
    for (const queue of this.#queues.values()) if (queue.length > 0 && queue.qps > 0) return true;
    return false;
  }

  #arm(): void {
    if (this.#stopped || this.#timer !== undefined || this.#pass !== undefined) return;
    if (!this.#needsPass()) return;
    this.#timer = this.#options.clock.setTimer(this.#options.taintingPassPeriodMs, () => {
      this.#timer = undefined;
      this.#pass = this.#runPass().finally(() => {
        this.#pass = undefined;
        this.#arm();
      });
    });
  }

  async #runPass(): Promise<void> {
    const zones = [...this.#queues.keys()].sort(compareGoStrings);
    for (const zone of zones) {
      if (this.#stopped) return;
      await this.#queues.get(zone)?.tryProcess(this.#options.taint);
    }
  }
}
