// Writes pod statuses to the API server (upstream status manager, minus its batching): a
// strategic merge PATCH of pods/<name>/status carrying the pod UID, sent when the status the
// kubelet generated changed since its last write, or when someone else changed the kubelet's
// fields since then (e.g. the node lifecycle controller's Ready=False); and, once a deleted
// pod's containers are gone and its API phase is terminal, the final DELETE with grace period 0
// and a UID precondition.

import { jsonEqual, objectAt } from '../api/schema/json.js';
import type { KubeClient } from '../client/client.js';
import { isConflict, isInvalid, isNotFound } from '../client/errors.js';
import { coreResources } from '../client/resource-client.js';
import type { JsonObject } from '../store/types.js';
import type { KubeletLifecycle } from './lifecycle.js';
import { kubeletOwnedView, podStatusPatch } from './pod-status.js';
import { podName, podNamespace, podUid } from './pod-view.js';

/** What the kubelet last wrote for a pod. */
export interface WrittenStatus {
  /** The status as generated. */
  generated: JsonObject;
  /** The kubelet's fields of the status as the API server stored them. */
  stored: JsonObject;
  /** resourceVersion of that write. */
  resourceVersion: number;
}

function versionOf(pod: JsonObject): number {
  const text = objectAt(pod, 'metadata')?.resourceVersion;
  const value = typeof text === 'string' ? Number(text) : Number.NaN;
  return Number.isSafeInteger(value) ? value : 0;
}

/** Whether `generated` must be written, given the API object and the last write. */
export function statusNeedsWrite(
  apiPod: JsonObject,
  generated: JsonObject,
  written: WrittenStatus | undefined,
): boolean {
  if (written === undefined || !jsonEqual(written.generated, generated)) return true;
  if (versionOf(apiPod) <= written.resourceVersion) return false;
  return !jsonEqual(kubeletOwnedView(objectAt(apiPod, 'status') ?? {}), written.stored);
}

export class PodStatusWriter {
  private readonly client: KubeClient;
  private readonly life: KubeletLifecycle;

  constructor(options: { client: KubeClient; life: KubeletLifecycle }) {
    this.client = options.client;
    this.life = options.life;
  }

  /**
   * PATCHes `generated` over the API object's status. Resolves with the written record and the
   * stored pod, or undefined when the pod is gone or was replaced by one with another UID.
   */
  async write(
    apiPod: JsonObject,
    generated: JsonObject,
  ): Promise<{ written: WrittenStatus; pod: JsonObject } | undefined> {
    const patch = podStatusPatch(podUid(apiPod), objectAt(apiPod, 'status') ?? {}, generated);
    const target = { namespace: podNamespace(apiPod), name: podName(apiPod) };
    let stored: JsonObject;
    try {
      const result = await this.life.guard(
        this.client.patch(
          coreResources.pods,
          target,
          { type: 'strategic', body: patch },
          {
            subresource: 'status',
          },
        ),
      );
      stored = result as unknown as JsonObject;
    } catch (error) {
      this.life.check();
      if (isNotFound(error) || isConflict(error) || isInvalid(error)) return undefined;
      throw error;
    }
    const status = objectAt(stored, 'status') ?? {};
    const written = {
      generated,
      stored: kubeletOwnedView(status),
      resourceVersion: versionOf(stored),
    };
    return { written, pod: stored };
  }

  /** The status manager's final DELETE; true once the pod is gone (or replaced). */
  async confirmDeletion(apiPod: JsonObject): Promise<boolean> {
    try {
      await this.life.guard(
        this.client.delete(coreResources.pods, podNamespace(apiPod), podName(apiPod), {
          gracePeriodSeconds: 0,
          preconditions: { uid: podUid(apiPod) },
        }),
      );
      return true;
    } catch (error) {
      this.life.check();
      if (isNotFound(error) || isConflict(error)) return true;
      throw error;
    }
  }
}
