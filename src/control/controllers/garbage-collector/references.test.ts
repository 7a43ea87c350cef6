// Owner-reference helpers: parsing, diffs, identities, and the patches the collector sends.
import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../client/types.js';
import { AbsentOwnerCache } from './absent-owner-cache.js';
import {
  compareIdentities,
  deleteOwnerReferencesPatch,
  ownerReferencesOf,
  referencesDiff,
  removeFinalizerPatch,
  unblockOwnerReferencesPatch,
  type OwnerReference,
} from './references.js';

const a: OwnerReference = { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'a', uid: 'ua' };
const b: OwnerReference = { ...a, name: 'b', uid: 'ub', blockOwnerDeletion: true };

describe('owner references', () => {
  it('reads well-formed references and skips those without a uid', () => {
    const junk = 'junk' as unknown as Record<string, unknown>;
    const refs = [{ ...a, controller: true }, { kind: 'X', name: 'y' }, junk];
    const object: KubeObject = { metadata: { ownerReferences: refs } };
    expect(ownerReferencesOf(object)).toEqual([{ ...a, controller: true }]);
    expect(ownerReferencesOf({ metadata: {} })).toEqual([]);
  });

  it('diffs references by uid into added, removed and changed', () => {
    const unblocked = { ...b, blockOwnerDeletion: false };
    const c = { ...a, name: 'c', uid: 'uc' };
    expect(referencesDiff([a, b], [unblocked, c])).toEqual({
      added: [c],
      removed: [a],
      changed: [{ oldRef: b, newRef: unblocked }],
    });
    expect(referencesDiff([a, b], [b, a])).toEqual({ added: [], removed: [], changed: [] });
  });

  it('orders identities by kind, apiVersion, namespace, name, uid', () => {
    const id = { apiVersion: 'v1', kind: 'Pod', name: 'n', uid: 'u', namespace: 'ns' };
    expect(compareIdentities(id, { ...id, kind: 'Node' })).toBeGreaterThan(0);
    expect(compareIdentities(id, { ...id, namespace: 'a', name: 'z' })).toBeGreaterThan(0);
    expect(compareIdentities(id, { ...id })).toBe(0);
  });
});

describe('collector patches', () => {
  it('deletes references by uid with the dependent uid as precondition', () => {
    expect(deleteOwnerReferencesPatch('dep', ['ua', 'ub'])).toEqual({
      metadata: {
        ownerReferences: [
          { $patch: 'delete', uid: 'ua' },
          { $patch: 'delete', uid: 'ub' },
        ],
        uid: 'dep',
      },
    });
  });

  it('unblocks only blocking references, and sends nothing when none blocks', () => {
    expect(unblockOwnerReferencesPatch('dep', [a, b])).toEqual({
      metadata: { ownerReferences: [{ uid: 'ub', blockOwnerDeletion: false }], uid: 'dep' },
    });
    expect(unblockOwnerReferencesPatch('dep', [a])).toBeUndefined();
  });

  it('removes only its own finalizer, guarded by the resourceVersion', () => {
    const owner: KubeObject = {
      metadata: { resourceVersion: '7', finalizers: ['example.com/keep', 'foregroundDeletion'] },
    };
    expect(removeFinalizerPatch(owner, 'foregroundDeletion')).toEqual({
      metadata: { resourceVersion: '7', finalizers: ['example.com/keep'] },
    });
    expect(removeFinalizerPatch(owner, 'orphan')).toBeUndefined();
    const alone: KubeObject = { metadata: { resourceVersion: '8', finalizers: ['orphan'] } };
    expect(removeFinalizerPatch(alone, 'orphan')).toEqual({
      metadata: { resourceVersion: '8', finalizers: null },
    });
  });
});

describe('AbsentOwnerCache', () => {
  const id = (uid: string) => ({ apiVersion: 'v1', kind: 'Pod', name: uid, uid, namespace: '' });

  it('forgets the least recently used identity past its size', () => {
    const cache = new AbsentOwnerCache({ sizeMax: 2 });
    cache.add(id('1'));
    cache.add(id('2'));
    expect(cache.has(id('1'))).toBe(true);
    cache.add(id('3'));
    expect(cache.has(id('2'))).toBe(false);
    expect(cache.has(id('1'))).toBe(true);
    expect(cache.has(id('3'))).toBe(true);
    expect(cache.size).toBe(2);
  });
});
