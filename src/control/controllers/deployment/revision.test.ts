import { describe, expect, it } from 'vitest';
import { rsFixture } from '../../../../test/deployment/fixtures.js';
import {
  appendRevisionHistory,
  desiredReplicasOf,
  maxReplicasOf,
  newReplicaSetAnnotations,
  parseRevision,
  replicasAnnotationsNeedUpdate,
  withReplicasAnnotations,
} from './revision.js';

const base = { desiredReplicas: 4, maxReplicas: 5 };

describe('newReplicaSetAnnotations', () => {
  it('gives a new ReplicaSet the next revision and the replica annotations', () => {
    const result = newReplicaSetAnnotations(
      {},
      { ...base, deployment: {}, newRevision: 3, exists: false },
    );
    expect(result).toEqual({
      changed: true,
      annotations: {
        'deployment.kubernetes.io/revision': '3',
        'deployment.kubernetes.io/desired-replicas': '4',
        'deployment.kubernetes.io/max-replicas': '5',
      },
    });
  });

  it('copies Deployment annotations except the skipped ones', () => {
    const deployment = {
      team: 'blue',
      'kubectl.kubernetes.io/last-applied-configuration': '{}',
      'deployment.kubernetes.io/revision': '9',
      'deployment.kubernetes.io/desired-replicas': '9',
    };
    const result = newReplicaSetAnnotations(
      { 'deployment.kubernetes.io/revision': '2' },
      { ...base, deployment, newRevision: 2, exists: true },
    );
    expect(result).toEqual({
      changed: true,
      annotations: { team: 'blue', 'deployment.kubernetes.io/revision': '2' },
    });
  });

  it('changes nothing for the current ReplicaSet at its revision', () => {
    const current = { 'deployment.kubernetes.io/revision': '2' };
    const result = newReplicaSetAnnotations(current, {
      ...base,
      deployment: {},
      newRevision: 2,
      exists: true,
    });
    expect(result.changed).toBe(false);
  });

  it('never lowers a revision (old ReplicaSets deleted after the new one was stamped)', () => {
    const current = { 'deployment.kubernetes.io/revision': '7' };
    const result = newReplicaSetAnnotations(current, {
      ...base,
      deployment: {},
      newRevision: 3,
      exists: true,
    });
    expect(result).toEqual({ changed: false, annotations: current });
  });

  it('records the old revision in the history on a rollback to this ReplicaSet', () => {
    const first = newReplicaSetAnnotations(
      { 'deployment.kubernetes.io/revision': '1' },
      { ...base, deployment: {}, newRevision: 3, exists: true },
    );
    expect(first.annotations).toEqual({
      'deployment.kubernetes.io/revision': '3',
      'deployment.kubernetes.io/revision-history': '1',
    });
    const second = newReplicaSetAnnotations(first.annotations, {
      ...base,
      deployment: {},
      newRevision: 5,
      exists: true,
    });
    expect(second.annotations['deployment.kubernetes.io/revision-history']).toBe('1,3');
  });

  it('leaves a ReplicaSet with an unparsable revision alone', () => {
    const current = { 'deployment.kubernetes.io/revision': 'seven' };
    const result = newReplicaSetAnnotations(current, {
      ...base,
      deployment: { team: 'x' },
      newRevision: 3,
      exists: true,
    });
    expect(result).toEqual({ changed: false, annotations: current });
  });
});

describe('appendRevisionHistory', () => {
  it('starts, extends and trims the history within its length budget', () => {
    expect(appendRevisionHistory(undefined, '4')).toBe('4');
    expect(appendRevisionHistory('1,2', '4')).toBe('1,2,4');
    expect(appendRevisionHistory('1,22,333', '4', 8)).toBe('22,333,4');
    expect(appendRevisionHistory('1,22,333', '4', 5)).toBe('333,4');
    expect(appendRevisionHistory('1', '123456', 3)).toBe('1');
  });
});

describe('replica annotations', () => {
  it('are written as decimal text and detected when stale', () => {
    const rs = rsFixture({
      name: 'a',
      replicas: 1,
      annotations: {
        'deployment.kubernetes.io/desired-replicas': '4',
        'deployment.kubernetes.io/max-replicas': '5',
      },
    });
    expect(replicasAnnotationsNeedUpdate(rs, 4, 5)).toBe(false);
    expect(replicasAnnotationsNeedUpdate(rs, 4, 6)).toBe(true);
    expect(withReplicasAnnotations({}, 2, 3)).toEqual({
      changed: true,
      annotations: {
        'deployment.kubernetes.io/desired-replicas': '2',
        'deployment.kubernetes.io/max-replicas': '3',
      },
    });
    expect(desiredReplicasOf(rs)).toBe(4);
    expect(maxReplicasOf(rs)).toBe(5);
  });

  it('ignore values that are not non-negative integers', () => {
    const rs = rsFixture({
      name: 'a',
      replicas: 1,
      annotations: {
        'deployment.kubernetes.io/desired-replicas': '-1',
        'deployment.kubernetes.io/max-replicas': 'x',
      },
    });
    expect(desiredReplicasOf(rs)).toBeUndefined();
    expect(maxReplicasOf(rs)).toBeUndefined();
  });
});

describe('parseRevision', () => {
  it('parses Go int64 text only', () => {
    expect(parseRevision('12')).toBe(12);
    expect(parseRevision('+3')).toBe(3);
    expect(parseRevision('1.5')).toBeUndefined();
    expect(parseRevision('')).toBeUndefined();
  });
});
