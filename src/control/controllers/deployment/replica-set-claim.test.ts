import { describe, expect, it } from 'vitest';
import { deploymentFixture, rsFixture } from '../../../../test/deployment/fixtures.js';
import type { ReplicaSet } from './deployment-objects.js';
import { adoptPatch, claimDecision, releasePatch } from './replica-set-claim.js';

function orphan(extra: Partial<ReplicaSet['metadata']> = {}): ReplicaSet {
  const rs = rsFixture({ name: 'web-1', replicas: 1 });
  return { ...rs, metadata: { ...rs.metadata, ownerReferences: [], ...extra } };
}

function ownedBy(uid: string): ReplicaSet {
  const rs = rsFixture({ name: 'web-1', replicas: 1 });
  const ref = { apiVersion: 'apps/v1', kind: 'Deployment', name: 'x', uid, controller: true };
  return { ...rs, metadata: { ...rs.metadata, ownerReferences: [ref] } };
}

describe('claimDecision', () => {
  const deployment = deploymentFixture();
  const deleting = {
    ...deployment,
    metadata: { ...deployment.metadata, deletionTimestamp: '2026-01-01T00:00:00Z' },
  };

  it.each([
    ['owns a selected ReplicaSet it controls', deployment, ownedBy('uid-deploy'), true, 'owned'],
    [
      'releases an owned ReplicaSet that stopped matching',
      deployment,
      ownedBy('uid-deploy'),
      false,
      'release',
    ],
    ['keeps owning while deleting', deleting, ownedBy('uid-deploy'), true, 'owned'],
    ['does not release while deleting', deleting, ownedBy('uid-deploy'), false, 'ignore'],
    ["ignores another controller's ReplicaSet", deployment, ownedBy('uid-other'), true, 'ignore'],
    ['adopts a selected orphan', deployment, orphan(), true, 'adopt'],
    ['ignores an orphan it does not select', deployment, orphan(), false, 'ignore'],
    ['does not adopt while deleting', deleting, orphan(), true, 'ignore'],
    [
      'does not adopt an orphan being deleted',
      deployment,
      orphan({ deletionTimestamp: '2026-01-01T00:00:00Z' }),
      true,
      'ignore',
    ],
    [
      'does not adopt across namespaces',
      deployment,
      orphan({ namespace: 'other' }),
      true,
      'ignore',
    ],
  ] as const)('%s', (_name, owner, rs, selected, expected) => {
    expect(claimDecision(owner, rs, selected)).toBe(expected);
  });
});

describe('claim patches', () => {
  it('add or delete the controller reference by uid, with the object uid as a guard', () => {
    const deployment = deploymentFixture();
    expect(adoptPatch(deployment, orphan())).toEqual({
      metadata: {
        ownerReferences: [
          {
            apiVersion: 'apps/v1',
            kind: 'Deployment',
            name: 'web',
            uid: 'uid-deploy',
            controller: true,
            blockOwnerDeletion: true,
          },
        ],
        uid: 'uid-web-1',
      },
    });
    expect(releasePatch(deployment, orphan())).toEqual({
      metadata: { ownerReferences: [{ $patch: 'delete', uid: 'uid-deploy' }], uid: 'uid-web-1' },
    });
  });
});
