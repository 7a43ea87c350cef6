// Makes sure a container's image is present before it is created (upstream images
// imageManager.EnsureImageExists), with the kubelet's per pod+image pull back-off (10 s doubling
// to 300 s) and upstream's events:
// - present and policy is not Always: Normal Pulled
//   `Container image "x" already present on machine`;
// - policy Never and absent: Warning ErrImageNeverPull, waiting reason ErrImageNeverPull;
// - in back-off: Normal BackOff `Back-off pulling image "x"`, waiting reason ImagePullBackOff
//   with message `Back-off pulling image "x": ErrImagePull: <last error>`;
// - otherwise Normal Pulling `Pulling image "x"`, then Normal Pulled `Successfully pulled image
//   "x" in 2s (2s including waiting). Image size: N bytes.` or Warning Failed `Failed to pull
//   image "x": <error>` and waiting reason ErrImagePull.

import type { Clock } from '../ports/clock.js';
import type { ContainerRuntime } from '../ports/container-runtime.js';
import type { JsonObject } from '../store/types.js';
import { Backoff } from './backoff.js';
import type { StartFailure } from './container-statuses.js';
import { formatGoDurationMs } from './go-duration.js';
import type { KubeletEvents } from './kubelet-events.js';
import type { KubeletLifecycle } from './lifecycle.js';
import { errorText } from './lifecycle.js';
import type { ContainerView } from './pod-view.js';
import { podUid } from './pod-view.js';

export const imageBackoffInitialMs = 10_000;
export const imageBackoffMaxMs = 300_000;

export type PullOutcome =
  { ok: true; imageRef: string } | { ok: false; failure: StartFailure; retryAfterMs: number };

export interface ImagePullerOptions {
  clock: Clock;
  runtime: ContainerRuntime;
  life: KubeletLifecycle;
  events: KubeletEvents;
}

export class ImagePuller {
  private readonly options: ImagePullerOptions;
  private readonly backoff: Backoff;
  /** The last pull error per back-off key, shown while backing off. */
  private readonly lastErrors = new Map<string, string>();

  constructor(options: ImagePullerOptions) {
    this.options = options;
    this.backoff = new Backoff({
      clock: options.clock,
      initialMs: imageBackoffInitialMs,
      maxMs: imageBackoffMaxMs,
    });
  }

  /** Forgets a pod's back-off entries. */
  forgetPod(uid: string): void {
    this.backoff.deletePrefix(`${uid}_`);
    for (const key of [...this.lastErrors.keys()]) {
      if (key.startsWith(`${uid}_`)) this.lastErrors.delete(key);
    }
  }

  async ensureImage(pod: JsonObject, container: ContainerView): Promise<PullOutcome> {
    const { runtime, life, events } = this.options;
    const image = container.image;
    const present = (await life.guard(runtime.listImages())).find((i) => i.ref === image);
    const event = (type: 'Normal' | 'Warning', reason: string, message: string) =>
      events.container(pod, container.name, type, reason, message);
    if (present !== undefined && container.pullPolicy !== 'Always') {
      event('Normal', 'Pulled', `Container image "${image}" already present on machine`);
      return { ok: true, imageRef: present.id };
    }
    if (present === undefined && container.pullPolicy === 'Never') {
      const message = `Container image "${image}" is not present with pull policy of Never`;
      event('Warning', 'ErrImageNeverPull', message);
      return { ok: false, failure: { reason: 'ErrImageNeverPull', message }, retryAfterMs: 0 };
    }
    return this.pull(pod, container, event);
  }

  private async pull(
    pod: JsonObject,
    container: ContainerView,
    event: (type: 'Normal' | 'Warning', reason: string, message: string) => void,
  ): Promise<PullOutcome> {
    const { runtime, life, clock } = this.options;
    const image = container.image;
    const key = `${podUid(pod)}_${image}`;
    const nowMs = clock.nowMs();
    const remainingMs = this.backoff.remainingSinceUpdateMs(key, nowMs);
    if (remainingMs > 0) {
      const text = `Back-off pulling image "${image}"`;
      event('Normal', 'BackOff', text);
      const last = this.lastErrors.get(key);
      const message = last === undefined ? text : `${text}: ${last}`;
      return {
        ok: false,
        failure: { reason: 'ImagePullBackOff', message },
        retryAfterMs: remainingMs,
      };
    }
    this.lastErrors.delete(key);
    event('Normal', 'Pulling', `Pulling image "${image}"`);
    let imageRef: string;
    try {
      imageRef = await life.guard(runtime.pullImage(image));
    } catch (error) {
      life.check();
      this.backoff.next(key, clock.nowMs());
      const detail = pullErrorDetail(image, errorText(error));
      event('Warning', 'Failed', `Failed to pull image "${image}": ${detail}`);
      this.lastErrors.set(key, `ErrImagePull: ${detail}`);
      const failure = { reason: 'ErrImagePull', message: detail };
      return { ok: false, failure, retryAfterMs: this.backoff.getMs(key) };
    }
    const tookMs = clock.nowMs() - nowMs;
    const info = (await life.guard(runtime.listImages())).find((i) => i.ref === image);
    const took = formatGoDurationMs(tookMs);
    const size = info?.sizeBytes ?? 0;
    const message =
      `Successfully pulled image "${image}" in ${took} (${took} including waiting). ` +
      `Image size: ${size} bytes.`;
    event('Normal', 'Pulled', message);
    return { ok: true, imageRef };
  }
}

/** The runtime's error without a leading `Failed to pull image "x": ` (it is added again). */
function pullErrorDetail(image: string, message: string): string {
  const prefix = `Failed to pull image "${image}": `;
  return message.startsWith(prefix) ? message.slice(prefix.length) : message;
}
