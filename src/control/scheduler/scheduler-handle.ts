// The FrameworkHandle the Scheduler gives its plugins: binding, victim deletion, nominations,
// selectors of Services and ReplicaSets (from informers started on first use), and time.
import { selectorFromLabelSelector, selectorFromSet } from '../api/values/labels.js';
import { formatTime } from '../api/values/time.js';
import type { LabelSelector, LabelSelectorObject } from '../api/values/labels.js';
import { matchesLabels } from '../api/values/labels.js';
import type { KubeClient } from '../client/client.js';
import { isNotFound } from '../client/errors.js';
import { Informer } from '../client/informer.js';
import { coreResources } from '../client/resource-client.js';
import type { KubeObject, ResourceDescriptor } from '../client/types.js';
import type { EventRecorder } from '../events/event-recorder.js';
import { objectReference } from '../events/event-types.js';
import type { Clock } from '../ports/clock.js';
import type { Rng } from '../ports/rng.js';
import type { FrameworkHandle, PodInfo, Status } from './framework/types.js';
import { status, success } from './framework/types.js';

const services: ResourceDescriptor = {
  group: '',
  version: 'v1',
  plural: 'services',
  namespaced: true,
  kind: 'Service',
};

export interface SchedulerHandleOptions {
  client: KubeClient;
  clock: Clock;
  rng: Rng;
  events: EventRecorder;
  nominatedPods: (nodeName: string) => readonly PodInfo[];
  /** False when no pod is nominated to any node. */
  hasNominatedPods: () => boolean;
  /** Called when a nomination is written, so the queue's bookkeeping follows. */
  onNominated: (pod: PodInfo, nodeName: string) => void;
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export class SchedulerHandle implements FrameworkHandle {
  readonly #options: SchedulerHandleOptions;
  #selectorInformers: Informer[] | undefined;
  /** Parsed selectors by (immutable, cached) object: parsed once, not once per cycle. */
  readonly #selectors = new WeakMap<object, { selector: LabelSelector | undefined }>();
  #stopped = false;

  constructor(options: SchedulerHandleOptions) {
    this.#options = options;
  }

  async bindPod(pod: PodInfo, nodeName: string): Promise<Status> {
    try {
      await this.#options.client.bind(pod.namespace, pod.name, nodeName, { uid: pod.uid });
      return success;
    } catch (error) {
      return status('Error', errorMessage(error));
    }
  }

  async deletePod(
    victim: PodInfo,
    reason: string,
    disruption?: { message: string },
  ): Promise<Status> {
    const ref = objectReference(victim.pod as unknown as KubeObject, {
      resource: coreResources.pods,
    });
    try {
      if (disruption !== undefined) await this.#markDisruptionTarget(victim, disruption.message);
      await this.#options.client.delete(coreResources.pods, victim.namespace, victim.name, {
        preconditions: { uid: victim.uid },
      });
    } catch (error) {
      if (!isNotFound(error)) return status('Error', errorMessage(error));
    }
    this.#options.events.event(ref, 'Normal', 'Preempted', reason);
    return success;
  }

  /** The DisruptionTarget condition upstream applies to a victim before deleting it. */
  async #markDisruptionTarget(victim: PodInfo, message: string): Promise<void> {
    const condition = {
      type: 'DisruptionTarget',
      status: 'True',
      reason: 'PreemptionByScheduler',
      message,
      lastTransitionTime: formatTime(this.#options.clock.nowMs()),
    };
    await this.#options.client.patch(
      coreResources.pods,
      { namespace: victim.namespace, name: victim.name },
      { type: 'strategic', body: { status: { conditions: [condition] } } },
      { subresource: 'status' },
    );
  }

  async setNominatedNodeName(pod: PodInfo, nodeName: string): Promise<Status> {
    this.#options.onNominated(pod, nodeName);
    const body = { status: { nominatedNodeName: nodeName === '' ? null : nodeName } };
    try {
      await this.#options.client.patch(
        coreResources.pods,
        { namespace: pod.namespace, name: pod.name },
        { type: 'merge', body },
        { subresource: 'status' },
      );
      return success;
    } catch (error) {
      return status('Error', errorMessage(error));
    }
  }

  /** Selectors of Services and ReplicaSets in the pod's namespace that select it. */
  selectorsFor(pod: PodInfo): readonly LabelSelector[] {
    const informers = this.#informers();
    const out: LabelSelector[] = [];
    for (const informer of informers) {
      const objects = informer.store.list().filter((o) => o.metadata.namespace === pod.namespace);
      for (const object of objects) {
        const selector = this.#selectorOf(informer.resource.plural, object);
        if (selector !== undefined && matchesLabels(selector, pod.labels)) out.push(selector);
      }
    }
    return out;
  }

  #selectorOf(plural: string, object: KubeObject): LabelSelector | undefined {
    let hit = this.#selectors.get(object);
    if (hit === undefined) {
      hit = { selector: selectorOf(plural, object) };
      this.#selectors.set(object, hit);
    }
    return hit.selector;
  }

  nominatedPods(nodeName: string): readonly PodInfo[] {
    return this.#options.nominatedPods(nodeName);
  }

  hasNominatedPods(): boolean {
    return this.#options.hasNominatedPods();
  }

  nowMs(): number {
    return this.#options.clock.nowMs();
  }

  stop(): void {
    this.#stopped = true;
    for (const informer of this.#selectorInformers ?? []) informer.stop();
  }

  /**
   * Starts the Service and ReplicaSet informers (default spreading reads their selectors);
   * the scheduler waits for them to sync before its first cycle, as upstream does.
   */
  startInformers(): readonly Informer[] {
    return this.#informers();
  }

  #informers(): Informer[] {
    if (this.#selectorInformers !== undefined || this.#stopped)
      return this.#selectorInformers ?? [];
    const { client, clock, rng } = this.#options;
    this.#selectorInformers = [services, coreResources.replicaSets].map(
      (resource) => new Informer({ client, clock, rng: rng.fork(resource.plural), resource }),
    );
    for (const informer of this.#selectorInformers) informer.start();
    return this.#selectorInformers;
  }
}

function selectorOf(plural: string, object: KubeObject): LabelSelector | undefined {
  const spec = (object.spec ?? {}) as { selector?: unknown };
  if (plural === 'services') {
    const set = spec.selector as Record<string, string> | undefined;
    if (set === undefined || Object.keys(set).length === 0) return undefined;
    return selectorFromSet(set);
  }
  const result = selectorFromLabelSelector(spec.selector as LabelSelectorObject | undefined);
  return result.ok ? result.selector : undefined;
}
