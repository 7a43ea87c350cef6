import { describe, expect, it } from 'vitest';
import { ObjectCache, objectKeyOf } from '../../client/cache.js';
import type { KubeObject } from '../../client/types.js';
import { deploymentFixture, rsFixture } from '../../../../test/deployment/fixtures.js';
import type { Deployment, ReplicaSet } from './deployment-objects.js';
import { controllerOf } from './deployment-objects.js';
import { controllerUidIndex, DeploymentHandlers, namespaceIndex } from './deployment-handlers.js';

const indexers = {
  [namespaceIndex]: (object: KubeObject) => [object.metadata.namespace ?? ''],
  [controllerUidIndex]: (object: KubeObject) => {
    const ref = controllerOf(object);
    return ref === undefined ? [] : [ref.uid];
  },
};

function world(deployments: Deployment[], replicaSets: ReplicaSet[], pods: KubeObject[]) {
  const caches = {
    deployments: new ObjectCache<Deployment>({ indexers }),
    replicaSets: new ObjectCache<ReplicaSet>({ indexers }),
    pods: new ObjectCache<KubeObject>({ indexers }),
  };
  for (const d of deployments) caches.deployments.set(objectKeyOf(d), d);
  for (const rs of replicaSets) caches.replicaSets.set(objectKeyOf(rs), rs);
  for (const pod of pods) caches.pods.set(objectKeyOf(pod), pod);
  const queued: string[] = [];
  const handlers = new DeploymentHandlers({
    ...caches,
    enqueue: (d) => queued.push(d.metadata.name ?? ''),
  });
  return { handlers, queued, caches };
}

function pod(name: string, rs: ReplicaSet): KubeObject {
  const ref = {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    name: rs.metadata.name,
    uid: rs.metadata.uid,
    controller: true,
  };
  return {
    metadata: { name, namespace: 'default', labels: { app: 'web' }, ownerReferences: [ref] },
  };
}

describe('DeploymentHandlers', () => {
  const deployment = deploymentFixture();
  const owned = rsFixture({ name: 'web-1', replicas: 1 });
  const orphan = {
    ...owned,
    metadata: { ...owned.metadata, ownerReferences: [], labels: { app: 'web' } },
  };

  it('maps a ReplicaSet event to its controlling Deployment', () => {
    const { handlers, queued } = world([deployment], [owned], []);
    handlers.addReplicaSet(owned);
    handlers.deleteReplicaSet(owned);
    expect(queued).toEqual(['web', 'web']);
  });

  it('ignores a reference whose uid does not match the cached Deployment', () => {
    const { handlers, queued } = world(
      [{ ...deployment, metadata: { ...deployment.metadata, uid: 'x' } }],
      [],
      [],
    );
    handlers.addReplicaSet(owned);
    expect(queued).toEqual([]);
  });

  it('offers a labelled orphan to every Deployment selecting it', () => {
    const other = deploymentFixture({ selector: { matchLabels: { app: 'api' } } }, { name: 'api' });
    const { handlers, queued } = world([deployment, other], [], []);
    handlers.addReplicaSet(orphan);
    expect(queued).toEqual(['web']);
  });

  it('skips updates that carry the same resourceVersion (resyncs)', () => {
    const { handlers, queued } = world([deployment], [owned], []);
    const versioned = { ...owned, metadata: { ...owned.metadata, resourceVersion: '5' } };
    handlers.updateReplicaSet(versioned, versioned);
    expect(queued).toEqual([]);
    handlers.updateReplicaSet(versioned, {
      ...versioned,
      metadata: { ...versioned.metadata, resourceVersion: '6' },
    });
    expect(queued).toEqual(['web']);
  });

  it('wakes the former owner when a ReplicaSet is released', () => {
    const { handlers, queued } = world([deployment], [orphan], []);
    const before = { ...owned, metadata: { ...owned.metadata, resourceVersion: '1' } };
    const after = { ...orphan, metadata: { ...orphan.metadata, resourceVersion: '2' } };
    handlers.updateReplicaSet(before, after);
    expect(queued).toEqual(['web', 'web']);
  });

  it('wakes a Recreate Deployment only when its last pod is deleted', () => {
    const recreate = deploymentFixture({ strategy: { type: 'Recreate' } });
    const remaining = pod('p2', owned);
    const { handlers, queued, caches } = world([recreate], [owned], [remaining]);
    handlers.deletePod(pod('p1', owned));
    expect(queued).toEqual([]);
    caches.pods.delete(objectKeyOf(remaining));
    handlers.deletePod(remaining);
    expect(queued).toEqual(['web']);
  });

  it('ignores pod deletions of RollingUpdate Deployments', () => {
    const { handlers, queued } = world([deployment], [owned], []);
    handlers.deletePod(pod('p1', owned));
    expect(queued).toEqual([]);
  });
});
