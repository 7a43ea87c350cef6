// The node lifecycle controller's API writes against the real API server: taint edits carry the
// read resourceVersion and retry after a conflicting write, RemoveTaintOffNode's short cut sends
// nothing, and MarkPodsNotReady sets Ready=False with a NodeNotReady event.
import { describe, expect, it } from 'vitest';
import { KubeClient } from '../../src/control/client/client.js';
import { coreResources } from '../../src/control/client/resource-client.js';
import type { KubeObject } from '../../src/control/client/types.js';
import { NodeWrites } from '../../src/control/controllers/node-lifecycle/node-writes.js';
import type { NodeTaint } from '../../src/control/controllers/node-lifecycle/node-taints.js';
import { EventRecorder } from '../../src/control/events/event-recorder.js';
import type {
  StreamHandle,
  StreamSink,
  Transport,
  TransportRequest,
  TransportResponse,
} from '../../src/control/ports/transport.js';
import { createNamespaceWorld } from '../namespaces/namespace-world.js';
import { FakeKubelet } from './fake-kubelet.js';
import { podReady, taintNames } from './node-lifecycle-world.js';

/** Counts requests by method, and can run a meddling write just before the first PATCH. */
class WatchfulTransport implements Transport {
  readonly counts: Record<string, number> = {};
  meddle: (() => Promise<void>) | undefined;

  constructor(private readonly inner: Transport) {}

  async request(request: TransportRequest): Promise<TransportResponse> {
    this.counts[request.method] = (this.counts[request.method] ?? 0) + 1;
    const meddle = this.meddle;
    if (request.method === 'PATCH' && meddle !== undefined) {
      this.meddle = undefined;
      await meddle();
    }
    return this.inner.request(request);
  }

  stream(request: TransportRequest, sink: StreamSink): StreamHandle {
    return this.inner.stream(request, sink);
  }
}

const unreachable: NodeTaint = { key: 'node.kubernetes.io/unreachable', effect: 'NoExecute' };

async function setup() {
  const world = await createNamespaceWorld();
  const clock = world.engine.clock('node-controller');
  const transport = new WatchfulTransport(world.transport);
  const client = new KubeClient({ transport, clock });
  const log: string[] = [];
  const rng = world.rng.fork('node-writes');
  const recorder = new EventRecorder({ client, clock, rng, component: 'node-controller' });
  const writes = new NodeWrites({ client, clock, rng, log: (l) => log.push(l), recorder });
  const kubelet = new FakeKubelet({ engine: world.engine, transport: world.transport, name: 'n1' });
  return { world, transport, client, writes, kubelet, recorder, log };
}

describe('NodeWrites', () => {
  it('adds a taint stamped with timeAdded and removes it again', async () => {
    const { world, client, writes, kubelet } = await setup();
    const seen = await world.run(async () => {
      await kubelet.register();
      const node = await client.get(coreResources.nodes, '', 'n1');
      const added = await writes.swapTaints(node, [unreachable], []);
      const tainted = await client.get(coreResources.nodes, '', 'n1');
      await writes.removeTaints('n1', tainted, [unreachable]);
      const clean = await client.get(coreResources.nodes, '', 'n1');
      return { added, tainted, clean };
    }, 10_000);
    expect(seen.added).toBe(true);
    expect((seen.tainted.spec as { taints: unknown[] }).taints).toEqual([
      {
        key: 'node.kubernetes.io/unreachable',
        effect: 'NoExecute',
        timeAdded: '2026-01-01T00:00:00Z',
      },
    ]);
    expect(taintNames(seen.clean)).toEqual([]);
  });

  it('retries a taint patch that met a conflicting write, keeping the other write', async () => {
    const { world, transport, client, writes, kubelet } = await setup();
    const other = world.newClient('other').client;
    const seen = await world.run(async () => {
      await kubelet.register();
      transport.meddle = async () => {
        const node = await other.get(coreResources.nodes, '', 'n1');
        const labels = { ...node.metadata.labels, meddled: 'yes' };
        await other.update(coreResources.nodes, '', {
          ...node,
          metadata: { ...node.metadata, labels },
        });
      };
      const patchesBefore = transport.counts.PATCH ?? 0;
      await writes.addOrUpdateTaints('n1', [unreachable]);
      const node = await client.get(coreResources.nodes, '', 'n1');
      return { patches: (transport.counts.PATCH ?? 0) - patchesBefore, node };
    }, 10_000);
    expect(seen.patches).toBe(2);
    expect(taintNames(seen.node)).toEqual(['node.kubernetes.io/unreachable:NoExecute']);
    expect(seen.node.metadata.labels?.meddled).toBe('yes');
  });

  it('sends nothing to remove taints the cached node does not have', async () => {
    const { world, transport, client, writes, kubelet } = await setup();
    const sent = await world.run(async () => {
      await kubelet.register();
      const node = await client.get(coreResources.nodes, '', 'n1');
      const before = { ...transport.counts };
      await writes.removeTaints('n1', node, [unreachable]);
      return { get: transport.counts.GET! - before.GET!, patch: transport.counts.PATCH ?? 0 };
    }, 10_000);
    expect(sent).toEqual({ get: 0, patch: 0 });
  });

  it('marks the ready pods of a node not ready, with a NodeNotReady event each', async () => {
    const { world, client, writes, kubelet, recorder } = await setup();
    const seen = await world.run(async () => {
      await kubelet.register();
      await kubelet.runPod('default', 'a');
      await kubelet.runPod('default', 'b');
      const pods = (await client.list(coreResources.pods, 'default')).items;
      const gone: KubeObject = { ...pods[0]!, metadata: { ...pods[0]!.metadata, name: 'gone' } };
      await writes.markPodsNotReady([...pods, gone], 'n1');
      await recorder.whenIdle();
      const after = (await client.list(coreResources.pods, 'default')).items;
      const events = (await client.list(coreResources.events, 'default')).items;
      return { after, events };
    }, 10_000);
    expect(seen.after.map(podReady)).toEqual(['False', 'False']);
    expect(
      seen.events.map((e) => [(e.involvedObject as { name: string }).name, e.type, e.message]),
    ).toEqual([
      ['a', 'Warning', 'Node is not ready'],
      ['b', 'Warning', 'Node is not ready'],
    ]);
  });
});
