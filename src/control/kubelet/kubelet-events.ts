// The kubelet's event helper: events about pods, their containers (fieldPath
// `spec.containers{name}` / `spec.initContainers{name}`) and its Node, written by one
// EventRecorder with source component `kubelet` and host = the node name.

import type { KubeObject } from '../client/types.js';
import { coreResources } from '../client/resource-client.js';
import type { EventRecorder } from '../events/event-recorder.js';
import type { EventType } from '../events/event-types.js';
import { objectReference } from '../events/event-types.js';
import type { JsonObject } from '../store/types.js';
import { podInitContainers } from './pod-view.js';

export class KubeletEvents {
  readonly recorder: EventRecorder;
  private readonly nodeName: string;

  constructor(options: { recorder: EventRecorder; nodeName: string }) {
    this.recorder = options.recorder;
    this.nodeName = options.nodeName;
  }

  pod(pod: JsonObject, type: EventType, reason: string, message: string): void {
    const reference = objectReference(pod as unknown as KubeObject, {
      resource: coreResources.pods,
    });
    this.recorder.event(reference, type, reason, message);
  }

  container(
    pod: JsonObject,
    containerName: string,
    type: EventType,
    reason: string,
    message: string,
  ): void {
    const isInit = podInitContainers(pod).some((c) => c.name === containerName);
    const fieldPath = `${isInit ? 'spec.initContainers' : 'spec.containers'}{${containerName}}`;
    const reference = objectReference(pod as unknown as KubeObject, {
      resource: coreResources.pods,
      fieldPath,
    });
    this.recorder.event(reference, type, reason, message);
  }

  /** Upstream's nodeRef: kind Node, name and UID both the node name. */
  node(type: EventType, reason: string, message: string): void {
    const reference = { kind: 'Node', name: this.nodeName, uid: this.nodeName };
    this.recorder.event(reference, type, reason, message);
  }

  /** `Node <name> status is now: <event>` (recordNodeStatusEvent). */
  nodeStatus(event: string): void {
    this.node('Normal', event, `Node ${this.nodeName} status is now: ${event}`);
  }
}
