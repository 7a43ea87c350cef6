// Scheduled pod deletions of the taint eviction controller (upstream's TimedWorkerQueue), on the
// Clock: one pending work item per key (`namespace/name`), fired once at its fireAt time.
//
// Contract, as upstream v1.32:
// - addWork(key, createdAtMs, fireAtMs) does nothing when the key already has work (waiting or
//   running); otherwise it runs the work at once when fireAtMs ≤ createdAtMs, or sets a timer.
// - cancelWork(key) forgets the key; it returns true only when work was still waiting (a
//   running work item cannot be stopped, and is not reported as cancelled).
// - A work item leaves the queue when it finishes (success or failure).
// - scheduled(key) tells when waiting work was created and fires (undefined while running).
// - stop() cancels every waiting timer; whenIdle() resolves once no work is running.
// Bounded by `workCountMax` keys: more adds are dropped and reported through onFull.
import type { Clock, TimerHandle } from '../../ports/clock.js';
import { assert } from '../../util/assert.js';

interface Work {
  readonly createdAtMs: number;
  readonly fireAtMs: number;
  /** Undefined once the work is running. */
  timer: TimerHandle | undefined;
}

export interface TimedWorkQueueOptions {
  clock: Clock;
  /** The work: resolves when done; must not reject (report failures itself). */
  run: (key: string, fireAtMs: number) => Promise<void>;
  /** Most keys at once. Default 1,000,000. */
  workCountMax?: number;
  /** Told about each add dropped at the bound. */
  onFull?: (key: string) => void;
}

export class TimedWorkQueue {
  readonly #options: TimedWorkQueueOptions;
  readonly #works = new Map<string, Work>();
  readonly #running = new Set<Promise<void>>();
  #stopped = false;

  constructor(options: TimedWorkQueueOptions) {
    this.#options = options;
    const max = options.workCountMax ?? 1_000_000;
    assert(Number.isSafeInteger(max) && max > 0, 'workCountMax must be a positive integer');
  }

  /** Keys with waiting or running work. */
  get size(): number {
    return this.#works.size;
  }

  addWork(key: string, createdAtMs: number, fireAtMs: number): void {
    if (this.#stopped || this.#works.has(key)) return;
    if (this.#works.size >= (this.#options.workCountMax ?? 1_000_000)) {
      this.#options.onFull?.(key);
      return;
    }
    const work: Work = { createdAtMs, fireAtMs, timer: undefined };
    this.#works.set(key, work);
    const delayMs = fireAtMs - createdAtMs;
    if (delayMs <= 0) {
      this.#start(key, work);
      return;
    }
    work.timer = this.#options.clock.setTimer(delayMs, () => this.#start(key, work));
  }

  cancelWork(key: string): boolean {
    const work = this.#works.get(key);
    if (work === undefined) return false;
    this.#works.delete(key);
    if (work.timer === undefined) return false;
    work.timer.cancel();
    return true;
  }

  scheduled(key: string): { createdAtMs: number; fireAtMs: number } | undefined {
    const work = this.#works.get(key);
    if (work === undefined || work.timer === undefined) return undefined;
    return { createdAtMs: work.createdAtMs, fireAtMs: work.fireAtMs };
  }

  stop(): void {
    this.#stopped = true;
    for (const [key, work] of this.#works) {
      if (work.timer === undefined) continue;
      work.timer.cancel();
      this.#works.delete(key);
    }
  }

  async whenIdle(): Promise<void> {
    while (this.#running.size > 0) await Promise.all([...this.#running]);
  }

  #start(key: string, work: Work): void {
    if (this.#stopped || this.#works.get(key) !== work) return;
    work.timer = undefined;
    const running = this.#options.run(key, work.fireAtMs).finally(() => {
      this.#running.delete(running);
      if (this.#works.get(key) === work) this.#works.delete(key);
    });
    this.#running.add(running);
  }
}
