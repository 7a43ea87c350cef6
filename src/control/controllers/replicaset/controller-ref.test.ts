// ControllerRef helpers: reading controller references, the claim decision, and the patches.

import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../client/types.js';
import {
  adoptionPatch,
  decideClaim,
  getControllerOf,
  isControlledBy,
  newControllerRef,
  ownerReferencesOf,
  releasePatch,
  sameControllerRef,
} from './controller-ref.js';

const rsKind = { apiVersion: 'apps/v1', kind: 'ReplicaSet' };

function object(
  name: string,
  meta: { uid?: string; namespace?: string; ownerReferences?: unknown[]; deleting?: boolean } = {},
): KubeObject {
  const metadata: KubeObject['metadata'] = {
    name,
    namespace: meta.namespace ?? 'ns',
    uid: meta.uid ?? `uid-${name}`,
  };
  if (meta.ownerReferences !== undefined) {
    metadata.ownerReferences = meta.ownerReferences as Record<string, unknown>[];
  }
  if (meta.deleting === true) metadata.deletionTimestamp = '2026-01-01T00:00:00Z';
  return { metadata };
}

const owner = object('web');
const ownedRef = newControllerRef(owner, rsKind);
const otherRef = { ...newControllerRef(object('other'), rsKind) };

describe('controller references', () => {
  it('builds a controller reference that blocks owner deletion', () => {
    expect(ownedRef).toEqual({
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      name: 'web',
      uid: 'uid-web',
      controller: true,
      blockOwnerDeletion: true,
    });
  });

  it('finds the first reference marked as controller', () => {
    const pod = object('p', {
      ownerReferences: [
        { apiVersion: 'v1', kind: 'ConfigMap', name: 'cm', uid: 'uid-cm' },
        { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'x', uid: 'uid-x', controller: false },
        ownedRef,
        otherRef,
      ],
    });
    expect(getControllerOf(pod)).toEqual(ownedRef);
    expect(isControlledBy(pod, owner)).toBe(true);
    expect(isControlledBy(pod, object('other'))).toBe(false);
    expect(ownerReferencesOf(pod)).toHaveLength(4);
  });

  it('finds no controller on an orphan or a malformed list', () => {
    expect(getControllerOf(object('p'))).toBeUndefined();
    expect(getControllerOf(object('p', { ownerReferences: ['junk', null] }))).toBeUndefined();
    expect(isControlledBy(object('p'), owner)).toBe(false);
  });

  it('compares references field by field', () => {
    expect(sameControllerRef(ownedRef, { ...ownedRef })).toBe(true);
    expect(sameControllerRef(ownedRef, { ...ownedRef, blockOwnerDeletion: false })).toBe(false);
    expect(sameControllerRef(ownedRef, undefined)).toBe(false);
    expect(sameControllerRef(undefined, undefined)).toBe(true);
  });
});

describe('the claim decision', () => {
  const deletingOwner = object('web', { deleting: true });
  const mine = { ownerReferences: [ownedRef] };
  const theirs = { ownerReferences: [otherRef] };
  it.each([
    ['keeps a matching pod it controls', owner, object('p', mine), true, 'claimed'],
    ['keeps it even while being deleted', deletingOwner, object('p', mine), true, 'claimed'],
    [
      'releases a pod it controls that stopped matching',
      owner,
      object('p', mine),
      false,
      'release',
    ],
    ['never releases while being deleted', deletingOwner, object('p', mine), false, 'ignore'],
    ['ignores a pod controlled by another', owner, object('p', theirs), true, 'ignore'],
    ['adopts a matching orphan', owner, object('p'), true, 'adopt'],
    ['ignores an orphan that does not match', owner, object('p'), false, 'ignore'],
    ['never adopts while being deleted', deletingOwner, object('p'), true, 'ignore'],
    ['never adopts a pod being deleted', owner, object('p', { deleting: true }), true, 'ignore'],
    ['never adopts across namespaces', owner, object('p', { namespace: 'x' }), true, 'ignore'],
  ] as const)('%s', (_what, controller, pod, matches, decision) => {
    expect(decideClaim(controller, pod, { matches })).toBe(decision);
  });
});

describe('adoption and release patches', () => {
  it('adds the controller reference and names the pod UID', () => {
    expect(adoptionPatch(ownedRef, 'uid-p')).toEqual({
      metadata: { ownerReferences: [ownedRef], uid: 'uid-p' },
    });
  });

  it('deletes the owner reference by UID', () => {
    expect(releasePatch('uid-web', 'uid-p')).toEqual({
      metadata: { ownerReferences: [{ $patch: 'delete', uid: 'uid-web' }], uid: 'uid-p' },
    });
  });
});
