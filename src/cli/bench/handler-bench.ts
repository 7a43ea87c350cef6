// Benchmark of PUT through the API handler: decode, admission (defaults, validation), store.
import { createApiServer } from '../../control/apiserver/api-server.js';
import type { TransportRequest } from '../../control/ports/transport.js';
import { createRng } from '../../control/rng/seeded-rng.js';
import { MemoryBackend } from '../../control/store/memory-backend.js';
import { createVersionedStore } from '../../control/store/versioned-store.js';
import { WallClock } from '../../runtime/wall-clock.js';

const warmUpUpdateCount = 5_000;
const timedUpdateCount = 50_000;
const podsPath = '/api/v1/namespaces/default/pods';

function podManifest(): Record<string, unknown> {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'web-1', labels: { app: 'web', 'pod-template-hash': '7d9f8c6b5' } },
    spec: {
      containers: [
        {
          name: 'web',
          image: 'nginx:1.27',
          ports: [{ containerPort: 80 }],
          resources: {
            requests: { cpu: '100m', memory: '128Mi' },
            limits: { cpu: '500m', memory: '256Mi' },
          },
        },
      ],
    },
  };
}

function put(body: string): TransportRequest {
  return { method: 'PUT', path: `${podsPath}/web-1`, query: {}, headers: {}, body };
}

/** PUTs per second with a resourceVersion precondition, each changing one label. */
export async function handlerUpdatesPerSecond(): Promise<number> {
  const store = await createVersionedStore({ backend: new MemoryBackend() });
  const api = await createApiServer({
    store,
    clock: new WallClock({ unrefTimers: true }),
    rng: createRng(1, 'apiserver'),
  });
  const created = await api.handle({
    method: 'POST',
    path: podsPath,
    query: {},
    headers: {},
    body: JSON.stringify(podManifest()),
  });
  if (created.kind !== 'unary' || created.response.status !== 201)
    throw new Error('bench setup: create failed');
  let current = JSON.parse(created.response.body) as {
    metadata: { labels: Record<string, string>; resourceVersion: string };
  };
  const step = async (i: number): Promise<void> => {
    current.metadata.labels.step = String(i);
    const result = await api.handle(put(JSON.stringify(current)));
    if (result.kind !== 'unary' || result.response.status !== 200)
      throw new Error(`bench: update ${i} failed`);
    current = JSON.parse(result.response.body) as typeof current;
  };
  for (let i = 0; i < warmUpUpdateCount; i++) await step(i);
  const started = performance.now();
  for (let i = 0; i < timedUpdateCount; i++) await step(warmUpUpdateCount + i);
  const seconds = (performance.now() - started) / 1000;
  return timedUpdateCount / seconds;
}
