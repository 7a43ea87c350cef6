// Objects and helpers shared by the client integration tests.

import type {
  StreamHandle,
  StreamSink,
  Transport,
  TransportRequest,
  TransportResponse,
} from '../../src/control/ports/transport.js';
import type { KubeObject } from '../../src/control/client/types.js';

export function podObject(
  name: string,
  options: { labels?: Record<string, string>; namespace?: string } = {},
): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace: options.namespace ?? 'default',
      ...(options.labels ? { labels: options.labels } : {}),
    },
    spec: { containers: [{ name: 'app', image: 'nginx:1.27' }] },
  };
}

export function nodeObject(name: string): KubeObject {
  return { apiVersion: 'v1', kind: 'Node', metadata: { name }, spec: {} };
}

/** Records informer handler calls as compact strings, e.g. `add default/a 5`. */
export function recordCalls(log: string[]) {
  const describe = (o: KubeObject) => {
    const namespace = o.metadata.namespace ? `${o.metadata.namespace}/` : '';
    return `${namespace}${o.metadata.name} ${o.metadata.resourceVersion}`;
  };
  return {
    onAdd: (o: KubeObject) => void log.push(`add ${describe(o)}`),
    onUpdate: (old: KubeObject, o: KubeObject) =>
      void log.push(old === o ? `resync ${describe(o)}` : `update ${describe(o)}`),
    onDelete: (o: KubeObject, unknown: boolean) =>
      void log.push(`${unknown ? 'tombstone' : 'delete'} ${describe(o)}`),
  };
}

/**
 * Wraps a transport so a test can break every open stream, as a network partition would: the
 * client's sink sees onClose(error), the server sees a disconnect.
 */
export class BreakableTransport implements Transport {
  private readonly open = new Set<{
    sink: StreamSink;
    inner: StreamHandle | undefined;
    broken: boolean;
  }>();

  constructor(private readonly inner: Transport) {}

  request(request: TransportRequest): Promise<TransportResponse> {
    return this.inner.request(request);
  }

  stream(request: TransportRequest, sink: StreamSink): StreamHandle {
    const entry: { sink: StreamSink; inner: StreamHandle | undefined; broken: boolean } = {
      sink,
      inner: undefined,
      broken: false,
    };
    const guarded: StreamSink = {
      onResponse: (status, headers) => void (entry.broken || sink.onResponse(status, headers)),
      onChunk: (chunk) => void (entry.broken || sink.onChunk(chunk)),
      onClose: (error) => {
        this.open.delete(entry);
        if (!entry.broken) sink.onClose(error);
      },
    };
    this.open.add(entry);
    entry.inner = this.inner.stream(request, guarded);
    return {
      close: () => {
        this.open.delete(entry);
        entry.inner?.close();
      },
    };
  }

  /** Breaks every open stream; returns how many were broken. */
  breakAll(): number {
    const entries = [...this.open];
    this.open.clear();
    for (const entry of entries) {
      entry.broken = true;
      entry.inner?.close();
      entry.sink.onClose(new Error('network partition'));
    }
    return entries.length;
  }
}
