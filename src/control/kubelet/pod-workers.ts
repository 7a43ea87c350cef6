// One serial worker per pod (upstream podWorkers): kick() asks for a sync; a worker never runs
// two syncs of its pod at once, and a kick during a sync makes it sync once more afterwards. A
// sync's answer (a delay) arms a single wake-up timer per pod, keeping the earliest. Failures
// other than programmer errors are logged and retried after syncErrorRetryMs.

import type { Clock } from '../ports/clock.js';
import { AssertionError } from '../util/assert.js';
import type { KubeletLifecycle } from './lifecycle.js';
import { KubeletStoppedError, errorText } from './lifecycle.js';
import type { PodRecord } from './pod-record.js';
import { podName, podNamespace } from './pod-view.js';

export interface PodWorkersOptions {
  clock: Clock;
  life: KubeletLifecycle;
  /** Syncs a pod once; resolves with when to sync again (0: only on events). */
  sync: (record: PodRecord) => Promise<number>;
  syncErrorRetryMs: number;
  log: (message: string) => void;
}

export class PodWorkers {
  private readonly options: PodWorkersOptions;

  constructor(options: PodWorkersOptions) {
    this.options = options;
  }

  kick(record: PodRecord): void {
    const { life } = this.options;
    if (life.stopped) return;
    record.worker.pending = true;
    if (record.worker.running) return;
    record.worker.running = true;
    life.spawn(
      async () => {
        try {
          while (record.worker.pending && !life.stopped) {
            record.worker.pending = false;
            const retryAfterMs = await this.syncOnce(record);
            if (retryAfterMs > 0) this.wakeAfter(record, retryAfterMs);
          }
        } finally {
          record.worker.running = false;
        }
      },
      (error) => this.options.log(`pod worker ${record.uid} failed: ${errorText(error)}`),
    );
  }

  /** Cancels the pod's wake-up timer. */
  cancel(record: PodRecord): void {
    record.worker.timer?.cancel();
    record.worker.timer = undefined;
    record.worker.wakeAtMs = Number.POSITIVE_INFINITY;
  }

  private async syncOnce(record: PodRecord): Promise<number> {
    try {
      return await this.options.sync(record);
    } catch (error) {
      if (error instanceof KubeletStoppedError || error instanceof AssertionError) throw error;
      const name = `${podNamespace(record.pod)}/${podName(record.pod)}`;
      this.options.log(
        `error syncing pod ${name} (${record.uid}), will retry: ${errorText(error)}`,
      );
      return this.options.syncErrorRetryMs;
    }
  }

  /** Wakes the worker after `delayMs` unless it is already due to wake earlier. */
  private wakeAfter(record: PodRecord, delayMs: number): void {
    const { clock } = this.options;
    const atMs = clock.nowMs() + delayMs;
    const worker = record.worker;
    if (worker.timer !== undefined && worker.wakeAtMs <= atMs) return;
    worker.timer?.cancel();
    worker.wakeAtMs = atMs;
    worker.timer = clock.setTimer(delayMs, () => {
      worker.timer = undefined;
      worker.wakeAtMs = Number.POSITIVE_INFINITY;
      this.kick(record);
    });
  }
}
