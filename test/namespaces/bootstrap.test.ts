// System objects: created through the ordinary create path on a fresh store, left untouched on
// a second call and by a restarted API server over the same store.

import { describe, expect, it } from 'vitest';
import { bootstrapSystemObjects } from '../../src/control/apiserver/bootstrap.js';
import { createNamespaceWorld, epochMs, newServer } from './namespace-world.js';

const expectedLabels = [
  'namespaces/default',
  'namespaces/kube-system',
  'namespaces/kube-public',
  'namespaces/kube-node-lease',
  'priorityclasses/system-node-critical',
  'priorityclasses/system-cluster-critical',
];

describe('bootstrapSystemObjects', () => {
  it('creates the four namespaces like any create: Active, kubernetes finalizer, uid, timestamp', async () => {
    const world = await createNamespaceWorld({ bootstrap: false });
    const report = await bootstrapSystemObjects({ handler: world.handler });
    expect(report).toEqual({ created: expectedLabels, existing: [] });
    const uids = new Set<string>();
    for (const name of ['default', 'kube-system', 'kube-public', 'kube-node-lease']) {
      const ns = (await world.call('GET', `/api/v1/namespaces/${name}`)).json;
      expect(ns).toMatchObject({
        apiVersion: 'v1',
        kind: 'Namespace',
        metadata: {
          name,
          labels: { 'kubernetes.io/metadata.name': name },
          creationTimestamp: new Date(epochMs).toISOString().replace('.000Z', 'Z'),
        },
        spec: { finalizers: ['kubernetes'] },
        status: { phase: 'Active' },
      });
      expect(ns.metadata.uid).toMatch(/^[0-9a-f-]{36}$/);
      uids.add(ns.metadata.uid);
    }
    expect(uids.size).toBe(4);
  });

  it('creates the two system PriorityClasses with upstream values and descriptions', async () => {
    const world = await createNamespaceWorld();
    const list = (await world.call('GET', '/apis/scheduling.k8s.io/v1/priorityclasses')).json;
    const classes = list.items.map((pc: any) => ({
      name: pc.metadata.name,
      value: pc.value,
      preemptionPolicy: pc.preemptionPolicy,
      description: pc.description,
      globalDefault: pc.globalDefault,
    }));
    expect(classes).toEqual([
      {
        name: 'system-cluster-critical',
        value: 2_000_000_000,
        preemptionPolicy: 'PreemptLowerPriority',
        description:
          'Used for system critical pods that must run in the cluster, but can be moved to another node if necessary.',
        globalDefault: undefined,
      },
      {
        name: 'system-node-critical',
        value: 2_000_001_000,
        preemptionPolicy: 'PreemptLowerPriority',
        description:
          'Used for system critical pods that must not be moved from their current node.',
        globalDefault: undefined,
      },
    ]);
  });

  it('changes nothing when called again', async () => {
    const world = await createNamespaceWorld();
    const revision = world.store.revision;
    const report = await bootstrapSystemObjects({ handler: world.handler });
    expect(report).toEqual({ created: [], existing: expectedLabels });
    expect(world.store.revision).toBe(revision);
  });

  it('leaves the objects of a kept store alone after an API server restart', async () => {
    const world = await createNamespaceWorld();
    const before = (await world.call('GET', '/api/v1/namespaces/default')).json;
    const restarted = newServer(world.engine, world.store, world.rng.fork('restart'));
    const report = await bootstrapSystemObjects({ handler: restarted.handler });
    expect(report.existing).toEqual(expectedLabels);
    const after = await restarted.handler.handle({
      method: 'GET',
      path: '/api/v1/namespaces/default',
      query: {},
      headers: {},
      body: '',
    });
    expect(after.kind === 'unary' && JSON.parse(after.response.body)).toEqual(before);
  });

  it('recreates only what is missing', async () => {
    const world = await createNamespaceWorld();
    await world.call('DELETE', '/api/v1/namespaces/kube-node-lease');
    const ns = (await world.call('GET', '/api/v1/namespaces/kube-node-lease')).json;
    await world.call('PUT', '/api/v1/namespaces/kube-node-lease/finalize', {
      ...ns,
      spec: { finalizers: [] },
    });
    const report = await bootstrapSystemObjects({ handler: world.handler });
    expect(report.created).toEqual(['namespaces/kube-node-lease']);
  });
});
