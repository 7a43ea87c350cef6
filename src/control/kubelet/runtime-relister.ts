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

/** `id:state` of every object of each pod, sorted: equal fingerprints mean nothing changed. */
export function podFingerprints(snapshot: RuntimeSnapshot): Map<string, string> {
  const parts = new Map<string, string[]>();
  const add = (uid: string, part: string) => {
    const list = parts.get(uid) ?? [];
    list.push(part);
    parts.set(uid, list);
  };
  for (const s of snapshot.sandboxes) add(podUidOfSandbox(s), `s/${s.id}:${s.state}`);
  for (const c of snapshot.containers) add(podUidOfContainer(c), `c/${c.id}:${c.state}`);
  const fingerprints = new Map<string, string>();
  for (const [uid, list] of parts) fingerprints.set(uid, list.sort().join(','));
  return fingerprints;
}

export function changedPods(before: Map<string, string>, after: Map<string, string>): string[] {
  const uids = new Set([...before.keys(), ...after.keys()]);
  return [...uids].filter((uid) => before.get(uid) !== after.get(uid)).sort();
}

export class RuntimeRelister {
  private readonly options: RuntimeRelisterOptions;
  private fingerprints = new Map<string, string>();
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
    const next = podFingerprints(snapshot);
    const changed = changedPods(this.fingerprints, next);
    this.fingerprints = next;
    if (changed.length > 0) this.options.onChanged(changed);
    this.options.onSnapshot(snapshot);
  }
}
