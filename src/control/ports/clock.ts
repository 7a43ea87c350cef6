// Clock port: the only way control-plane code learns the time or waits.
//
// Each component gets its own Clock, so one node's clock can be skewed in the simulator.
// Time is integer milliseconds since the Unix epoch (the sim epoch comes from the scenario).

/** Reads time only. Code that never schedules depends on this narrower port. */
export interface PassiveClock {
  /** Current time in integer milliseconds since the Unix epoch. */
  nowMs(): number;
}

/** A pending timer; cancel() is idempotent and a no-op after the timer fired. */
export interface TimerHandle {
  cancel(): void;
}

/** Reads time and schedules callbacks. */
export interface Clock extends PassiveClock {
  /**
   * Runs `fn` once, `delayMs` (integer ≥ 0) after now. Timers due at the same instant fire in the
   * order they were set. `fn` must not throw; a throw is a programmer error of the caller.
   */
  setTimer(delayMs: number, fn: () => void): TimerHandle;
  /** Resolves after `delayMs`; the same as setTimer wrapped in a promise. */
  sleep(delayMs: number): Promise<void>;
}
