// The informer event handlers: which ReplicaSet keys each event queues, and what it tells the
// expectations.

import { describe, expect, it } from 'vitest';
import { ObjectCache } from '../../client/cache.js';
import type { KubeObject } from '../../client/types.js';
import { newControllerRef } from './controller-ref.js';
import { ControllerExpectations } from './expectations.js';
import { namespaceIndex, ReplicaSetEventHandlers } from './replica-set-handlers.js';

const rsKind = { apiVersion: 'apps/v1', kind: 'ReplicaSet' };

function replicaSet(name: string, selector: unknown, extra: Record<string, unknown> = {}) {
  return {
    metadata: { name, namespace: 'ns', uid: `uid-${name}`, ...extra },
    spec: { selector, minReadySeconds: 5 },
  } satisfies KubeObject;
}

const web = replicaSet('web', { matchLabels: { app: 'web' } });
const webAll = replicaSet('web-all', { matchExpressions: [{ key: 'app', operator: 'Exists' }] });
const everything = replicaSet('everything', {});
const elsewhere = { ...web, metadata: { ...web.metadata, namespace: 'other', uid: 'uid-x' } };

interface PodShape {
  labels?: Record<string, string>;
  owner?: KubeObject;
  ownerKind?: string;
  rv?: string;
  ready?: boolean;
  deleting?: boolean;
}

function pod(shape: PodShape = {}): KubeObject {
  const metadata: KubeObject['metadata'] = {
    name: 'p',
    namespace: 'ns',
    uid: 'uid-p',
    resourceVersion: shape.rv ?? '1',
    labels: shape.labels ?? { app: 'web' },
  };
  if (shape.owner !== undefined) {
    const kind = { ...rsKind, kind: shape.ownerKind ?? 'ReplicaSet' };
    metadata.ownerReferences = [{ ...newControllerRef(shape.owner, kind) }];
  }
  if (shape.deleting === true) metadata.deletionTimestamp = '2026-01-01T00:00:00Z';
  const conditions = shape.ready === true ? [{ type: 'Ready', status: 'True' }] : [];
  return { metadata, status: { conditions } };
}

function setup() {
  const cache = new ObjectCache<KubeObject>({
    indexers: { [namespaceIndex]: (o) => [o.metadata.namespace ?? ''] },
  });
  for (const object of [web, webAll, everything, elsewhere]) {
    cache.set(`${object.metadata.namespace}/${object.metadata.name}`, object);
  }
  const expectations = new ControllerExpectations({ clock: { nowMs: () => 0 } });
  const queued: string[] = [];
  const delayed: Array<[string, number]> = [];
  const handlers = new ReplicaSetEventHandlers({
    replicaSets: cache,
    expectations,
    controllerKind: 'ReplicaSet',
    enqueue: (key) => queued.push(key),
    enqueueAfter: (key, delayMs) => delayed.push([key, delayMs]),
  });
  return { handlers, expectations, queued, delayed };
}

describe('ReplicaSet events', () => {
  it('queue the ReplicaSet itself', () => {
    const { handlers, queued } = setup();
    handlers.replicaSet.onAdd?.(web);
    handlers.replicaSet.onUpdate?.(web, web);
    expect(queued).toEqual(['ns/web', 'ns/web']);
  });

  it('forget expectations of a deleted or re-created ReplicaSet', () => {
    const { handlers, expectations, queued } = setup();
    expectations.expectCreations('ns/web', 2);
    handlers.replicaSet.onUpdate?.(web, { ...web, metadata: { ...web.metadata, uid: 'new' } });
    expect(expectations.satisfied('ns/web')).toBe(true);
    expectations.expectCreations('ns/web', 2);
    handlers.replicaSet.onDelete?.(web, false);
    expect(expectations.satisfied('ns/web')).toBe(true);
    expect(queued).toEqual(['ns/web', 'ns/web', 'ns/web']);
  });
});

describe('pod events', () => {
  it('observe the creation of an owned pod and queue its owner', () => {
    const { handlers, expectations, queued } = setup();
    expectations.expectCreations('ns/web', 1);
    handlers.pod.onAdd?.(pod({ owner: web }));
    expect(expectations.satisfied('ns/web')).toBe(true);
    expect(queued).toEqual(['ns/web']);
  });

  it('ignore pods whose controller is not a ReplicaSet the cache knows', () => {
    const { handlers, queued } = setup();
    const stranger = replicaSet('web', {}, { uid: 'uid-old' });
    handlers.pod.onAdd?.(pod({ owner: stranger }));
    handlers.pod.onAdd?.(pod({ owner: web, ownerKind: 'StatefulSet' }));
    expect(queued).toEqual([]);
  });

  it('offer an orphan to every ReplicaSet of its namespace that selects it', () => {
    const { handlers, queued } = setup();
    handlers.pod.onAdd?.(pod());
    expect(queued).toEqual(['ns/web', 'ns/web-all']);
  });

  it('count a pod that appears terminating as a deletion, not a creation', () => {
    const { handlers, expectations } = setup();
    expectations.expectDeletions('ns/web', ['ns/p']);
    handlers.pod.onAdd?.(pod({ owner: web, deleting: true }));
    expect(expectations.pending('ns/web')).toEqual({ add: 0, del: 0 });
  });

  it('ignore resyncs of an unchanged pod', () => {
    const { handlers, queued } = setup();
    handlers.pod.onUpdate?.(pod({ owner: web }), pod({ owner: web }));
    expect(queued).toEqual([]);
  });

  it('re-offer an orphan whose labels changed', () => {
    const { handlers, queued } = setup();
    handlers.pod.onUpdate?.(pod({ labels: { app: 'db' } }), pod({ rv: '2' }));
    expect(queued).toEqual(['ns/web', 'ns/web-all']);
  });

  it('wake the old owner of a released pod and the ReplicaSets that now select it', () => {
    const { handlers, queued } = setup();
    handlers.pod.onUpdate?.(pod({ owner: web }), pod({ rv: '2', labels: { app: 'x' } }));
    expect(queued).toEqual(['ns/web', 'ns/web-all']);
  });

  it('recount availability minReadySeconds + 1 s after an owned pod turns Ready', () => {
    const { handlers, queued, delayed } = setup();
    handlers.pod.onUpdate?.(pod({ owner: web }), pod({ owner: web, rv: '2', ready: true }));
    expect(queued).toEqual(['ns/web']);
    expect(delayed).toEqual([['ns/web', 6_000]]);
  });

  it('observe a deletion once, whether seen as a deletionTimestamp or as the delete', () => {
    const { handlers, expectations, queued } = setup();
    expectations.expectDeletions('ns/web', ['ns/p']);
    const terminating = pod({ owner: web, rv: '2', deleting: true });
    handlers.pod.onUpdate?.(pod({ owner: web }), terminating);
    handlers.pod.onDelete?.(terminating, false);
    expect(expectations.pending('ns/web')).toEqual({ add: 0, del: 0 });
    expect(queued).toEqual(['ns/web', 'ns/web']);
  });

  it('ignore the deletion of an orphan', () => {
    const { handlers, queued } = setup();
    handlers.pod.onDelete?.(pod(), true);
    expect(queued).toEqual([]);
  });
});
