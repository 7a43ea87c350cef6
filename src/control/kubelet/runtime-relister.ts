// The kubelet's view of runtime changes (upstream's generic PLEG): every relist period it lists
// all sandboxes and containers, compares each pod's objects (ids and states) with the previous
// listing, and reports the pod UIDs whose objects changed (a container started, exited or
// vanished), so their workers sync. The runtime port has no event stream; this is the poll.

import type { Clock, TimerHandle } from '../ports/clock.js';
import type { ContainerRuntime, ContainerStatus, PodSandbox } from '../ports/container-runtime.js';
import type { KubeletLifecycle } from './lifecycle.js';
import { errorText } from './lifecycle.js';
import { podUidOfContainer, podUidOfSandbox } from './runtime-view.js';

export interface RuntimeSnapshot {
  sandboxes: readonly PodSandbox[];
  containers: readonly ContainerStatus[];
}

export interface RuntimeRelisterOptions {
  clock: Clock;
  runtime: ContainerRuntime;
  life: KubeletLifecycle;
  periodMs: number;
  /** Pod UIDs (sorted) whose runtime objects changed since the last listing. */
  onChanged: (uids: readonly string[]) => void;
  /** Every listing, after onChanged. */
  onSnapshot: (snapshot: RuntimeSnapshot) => void;
  log: (message: string) => void;
}

/** What a listing saw of one sandbox or container: its pod and its state. */
interface ObjectState {
  uid: string;
  state: string;
}

/** Every sandbox (`sandboxes`) and container (`containers`) of a listing, by id. */
export interface RuntimeObjects {
  sandboxes: Map<string, ObjectState>;
  containers: Map<string, ObjectState>;
}

export function emptyRuntimeObjects(): RuntimeObjects {
  return { sandboxes: new Map(), containers: new Map() };
}

/**
 * The objects of `snapshot`, and the pod UIDs (sorted) whose objects differ from `before`: an
 * object appeared, vanished or changed state. An entry unchanged since `before` is reused, so
 * an idle node's relist allocates next to nothing.
 */
export function diffRuntime(
  before: RuntimeObjects,
  snapshot: RuntimeSnapshot,
): { objects: RuntimeObjects; changed: string[] } {
  const changed = new Set<string>();
  const take = <T extends { id: string; state: string }>(
    items: readonly T[],
    previous: Map<string, ObjectState>,
    uidOf: (item: T) => string,
  ): Map<string, ObjectState> => {
    const next = new Map<string, ObjectState>();
    for (const item of items) {
      const seen = previous.get(item.id);
      if (seen !== undefined && seen.state === item.state) {
        next.set(item.id, seen);
        continue;
      }
      const entry = { uid: seen?.uid ?? uidOf(item), state: item.state };
      next.set(item.id, entry);
      changed.add(entry.uid);
    }
    if (next.size !== previous.size || changed.size > 0) {
      for (const [id, entry] of previous) if (!next.has(id)) changed.add(entry.uid);
    }
    return next;
  };
  const sandboxes = take(snapshot.sandboxes, before.sandboxes, podUidOfSandbox);
  const containers = take(snapshot.containers, before.containers, podUidOfContainer);
  return { objects: { sandboxes, containers }, changed: [...changed].sort() };
}

export class RuntimeRelister {
  private readonly options: RuntimeRelisterOptions;
  private objects = emptyRuntimeObjects();
  private timer: TimerHandle | undefined;

  constructor(options: RuntimeRelisterOptions) {
    this.options = options;
  }

  start(): void {
    this.schedule(0);
  }

  stop(): void {
    this.timer?.cancel();
  }

  private schedule(delayMs: number): void {
    const { clock, life, periodMs } = this.options;
    if (life.stopped) return;
    this.timer = clock.setTimer(delayMs, () =>
      life.spawn(
        async () => {
          await this.relist();
          this.schedule(periodMs);
        },
        (error) => {
          this.options.log(`relisting the runtime failed: ${errorText(error)}`);
          this.schedule(periodMs);
        },
      ),
    );
  }

  private async relist(): Promise<void> {
    const { runtime, life } = this.options;
    const sandboxes = await life.guard(runtime.listPodSandboxes());
    const containers = await life.guard(runtime.listContainers());
    const snapshot = { sandboxes, containers };
    const { objects, changed } = diffRuntime(this.objects, snapshot);
    this.objects = objects;
    if (changed.length > 0) this.options.onChanged(changed);
    this.options.onSnapshot(snapshot);
  }
}
