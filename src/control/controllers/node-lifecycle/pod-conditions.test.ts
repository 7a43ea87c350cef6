// Table tests of UpdatePodCondition and MarkPodsNotReady's status edit.
import { describe, expect, it } from 'vitest';
import type { PodCondition } from './pod-conditions.js';
import {
  disruptionTargetCondition,
  podStatusNotReady,
  withPodCondition,
} from './pod-conditions.js';

const earlier = '2026-01-01T00:00:00Z';
const now = '2026-01-01T00:05:00Z';

describe('withPodCondition', () => {
  it('appends a missing condition stamped now', () => {
    const result = withPodCondition([], disruptionTargetCondition(), { nowText: now });
    expect(result.changed).toBe(true);
    expect(result.conditions).toEqual([
      {
        type: 'DisruptionTarget',
        status: 'True',
        reason: 'DeletionByTaintManager',
        message: 'Taint manager: deleting due to NoExecute taint',
        lastTransitionTime: now,
      },
    ]);
  });

  it('stamps now when the status changes', () => {
    const old: PodCondition = { type: 'Ready', status: 'True', lastTransitionTime: earlier };
    const result = withPodCondition([old], { type: 'Ready', status: 'False' }, { nowText: now });
    expect(result).toEqual({
      conditions: [{ type: 'Ready', status: 'False', lastTransitionTime: now }],
      changed: true,
    });
  });

  it('keeps the transition time and reports no change for an identical condition', () => {
    const old: PodCondition = { type: 'Ready', status: 'False', lastTransitionTime: earlier };
    const result = withPodCondition([old], { type: 'Ready', status: 'False' }, { nowText: now });
    expect(result).toEqual({ conditions: [old], changed: false });
  });

  it('reports a change of reason alone', () => {
    const old: PodCondition = { type: 'Ready', status: 'False', lastTransitionTime: earlier };
    const result = withPodCondition([old], { ...old, reason: 'Why' }, { nowText: now });
    expect(result.changed).toBe(true);
    expect(result.conditions[0]?.lastTransitionTime).toBe(earlier);
  });
});

describe('podStatusNotReady', () => {
  const pod = (conditions: PodCondition[]) => ({
    metadata: { name: 'p' },
    status: { phase: 'Running', conditions },
  });

  it('sets Ready=False keeping the rest of the status', () => {
    const ready: PodCondition = {
      type: 'Ready',
      status: 'True',
      reason: 'r',
      lastTransitionTime: earlier,
    };
    const scheduled: PodCondition = { type: 'PodScheduled', status: 'True' };
    expect(podStatusNotReady(pod([scheduled, ready]), now)).toEqual({
      phase: 'Running',
      conditions: [
        scheduled,
        { type: 'Ready', status: 'False', reason: 'r', lastTransitionTime: now },
      ],
    });
  });

  it('leaves pods without a Ready condition, or already not ready, alone', () => {
    expect(podStatusNotReady(pod([]), now)).toBeUndefined();
    const notReady: PodCondition = { type: 'Ready', status: 'False', lastTransitionTime: earlier };
    expect(podStatusNotReady(pod([notReady]), now)).toBeUndefined();
  });
});
