// Where the recorder writes events (client-go's EventSink), and the one function that decides
// between updating an earlier event and creating a new one.

import type { KubeClient } from '../client/client.js';
import { isNotFound } from '../client/errors.js';
import { coreResources } from '../client/resource-client.js';
import type { CoreEvent, EventPatch } from './event-types.js';

/**
 * Writes events. Both calls resolve with the server's copy, or reject like KubeClient: an
 * ApiStatusError when the server answered (never retried), anything else when it did not
 * (retried by the recorder).
 */
export interface EventSink {
  create(event: CoreEvent): Promise<CoreEvent>;
  /** Applies `patch` to the stored event named `event.metadata.name`; 404 when it is gone. */
  patch(event: CoreEvent, patch: EventPatch): Promise<CoreEvent>;
}

/**
 * The sink over a KubeClient. Upstream PATCHes a repeat (a strategic merge of count,
 * lastTimestamp and message). Until the client has PATCH, `patch` PUTs the whole event with the
 * patch applied and no resourceVersion: events accept unconditional updates, so this is one
 * request and cannot conflict. What differs from a PATCH: the stored involvedObject takes this
 * occurrence's resourceVersion. Switching to PATCH changes only this method.
 */
export class ClientEventSink implements EventSink {
  private readonly client: KubeClient;

  constructor(options: { client: KubeClient }) {
    this.client = options.client;
  }

  create(event: CoreEvent): Promise<CoreEvent> {
    return this.client.create<CoreEvent>(coreResources.events, event.metadata.namespace, event);
  }

  /** A strategic merge patch of count, lastTimestamp and message, as client-go's sink sends. */
  patch(event: CoreEvent, patch: EventPatch): Promise<CoreEvent> {
    const target = { namespace: event.metadata.namespace, name: event.metadata.name };
    return this.client.patch<CoreEvent>(coreResources.events, target, {
      type: 'strategic',
      body: patch,
    });
  }
}

/**
 * recordEvent's write: a repeat (count > 1) patches the earlier event, and falls back to
 * creating it when the server no longer has it (deleted, or expired by the event TTL); a first
 * occurrence is created without a resourceVersion.
 */
export function writeEvent(
  sink: EventSink,
  event: CoreEvent,
  patch: EventPatch | undefined,
): Promise<CoreEvent> {
  if (event.count > 1 && patch !== undefined) return patchOrCreate(sink, event, patch);
  // A first occurrence (the common case) is one create: no async wrapper around it.
  try {
    return sink.create(withoutResourceVersion(event));
  } catch (error) {
    return Promise.reject(error as Error);
  }
}

async function patchOrCreate(sink: EventSink, event: CoreEvent, patch: EventPatch) {
  try {
    return await sink.patch(event, patch);
  } catch (error) {
    if (!isNotFound(error)) throw error;
  }
  return sink.create(withoutResourceVersion(event));
}

/** The event with no metadata.resourceVersion (itself when it has none: nothing is mutated). */
function withoutResourceVersion(event: CoreEvent): CoreEvent {
  if (event.metadata.resourceVersion === undefined) return event;
  // Rest copies rather than `delete`, which would leave a slow dictionary-mode object.
  const { resourceVersion: _dropped, ...metadata } = event.metadata;
  return { ...event, metadata };
}
