// Creating and deleting a controller's pods (controller_utils.go's RealPodControl, plus the
// expectations bookkeeping of replica_set.go's manageReplicas).
//
// createPods: records `count` expected creations, then creates pods from the controller's
// template in slow-start batches; pods never attempted or refused are un-expected again, so only
// pods that will appear in the informer are waited for. A create refused because the namespace
// is terminating counts as done (upstream: every further create would fail the same way).
// deletePods: records the victims' keys as expected deletions, deletes them all concurrently,
// un-expects each failed delete, and reports the first failure other than 404 Not Found.
// Each outcome is an Event on the controller: SuccessfulCreate / FailedCreate /
// SuccessfulDelete / FailedDelete, with upstream's messages.

import type { KubeClient } from '../../client/client.js';
import { ApiStatusError, isNotFound } from '../../client/errors.js';
import { coreResources } from '../../client/resource-client.js';
import type { KubeObject, ResourceDescriptor } from '../../client/types.js';
import type { EventRecorder } from '../../events/event-recorder.js';
import { objectReference } from '../../events/event-types.js';
import type { ControllerKind } from './controller-ref.js';
import { newControllerRef } from './controller-ref.js';
import type { ControllerExpectations } from './expectations.js';
import { podKey } from './pod-fields.js';
import { podFromTemplate } from './replica-set-plan.js';
import { slowStartBatch, slowStartInitialBatchSize } from './slow-start.js';

export interface PodControlOptions {
  client: KubeClient;
  expectations: ControllerExpectations;
  events: EventRecorder;
  /** The controller's kind, written into the pods' controller references. */
  controllerKind: ControllerKind;
  /** The controller's resource (with `kind`), for the events' involvedObject. */
  controllerResource: ResourceDescriptor;
}

const namespaceTerminatingCause = 'NamespaceTerminating';

export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}

/** apierrors.HasStatusCause. */
function hasStatusCause(error: unknown, cause: string): boolean {
  if (!(error instanceof ApiStatusError)) return false;
  return (error.details?.causes ?? []).some((entry) => entry.reason === cause);
}

export class PodControl {
  readonly #options: PodControlOptions;

  constructor(options: PodControlOptions) {
    this.#options = options;
  }

  /** Creates `count` pods for `controller` (expectations key `key`); resolves the failure. */
  async createPods(
    controller: KubeObject,
    request: { key: string; count: number },
  ): Promise<Error | undefined> {
    const { expectations } = this.#options;
    const { key, count } = request;
    expectations.expectCreations(key, count);
    const outcome = await slowStartBatch(count, () => this.#createPod(controller), {
      initialBatchSize: slowStartInitialBatchSize,
    });
    for (let i = outcome.successCount; i < count; i++) expectations.creationObserved(key);
    return outcome.error === undefined ? undefined : asError(outcome.error);
  }

  /** Deletes `victims` of `controller` (expectations key `key`); resolves the first failure. */
  async deletePods(
    controller: KubeObject,
    request: { key: string; victims: readonly KubeObject[] },
  ): Promise<Error | undefined> {
    const { expectations } = this.#options;
    const { key, victims } = request;
    expectations.expectDeletions(key, victims.map(podKey));
    const deletions = victims.map((pod) => this.#deletePod(controller, pod));
    const results = await Promise.allSettled(deletions);
    let first: Error | undefined;
    results.forEach((result, index) => {
      if (result.status === 'fulfilled') return;
      expectations.deletionObserved(key, podKey(victims[index] as KubeObject));
      if (!isNotFound(result.reason)) first ??= asError(result.reason);
    });
    return first;
  }

  async #createPod(controller: KubeObject): Promise<void> {
    const reference = newControllerRef(controller, this.#options.controllerKind);
    const pod = podFromTemplate(controller, reference);
    if (Object.keys(pod.metadata.labels ?? {}).length === 0) {
      throw new Error('unable to create pods, no labels');
    }
    const namespace = controller.metadata.namespace ?? '';
    try {
      const created = await this.#options.client.create(coreResources.pods, namespace, pod);
      const message = `Created pod: ${created.metadata.name ?? ''}`;
      this.#event(controller, 'Normal', 'SuccessfulCreate', message);
    } catch (error) {
      this.#event(controller, 'Warning', 'FailedCreate', `Error creating: ${messageOf(error)}`);
      if (hasStatusCause(error, namespaceTerminatingCause)) return;
      throw error;
    }
  }

  async #deletePod(controller: KubeObject, pod: KubeObject): Promise<void> {
    const name = pod.metadata.name ?? '';
    try {
      await this.#options.client.delete(coreResources.pods, pod.metadata.namespace ?? '', name);
    } catch (error) {
      if (isNotFound(error)) throw error;
      this.#event(controller, 'Warning', 'FailedDelete', `Error deleting: ${messageOf(error)}`);
      throw new Error(`unable to delete pods: ${messageOf(error)}`, { cause: error });
    }
    this.#event(controller, 'Normal', 'SuccessfulDelete', `Deleted pod: ${name}`);
  }

  #event(controller: KubeObject, type: 'Normal' | 'Warning', reason: string, message: string) {
    const reference = objectReference(controller, { resource: this.#options.controllerResource });
    this.#options.events.event(reference, type, reason, message);
  }
}
