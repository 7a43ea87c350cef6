// Helpers for event tests: a world with an event recorder, and a transport that can be cut off.

import type { KubeClient } from '../../src/control/client/client.js';
import { KubeClient as Client } from '../../src/control/client/client.js';
import { coreResources } from '../../src/control/client/resource-client.js';
import { EventRecorder } from '../../src/control/events/event-recorder.js';
import type { EventRecorderLimits } from '../../src/control/events/event-recorder.js';
import type { CoreEvent } from '../../src/control/events/event-types.js';
import type {
  StreamHandle,
  StreamSink,
  Transport,
  TransportRequest,
  TransportResponse,
} from '../../src/control/ports/transport.js';
import type { VirtualClock } from '../../src/sim/engine/engine.js';
import type { SimWorld } from '../client/sim-world.js';

export const events = coreResources.events;

export const pod = {
  kind: 'Pod',
  namespace: 'default',
  name: 'web-1',
  uid: 'uid-web-1',
  apiVersion: 'v1',
};

/** Rejects requests (as an unreachable server) while `unreachableCount` is above zero. */
export class FlakyTransport implements Transport {
  unreachableCount = 0;
  readonly requestTimesMs: number[] = [];

  constructor(
    private readonly inner: Transport,
    private readonly clock: VirtualClock,
  ) {}

  request(request: TransportRequest): Promise<TransportResponse> {
    this.requestTimesMs.push(this.clock.nowMs());
    if (this.unreachableCount > 0) {
      this.unreachableCount--;
      return Promise.reject(new Error('connection refused'));
    }
    return this.inner.request(request);
  }

  stream(request: TransportRequest, sink: StreamSink): StreamHandle {
    return this.inner.stream(request, sink);
  }
}

export interface RecorderWorld {
  recorder: EventRecorder;
  client: KubeClient;
  clock: VirtualClock;
  transport: FlakyTransport;
  /** The events the server holds in `namespace`, by name. */
  stored(namespace?: string): Promise<CoreEvent[]>;
}

/** A kubelet-like recorder on worker-1 whose requests go through a FlakyTransport. */
export function kubeletRecorder(
  world: SimWorld,
  options: Partial<EventRecorderLimits> = {},
): RecorderWorld {
  const clock = world.engine.clock('kubelet/worker-1');
  const transport = new FlakyTransport(world.transport, clock);
  const client = new Client({ transport, clock, userAgent: 'kubelet' });
  const recorder = new EventRecorder({
    client,
    clock,
    rng: world.rng.fork('kubelet').fork('worker-1'),
    component: 'kubelet',
    host: 'worker-1',
    options,
  });
  const reader = world.newClient('reader').client;
  const stored = async (namespace = 'default') =>
    (await reader.list<CoreEvent>(events, namespace)).items;
  return { recorder, client, clock, transport, stored };
}
