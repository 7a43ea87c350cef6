// Table tests of attemptToDeleteItem's decisions.
import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../client/types.js';
import type { ClassifiedReferences } from './attempt-plan.js';
import { classifyReference, planAttemptToDelete } from './attempt-plan.js';
import type { OwnerReference } from './references.js';

function ref(uid: string): OwnerReference {
  return { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: `rs-${uid}`, uid };
}

function item(finalizers: string[] = []): KubeObject {
  return { metadata: { name: 'p', uid: 'p', finalizers } };
}

function refs(solid: string[], dangling: string[], waiting: string[]): ClassifiedReferences {
  return { solid: solid.map(ref), dangling: dangling.map(ref), waiting: waiting.map(ref) };
}

const plain = { dependentCount: 0, dependentDeletingDependents: false, latest: item() };

describe('classifyReference', () => {
  const owner = (meta: Record<string, unknown>): KubeObject => ({
    metadata: { name: 'rs-a', uid: 'a', ...meta },
  });

  it('calls a missing owner or one with another uid dangling', () => {
    expect(classifyReference(ref('a'), undefined)).toBe('dangling');
    expect(classifyReference(ref('a'), owner({ uid: 'b' }))).toBe('dangling');
  });

  it('calls an owner deleting in the foreground waiting, any other live owner solid', () => {
    const fg = { deletionTimestamp: '2026-01-01T00:00:00Z', finalizers: ['foregroundDeletion'] };
    expect(classifyReference(ref('a'), owner(fg))).toBe('waiting');
    const orphaning = { deletionTimestamp: '2026-01-01T00:00:00Z', finalizers: ['orphan'] };
    expect(classifyReference(ref('a'), owner(orphaning))).toBe('solid');
    expect(classifyReference(ref('a'), owner({ finalizers: ['foregroundDeletion'] }))).toBe(
      'solid',
    );
  });
});

describe('planAttemptToDelete', () => {
  it('keeps an item whose owners are all solid', () => {
    expect(planAttemptToDelete(refs(['a', 'b'], [], []), plain)).toEqual({ kind: 'keep' });
  });

  it('drops dangling and waiting references while a solid owner remains', () => {
    expect(planAttemptToDelete(refs(['a'], ['b'], ['c']), plain)).toEqual({
      kind: 'removeReferences',
      ownerUids: ['b', 'c'],
    });
  });

  it('deletes an item with only dangling owners in the background', () => {
    expect(planAttemptToDelete(refs([], ['a'], []), plain)).toEqual({
      kind: 'delete',
      policy: 'Background',
      unblockFirst: false,
    });
  });

  it('honours a propagation finalizer the item already carries', () => {
    const orphaning = { ...plain, latest: item(['orphan']) };
    expect(planAttemptToDelete(refs([], ['a'], []), orphaning)).toMatchObject({ policy: 'Orphan' });
    const foreground = { ...plain, latest: item(['x.io/y', 'foregroundDeletion']) };
    expect(planAttemptToDelete(refs([], ['a'], []), foreground)).toMatchObject({
      policy: 'Foreground',
    });
  });

  it('deletes in the foreground an item with dependents whose owner waits for it', () => {
    const withDependents = { ...plain, dependentCount: 2 };
    expect(planAttemptToDelete(refs([], [], ['a']), withDependents)).toEqual({
      kind: 'delete',
      policy: 'Foreground',
      unblockFirst: false,
    });
    const cycle = { ...withDependents, dependentDeletingDependents: true };
    expect(planAttemptToDelete(refs([], ['b'], ['a']), cycle)).toEqual({
      kind: 'delete',
      policy: 'Foreground',
      unblockFirst: true,
    });
  });

  it('deletes a leaf whose owner waits with the policy of its own finalizers', () => {
    expect(planAttemptToDelete(refs([], [], ['a']), plain)).toEqual({
      kind: 'delete',
      policy: 'Background',
      unblockFirst: false,
    });
  });
});
