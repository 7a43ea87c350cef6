// A stop flag with sleeps that end early when it is raised, so a controller's loops wake up and
// exit on stop() instead of finishing their current wait; and upstream's WaitForCacheSync.
import type { Clock, TimerHandle } from '../../ports/clock.js';
import { assert } from '../../util/assert.js';

/** How often waitForSync looks at the informers (client-go's WaitForCacheSync polls at 100 ms). */
export const syncPollIntervalMs = 100;

export class StopSignal {
  readonly #clock: Clock;
  readonly #sleepers = new Map<TimerHandle, () => void>();
  #stopped = false;

  constructor(options: { clock: Clock }) {
    this.#clock = options.clock;
  }

  get stopped(): boolean {
    return this.#stopped;
  }

  /** Resolves true after `delayMs`, or false as soon as (or if already) stopped. */
  sleep(delayMs: number): Promise<boolean> {
    assert(Number.isSafeInteger(delayMs) && delayMs >= 0, 'delayMs must be an integer ≥ 0');
    if (this.#stopped) return Promise.resolve(false);
    return new Promise((resolve) => {
      const timer = this.#clock.setTimer(delayMs, () => {
        this.#sleepers.delete(timer);
        resolve(true);
      });
      this.#sleepers.set(timer, () => resolve(false));
    });
  }

  /** Raises the flag and ends every pending sleep. Idempotent. */
  stop(): void {
    this.#stopped = true;
    const sleepers = [...this.#sleepers];
    this.#sleepers.clear();
    for (const [timer, wake] of sleepers) {
      timer.cancel();
      wake();
    }
  }

  /** Resolves true once every informer has synced, false if stopped first. */
  async waitForSync(informers: readonly { hasSynced(): boolean }[]): Promise<boolean> {
    while (!informers.every((informer) => informer.hasSynced())) {
      if (!(await this.sleep(syncPollIntervalMs))) return false;
    }
    return !this.#stopped;
  }
}
