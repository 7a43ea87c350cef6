// Starts one container of a pod (upstream SyncPod's `start` closure: doBackOff, then
// startContainer): restart back-off (CrashLoopBackOff), image, create, start, with upstream's
// events. Returns the start failure to show in the container's waiting state, or undefined.
//
// Restart back-off is keyed by pod UID + container name, 10 s doubling to 300 s, measured from
// the finish of the newest exited container; an entry resets once a container finished more
// than 10 minutes after the last restart. While backing off: Warning BackOff `Back-off
// restarting failed container <c> in pod <pod>_<ns>(<uid>)` and waiting CrashLoopBackOff
// `back-off 20s restarting failed container=<c> pod=<pod>_<ns>(<uid>)`.

import type { Clock } from '../ports/clock.js';
import type { ContainerRuntime, ContainerStatus } from '../ports/container-runtime.js';
import { RuntimeError } from '../ports/container-runtime.js';
import type { JsonObject } from '../store/types.js';
import { Backoff, containerHasExpired } from './backoff.js';
import type { StartFailure } from './container-statuses.js';
import { formatGoDurationMs } from './go-duration.js';
import type { ImagePuller } from './image-puller.js';
import type { KubeletEvents } from './kubelet-events.js';
import type { KubeletLifecycle } from './lifecycle.js';
import { errorText } from './lifecycle.js';
import type { ContainerView } from './pod-view.js';
import { podDescription, podUid } from './pod-view.js';
import type { PodRuntimeState } from './runtime-view.js';
import { attemptOf, containerNameOf, latestContainer } from './runtime-view.js';
import type { EnvContext } from './runtime-configs.js';
import { ContainerConfigError, containerConfig } from './runtime-configs.js';

export const containerBackoffInitialMs = 10_000;
export const containerBackoffMaxMs = 300_000;

export interface StartResult {
  failure: StartFailure | undefined;
  /** When to look again (back-off end), ms; 0 for no particular time. */
  retryAfterMs: number;
}

export interface ContainerStarterOptions {
  clock: Clock;
  runtime: ContainerRuntime;
  life: KubeletLifecycle;
  events: KubeletEvents;
  images: ImagePuller;
}

export interface StartTarget {
  pod: JsonObject;
  container: ContainerView;
  state: PodRuntimeState;
  sandboxId: string;
  env: EnvContext;
}

export class ContainerStarter {
  private readonly options: ContainerStarterOptions;
  private readonly backoff: Backoff;

  constructor(options: ContainerStarterOptions) {
    this.options = options;
    this.backoff = new Backoff({
      clock: options.clock,
      initialMs: containerBackoffInitialMs,
      maxMs: containerBackoffMaxMs,
      hasExpired: containerHasExpired,
    });
  }

  forgetPod(uid: string): void {
    this.backoff.deletePrefix(`${uid}/`);
  }

  /** doBackOff: a failure while the container must wait, else undefined (and advances). */
  private backOff(target: StartTarget): StartResult | undefined {
    const { pod, container, state } = target;
    const exited = newestExited(state, container.name);
    if (exited === undefined) return undefined;
    const key = `${podUid(pod)}/${container.name}`;
    const remainingMs = this.backoff.remainingSinceMs(key, exited.finishedAtMs);
    if (remainingMs > 0) {
      const description = podDescription(pod);
      this.options.events.container(
        pod,
        container.name,
        'Warning',
        'BackOff',
        `Back-off restarting failed container ${container.name} in pod ${description}`,
      );
      const delay = formatGoDurationMs(this.backoff.getMs(key));
      const message =
        `back-off ${delay} restarting failed container=${container.name} ` + `pod=${description}`;
      return { failure: { reason: 'CrashLoopBackOff', message }, retryAfterMs: remainingMs };
    }
    this.backoff.next(key, exited.finishedAtMs);
    return undefined;
  }

  async start(target: StartTarget): Promise<StartResult> {
    const waiting = this.backOff(target);
    if (waiting !== undefined) return waiting;
    const { pod, container } = target;
    const pulled = await this.options.images.ensureImage(pod, container);
    if (!pulled.ok) {
      this.failedEvent(target, pulled.failure.reason);
      return { failure: pulled.failure, retryAfterMs: pulled.retryAfterMs };
    }
    await this.pruneExited(target);
    const latest = latestContainer(target.state, container.name);
    const attempt = latest === undefined ? 0 : attemptOf(latest) + 1;
    let config;
    try {
      config = containerConfig(pod, container, attempt, target.env);
    } catch (error) {
      if (!(error instanceof ContainerConfigError)) throw error;
      return this.fail(target, 'CreateContainerConfigError', error.message);
    }
    const { runtime, life, events } = this.options;
    let id: string;
    try {
      id = await life.guard(runtime.createContainer(target.sandboxId, config));
    } catch (error) {
      return this.runtimeFailure(target, error, 'CreateContainerError');
    }
    events.container(
      pod,
      container.name,
      'Normal',
      'Created',
      `Created container: ${container.name}`,
    );
    try {
      await life.guard(runtime.startContainer(id));
    } catch (error) {
      return this.runtimeFailure(target, error, 'RunContainerError');
    }
    events.container(
      pod,
      container.name,
      'Normal',
      'Started',
      `Started container ${container.name}`,
    );
    return { failure: undefined, retryAfterMs: 0 };
  }

  /** Keeps only the newest exited container of this name (it becomes lastState). */
  private async pruneExited(target: StartTarget): Promise<void> {
    const { runtime, life } = this.options;
    const stale = target.state.containers
      .filter((c) => containerNameOf(c) === target.container.name && c.state !== 'running')
      .slice(1);
    for (const container of stale) await life.guard(runtime.removeContainer(container.id));
  }

  private runtimeFailure(target: StartTarget, error: unknown, reason: string): StartResult {
    this.options.life.check();
    if (!(error instanceof RuntimeError)) throw error;
    return this.fail(target, reason, errorText(error));
  }

  private fail(target: StartTarget, reason: string, message: string): StartResult {
    this.failedEvent(target, message);
    return { failure: { reason, message }, retryAfterMs: 0 };
  }

  private failedEvent(target: StartTarget, detail: string): void {
    const { pod, container } = target;
    this.options.events.container(pod, container.name, 'Warning', 'Failed', `Error: ${detail}`);
  }
}

function newestExited(state: PodRuntimeState, name: string): ContainerStatus | undefined {
  return state.containers.find((c) => containerNameOf(c) === name && c.state === 'exited');
}
