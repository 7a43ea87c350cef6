// One probe of one container on the Clock (upstream prober/worker.go): ticks every period after
// a first delay, skips while initialDelaySeconds has not passed or the startup gate is closed,
// runs the probe through the runtime, and reports a result once its run reaches the threshold.

import type { Clock, TimerHandle } from '../../ports/clock.js';
import type { ContainerRuntime } from '../../ports/container-runtime.js';
import { assert } from '../../util/assert.js';
import { runProbeWithRetries, type ProbeTarget } from './probe-runner.js';
import type { ProbeSpec } from './probe-spec.js';
import {
  countResult,
  emptyRun,
  judgeAttempt,
  type ProbeAttempt,
  type ProbeEvent,
  type ResultRun,
} from './probe-verdict.js';

export interface ProbeWorkerOptions {
  spec: ProbeSpec;
  target: ProbeTarget;
  /** When the container started, ms (initialDelaySeconds counts from here). */
  startedAtMs: number;
  runtime: ContainerRuntime;
  clock: Clock;
  /** Delay of the first tick, ms: 0, or upstream's jitter right after a kubelet start. */
  firstTickDelayMs: number;
  /**
   * When the container passed its startup probe (ms; -Infinity without one), undefined before.
   * Readiness and liveness ticks probe only after that instant; a trigger() also at it.
   */
  startupPassedAtMs: () => number | undefined;
  /**
   * A run of results reached its threshold. Called each time it does (the caller keeps only
   * flips). The worker has already stopped itself when the result ends its work: a liveness or
   * startup failure (the container will be restarted) or a startup success.
   */
  onResult: (result: 'success' | 'failure') => void;
  /** An Unhealthy or ProbeWarning event to record on the pod. */
  onEvent: (event: ProbeEvent) => void;
}

export class ProbeWorker {
  private readonly options: ProbeWorkerOptions;
  private timer: TimerHandle | undefined = undefined;
  private run: ResultRun = emptyRun;
  private inFlight = false;
  /** A tick or trigger came while a probe was in flight: probe again right after it. */
  private pending: 'tick' | 'trigger' | undefined = undefined;
  private stopped = false;

  constructor(options: ProbeWorkerOptions) {
    assert(options.spec.periodMs > 0, 'a probe period must be positive');
    assert(options.firstTickDelayMs >= 0, 'the first tick delay must not be negative');
    this.options = options;
  }

  /** Schedules the first tick. */
  start(): void {
    assert(this.timer === undefined && !this.stopped, 'a probe worker starts once');
    this.timer = this.options.clock.setTimer(this.options.firstTickDelayMs, () => this.tick());
  }

  /** Probes now, or right after the probe in flight (upstream's manual trigger). */
  trigger(): void {
    this.probe('trigger');
  }

  /** Stops ticking; a probe in flight finishes but its result is dropped. Idempotent. */
  stop(): void {
    this.stopped = true;
    this.timer?.cancel();
    this.timer = undefined;
  }

  get isStopped(): boolean {
    return this.stopped;
  }

  private tick(): void {
    this.timer = this.options.clock.setTimer(this.options.spec.periodMs, () => this.tick());
    this.probe('tick');
  }

  private probe(cause: 'tick' | 'trigger'): void {
    if (this.stopped) return;
    if (this.inFlight) {
      this.pending = this.pending === 'trigger' ? 'trigger' : cause;
      return;
    }
    if (!this.gateOpen(cause)) return;
    this.inFlight = true;
    void this.probeOnce();
  }

  /**
   * Upstream doProbe's checks before probing: initial delay, then the startup gate. A tick at the
   * instant the startup probe passed does not see it yet (upstream learns it through the next
   * status update), so the order of same-instant events does not matter.
   */
  private gateOpen(cause: 'tick' | 'trigger'): boolean {
    const { spec, clock, startedAtMs } = this.options;
    const nowMs = clock.nowMs();
    const elapsedSeconds = Math.trunc((nowMs - startedAtMs) / 1000);
    if (elapsedSeconds < spec.initialDelaySeconds) return false;
    const passedAtMs = this.options.startupPassedAtMs();
    if (spec.kind === 'startup') return passedAtMs === undefined;
    if (passedAtMs === undefined) return false;
    return cause === 'trigger' ? passedAtMs <= nowMs : passedAtMs < nowMs;
  }

  private async probeOnce(): Promise<void> {
    const { runtime, spec, target } = this.options;
    let attempt: ProbeAttempt;
    try {
      attempt = await runProbeWithRetries(runtime, spec.handler, {
        target,
        timeoutMs: spec.timeoutMs,
        isCancelled: () => this.stopped,
      });
    } finally {
      this.inFlight = false;
    }
    if (this.stopped) return;
    this.record(attempt);
    const pending = this.pending;
    this.pending = undefined;
    if (pending !== undefined) this.probe(pending);
  }

  private record(attempt: ProbeAttempt): void {
    const { spec } = this.options;
    const verdict = judgeAttempt(spec.kind, attempt);
    if (verdict.event !== undefined) this.options.onEvent(verdict.event);
    if (verdict.result === 'error') return;
    const counted = countResult(this.run, verdict.result, spec);
    this.run = counted.run;
    if (!counted.reached) return;
    const restarts = spec.kind !== 'readiness' && verdict.result === 'failure';
    const startedNow = spec.kind === 'startup' && verdict.result === 'success';
    if (restarts || startedNow) this.stop();
    this.options.onResult(verdict.result);
  }
}
