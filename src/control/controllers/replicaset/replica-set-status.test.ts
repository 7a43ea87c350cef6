// ReplicaSet status: counts, the ReplicaFailure condition, the write test and the body shape.

import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../client/types.js';
import {
  calculateReplicaSetStatus,
  replicaSetStatusBody,
  replicaSetStatusNeedsWrite,
  replicaSetStatusOf,
} from './replica-set-status.js';

/** 2026-01-01T00:00:00Z. */
const epochMs = 1_767_225_600_000;

function replicaSet(options: { replicas?: number; status?: unknown; minReadySeconds?: number }) {
  return {
    metadata: { name: 'web', namespace: 'ns', uid: 'uid-web', generation: 2 },
    spec: {
      replicas: options.replicas ?? 3,
      minReadySeconds: options.minReadySeconds ?? 0,
      selector: { matchLabels: { app: 'web' } },
      template: { metadata: { labels: { app: 'web', tier: 'front' } }, spec: {} },
    },
    status: options.status ?? {},
  } satisfies KubeObject;
}

function pod(name: string, labels: Record<string, string>, readySince?: string): KubeObject {
  const conditions =
    readySince === undefined
      ? []
      : [{ type: 'Ready', status: 'True', lastTransitionTime: readySince }];
  return { metadata: { name, namespace: 'ns', labels }, status: { phase: 'Running', conditions } };
}

const full = { app: 'web', tier: 'front' };
const failure = {
  type: 'ReplicaFailure',
  status: 'True',
  lastTransitionTime: '2025-12-31T00:00:00Z',
  reason: 'FailedCreate',
  message: 'old',
};

describe('replica set status', () => {
  it('counts pods, fully labeled pods, ready pods and available pods', () => {
    const pods = [
      pod('a', full, '2026-01-01T00:00:00Z'),
      pod('b', { app: 'web' }, '2025-12-31T23:59:00Z'),
      pod('c', full),
    ];
    const status = calculateReplicaSetStatus(replicaSet({ minReadySeconds: 30 }), pods, {
      nowMs: epochMs + 10_000,
    });
    expect(status).toEqual({
      replicas: 3,
      fullyLabeledReplicas: 2,
      readyReplicas: 2,
      availableReplicas: 1,
      observedGeneration: 0,
      conditions: [],
    });
  });

  it('adds ReplicaFailure with FailedCreate while pods are missing', () => {
    const status = calculateReplicaSetStatus(replicaSet({}), [], {
      failure: { message: 'quota' },
      nowMs: epochMs,
    });
    expect(status.conditions).toEqual([
      {
        type: 'ReplicaFailure',
        status: 'True',
        lastTransitionTime: '2026-01-01T00:00:00Z',
        reason: 'FailedCreate',
        message: 'quota',
      },
    ]);
  });

  it('uses FailedDelete while there are too many pods', () => {
    const pods = [pod('a', full), pod('b', full)];
    const status = calculateReplicaSetStatus(replicaSet({ replicas: 1 }), pods, {
      failure: { message: 'x' },
      nowMs: epochMs,
    });
    expect(status.conditions[0]?.reason).toBe('FailedDelete');
  });

  it('keeps an existing failure condition as it is, and removes it once syncs succeed', () => {
    const failing = replicaSet({ status: { replicas: 0, conditions: [failure] } });
    const kept = calculateReplicaSetStatus(failing, [], {
      failure: { message: 'new' },
      nowMs: epochMs,
    });
    expect(kept.conditions).toEqual([failure]);
    const healed = calculateReplicaSetStatus(failing, [], { nowMs: epochMs });
    expect(healed.conditions).toEqual([]);
  });

  it('writes only when a count, a condition or the observed generation changed', () => {
    const stored = replicaSet({ status: { replicas: 2, observedGeneration: 2 } });
    const same = calculateReplicaSetStatus(
      stored,
      [pod('a', { app: 'web' }), pod('b', { app: 'web' })],
      { nowMs: epochMs },
    );
    expect(replicaSetStatusNeedsWrite(stored, same)).toBe(false);
    expect(replicaSetStatusNeedsWrite(stored, { ...same, readyReplicas: 1 })).toBe(true);
    expect(replicaSetStatusNeedsWrite(stored, { ...same, conditions: [failure] })).toBe(true);
    const lagging = replicaSet({ status: { replicas: 2, observedGeneration: 1 } });
    expect(replicaSetStatusNeedsWrite(lagging, same)).toBe(true);
  });

  it('serialises zero counts and empty conditions away, except replicas', () => {
    const zero = replicaSetStatusOf(replicaSet({}));
    expect(replicaSetStatusBody(zero, 2)).toEqual({ replicas: 0, observedGeneration: 2 });
    const busy = {
      ...zero,
      replicas: 3,
      readyReplicas: 2,
      availableReplicas: 1,
      fullyLabeledReplicas: 3,
    };
    expect(replicaSetStatusBody({ ...busy, conditions: [failure] }, 4)).toEqual({
      replicas: 3,
      fullyLabeledReplicas: 3,
      readyReplicas: 2,
      availableReplicas: 1,
      observedGeneration: 4,
      conditions: [failure],
    });
  });
});
