// The kubelet's running/stopped state shared by its parts: after stop() every async flow ends
// at its next await (guard() throws KubeletStoppedError), as if the process had died, and
// whenStopped() resolves once every tracked flow has ended.

import { AssertionError, assert } from '../util/assert.js';

export class KubeletStoppedError extends Error {
  override readonly name = 'KubeletStoppedError';
}

export class KubeletLifecycle {
  private stoppedValue = false;
  private inFlight = 0;
  private waiters: Array<() => void> = [];

  get stopped(): boolean {
    return this.stoppedValue;
  }

  /** Throws KubeletStoppedError once stopped: call after every await of a long flow. */
  check(): void {
    if (this.stoppedValue) throw new KubeletStoppedError('the kubelet was stopped');
  }

  /** Awaits `promise`, then throws if the kubelet stopped meanwhile. */
  async guard<T>(promise: Promise<T>): Promise<T> {
    const value = await promise;
    this.check();
    return value;
  }

  /**
   * Runs `flow` as a tracked background task. Operating errors go to `onError`; a stop is
   * silent; an AssertionError (a programmer error) is rethrown and surfaces as unhandled.
   */
  spawn(flow: () => Promise<void>, onError: (error: unknown) => void): void {
    if (this.stoppedValue) return;
    this.inFlight++;
    void flow()
      .finally(() => {
        this.inFlight--;
        assert(this.inFlight >= 0, 'kubelet in-flight count went negative');
        this.settle();
      })
      .catch((error: unknown) => {
        if (error instanceof AssertionError) throw error;
        if (!(error instanceof KubeletStoppedError)) onError(error);
      });
  }

  stop(): void {
    this.stoppedValue = true;
    this.settle();
  }

  /** Resolves once stopped and no tracked flow is running. */
  whenStopped(): Promise<void> {
    if (this.stoppedValue && this.inFlight === 0) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  private settle(): void {
    if (!this.stoppedValue || this.inFlight > 0) return;
    for (const wake of this.waiters.splice(0)) wake();
  }
}

export function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
