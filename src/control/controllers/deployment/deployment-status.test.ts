import { describe, expect, it } from 'vitest';
import { formatTime } from '../../api/values/time.js';
import {
  deploymentFixture,
  fixtureEpochMs,
  rsFixture,
} from '../../../../test/deployment/fixtures.js';
import type { DeploymentCondition, DeploymentStatus } from './deployment-objects.js';
import {
  calculateStatus,
  deploymentComplete,
  deploymentProgressing,
  deploymentTimedOut,
  getCondition,
  newCondition,
  pausedConditionUpdate,
  rolloutStatus,
  setCondition,
  statusesEqual,
  stuckRequeue,
} from './deployment-status.js';

const t0 = fixtureEpochMs;
const at = (seconds: number) => formatTime(t0 + seconds * 1000);

function progressing(reason: string, status: 'True' | 'False' | 'Unknown', updatedS: number) {
  return {
    type: 'Progressing',
    status,
    reason,
    lastUpdateTime: at(updatedS),
    lastTransitionTime: at(updatedS),
  } satisfies DeploymentCondition;
}

describe('setCondition', () => {
  it('adds a condition, and keeps one with the same status and reason untouched', () => {
    const first = newCondition('Available', 'True', 'MinimumReplicasAvailable', 'ok', t0);
    const status = setCondition({}, first);
    expect(status.conditions).toEqual([first]);
    const again = newCondition('Available', 'True', 'MinimumReplicasAvailable', 'ok', t0 + 5000);
    expect(setCondition(status, again)).toBe(status);
  });

  it('keeps the transition time when only the reason changes, and moves it last', () => {
    const status: DeploymentStatus = {
      conditions: [progressing('NewReplicaSetCreated', 'True', 0), progressing('x', 'True', 0)].map(
        (c, i) => (i === 1 ? { ...c, type: 'Available' } : c),
      ),
    };
    const next = setCondition(
      status,
      newCondition('Progressing', 'True', 'ReplicaSetUpdated', 'm', t0 + 10_000),
    );
    expect(next.conditions?.map((c) => c.type)).toEqual(['Available', 'Progressing']);
    expect(getCondition(next, 'Progressing')).toEqual({
      type: 'Progressing',
      status: 'True',
      reason: 'ReplicaSetUpdated',
      message: 'm',
      lastUpdateTime: at(10),
      lastTransitionTime: at(0),
    });
  });
});

describe('calculateStatus', () => {
  it('sums the ReplicaSets and sets Available from spec.replicas − maxUnavailable', () => {
    const deployment = deploymentFixture({ replicas: 10 }, { generation: 3 });
    const old = rsFixture({ name: 'old', replicas: 6, available: 6 });
    const fresh = rsFixture({ name: 'new', replicas: 4, available: 2, ready: 3 });
    const status = calculateStatus([old, fresh], fresh, deployment, t0);
    expect(status).toEqual({
      observedGeneration: 3,
      replicas: 10,
      updatedReplicas: 4,
      readyReplicas: 9,
      availableReplicas: 8,
      unavailableReplicas: 2,
      conditions: [
        {
          type: 'Available',
          status: 'True',
          reason: 'MinimumReplicasAvailable',
          message: 'Deployment has minimum availability.',
          lastUpdateTime: at(0),
          lastTransitionTime: at(0),
        },
      ],
    });
  });

  it('reports minimum availability lost one pod below the bound', () => {
    const deployment = deploymentFixture({ replicas: 10 });
    const rs = rsFixture({ name: 'a', replicas: 10, available: 7 });
    const status = calculateStatus([rs], rs, deployment, t0);
    expect(getCondition(status, 'Available')).toMatchObject({
      status: 'False',
      reason: 'MinimumReplicasUnavailable',
      message: 'Deployment does not have minimum availability.',
    });
  });

  it('omits zero counts as Go does, and keeps a collision count of 0', () => {
    const deployment = deploymentFixture({ replicas: 0 }, { status: { collisionCount: 0 } });
    const status = calculateStatus([], undefined, deployment, t0);
    expect(Object.keys(status).sort()).toEqual([
      'collisionCount',
      'conditions',
      'observedGeneration',
    ]);
  });
});

describe('progress predicates', () => {
  it('deploymentComplete needs every count at spec.replicas and the generation observed', () => {
    const deployment = deploymentFixture({ replicas: 3 }, { generation: 2 });
    const done = { updatedReplicas: 3, replicas: 3, availableReplicas: 3, observedGeneration: 2 };
    expect(deploymentComplete(deployment, done)).toBe(true);
    expect(deploymentComplete(deployment, { ...done, observedGeneration: 1 })).toBe(false);
    expect(deploymentComplete(deployment, { ...done, replicas: 4 })).toBe(false);
  });

  it('deploymentProgressing sees more updated/ready/available pods or fewer old ones', () => {
    const old = { replicas: 5, updatedReplicas: 1, readyReplicas: 4, availableReplicas: 4 };
    const deployment = deploymentFixture({}, { status: old });
    expect(deploymentProgressing(deployment, old)).toBe(false);
    expect(deploymentProgressing(deployment, { ...old, updatedReplicas: 2 })).toBe(true);
    expect(deploymentProgressing(deployment, { ...old, replicas: 4 })).toBe(true);
    expect(deploymentProgressing(deployment, { ...old, readyReplicas: 5 })).toBe(true);
    expect(deploymentProgressing(deployment, { ...old, availableReplicas: 3 })).toBe(false);
  });

  it('deploymentTimedOut compares the last progress with the deadline', () => {
    const deployment = deploymentFixture({ progressDeadlineSeconds: 60 });
    const status = { conditions: [progressing('ReplicaSetUpdated', 'True', 0)] };
    expect(deploymentTimedOut(deployment, status, t0 + 60_000)).toBe(false);
    expect(deploymentTimedOut(deployment, status, t0 + 60_001)).toBe(true);
    const complete = { conditions: [progressing('NewReplicaSetAvailable', 'True', 0)] };
    expect(deploymentTimedOut(deployment, complete, t0 + 999_000)).toBe(false);
    const noDeadline = deploymentFixture({ progressDeadlineSeconds: 2_147_483_647 });
    expect(deploymentTimedOut(noDeadline, status, t0 + 999_000)).toBe(false);
  });
});

describe('rolloutStatus', () => {
  const old = rsFixture({ name: 'old', replicas: 2, createdAtS: 0 });

  it('marks a finished rollout NewReplicaSetAvailable', () => {
    const fresh = rsFixture({ name: 'web-abc', replicas: 3 });
    const deployment = deploymentFixture(
      { replicas: 3 },
      { status: { conditions: [progressing('ReplicaSetUpdated', 'True', 0)] } },
    );
    const status = rolloutStatus([fresh], fresh, deployment, t0 + 30_000);
    expect(getCondition(status, 'Progressing')).toEqual({
      type: 'Progressing',
      status: 'True',
      reason: 'NewReplicaSetAvailable',
      message: 'ReplicaSet "web-abc" has successfully progressed.',
      lastUpdateTime: at(30),
      lastTransitionTime: at(0),
    });
  });

  it('refreshes lastUpdateTime on progress but keeps the transition time', () => {
    const fresh = rsFixture({ name: 'web-abc', replicas: 2, available: 1 });
    const deployment = deploymentFixture(
      { replicas: 4 },
      {
        status: {
          replicas: 4,
          updatedReplicas: 1,
          conditions: [progressing('ReplicaSetUpdated', 'True', 0)],
        },
      },
    );
    const status = rolloutStatus([old, fresh], fresh, deployment, t0 + 20_000);
    expect(getCondition(status, 'Progressing')).toMatchObject({
      reason: 'ReplicaSetUpdated',
      message: 'ReplicaSet "web-abc" is progressing.',
      lastUpdateTime: at(20),
      lastTransitionTime: at(0),
    });
  });

  it('times a stalled rollout out after progressDeadlineSeconds', () => {
    const fresh = rsFixture({ name: 'web-abc', replicas: 1, available: 0 });
    const previous = { replicas: 3, updatedReplicas: 1, readyReplicas: 2, availableReplicas: 2 };
    const deployment = deploymentFixture(
      { replicas: 2, progressDeadlineSeconds: 30 },
      { status: { ...previous, conditions: [progressing('ReplicaSetUpdated', 'True', 0)] } },
    );
    const early = rolloutStatus([old, fresh], fresh, deployment, t0 + 30_000);
    expect(getCondition(early, 'Progressing')?.reason).toBe('ReplicaSetUpdated');
    const late = rolloutStatus([old, fresh], fresh, deployment, t0 + 31_000);
    expect(getCondition(late, 'Progressing')).toMatchObject({
      status: 'False',
      reason: 'ProgressDeadlineExceeded',
      message: 'ReplicaSet "web-abc" has timed out progressing.',
      lastTransitionTime: at(31),
    });
  });

  it('drops Progressing without a deadline and copies a ReplicaSet failure', () => {
    const failure = {
      type: 'ReplicaFailure',
      status: 'True' as const,
      reason: 'FailedCreate',
      message: 'quota',
      lastTransitionTime: at(5),
    };
    const fresh = rsFixture({ name: 'web-abc', replicas: 1 });
    const failing = { ...fresh, status: { ...fresh.status, conditions: [failure] } };
    const deployment = deploymentFixture(
      { replicas: 1, progressDeadlineSeconds: 2_147_483_647 },
      { status: { conditions: [progressing('ReplicaSetUpdated', 'True', 0)] } },
    );
    const status = rolloutStatus([failing], failing, deployment, t0);
    expect(getCondition(status, 'Progressing')).toBeUndefined();
    expect(getCondition(status, 'ReplicaFailure')).toEqual({
      type: 'ReplicaFailure',
      status: 'True',
      reason: 'FailedCreate',
      message: 'quota',
      lastUpdateTime: at(5),
      lastTransitionTime: at(5),
    });
  });
});

describe('stuckRequeue', () => {
  const stalled = deploymentFixture(
    { replicas: 2, progressDeadlineSeconds: 600 },
    { status: { conditions: [progressing('ReplicaSetUpdated', 'True', 0)] } },
  );

  it('looks again one second after the deadline', () => {
    expect(stuckRequeue(stalled, stalled.status ?? {}, t0 + 180_000)).toEqual({
      kind: 'after',
      delayMs: 421_000,
    });
  });

  it('asks for a rate-limited look when under a second is left', () => {
    expect(stuckRequeue(stalled, stalled.status ?? {}, t0 + 599_500)).toEqual({
      kind: 'rateLimited',
    });
  });

  it('does nothing for complete, timed-out or deadline-free Deployments', () => {
    const done = { updatedReplicas: 2, replicas: 2, availableReplicas: 2, observedGeneration: 1 };
    expect(stuckRequeue(stalled, done, t0)).toEqual({ kind: 'none' });
    const timedOut = deploymentFixture(
      {},
      { status: { conditions: [progressing('ProgressDeadlineExceeded', 'False', 0)] } },
    );
    expect(stuckRequeue(timedOut, {}, t0)).toEqual({ kind: 'none' });
    expect(stuckRequeue(deploymentFixture(), {}, t0)).toEqual({ kind: 'none' });
  });
});

describe('pausedConditionUpdate', () => {
  it('notes a pause and a resume as Unknown Progressing conditions', () => {
    const paused = deploymentFixture({ paused: true });
    const noted = pausedConditionUpdate(paused, t0);
    expect(getCondition(noted, 'Progressing')).toMatchObject({
      status: 'Unknown',
      reason: 'DeploymentPaused',
      message: 'Deployment is paused',
    });
    expect(pausedConditionUpdate({ ...paused, status: noted }, t0)).toBeUndefined();
    const resumed = pausedConditionUpdate(deploymentFixture({}, { status: noted }), t0);
    expect(getCondition(resumed, 'Progressing')).toMatchObject({
      status: 'Unknown',
      reason: 'DeploymentResumed',
    });
  });

  it('leaves a timed-out Deployment alone', () => {
    const timedOut = deploymentFixture(
      { paused: true },
      { status: { conditions: [progressing('ProgressDeadlineExceeded', 'False', 0)] } },
    );
    expect(pausedConditionUpdate(timedOut, t0)).toBeUndefined();
  });
});

describe('statusesEqual', () => {
  it('treats absent counts as zero', () => {
    expect(statusesEqual({ replicas: 0, conditions: [] }, {})).toBe(true);
    expect(statusesEqual(undefined, {})).toBe(true);
    expect(statusesEqual({ replicas: 1 }, {})).toBe(false);
    expect(statusesEqual({ collisionCount: 0 }, {})).toBe(false);
  });
});
