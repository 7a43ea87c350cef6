// The dependency graph on plain events: virtual owners, deletions, transitions, and the
// owner/dependent links kept consistent under random event sequences.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../client/types.js';
import { AbsentOwnerCache } from './absent-owner-cache.js';
import type { GraphEvent } from './dependency-graph.js';
import { DependencyGraph, alternateOwnerIdentity } from './dependency-graph.js';

const rsType = { apiVersion: 'apps/v1', kind: 'ReplicaSet' };
const podType = { apiVersion: 'v1', kind: 'Pod' };

interface Shape {
  name: string;
  uid: string;
  namespace?: string;
  owners?: Array<{ uid: string; name?: string; kind?: string; block?: boolean }>;
  deleting?: boolean;
  finalizers?: string[];
}

function object(shape: Shape): KubeObject {
  const meta: Record<string, unknown> = {
    name: shape.name,
    uid: shape.uid,
    namespace: shape.namespace ?? 'default',
  };
  if (shape.owners !== undefined) {
    meta.ownerReferences = shape.owners.map((o) => ({
      apiVersion: 'apps/v1',
      kind: o.kind ?? 'ReplicaSet',
      name: o.name ?? `rs-${o.uid}`,
      uid: o.uid,
      ...(o.block === undefined ? {} : { blockOwnerDeletion: o.block }),
    }));
  }
  if (shape.deleting === true) meta.deletionTimestamp = '2026-01-01T00:00:00Z';
  if (shape.finalizers !== undefined) meta.finalizers = shape.finalizers;
  return { metadata: meta as KubeObject['metadata'] };
}

function upsert(type: typeof podType, shape: Shape, old?: Shape): GraphEvent {
  return {
    type: 'upsert',
    ...type,
    object: object(shape),
    ...(old === undefined ? {} : { old: object(old) }),
  };
}

function remove(type: typeof podType, shape: Shape, virtual = false): GraphEvent {
  return { type: 'delete', ...type, object: object(shape), virtual };
}

function newGraph() {
  const absent = new AbsentOwnerCache();
  return { graph: new DependencyGraph({ absentOwners: absent }), absent };
}

const rs = { name: 'rs-o', uid: 'o' };
const podA = { name: 'a', uid: 'pa', owners: [{ uid: 'o', block: true }] };
const podB = { name: 'b', uid: 'pb', owners: [{ uid: 'o' }] };

describe('DependencyGraph', () => {
  it('creates a virtual owner for an unseen owner and queues it for a live check', () => {
    const { graph } = newGraph();
    const effects = graph.apply(upsert(podType, podA));
    expect(effects.attemptToDelete).toEqual(['o']);
    const owner = graph.get('o');
    expect(owner?.virtual).toBe(true);
    expect(owner?.identity).toEqual({ ...rsType, name: 'rs-o', uid: 'o', namespace: 'default' });
    expect([...(owner?.dependents ?? [])]).toEqual(['pa']);
  });

  it('marks a virtual owner observed when its informer shows it', () => {
    const { graph } = newGraph();
    graph.apply(upsert(podType, podA));
    const effects = graph.apply(upsert(rsType, rs));
    expect(effects.attemptToDelete).toEqual([]);
    expect(graph.get('o')?.virtual).toBe(false);
    expect(graph.get('o')?.dependents.has('pa')).toBe(true);
  });

  it('queues the dependents of a deleted owner and remembers the owner as absent', () => {
    const { graph, absent } = newGraph();
    for (const event of [upsert(rsType, rs), upsert(podType, podA), upsert(podType, podB)]) {
      graph.apply(event);
    }
    const effects = graph.apply(remove(rsType, rs));
    expect(effects.attemptToDelete).toEqual(['pa', 'pb']);
    expect(graph.get('o')).toBeUndefined();
    expect(absent.has({ ...rsType, name: 'rs-o', uid: 'o', namespace: 'default' })).toBe(true);
  });

  it('starts waiting for dependents when the owner gets foregroundDeletion', () => {
    const { graph } = newGraph();
    for (const event of [upsert(rsType, rs), upsert(podType, podA), upsert(podType, podB)]) {
      graph.apply(event);
    }
    const deleting = { ...rs, deleting: true, finalizers: ['foregroundDeletion'] };
    const effects = graph.apply(upsert(rsType, deleting, rs));
    expect(effects.attemptToDelete).toEqual(['pa', 'pb', 'o']);
    expect(graph.get('o')?.deletingDependents).toBe(true);
    expect(graph.blockingDependents(graph.get('o')!).map((n) => n.identity.uid)).toEqual(['pa']);
    const again = graph.apply(upsert(rsType, deleting, deleting));
    expect(again.attemptToDelete).toEqual([]);
  });

  it('queues an owner for orphaning when its deletion starts with the orphan finalizer', () => {
    const { graph } = newGraph();
    graph.apply(upsert(rsType, rs));
    const effects = graph.apply(
      upsert(rsType, { ...rs, deleting: true, finalizers: ['orphan'] }, rs),
    );
    expect(effects.attemptToOrphan).toEqual(['o']);
    expect(graph.get('o')?.beingDeleted).toBe(true);
  });

  it('re-queues a waiting owner when a dependent stops blocking it', () => {
    const { graph } = newGraph();
    graph.apply(upsert(rsType, { ...rs, deleting: true, finalizers: ['foregroundDeletion'] }));
    graph.apply(upsert(podType, podA));
    const released = { ...podA, owners: [{ uid: 'o', block: false }] };
    expect(graph.apply(upsert(podType, released, podA)).attemptToDelete).toEqual(['o']);
    expect(graph.blockingDependents(graph.get('o')!)).toEqual([]);
  });

  it('re-queues a waiting owner when one of its dependents is deleted', () => {
    const { graph } = newGraph();
    graph.apply(upsert(rsType, { ...rs, deleting: true, finalizers: ['foregroundDeletion'] }));
    graph.apply(upsert(podType, podA));
    expect(graph.apply(remove(podType, podA)).attemptToDelete).toEqual(['o']);
    expect(graph.get('o')?.dependents.size).toBe(0);
  });

  it('drops a virtual owner on a virtual delete and queues its dependents', () => {
    const { graph } = newGraph();
    graph.apply(upsert(podType, podA));
    const effects = graph.apply(remove(rsType, { name: 'rs-o', uid: 'o' }, true));
    expect(effects.attemptToDelete).toEqual(['pa']);
    expect(graph.get('o')).toBeUndefined();
  });

  it('keeps an observed node when a virtual delete names other coordinates', () => {
    const { graph } = newGraph();
    graph.apply(upsert(rsType, rs));
    graph.apply(upsert(podType, podA));
    const effects = graph.apply(remove(rsType, { name: 'other', uid: 'o' }, true));
    expect(graph.get('o')?.virtual).toBe(false);
    expect(effects.attemptToDelete).toEqual([]);
  });

  it('tries another identity for a virtual owner that dependents name differently', () => {
    const { graph } = newGraph();
    graph.apply(upsert(podType, podA));
    graph.apply(upsert(podType, { name: 'c', uid: 'pc', owners: [{ uid: 'o', name: 'zeta' }] }));
    const effects = graph.apply(remove(rsType, { name: 'rs-o', uid: 'o' }, true));
    expect(effects.attemptToDelete).toEqual(['pa']);
    expect(effects.attemptToDeleteRateLimited).toEqual(['o']);
    expect(graph.get('o')?.identity.name).toBe('zeta');
  });

  it('flags a dependent whose owner lives in another namespace', () => {
    const { graph } = newGraph();
    graph.apply(upsert(rsType, { ...rs, namespace: 'other' }));
    const effects = graph.apply(upsert(podType, podA));
    expect(effects.attemptToDelete).toEqual(['pa']);
  });

  it('picks the alternate identity following the absent one, else the first', () => {
    const absent = { ...rsType, name: 'm', uid: 'o', namespace: 'default' };
    const dep = (name: string) => ({
      identity: { ...podType, name: `d-${name}`, uid: `d-${name}`, namespace: 'default' },
      owners: [{ ...rsType, name, uid: 'o' }],
      dependents: new Set<string>(),
      virtual: false,
      beingDeleted: false,
      deletingDependents: false,
    });
    expect(alternateOwnerIdentity([dep('a'), dep('z'), dep('n')], absent)?.name).toBe('n');
    expect(alternateOwnerIdentity([dep('a'), dep('b')], absent)?.name).toBe('a');
    expect(alternateOwnerIdentity([dep('m')], absent)).toBeUndefined();
  });

  it('links every dependent it lists back to an owner reference, under any event sequence', () => {
    const uids = ['o1', 'o2', 'p1', 'p2', 'p3'];
    const shapeArb = fc.record({
      uid: fc.constantFrom(...uids),
      owners: fc.subarray(['o1', 'o2', 'p1']),
      deleting: fc.boolean(),
      finalizer: fc.constantFrom(undefined, 'orphan', 'foregroundDeletion'),
      block: fc.boolean(),
    });
    const eventArb = fc.record({
      kind: fc.constantFrom('upsert', 'delete', 'virtual'),
      shape: shapeArb,
    });
    fc.assert(
      fc.property(fc.array(eventArb, { maxLength: 40 }), (events) => {
        const { graph } = newGraph();
        const live = new Map<string, Shape>();
        const deleted = new Set<string>();
        for (const { kind, shape: s } of events) {
          // A uid never comes back once its object was deleted.
          if (deleted.has(s.uid)) continue;
          const shape: Shape = {
            name: `rs-${s.uid}`,
            uid: s.uid,
            owners: s.owners.filter((o) => o !== s.uid).map((uid) => ({ uid, block: s.block })),
            deleting: s.deleting,
            ...(s.finalizer === undefined ? {} : { finalizers: [s.finalizer] }),
          };
          if (kind === 'upsert') {
            graph.apply(upsert(rsType, shape, live.get(s.uid)));
            live.set(s.uid, shape);
          } else {
            graph.apply(remove(rsType, shape, kind === 'virtual'));
            if (kind === 'delete') {
              live.delete(s.uid);
              deleted.add(s.uid);
            }
          }
        }
        for (const uid of uids) {
          const node = graph.get(uid);
          if (node === undefined) continue;
          for (const dependent of node.dependents) {
            const child = graph.get(dependent);
            expect(child).toBeDefined();
            expect(child?.owners.some((ref) => ref.uid === uid)).toBe(true);
          }
          // The reverse link may be missing: an owner deleted and later named again comes
          // back as a new virtual node that only knows its new dependents, as upstream.
          expect(node.dependents.has(uid)).toBe(false);
        }
      }),
      { numRuns: 300 },
    );
  });
});
