// What the kubelet remembers about one pod it is responsible for, keyed by UID: the latest API
// object, admission outcome, start failures (upstream reasonCache), probe verdicts, what it
// registered with the prober, its last generated and written status, and its worker's state.

import type { TimerHandle } from '../ports/clock.js';
import type { JsonObject } from '../store/types.js';
import type { StartFailure } from './container-statuses.js';
import type { WrittenStatus } from './pod-status-writer.js';

export interface PodRecord {
  readonly uid: string;
  /** The pod as the API server last showed it (its last state once deleted). */
  pod: JsonObject;
  /** The API object is gone (deleted, or no longer bound here). */
  removed: boolean;
  /** Admission refused the pod: it never starts. */
  rejection: { reason: string; message: string } | undefined;
  /** The last start failure per container name. */
  failures: Map<string, StartFailure>;
  /** Liveness/startup failures reported by the prober, by container id. */
  probeFailures: Map<string, 'liveness' | 'startup'>;
  /** Containers registered with the prober: name → container id. */
  probed: Map<string, string>;
  /** The status generated last (upstream's status manager cache). */
  lastStatus: JsonObject | undefined;
  written: WrittenStatus | undefined;
  /** The pod reached a terminal phase: nothing will start again. */
  terminal: boolean;
  /** The kubelet's final DELETE went through. */
  deletionConfirmed: boolean;
  worker: {
    running: boolean;
    pending: boolean;
    timer: TimerHandle | undefined;
    wakeAtMs: number;
  };
}

export function newPodRecord(uid: string, pod: JsonObject): PodRecord {
  return {
    uid,
    pod,
    removed: false,
    rejection: undefined,
    failures: new Map(),
    probeFailures: new Map(),
    probed: new Map(),
    lastStatus: undefined,
    written: undefined,
    terminal: false,
    deletionConfirmed: false,
    worker: {
      running: false,
      pending: false,
      timer: undefined,
      wakeAtMs: Number.POSITIVE_INFINITY,
    },
  };
}
