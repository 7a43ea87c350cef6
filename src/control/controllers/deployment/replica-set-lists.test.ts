import { describe, expect, it } from 'vitest';
import { deploymentFixture, rsFixture } from '../../../../test/deployment/fixtures.js';
import {
  compareByCreation,
  compareByRevision,
  compareBySizeNewer,
  compareBySizeOlder,
  findActiveOrLatest,
  findNewReplicaSet,
  findOldReplicaSets,
  isSaturated,
  maxRevision,
  revisionOf,
  sortedBy,
} from './replica-set-lists.js';

const names = (list: { metadata: { name?: string } }[]) => list.map((rs) => rs.metadata.name);

describe('orders', () => {
  const a = rsFixture({ name: 'a', replicas: 2, createdAtS: 10, revision: 3 });
  const b = rsFixture({ name: 'b', replicas: 5, createdAtS: 0, revision: 1 });
  const c = rsFixture({ name: 'c', replicas: 2, createdAtS: 10, revision: 2 });
  const d = rsFixture({ name: 'd', replicas: 2, createdAtS: 5, revision: 2 });

  it('sort by creation time, then by name', () => {
    expect(names(sortedBy([a, b, c, d], compareByCreation))).toEqual(['b', 'd', 'a', 'c']);
  });

  it('sort by size, ties older first or newer first', () => {
    expect(names(sortedBy([a, b, c, d], compareBySizeOlder))).toEqual(['b', 'd', 'a', 'c']);
    expect(names(sortedBy([a, b, c, d], compareBySizeNewer))).toEqual(['b', 'c', 'a', 'd']);
  });

  it('sort by revision, ties by creation', () => {
    expect(names(sortedBy([a, b, c, d], compareByRevision))).toEqual(['b', 'd', 'c', 'a']);
  });
});

describe('revisions', () => {
  it('read the annotation, 0 when absent, undefined when unparsable', () => {
    expect(revisionOf(rsFixture({ name: 'a', replicas: 1, revision: 4 }))).toBe(4);
    expect(revisionOf(rsFixture({ name: 'a', replicas: 1 }))).toBe(0);
    const broken = rsFixture({
      name: 'a',
      replicas: 1,
      annotations: { 'deployment.kubernetes.io/revision': 'x' },
    });
    expect(revisionOf(broken)).toBeUndefined();
    expect(maxRevision([broken, rsFixture({ name: 'b', replicas: 1, revision: 2 })])).toBe(2);
    expect(maxRevision([])).toBe(0);
  });
});

describe('findNewReplicaSet and findOldReplicaSets', () => {
  it('pick the oldest ReplicaSet with the Deployment template, hash label ignored', () => {
    const deployment = deploymentFixture();
    const current = rsFixture({ name: 'current', replicas: 1, image: 'nginx:1', createdAtS: 20 });
    const labels = { app: 'web', 'pod-template-hash': 'abc' };
    const twin = rsFixture({ name: 'twin', replicas: 1, image: 'nginx:1', createdAtS: 30 });
    const hashed = {
      ...twin,
      spec: {
        ...twin.spec,
        template: { ...twin.spec.template, metadata: { labels } },
      },
    };
    const other = rsFixture({ name: 'other', replicas: 1, image: 'nginx:0', createdAtS: 0 });
    expect(findNewReplicaSet(deployment, [hashed, other, current])?.metadata.name).toBe('current');
    expect(names(findOldReplicaSets(deployment, [hashed, other, current]))).toEqual([
      'twin',
      'other',
    ]);
    expect(findNewReplicaSet(deployment, [other])).toBeUndefined();
  });
});

describe('findActiveOrLatest', () => {
  it('returns the only active ReplicaSet, the newest when none is active, nothing when several are', () => {
    const fresh = rsFixture({ name: 'new', replicas: 0, createdAtS: 30 });
    const old1 = rsFixture({ name: 'old1', replicas: 0, createdAtS: 0 });
    const old2 = rsFixture({ name: 'old2', replicas: 3, createdAtS: 10 });
    expect(findActiveOrLatest(fresh, [old1, old2])?.metadata.name).toBe('old2');
    const idle = { ...old2, spec: { ...old2.spec, replicas: 0 } };
    expect(findActiveOrLatest(fresh, [old1, idle])?.metadata.name).toBe('new');
    expect(findActiveOrLatest(undefined, [old1, idle])?.metadata.name).toBe('old2');
    const busy = { ...fresh, spec: { ...fresh.spec, replicas: 1 } };
    expect(findActiveOrLatest(busy, [old2])).toBeUndefined();
    expect(findActiveOrLatest(undefined, [])).toBeUndefined();
  });
});

describe('isSaturated', () => {
  it('needs size, desired annotation and availability all at spec.replicas', () => {
    const deployment = deploymentFixture({ replicas: 3 });
    const annotations = { 'deployment.kubernetes.io/desired-replicas': '3' };
    expect(isSaturated(deployment, rsFixture({ name: 'a', replicas: 3, annotations }))).toBe(true);
    const waiting = rsFixture({ name: 'a', replicas: 3, available: 2, annotations });
    expect(isSaturated(deployment, waiting)).toBe(false);
    expect(isSaturated(deployment, rsFixture({ name: 'a', replicas: 3 }))).toBe(false);
    expect(isSaturated(deployment, undefined)).toBe(false);
  });
});
