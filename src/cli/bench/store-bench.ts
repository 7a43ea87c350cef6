// Benchmarks of the versioned store alone: optimistic updates per second and watch fan-out.
import { MemoryBackend } from '../../control/store/memory-backend.js';
import type { JsonObject, StoredObject, VersionedStore } from '../../control/store/types.js';
import { createVersionedStore } from '../../control/store/versioned-store.js';

const podKey = '/pods/default/web-7d9f8c6b5-x2k4p';
const warmUpUpdateCount = 20_000;
const timedUpdateCount = 200_000;
const fanoutWatcherCount = 100;
const fanoutTimedUpdateCount = 20_000;

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}

/** A plausible running pod, about 1 KB as canonical JSON. */
function benchPod(): StoredObject {
  return deepFreeze({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: 'web-7d9f8c6b5-x2k4p',
      namespace: 'default',
      uid: '6f1c2a3b-4d5e-4f70-8192-a3b4c5d6e7f8',
      creationTimestamp: '2026-01-01T00:00:00Z',
      labels: { app: 'web', 'pod-template-hash': '7d9f8c6b5' },
      ownerReferences: [
        {
          apiVersion: 'apps/v1',
          kind: 'ReplicaSet',
          name: 'web-7d9f8c6b5',
          uid: '1a2b3c4d-5e6f-4081-92a3-b4c5d6e7f809',
          controller: true,
          blockOwnerDeletion: true,
        },
      ],
    },
    spec: {
      containers: [
        {
          name: 'web',
          image: 'nginx:1.27',
          ports: [{ containerPort: 80, protocol: 'TCP' }],
          resources: {
            requests: { cpu: '100m', memory: '128Mi' },
            limits: { cpu: '500m', memory: '256Mi' },
          },
          imagePullPolicy: 'IfNotPresent',
        },
      ],
      nodeName: 'worker-1',
      restartPolicy: 'Always',
      schedulerName: 'default-scheduler',
      terminationGracePeriodSeconds: 30,
      dnsPolicy: 'ClusterFirst',
    },
    status: {
      phase: 'Running',
      podIP: '10.244.1.7',
      startTime: '2026-01-01T00:00:02Z',
      conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: '2026-01-01T00:00:05Z' }],
      containerStatuses: [
        {
          name: 'web',
          ready: true,
          restartCount: 0,
          image: 'nginx:1.27',
          started: true,
          state: { running: { startedAt: '2026-01-01T00:00:04Z' } },
        },
      ],
    },
  }) as StoredObject;
}

/** Two frozen variants of the pod (differing in status) to alternate between, like a kubelet. */
function podVariants(pod: StoredObject): [StoredObject, StoredObject] {
  const status = pod.status as JsonObject;
  const other = deepFreeze({ ...status, podIP: '10.244.1.8' });
  return [pod, Object.freeze({ ...pod, status: other })];
}

/** Read-modify-write `count` times with the resourceVersion precondition. */
function updateLoop(store: VersionedStore, variants: [StoredObject, StoredObject], count: number) {
  let current = store.get(podKey)!;
  for (let i = 0; i < count; i++) {
    const expectedResourceVersion = (current.metadata as JsonObject).resourceVersion as string;
    const result = store.update(podKey, variants[i & 1]!, { expectedResourceVersion });
    if (!result.ok) throw new Error(`Store benchmark update failed: ${result.error.code}`);
    current = result.value;
  }
}

async function storeWithPod(): Promise<{ store: VersionedStore; pod: StoredObject }> {
  const store = await createVersionedStore({ backend: new MemoryBackend() });
  const pod = benchPod();
  const created = store.create(podKey, pod);
  if (!created.ok) throw new Error(`Store benchmark create failed: ${created.error.code}`);
  return { store, pod };
}

/** Updates per second of one ~1 KB pod with a resourceVersion precondition, no watchers. */
export async function storeUpdatesPerSecond(): Promise<number> {
  const { store, pod } = await storeWithPod();
  const variants = podVariants(pod);
  updateLoop(store, variants, warmUpUpdateCount);
  const startMs = performance.now();
  updateLoop(store, variants, timedUpdateCount);
  const elapsedMs = performance.now() - startMs;
  return (timedUpdateCount / elapsedMs) * 1000;
}

/** Watch callback deliveries per second: 1 writer, 100 filtered watchers on one prefix. */
export async function watchFanoutEventsPerSecond(): Promise<number> {
  const { store, pod } = await storeWithPod();
  const variants = podVariants(pod);
  let deliveryCount = 0;
  const labelsMatch = (object: StoredObject): boolean => {
    const labels = (object.metadata as JsonObject).labels as JsonObject | undefined;
    return labels !== undefined && labels.app === 'web';
  };
  for (let i = 0; i < fanoutWatcherCount; i++) {
    const watch = store.watch('/pods/', { fromRevision: 0, filter: labelsMatch }, () => {
      deliveryCount += 1;
    });
    if (!watch.ok) throw new Error(`Store benchmark watch failed: ${watch.error.code}`);
  }
  updateLoop(store, variants, warmUpUpdateCount);
  const countBefore = deliveryCount;
  const startMs = performance.now();
  updateLoop(store, variants, fanoutTimedUpdateCount);
  const elapsedMs = performance.now() - startMs;
  return ((deliveryCount - countBefore) / elapsedMs) * 1000;
}
